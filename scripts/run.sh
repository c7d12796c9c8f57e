#!/usr/bin/env bash
# Run the dashboard: set up .venv, build data/warehouse.duckdb from the data bundle shipped in
# data/bundle/ if there is none (offline, under a minute), start Streamlit.
# Other sources: REM_SNAPSHOT_DIR=/path/to/snapshot, or `python -m etl build --live` first.
set -euo pipefail
source "$(dirname "$0")/setup.sh" requirements.txt
if [ ! -f "${REM_WAREHOUSE:-data/warehouse.duckdb}" ]; then
  python -m etl build ${REM_SNAPSHOT_DIR:+--snapshot "$REM_SNAPSHOT_DIR"}
fi
# monitor.server is `streamlit run app.py` plus a background warm-up of the main pages.
exec python -m monitor.server --server.headless true "$@"
