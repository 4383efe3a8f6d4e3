#!/usr/bin/env bash
# Sets up the product (from nothing), ingests the bundled corpus into the default store if it
# is not there yet, and starts the web app (http://127.0.0.1:8501; PLANASSIST_PORT and
# PLANASSIST_ADDRESS change where it listens).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
planassist=.venv/bin/planassist
if [ "$($planassist docs --json | .venv/bin/python -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "0" ]; then
  echo "Ingesting the bundled corpus (corpus/documents) into ${PLANASSIST_STORE:-.planassist}/ ..."
  $planassist ingest corpus/documents
fi
$planassist docs
port=${PLANASSIST_PORT:-8501}
address=${PLANASSIST_ADDRESS:-127.0.0.1}
echo "Planning Assistant: open http://$address:$port in a browser (Ctrl-C stops it)"
exec .venv/bin/streamlit run app.py --server.headless true --server.address "$address" --server.port "$port"
