#!/usr/bin/env bash
# A fresh Release server (ReadyToRun publish, SQLite journal in a temporary folder, loopback only)
# and first-websocket.mjs started before it, so that the port's opening is seen as it happens.
#   bench/TimeToMedia/run.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
[ -d ../SignalingLoad/node_modules ] || (cd ../SignalingLoad && npm ci --no-audit --no-fund >/dev/null)
dotnet publish -c Release -r linux-x64 "$root/src/Host" --nologo -v q >/dev/null
export PROTOO_LISTEN_IP=127.0.0.1 PROTOO_LISTEN_PORT=${PORT:-4943} HTTP_LISTEN_IP=127.0.0.1 HTTP_LISTEN_PORT=${HTTP_PORT:-9388}
export MEDIASOUP_LISTEN_IP=127.0.0.1 MEDIASOUP_WEBRTC_SERVER_PORT=${MEDIA_PORT:-45944} SFU_LOG_LEVEL=Warning
for run in $(seq 1 "${1:-3}"); do
  data=$(mktemp -d)
  node first-websocket.mjs "$PROTOO_LISTEN_PORT" 3 &
  client=$!
  SFU_DATA_DIR="$data" dotnet "$root/src/Host/bin/Release/net10.0/linux-x64/publish/SfuHost.dll" > "$data/server.log" 2>&1 &
  server=$!
  wait $client
  kill $server; wait $server 2>/dev/null || true
  rm -rf "$data"
done
