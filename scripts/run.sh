#!/usr/bin/env bash
# Sets up the product (from nothing), ingests the bundled corpus into the default store if it
# is not there yet, and starts the product.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
planassist=.venv/bin/planassist
if [ "$($planassist docs --json | .venv/bin/python -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "0" ]; then
  echo "Ingesting the bundled corpus (corpus/documents) into ${PLANASSIST_STORE:-.planassist}/ ..."
  $planassist ingest corpus/documents
fi
$planassist docs
# Until the web app lands: questions on the command line, with follow-ups.
exec $planassist chat
