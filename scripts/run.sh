#!/usr/bin/env bash
# Sets up the product (from nothing), ingests the bundled corpus into the default store if it
# is not there yet, and starts the web app (http://127.0.0.1:8501; PLANASSIST_PORT and
# PLANASSIST_ADDRESS change where it listens).
set -euo pipefail
cd "$(dirname "$0")/.."
# The set-up (pip, about 10 s even when everything is installed) runs only when what it
# installs may have changed: the stamp holds the hash of pyproject.toml and setup.sh, written
# after a set-up that succeeded. The product is installed editable, so code changes need none.
stamp=.venv/.run-setup-stamp
wanted=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/planassist ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  bash scripts/setup.sh
  echo "$wanted" > "$stamp"
fi
planassist=.venv/bin/planassist
count=$($planassist docs --json | .venv/bin/python -c 'import json,sys; print(len(json.load(sys.stdin)))')
if [ "$count" = "0" ]; then
  echo "Ingesting the bundled corpus (corpus/documents) into ${PLANASSIST_STORE:-.planassist}/ ..."
  $planassist ingest corpus/documents
  count=$($planassist docs --json | .venv/bin/python -c 'import json,sys; print(len(json.load(sys.stdin)))')
fi
echo "$count documents in ${PLANASSIST_STORE:-.planassist}/ (planassist docs lists them)"
port=${PLANASSIST_PORT:-8501}
address=${PLANASSIST_ADDRESS:-127.0.0.1}
echo "Planning Assistant: open http://$address:$port in a browser (Ctrl-C stops it)"
# No file watcher (.streamlit/config.toml): a served app does not reload on edits.
exec .venv/bin/streamlit run app.py --server.headless true --server.address "$address" --server.port "$port"
