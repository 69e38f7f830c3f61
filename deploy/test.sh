#!/usr/bin/env bash
# The test command (README, second command; .ci/run runs exactly this): installs the Debian packages,
# builds the release preset (warnings are errors under CI) and runs every test with ctest.
set -euo pipefail

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<'USAGE'
usage: deploy/test.sh [ctest arguments...]
Installs dependencies (deploy/install-deps.sh), configures and builds build/ with the release preset,
then runs ctest. Extra arguments go to ctest, e.g. deploy/test.sh -R Journal
Exit code: 0 when every test passed, non-zero otherwise.
USAGE
  exit 0
fi

cd "$(dirname "$0")/.."
# Relative paths in ccache's hashes: a fresh clone elsewhere (CI) reuses what earlier builds compiled.
export CCACHE_BASEDIR="$PWD"
deploy/install-deps.sh
werror=OFF
[[ -n "${CI:-}" ]] && werror=ON
echo "== configure (release, TRADINGD_WERROR=$werror)"
cmake --preset release -DTRADINGD_WERROR="$werror" >/dev/null
echo "== build"
cmake --build --preset release -j "$(nproc)"
echo "== test"
ctest --preset release "$@"
