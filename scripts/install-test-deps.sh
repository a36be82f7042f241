#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK: Debian's Chromium and firefox-esr for
# the browser tests, ffmpeg for the broadcaster and werift tests, the web client's and the werift peer's npm packages. Idempotent: quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then
  echo "the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x /usr/bin/firefox-esr ]; then
  echo "installing Debian's firefox-esr for the cross-browser test"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
fi

if ! command -v ffmpeg >/dev/null || ! command -v curl >/dev/null; then
  echo "installing Debian's ffmpeg and curl for the broadcaster test (scripts/ffmpeg-broadcaster.sh)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg curl >/dev/null
fi

if ! command -v npm >/dev/null; then
  echo "installing Node.js and npm for the web client build"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

if [ ! -d webclient/node_modules ]; then
  (cd webclient && npm ci --no-audit --no-fund)
fi

# The non-browser peer of the interop test: mediasoup-client over werift, in node.
if [ ! -d tests/interop/werift-peer/node_modules ]; then
  (cd tests/interop/werift-peer && npm ci --no-audit --no-fund)
fi

# The PostgreSQL journal tests need a running server; they fail (not skip) without one.
./scripts/start-postgres.sh
