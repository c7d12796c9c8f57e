#!/usr/bin/env bash
# Serve the dashboard as N Streamlit processes behind HAProxy (Debian's package), kept running
# by supervisord (the Supervisor project's process manager, from PyPI):
#   ./scripts/serve.sh --replicas 2 --port 8501 [--address 0.0.0.0]
# Replicas listen on 127.0.0.1 at port+1 .. port+N; HAProxy listens on --address:--port.
# A replica that dies is restarted by supervisord; until it is back HAProxy sends its users to
# the others (they lose their session, and the page says so). Ctrl-C or SIGTERM stops
# everything; after a kill -9 of this script the next start on the same port clears what is
# left. REM_PYTHON=/path/to/python skips the .venv set-up (tests use it).
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
if ! [[ "$REPLICAS" =~ ^[1-9][0-9]?$ && "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -gt $((65535 - REPLICAS)) ]; then
  echo "serve.sh: --replicas takes 1-99 and --port a number below $((65535 - REPLICAS))" >&2; exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${REM_PYTHON:-}" ]; then
  cd "$ROOT"
else
  source "$ROOT/scripts/setup.sh" requirements.txt
  REM_PYTHON=python
fi
PY="$(command -v "$REM_PYTHON")"
if ! "$PY" -c "import supervisor" 2>/dev/null; then
  echo "serve.sh: supervisor is missing from $PY's environment: ./scripts/setup.sh installs" \
       "it (requirements.txt), or: $PY -m pip install supervisor" >&2
  exit 1
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

# One folder per port: its configuration, logs, and what a killed serve.sh left behind.
RUN="${TMPDIR:-/tmp}/rem-serve-$PORT"
# Every process started from here carries REM_SERVE_RUN=$RUN in its environment, so the next
# start finds them even when serve.sh and supervisord were killed with -9.
started_here() {
  local env pid
  for env in /proc/[0-9]*/environ; do
    pid="${env#/proc/}"; pid="${pid%/environ}"
    [ "$pid" = "$$" ] && continue
    { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qxF "REM_SERVE_RUN=$RUN" && echo "$pid"
  done
  return 0
}
if [ -f "$RUN/serve.pid" ]; then
  owner="$(cat "$RUN/serve.pid" 2>/dev/null || true)"
  if [ -n "$owner" ] && { tr '\0' ' ' <"/proc/$owner/cmdline"; } 2>/dev/null | grep -q "serve.sh"; then
    echo "serve.sh: already serving on port $PORT (serve.sh pid $owner): stop it first" \
         "(kill $owner), or choose another --port" >&2
    exit 1
  fi
fi
left="$(started_here)"
if [ -n "$left" ]; then
  echo "serve.sh: stopping what an earlier serve.sh on port $PORT left running (pids" \
       $left")" >&2
  kill -TERM $left 2>/dev/null || true
  for _ in $(seq 1 40); do [ -z "$(started_here)" ] && break; sleep 0.25; done
  left="$(started_here)"
  [ -z "$left" ] || kill -KILL $left 2>/dev/null || true
  sleep 0.5
fi
rm -rf "$RUN"

# Every port free before anything starts (a port in use is a message, not a hang).
for p in "$PORT" $(seq $((PORT + 1)) $((PORT + REPLICAS))); do
  host="127.0.0.1"; [ "$p" = "$PORT" ] && host="$ADDRESS"
  if ! "$PY" - "$host" "$p" <<'PYCODE'
import socket, sys
sock = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    sock.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
PYCODE
  then
    echo "serve.sh: port $p ($host) is in use by another program; serve.sh needs ports" \
         "$PORT-$((PORT + REPLICAS)) (the balancer and one per replica): choose another" \
         "--port, or see what holds it with: ss -ltnp 'sport = :$p'" >&2
    exit 1
  fi
done

if [ ! -f "${REM_WAREHOUSE:-data/warehouse.duckdb}" ]; then
  "$PY" -m etl build ${REM_SNAPSHOT_DIR:+--snapshot "$REM_SNAPSHOT_DIR"}
fi

mkdir -p "$RUN"
echo "$$" >"$RUN/serve.pid"
# A child dies with its parent (prctl PR_SET_PDEATHSIG through util-linux's setpriv): kill -9
# of serve.sh stops supervisord cleanly (SIGTERM: it stops the replicas and HAProxy), kill -9
# of supervisord kills the replicas and HAProxy (SIGKILL: their output pipe to supervisord is
# gone, so a graceful stop would fail on its first log line).
SUPERVISOR_GUARD=""
CHILD_GUARD=""
if command -v setpriv >/dev/null 2>&1 && setpriv --pdeathsig TERM true 2>/dev/null; then
  SUPERVISOR_GUARD="$(command -v setpriv) --pdeathsig TERM"
  CHILD_GUARD="$(command -v setpriv) --pdeathsig KILL"
fi

cat >"$RUN/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    option forwardfor
    # A request whose replica is gone goes to another one (its session starts anew there).
    option redispatch 1
    retry-on conn-failure empty-response
    retries 2
    timeout connect 2s
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
    # Streamlit's metrics are for the operator (on the replica's own port), not for users.
    http-request deny deny_status 404 if { path_beg /_stcore/metrics }
    # The replica a browser was pinned to, for the app (HAProxy strips its cookie): a session
    # that arrives on another replica says it was moved (app.py, session_moved_notice).
    http-request del-header X-REM-Pinned
    http-request set-header X-REM-Pinned %[req.cook(REM_REPLICA)] if { req.cook(REM_REPLICA) -m found }
    # The health and host-config requests a reconnecting browser sends first need no
    # affinity: served without the cookie, they leave it naming the replica the browser was on
    # until its websocket (and new session) arrives.
    use_backend stateless if { path_end /_stcore/health /_stcore/host-config }
    default_backend streamlit
backend streamlit
    balance roundrobin
    cookie REM_REPLICA insert indirect nocache httponly
    option httpchk GET /_stcore/health
    http-check expect status 200
    # A refused connection takes a replica out at once (observe layer4); the health check
    # (every second, every 0.5 s while it changes state) takes it out or back in.
    default-server check inter 1s fastinter 500ms downinter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
CFG

SECRET="$("$PY" -c "import secrets; print(secrets.token_hex(16))")"
cat >"$RUN/supervisord.conf" <<CFG
; Written by scripts/serve.sh; removed when it stops.
[supervisord]
nodaemon=true
logfile=$RUN/supervisord.log
pidfile=$RUN/supervisord.pid
childlogdir=$RUN
loglevel=warn
$([ "$(id -u)" = 0 ] && echo "user=root")
[unix_http_server]
file=$RUN/supervisor.sock
chmod=0700
username=serve
password=$SECRET
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$RUN/supervisor.sock
username=serve
password=$SECRET

[program:haproxy]
command=$CHILD_GUARD $(command -v haproxy) -W -db -f "$RUN/haproxy.cfg"
autostart=false
autorestart=true
startsecs=1
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=/dev/stderr
stdout_logfile_maxbytes=0
CFG
for i in $(seq 1 "$REPLICAS"); do
  port=$((PORT + i))
  echo "    server r$i 127.0.0.1:$port cookie r$i" >>"$RUN/haproxy.cfg"
  STATELESS="${STATELESS:-}    server r$i 127.0.0.1:$port"$'\n'
  cat >>"$RUN/supervisord.conf" <<CFG

[program:r$i]
command=$CHILD_GUARD "$PY" -m monitor.server --server.headless true --server.port $port --server.address 127.0.0.1 --browser.gatherUsageStats false
directory=$ROOT
environment=REM_WARM_MARKER="$RUN/warm-r$i",REM_REPLICA_NAME="r$i"
autorestart=true
startsecs=3
startretries=1000
stopsignal=TERM
stopwaitsecs=20
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=/dev/stderr
stdout_logfile_maxbytes=0
CFG
done

{
  echo "backend stateless"
  echo "    balance roundrobin"
  sed -n '/^backend streamlit/,$p' "$RUN/haproxy.cfg" | grep -E "option httpchk|http-check|default-server"
  printf '%s' "$STATELESS"
} >>"$RUN/haproxy.cfg"

SUPERVISOR_PID=""
stop() {
  trap - EXIT INT TERM
  if [ -n "$SUPERVISOR_PID" ]; then
    kill -TERM "$SUPERVISOR_PID" 2>/dev/null || true
    wait "$SUPERVISOR_PID" 2>/dev/null || true
  fi
  rm -rf "$RUN"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

REM_SERVE_RUN="$RUN" $SUPERVISOR_GUARD "$PY" -m supervisor.supervisord -c "$RUN/supervisord.conf" &
SUPERVISOR_PID=$!
ctl() { "$PY" -m supervisor.supervisorctl -c "$RUN/supervisord.conf" "$@"; }

# HAProxy starts once every replica answers its health check and has run its main pages once
# (monitor/server.py's warm-up; at most 3 minutes), so the first person finds a warm replica.
for i in $(seq 1 "$REPLICAS"); do
  for _ in $(seq 1 480); do
    kill -0 "$SUPERVISOR_PID" 2>/dev/null || { echo "serve.sh: supervisord stopped" >&2; exit 1; }
    [ -f "$RUN/warm-r$i" ] && break
    sleep 0.5
  done
done
ctl start haproxy >/dev/null
echo "serve.sh: $REPLICAS replica(s) behind http://$ADDRESS:$PORT (HAProxy; supervisord" \
     "pid $SUPERVISOR_PID restarts a replica that stops)" >&2
status=0
wait "$SUPERVISOR_PID" || status=$?
SUPERVISOR_PID=""
echo "serve.sh: supervisord stopped (exit $status); stopping" >&2
exit 1
