#!/usr/bin/env bash
# kill -9 of a room's node in a three-node cluster on loopback (PostgreSQL journal from scripts/start-postgres.sh):
# runs the two cluster kill tests N times and prints, for each run and counted from the kill: for protoo
# clients, when their sessions on the surviving nodes closed and when both were back in the room; for two
# Chromium pages (the built-in web client), when each was disconnected, joined again and got media again.
#   bench/ClusterFailover/run.sh [N]      # default 5
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
bash scripts/start-postgres.sh >/dev/null
dotnet build tests/Host.Tests -c Release --nologo -v q >/dev/null
for run in $(seq 1 "$runs"); do
  dotnet test tests/Host.Tests -c Release --no-build \
    --filter "FullyQualifiedName~ClusterTests.After_kill_9|FullyQualifiedName~ClusterBrowserTests" \
    --logger "console;verbosity=detailed" 2>&1 | grep -E "^ *cluster kill|\[FAIL\]" | sort -u | sed "s/^ */run $run: /"
done
