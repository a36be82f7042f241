#!/usr/bin/env bash
# The signaling workload of run.sh against a cluster of NODES published servers on loopback (default 3),
# sharing a fresh PostgreSQL database (scripts/start-postgres.sh); peers are spread over the nodes in turn.
# Prints load.mjs's report: CPU summed over the nodes, and the rooms each node hosts at the end.
#   NODES=3 bench/SignalingLoad/cluster.sh [load.mjs options]
#   NODES=1 bench/SignalingLoad/cluster.sh          # the same on a one-node cluster, for comparison
#   RUNS=2 NODES=3 bench/SignalingLoad/cluster.sh   # twice against the same nodes (the second: warmed up)
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
nodes=${NODES:-3}
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
bash "$root/scripts/start-postgres.sh" >/dev/null
dotnet publish -c Release -r linux-x64 "$root/src/Host" --nologo -v q >/dev/null
db="sfu_bench_$$"
export PGPASSWORD=sfu_test
psql -h 127.0.0.1 -U sfu_test -d sfu_test -qc "create database $db"
export SFU_JOURNAL_PROVIDER=postgresql SFU_JOURNAL_CONNECTION_STRING="Host=127.0.0.1;Port=5432;Username=sfu_test;Password=sfu_test;Database=$db"
export SFU_CLUSTER=on SFU_CLUSTER_HOST=127.0.0.1 SFU_CLUSTER_SEEDS=127.0.0.1:4600 SFU_LOG_LEVEL=Warning SFU_CONNECTIONS_PER_ADDRESS=0
export PROTOO_LISTEN_IP=127.0.0.1 HTTP_LISTEN_IP=127.0.0.1 MEDIASOUP_LISTEN_IP=127.0.0.1
data=$(mktemp -d)
pids=() urls=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U sfu_test -d sfu_test -qc "drop database if exists $db with (force)" || true
  rm -rf "$data"
}
trap cleanup EXIT
for i in $(seq 0 $((nodes - 1))); do
  SFU_CLUSTER_PORT=$((4600 + i)) PROTOO_LISTEN_PORT=$((4543 + i)) HTTP_LISTEN_PORT=$((8988 + i)) \
    MEDIASOUP_WEBRTC_SERVER_PORT=$((45544 + 10 * i)) SFU_DATA_DIR="$data/node$i" \
    dotnet "$root/src/Host/bin/Release/net10.0/linux-x64/publish/SfuHost.dll" > "$data/node$i.log" 2>&1 &
  pids+=($!)
  urls+=("wss://127.0.0.1:$((4543 + i))")
  # One at a time: the first is the seed the others join.
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$((8988 + i))/health/ready" >/dev/null && break; sleep 0.2; done
done
ready() { curl -sf "http://127.0.0.1:8988/cluster" | python3 -c "import json,sys; m=json.load(sys.stdin)['members']; print(sum(1 for x in m if x['status']=='Up' and x.get('rooms') is not None))"; }
for _ in $(seq 1 150); do [ "$(ready)" = "$nodes" ] && break; sleep 0.2; done
# RUNS=n: the workload n times against the same nodes (the later runs: warmed up).
for run in $(seq 1 "${RUNS:-1}"); do
  node load.mjs --url "$(IFS=,; echo "${urls[*]}")" --pid "$(IFS=,; echo "${pids[*]}")" --cluster http://127.0.0.1:8988/cluster "$@"
done
