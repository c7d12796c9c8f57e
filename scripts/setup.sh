#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: a virtualenv in .venv with the requirements installed.
# Sourced, not executed. Re-installs only when a requirements file changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REM_VENV:-$ROOT/.venv}"
REQ="${1:-requirements.txt}"
PYTHON_BIN="${PYTHON:-python3}"
stamp_of() { cat "$ROOT/requirements.txt" "$ROOT/$REQ" | sha256sum | cut -c1-16; }
if [ ! -f "$VENV/.installed-$(stamp_of)" ]; then
  echo "First run (or changed requirements): installing the Python packages into" \
       "${VENV#"$ROOT"/}; this takes one to two minutes, once." >&2
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON_BIN" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
stamp="$VENV/.installed-$(stamp_of)"
if [ ! -f "$stamp" ]; then
  # pip's own progress (one line per package), not silence.
  "$VENV/bin/python" -m pip install --progress-bar on -r "$ROOT/$REQ" \
    | grep --line-buffered -E '^(Collecting|Installing|Successfully)' || true
  "$VENV/bin/python" -c "import streamlit, duckdb, geopandas" \
    || { echo "installing the requirements failed; see the messages above" >&2; exit 1; }
  touch "$stamp"
fi
# The data: the bundle in data/bundle/ (shipped with the code). REM_SNAPSHOT_DIR, when you set
# it, makes `python -m etl build` read an offline snapshot instead.
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
