#!/usr/bin/env bash
# Shared set-up for run.sh, serve.sh and test.sh: a virtualenv in .venv with the locked
# requirements installed. Sourced, not executed. Re-installs only when the lock changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REM_VENV:-$ROOT/.venv}"
REQ="${1:-requirements.txt}"
PYTHON_BIN="${PYTHON:-python3}"
# Installs come from the lock beside the requirements (exact versions with sha256 hashes,
# made by ./scripts/lock.sh from requirements.txt and requirements-dev.txt): the versions CI
# passed with. A lock older than the requirements is refused, not silently ignored.
LOCK="${REQ%.txt}.lock"
inputs="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -c1-64)"
if [ ! -f "$ROOT/$LOCK" ] || ! head -1 "$ROOT/$LOCK" | grep -qF "inputs-sha256: $inputs"; then
  echo "setup.sh: $LOCK does not match requirements.txt and requirements-dev.txt (one of them" \
       "changed since the lock was made). Refresh the locks with ./scripts/lock.sh and commit" \
       "requirements.lock and requirements-dev.lock." >&2
  exit 1
fi
stamp_of() { sha256sum "$ROOT/$LOCK" | cut -c1-16; }
if [ ! -f "$VENV/.installed-$(stamp_of)" ]; then
  echo "First run (or changed requirements): installing the Python packages into" \
       "${VENV#"$ROOT"/}; this takes one to two minutes, once." >&2
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON_BIN" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(stamp_of)"
if [ ! -f "$stamp" ]; then
  # pip's own progress (one line per package), not silence.
  "$VENV/bin/python" -m pip install --progress-bar on --require-hashes --no-deps \
    -r "$ROOT/$LOCK" \
    | grep --line-buffered -E '^(Collecting|Installing|Successfully)' || true
  "$VENV/bin/python" -c "import streamlit, duckdb, geopandas" \
    || { echo "installing the requirements failed; see the messages above" >&2; exit 1; }
  touch "$stamp"
fi
# Debian's WenQuanYi Micro Hei draws Korean (and the rarer Chinese) characters of a region's
# name in PNG and PDF files (monitor/fonts.py); installed when root, once. Without it those
# characters are empty boxes, nothing fails (the tests fail in CI).
if [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's fonts-wqy-microhei (Korean names in PNG and PDF files; once)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    fonts-wqy-microhei) >/dev/null 2>&1 || echo "note: could not install fonts-wqy-microhei" >&2
fi
# The data: the bundle in data/bundle/ (shipped with the code). REM_SNAPSHOT_DIR, when you set
# it, makes `python -m etl build` read an offline snapshot instead.
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
