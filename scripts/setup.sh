#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: a virtualenv in .venv with the requirements installed.
# Sourced, not executed. Re-installs only when a requirements file changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REM_VENV:-$ROOT/.venv}"
REQ="${1:-requirements.txt}"
PYTHON_BIN="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON_BIN" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
stamp="$VENV/.installed-$(cat "$ROOT/requirements.txt" "$ROOT/$REQ" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  "$VENV/bin/python" -m pip install --quiet -r "$ROOT/$REQ"
  touch "$stamp"
fi
# The offline snapshot, when there is one beside the checkout and none was named.
if [ -z "${REM_SNAPSHOT_DIR:-}" ] && [ -d "$ROOT/../shared/cbs" ]; then
  export REM_SNAPSHOT_DIR="$(cd "$ROOT/../shared" && pwd)"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
