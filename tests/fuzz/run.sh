#!/usr/bin/env bash
# Builds the parser fuzz targets with clang + libFuzzer under ASan/UBSan in build-fuzz/ and runs each one
# for SECONDS (default 60), seeded with the shared fixtures. Exit status is non-zero on the first crash;
# the reproducer is left in build-fuzz/ (crash-*) and the grown corpus in build-fuzz/fuzz-corpus/<venue>.
#   usage: tests/fuzz/run.sh [SECONDS]     (env: TRADINGD_FIXTURES_DIR, TRADINGD_FUZZ_BUILD_DIR)
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${TRADINGD_FUZZ_BUILD_DIR:-$root/build-fuzz}
fixtures=${TRADINGD_FIXTURES_DIR:-$root/../shared/fixtures}
command -v clang++ >/dev/null || { echo "clang++ not found (apt-get install clang)" >&2; exit 2; }

flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DTRADINGD_FUZZ=ON -DTRADINGD_BUILD_BENCH=OFF -DTRADINGD_FIXTURES_DIR="$fixtures" >/dev/null
cmake --build "$build" -j2 --target fuzz_binance_parse fuzz_bybit_parse fuzz_okx_parse

cd "$build"
for venue in binance bybit okx; do
  corpus=$build/fuzz-corpus/$venue
  mkdir -p "$corpus"
  seeds=()
  for kind in ws_public rest_response; do
    [ -d "$fixtures/$venue/$kind" ] && seeds+=("$fixtures/$venue/$kind")
  done
  echo "== fuzz_${venue}_parse for ${seconds}s"
  UBSAN_OPTIONS=print_stacktrace=1 "$build/bin/fuzz_${venue}_parse" -max_total_time="$seconds" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" "${seeds[@]}"
done
