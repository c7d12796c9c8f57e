#!/usr/bin/env bash
# Run the tests: set up .venv with the dev requirements, Chromium for the browser tests, pytest.
# Extra arguments go to pytest (e.g. --no-browser, -k warehouse).
set -euo pipefail
source "$(dirname "$0")/setup.sh" requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "note: could not install chromium; browser tests will be skipped" >&2
fi
exec python -m pytest "$@"
