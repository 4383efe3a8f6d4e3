#!/usr/bin/env bash
# Creates .venv and installs the product (and, with --test, what the tests need) from nothing.
# torch comes first and pinned: 2.13.0 is the CPU build; unpinned, sentence-transformers would
# pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "--test" ] && extras="[test,llm-test,bench]"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"

# llama.cpp (the LLM test's server) compiles for the build machine's CPU by default, and on a
# CPU that reports AMX its AMX matrix kernel crashes the server on the first completion
# (SIGSEGV in ggml_backend_amx_mul_mat, seen here). Build it portable (AVX2) instead, and
# rebuild a native build found in the venv; --no-cache-dir, as pip's wheel cache ignores
# CMAKE_ARGS and would hand back a native wheel built earlier.
if [ "${1:-}" = "--test" ] && ! .venv/bin/python -c \
    'import sys, llama_cpp; sys.exit(b"AMX_INT8 = 1" in llama_cpp.llama_print_system_info())' 2>/dev/null; then
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    .venv/bin/python -m pip install --quiet --no-cache-dir --force-reinstall --no-deps "llama-cpp-python==0.3.36"
fi
.venv/bin/python -m pip install --quiet -e ".${extras}"

# The real-browser test of the app drives Debian's Chromium (playwright cannot download its own
# browsers offline); install it when it is missing and we may (root, or sudo without a password).
if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && apt-get install -y -qq chromium
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  else
    echo "note: /usr/bin/chromium is missing and cannot be installed without root; the browser test will be skipped" >&2
  fi
fi

# OCR of scanned PDF pages (`planassist ingest --ocr`): Debian's tesseract-ocr reads the page
# images that poppler-utils' pdftoppm renders. The product and the tests both need them.
if { ! command -v tesseract >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; } \
    && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && apt-get install -y -qq tesseract-ocr poppler-utils
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq tesseract-ocr poppler-utils
  else
    echo "note: tesseract-ocr and poppler-utils are missing and cannot be installed without root; --ocr will say so" >&2
  fi
fi
