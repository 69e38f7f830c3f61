#!/usr/bin/env bash
# The test command (README, second command; .ci/run runs exactly this): installs the Debian packages,
# builds the release preset (warnings are errors under CI) and runs every test with ctest.
set -euo pipefail

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<'USAGE'
usage: deploy/test.sh [ctest arguments...]
Installs dependencies (deploy/install-deps.sh), configures and builds build/ with the release preset,
then runs ctest. Extra arguments go to ctest, e.g. deploy/test.sh -R Journal
With CI set and clang installed, the venue parsers are then fuzzed with libFuzzer under ASan/UBSan
(tests/fuzz/run.sh) for TRADINGD_FUZZ_SECONDS per venue (default 60; 0 skips it).
Exit code: 0 when every test passed (and fuzzing found no crash), non-zero otherwise.
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

# CI only: a bounded libFuzzer run per venue parser (a separate clang build in build-fuzz/). A crash fails
# the job; its reproducer stays in build-fuzz/crash-*.
fuzz_seconds=${TRADINGD_FUZZ_SECONDS:-60}
if [[ -n "${CI:-}" && "$fuzz_seconds" != "0" ]]; then
  if command -v clang++ >/dev/null 2>&1; then
    echo "== fuzz (${fuzz_seconds}s per venue)"
    tests/fuzz/run.sh "$fuzz_seconds"
  else
    echo "== fuzz skipped: clang++ not installed (deploy/install-deps.sh installs it when CI is set)"
  fi
fi
