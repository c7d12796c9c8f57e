#!/usr/bin/env bash
# Run the dashboard: set up .venv, build data/warehouse.duckdb if there is none, start Streamlit.
# Offline: REM_SNAPSHOT_DIR=/path/to/snapshot (holding cbs/ and geo/); without it, CBS is fetched live.
set -euo pipefail
source "$(dirname "$0")/setup.sh" requirements.txt
if [ ! -f "${REM_WAREHOUSE:-data/warehouse.duckdb}" ]; then
  python -m etl build ${REM_SNAPSHOT_DIR:+--snapshot "$REM_SNAPSHOT_DIR"}
fi
exec streamlit run app.py --server.headless true "$@"
