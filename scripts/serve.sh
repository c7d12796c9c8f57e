#!/usr/bin/env bash
# Serve the dashboard as N Streamlit processes behind HAProxy (Debian's package):
#   ./scripts/serve.sh --replicas 2 --port 8501 [--address 0.0.0.0]
# Replicas listen on 127.0.0.1 at port+1 .. port+N; HAProxy listens on --address:--port.
# HAProxy because it has what Streamlit needs built in: cookie-based session affinity (a
# session, its uploads and its download files live in the process that served it), websocket
# pass-through, and active health checks on /_stcore/health. Ctrl-C or SIGTERM stops everything
# this script started. REM_PYTHON=/path/to/python skips the .venv set-up (tests use it).
set -euo pipefail
REPLICAS=2
PORT=8501
ADDRESS=127.0.0.1
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --address) ADDRESS="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "serve.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$REPLICAS" =~ ^[1-9][0-9]?$ && "$PORT" =~ ^[0-9]+$ ]]; then
  echo "serve.sh: --replicas takes 1-99 and --port a number" >&2; exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${REM_PYTHON:-}" ]; then
  cd "$ROOT"
else
  source "$ROOT/scripts/setup.sh" requirements.txt
  REM_PYTHON=python
fi

if ! command -v haproxy >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "serve.sh: installing haproxy (Debian package)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy) \
      >/dev/null 2>&1 || { echo "serve.sh: could not install haproxy" >&2; exit 1; }
  else
    echo "serve.sh: haproxy is missing: sudo apt-get install haproxy" >&2; exit 1
  fi
fi

if [ ! -f "${REM_WAREHOUSE:-data/warehouse.duckdb}" ]; then
  "$REM_PYTHON" -m etl build ${REM_SNAPSHOT_DIR:+--snapshot "$REM_SNAPSHOT_DIR"}
fi

RUN="$(mktemp -d "${TMPDIR:-/tmp}/rem-serve.XXXXXX")"
PIDS=()
stop() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cat > "$RUN/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    option forwardfor
    option redispatch
    retries 2
    timeout connect 5s
    timeout client 60s
    timeout server 120s
    timeout tunnel 1h
frontend dashboard
    bind ${ADDRESS}:${PORT}
    # Streamlit sends its scripts uncompressed (plotly.js alone is 4.7 MB); gzip (HAProxy's
    # built-in libslz, fast) makes a first visit over an office network several times faster.
    filter compression
    compression algo gzip
    compression type text/html text/css text/javascript application/javascript application/json image/svg+xml
    default_backend streamlit
backend streamlit
    balance roundrobin
    cookie REM_REPLICA insert indirect nocache httponly
    option httpchk GET /_stcore/health
    http-check expect status 200
CFG
for i in $(seq 1 "$REPLICAS"); do
  port=$((PORT + i))
  echo "    server r$i 127.0.0.1:$port check inter 2s fall 2 rise 1 cookie r$i" \
    >> "$RUN/haproxy.cfg"
  REM_WARM_MARKER="$RUN/warm-r$i" \
    "$REM_PYTHON" -m monitor.server --server.headless true --server.port "$port" \
    --server.address 127.0.0.1 --browser.gatherUsageStats false &
  PIDS+=("$!")
done
# HAProxy starts once every replica answers its health check (no 503s while they start).
for i in $(seq 1 "$REPLICAS"); do
  for _ in $(seq 1 240); do
    "$REM_PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "http://127.0.0.1:$((PORT + i))/_stcore/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
# ... and has run its main pages once (monitor/server.py's warm-up; at most 3 minutes), so the
# first person through the balancer finds a warm replica.
for i in $(seq 1 "$REPLICAS"); do
  for _ in $(seq 1 360); do [ -f "$RUN/warm-r$i" ] && break; sleep 0.5; done
done
haproxy -W -db -f "$RUN/haproxy.cfg" &
PIDS+=("$!")
echo "serve.sh: $REPLICAS replica(s) behind http://$ADDRESS:$PORT (HAProxy, pid $!)" >&2
# Exit (and stop the rest) as soon as any of them stops.
wait -n "${PIDS[@]}"
echo "serve.sh: a process stopped; stopping the others" >&2
