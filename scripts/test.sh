#!/usr/bin/env bash
# Run the tests: set up .venv with the dev requirements, Chromium for the browser tests, pytest.
# The tests build their warehouse from the data bundle (data/bundle/): no snapshot, no network.
# Extra arguments go to pytest (e.g. --no-browser to opt out of the Chromium tests, -k bundle).
set -euo pipefail
source "$(dirname "$0")/setup.sh" requirements-dev.txt
if [[ " $* " != *" --no-browser "* ]] && [ ! -x "${REM_CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests (once)..." >&2
    (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 \
      || echo "could not install chromium: the browser tests will fail (in CI) or skip" >&2
  else
    echo "chromium is missing: install it (apt-get install chromium) or pass --no-browser" >&2
  fi
fi
# R (Debian's r-base-core, no recommends: ~29 MB download, ~52 MB installed, ~12 s of apt-get
# here from apt's cache) for the test that reads the standard CSV with R's read.csv defaults
# (tests/test_app_export_standard.py); when root, once. Without it that test skips (fails in CI).
if ! command -v Rscript >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
    && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's r-base-core (the R read.csv export test; once)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends r-base-core) >/dev/null 2>&1 \
    || echo "note: could not install r-base-core: the R export test will fail (in CI) or skip" >&2
fi
# axe-core (accessibility scan in tests/test_browser_meeting_room.py) from the npm registry,
# into a git-ignored folder; the test installs it itself when this step could not.
if command -v npm >/dev/null 2>&1 && [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  npm install --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4 >/dev/null 2>&1 \
    || echo "note: could not install axe-core with npm" >&2
fi
# On every core (pytest-xdist; `-n 0` after it runs in one process). A worker takes a whole
# module, so each module-scoped set-up (a server, a browser, a built warehouse) runs once;
# the slowest modules first (tests/conftest.py, SLOW_FIRST).
exec python -m pytest -n auto --maxprocesses 4 --dist loadfile --no-loadscope-reorder "$@"
