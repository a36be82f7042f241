#!/usr/bin/env bash
# Long fuzz runs: each target of fuzz/ (what clients can send: STUN, RTP, RTCP, SRTP, SRTCP, SCTP,
# DCEP, protoo JSON, RTP parameters JSON) under AFL++, instrumented by SharpFuzz.
#   scripts/fuzz.sh                      # 600 s per target, every target
#   scripts/fuzz.sh 120 rtcp sctp        # 120 s each, these targets
# Findings (crashing and hanging inputs) stay in $FUZZ_WORK (default /tmp/sfu-fuzz)/findings/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(stun rtp rtcp srtp srtcp sctp dcep protoo rtp-parameters http-bodies dtls-record)

command -v afl-fuzz >/dev/null || { apt-get update -qq && apt-get install -y -qq afl++ >/dev/null; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

out=$(pwd)/fuzz/bin/Release/net10.0
dotnet build -c Release fuzz --nologo -v q >/dev/null
# Instrument our parsers' assemblies (a fresh build replaces them, so this always runs on clean ones).
for assembly in MediaEngine.dll Signaling.dll Actors.dll; do
  sharpfuzz "$out/$assembly" >/dev/null
done

work=${FUZZ_WORK:-/tmp/sfu-fuzz}
rm -rf "$work"
dotnet "$out/Fuzz.dll" --write-corpus "$work/corpus"
mkdir -p "$work/findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
for target in "${targets[@]}"; do
  afl-fuzz -V "$seconds" -t 5000 -m none -i "$work/corpus/$target" -o "$work/findings/$target" \
    -- dotnet "$out/Fuzz.dll" "$target" > "$work/$target.log" 2>&1 || true
  stats="$work/findings/$target/default/fuzzer_stats"
  executions=$(awk '/^execs_done/ {print $3}' "$stats" 2>/dev/null || echo "?")
  paths=$(awk '/^corpus_count/ {print $3}' "$stats" 2>/dev/null || echo "?")
  crashes=$( (find "$work/findings/$target/default/crashes" -type f -name 'id:*' 2>/dev/null || true) | wc -l)
  hangs=$( (find "$work/findings/$target/default/hangs" -type f -name 'id:*' 2>/dev/null || true) | wc -l)
  echo "$target: ${seconds} s, $executions executions, $paths inputs in the corpus, $crashes crashes, $hangs hangs"
done
