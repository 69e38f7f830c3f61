#!/bin/sh
# Instructions per backtest run, counted by callgrind: a figure that, unlike CPU time, does not move with
# the machine's load, for comparing two builds of bench_backtest_engine on a shared or virtual machine
# (no hardware counters there). Time is still what the target is stated in: see backtest/README.md.
set -eu
usage() {
  cat <<'USAGE'
usage: bench/instructions.sh BENCH_BINARY [CASE]
  Runs one iteration of CASE (default EndToEnd_Memory; also NodeOnly_Memory, EndToEnd_Csv) of
  bench_backtest_engine under valgrind's callgrind and prints the instructions executed inside
  run_backtest(), in millions. Needs valgrind (apt-get install valgrind). About 20 s per case.
  Exit codes: 0 printed, 1 usage, 2 valgrind missing or the run failed.
USAGE
}
case "${1:-}" in -h|--help|"") usage; [ -n "${1:-}" ] && exit 0 || exit 1 ;; esac
bin=$1
filter=${2:-EndToEnd_Memory}
command -v valgrind >/dev/null || { echo "valgrind not found: apt-get install valgrind" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*run_backtest*' \
  "$bin" --benchmark_filter="$filter" --benchmark_min_time=0.000001 >/dev/null 2>&1 ||
  { echo "the benchmark failed under valgrind: run it directly to see why" >&2; exit 2; }
total=$(grep -m1 '^summary:' "$out" | awk '{print $2}')
[ -n "$total" ] || { echo "no instructions counted: is '$filter' a bench_backtest_engine case?" >&2; exit 2; }
awk -v t="$total" -v f="$filter" 'BEGIN { printf "%s: %.1f M instructions per run\n", f, t / 1e6 }'
