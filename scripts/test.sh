#!/usr/bin/env bash
# Sets up everything the tests need (from nothing) and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
