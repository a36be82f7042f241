#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK. Idempotent: quick when all is there.
set -euo pipefail

if ! command -v dotnet >/dev/null; then
  echo "the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi
