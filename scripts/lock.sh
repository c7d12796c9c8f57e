#!/usr/bin/env bash
# Refresh the locks: requirements-dev.lock (tests, CI) and requirements.lock (run.sh, serve.sh):
# every package at an exact version with its sha256 hashes, made by pip-tools' pip-compile from
# requirements.txt and requirements-dev.txt. Run it after changing either file and commit the
# two .lock files with it; scripts/setup.sh refuses a lock that is older than its requirements.
#   ./scripts/lock.sh              keep the locked versions where the requirements allow them
#   ./scripts/lock.sh --upgrade    take the newest versions the requirements allow
# (then run ./scripts/test.sh before committing: the lock holds the versions CI passed with)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${REM_VENV:-$ROOT/.venv}"
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -m piptools --version >/dev/null 2>&1 || "$PY" -m pip install --quiet "pip-tools>=7.4"
inputs="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-64)"
compile() {  # compile <requirements file> <lock file>
  CUSTOM_COMPILE_COMMAND="./scripts/lock.sh" "$PY" -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
    --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
    "${@:3}" -o "$2" "$1"
  { echo "# inputs-sha256: $inputs (requirements.txt + requirements-dev.txt)"
    grep -v '^# inputs-sha256:' "$2"; } >"$2.new"
  mv "$2.new" "$2"
}
compile requirements-dev.txt requirements-dev.lock "$@"
# The runtime lock: a subset of the dev lock at the same versions (pip-compile keeps the pins it
# finds in its output file).
cp requirements-dev.lock requirements.lock
compile requirements.txt requirements.lock
echo "lock.sh: wrote requirements-dev.lock and requirements.lock; commit them" >&2
