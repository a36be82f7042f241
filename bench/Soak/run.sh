#!/usr/bin/env bash
# Soak (issue 14): starts a fresh Release server (SQLite journal in a temporary folder, loopback only),
# runs soak.mjs against it (peers joining, producing, consuming and leaving, broadcasters, hostile
# clients) for DURATION seconds, prints its progress and JSON report, the server's warnings and errors,
# and stops the server.
#   bench/Soak/run.sh [soak.mjs options]            # 600 s, 200 peers, 20 rooms, 5 broadcasters, 5 hostile
#   DURATION=60 bench/Soak/run.sh --peers 40        # a short trial
# Exit code: soak.mjs's (0 pass, 1 not back within 10 % or unexpected outcomes, 2 the server died),
# 3 when the server did not stop on SIGTERM within 30 s.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
dotnet build -c Release "$root/src/Host" --nologo -v q >/dev/null
data=$(mktemp -d ${BENCH_TMP:+-p $BENCH_TMP})
# Ports apart from bench/SignalingLoad's (4543, 8988, 45544) so that both can run at once.
export PROTOO_LISTEN_IP=127.0.0.1 PROTOO_LISTEN_PORT=${PORT:-4643} HTTP_LISTEN_IP=127.0.0.1 HTTP_LISTEN_PORT=${HTTP_PORT:-9088}
export MEDIASOUP_LISTEN_IP=127.0.0.1 MEDIASOUP_WEBRTC_SERVER_PORT=${MEDIA_PORT:-45644} SFU_DATA_DIR="$data" SFU_LOG_LEVEL=Warning
# The plain transports' ports (broadcasters): a range of our own, counted in the samples.
export MEDIASOUP_MIN_PORT=${RTC_MIN_PORT:-47000} MEDIASOUP_MAX_PORT=${RTC_MAX_PORT:-47999}
# One load tool opens every connection from 127.0.0.1: no per-address limit here.
export SFU_CONNECTIONS_PER_ADDRESS=0
dotnet "$root/src/Host/bin/Release/net10.0/SfuHost.dll" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$HTTP_LISTEN_PORT/metrics" >/dev/null && break
  kill -0 $server 2>/dev/null || { echo "server exited at start:"; cat "$data/server.log"; exit 2; }
  sleep 0.2
done
status=0
node soak.mjs --url "wss://127.0.0.1:$PROTOO_LISTEN_PORT" --http "http://127.0.0.1:$HTTP_LISTEN_PORT" --pid "$server" \
  --duration "${DURATION:-600}" --rtc-min-port "$MEDIASOUP_MIN_PORT" --rtc-max-port "$MEDIASOUP_MAX_PORT" "$@" || status=$?
# The server's own account (warnings and errors only at this log level), most frequent first.
lines=$(grep -cE '^\[[0-9:.]+ (WRN|ERR|FTL)\]' "$data/server.log" || true)
echo "server log: $lines warning/error lines$([ "$lines" = 0 ] || echo ', by message:')"
grep -E '^\[[0-9:.]+ (WRN|ERR|FTL)\]' "$data/server.log" | sed -E 's/^\[[0-9:.]+ /[/; s/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/…/g; s/(peer|room|broadcaster|transport|producer|consumer) [^ :,]*[0-9][^ :,]*/\1 …/g' \
  | sort | uniq -c | sort -rn | head -20 || true
if kill -0 $server 2>/dev/null; then
  stopping=$(date +%s.%N)
  kill -TERM $server
  for _ in $(seq 1 300); do kill -0 $server 2>/dev/null || break; sleep 0.1; done
  if kill -0 $server 2>/dev/null; then
    echo "server did not stop within 30 s of SIGTERM"; [ $status != 0 ] || status=3
  else
    wait $server 2>/dev/null || true
    echo "server stopped $(echo "$(date +%s.%N) - $stopping" | bc | xargs printf '%.1f') s after SIGTERM"
  fi
else
  echo "server process gone before the end; its log's last lines:"; tail -30 "$data/server.log"
  [ $status != 0 ] || status=2
fi
exit $status
