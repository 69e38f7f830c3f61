#!/usr/bin/env bash
# ccxt conformance test for venue-emulator (run by ctest). Installs the pinned ccxt with `npm ci` into a
# cache under the build directory (only when package-lock.json changed), then runs run.js, which starts the
# emulator on ephemeral ports and drives ccxt's binance, bybit and okx against it.
# usage: run.sh EMULATOR_BINARY CACHE_DIR        exit 0 pass, 1 fail, 77 skipped (no node/npm)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
emulator="${1:?usage: run.sh EMULATOR_BINARY CACHE_DIR}"
cache="${2:?usage: run.sh EMULATOR_BINARY CACHE_DIR}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: node and npm are needed for the ccxt conformance test (deploy/install-deps.sh installs them)"
  exit 77
fi
mkdir -p "$cache"
if ! cmp -s "$here/package-lock.json" "$cache/package-lock.json" || [[ ! -d "$cache/node_modules/ccxt" ]]; then
  cp "$here/package.json" "$here/package-lock.json" "$cache/"
  echo "== npm ci (ccxt pinned by package-lock.json) into $cache"
  (cd "$cache" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
export NODE_PATH="$cache/node_modules"
exec node "$here/run.js" "$emulator" "$cache/work"
