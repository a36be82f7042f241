#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first, so it works on a
# fresh machine; ends with the totals on a line of their own: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"

./scripts/install-test-deps.sh || { echo "installing test dependencies failed"; echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
dotnet test Actors.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly, e.g. "Passed!  - Failed:     0, Passed:    26, Skipped: ..."
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or the test host failed before any test could
fi
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$status"
