#!/usr/bin/env bash
# Starts a fresh Release server (SQLite journal in a temporary folder, loopback only), runs load.mjs
# against it with the given options, prints the report and the journal's size, and stops the server.
#   bench/SignalingLoad/run.sh [load.mjs options]
#   RUNS=4 bench/SignalingLoad/run.sh      # four runs against one process
#   PERF=1 RUNS=4 bench/SignalingLoad/run.sh   # perf record -g of the last run (perf.data here; JIT frames named)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
# The server as deployed: published with ReadyToRun code (SERVER_DIR=… runs another build instead).
dotnet publish -c Release -r linux-x64 "$root/src/Host" --nologo -v q >/dev/null
data=$(mktemp -d ${BENCH_TMP:+-p $BENCH_TMP})
export PROTOO_LISTEN_IP=127.0.0.1 PROTOO_LISTEN_PORT=${PORT:-4543} HTTP_LISTEN_IP=127.0.0.1 HTTP_LISTEN_PORT=${HTTP_PORT:-8988}
export MEDIASOUP_LISTEN_IP=127.0.0.1 MEDIASOUP_WEBRTC_SERVER_PORT=${MEDIA_PORT:-45544} SFU_DATA_DIR="$data" SFU_LOG_LEVEL=Warning
# One load tool opens every connection from 127.0.0.1: no per-address limit here.
export SFU_CONNECTIONS_PER_ADDRESS=0
[ -z "${PERF:-}" ] || export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet "${SERVER_DIR:-$root/src/Host/bin/Release/net10.0/linux-x64/publish}/SfuHost.dll" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$HTTP_LISTEN_PORT/metrics" >/dev/null && break
  sleep 0.2
done
# RUNS=n runs the workload n times against the same process (the later runs: a warmed-up server).
for run in $(seq 1 "${RUNS:-1}"); do
  if [ -n "${PERF:-}" ] && [ "$run" = "${RUNS:-1}" ]; then
    perf record -F 999 -g -p "$server" -o perf.data 2>/dev/null &
    recorder=$!
  fi
  node load.mjs --url "wss://127.0.0.1:$PROTOO_LISTEN_PORT" --pid "$server" "$@"
done
[ -z "${recorder:-}" ] || { kill -INT "$recorder"; wait "$recorder" || true; }
kill $server; wait $server 2>/dev/null || true
# Event payload bytes per join: every event the workload wrote (joins, renames, ...) over the joins.
python3 - "$data/sfu.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
events, payload = db.execute("select count(*), coalesce(sum(length(message)), 0) from journal").fetchone()
joins = db.execute("select count(*) from journal where manifest like 'PeerJoined%'").fetchone()[0]
print(f"journal: {events} events, {payload} payload bytes, {joins} joins: {payload / max(joins, 1):.0f} bytes per join")
snapshots, snapshot_bytes = db.execute("select count(*), coalesce(sum(length(snapshot)), 0) from snapshot").fetchone()
print(f"snapshots kept: {snapshots}, {snapshot_bytes} bytes: {snapshot_bytes / max(joins, 1):.0f} bytes per join")
for manifest, count, size in db.execute("select manifest, count(*), sum(length(message)) from journal group by manifest order by 3 desc"):
    print(f"  {manifest}: {count} events, {size / count:.0f} bytes each")
PY
