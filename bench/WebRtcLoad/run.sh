#!/usr/bin/env bash
# Starts a fresh Release server (SQLite journal in a temporary folder, loopback only, one media worker
# unless MEDIASOUP_NUM_WORKERS says otherwise), runs the WebRTC load tool against it, stops the server.
#   bench/WebRtcLoad/run.sh [consumers=200] [concurrency=20] [seconds=10] [packets/s=100]
#   bench/WebRtcLoad/run.sh 1000 50 20        # 1,000 consumers of one 100 packets/s video
#   bench/WebRtcLoad/run.sh 200 200 5         # a join storm: 200 transports connecting at once
#   PERF=1 bench/WebRtcLoad/run.sh 400 50 10  # perf record -g of the server's media worker thread (perf.data here)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
dotnet publish -c Release -r linux-x64 "$root/src/Host" --nologo -v q >/dev/null
dotnet build -c Release "$root/bench/WebRtcLoad" --nologo -v q >/dev/null
data=$(mktemp -d)
export PROTOO_LISTEN_IP=127.0.0.1 PROTOO_LISTEN_PORT=${PORT:-4643} HTTP_LISTEN_IP=127.0.0.1 HTTP_LISTEN_PORT=${HTTP_PORT:-9088}
export MEDIASOUP_LISTEN_IP=127.0.0.1 MEDIASOUP_WEBRTC_SERVER_PORT=${MEDIA_PORT:-45644} SFU_DATA_DIR="$data" SFU_LOG_LEVEL=Warning
export MEDIASOUP_NUM_WORKERS=${MEDIASOUP_NUM_WORKERS:-1}
# One load tool opens every connection from 127.0.0.1, and one room holds them all.
export SFU_CONNECTIONS_PER_ADDRESS=0 SFU_CONFIG_DIR="$data/hocon"
server_dir=${SERVER_DIR:-$root/src/Host/bin/Release/net10.0/linux-x64/publish}
cp -r "$server_dir/hocon" "$SFU_CONFIG_DIR"
echo 'server.room.max-peers = 2000' >> "$SFU_CONFIG_DIR/server.conf"
[ -z "${PERF:-}" ] || export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet "$server_dir/SfuHost.dll" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$HTTP_LISTEN_PORT/metrics" >/dev/null && break
  sleep 0.2
done
if [ -n "${MEETINGS:-}" ]; then seconds=${2:-10}; else seconds=${3:-10}; fi
if [ -n "${PERF:-}" ]; then
  # The media worker's thread, once the load tool has connected its peers (the tool prints the line).
  (while ! grep -q connected "$data/load.log" 2>/dev/null; do sleep 0.2; done
   worker=$(grep -l '^media-worker' /proc/$server/task/*/comm | head -1 | cut -d/ -f5)
   perf record -F 999 -g -t "$worker" -o perf.data -- sleep "$seconds" 2>/dev/null) &
  recorder=$!
fi
if [ -n "${MEETINGS:-}" ]; then
  load=(meetings "${MEETINGS%x*}" "${MEETINGS#*x}" "${1:-20}" "${2:-10}" "$server")
else
  load=(broadcast "${1:-200}" "${2:-20}" "${3:-10}" "$server" "${4:-100}")
fi
dotnet "$root/bench/WebRtcLoad/bin/Release/net10.0/WebRtcLoad.dll" "https://127.0.0.1:$PROTOO_LISTEN_PORT/" "${load[@]}" | tee "$data/load.log"
[ -z "${recorder:-}" ] || wait "$recorder"
