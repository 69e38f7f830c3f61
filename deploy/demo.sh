#!/usr/bin/env bash
# The offline demo (README, first command): installs, builds, then runs the daemon end to end in paper
# mode with no internet and no keys — against the bundled exchange emulator when it is built, with its
# state in a temporary directory. Ctrl-C stops everything; DEMO_SECONDS=N stops after N seconds.
set -euo pipefail

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<'USAGE'
usage: deploy/demo.sh
Builds tradingd and runs it in paper mode offline (bundled emulator, no keys). Environment:
  DEMO_SECONDS=N   stop after N seconds (default: run until Ctrl-C)
  DEMO_CONFIG=F    config file (default: config/tradingd.example.yaml)
Exit code: 0 on a clean stop, non-zero if the build or the daemon failed.
USAGE
  exit 0
fi

cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
deploy/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

work=$(mktemp -d -t tradingd-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo: state and logs kept in $work"
}
trap cleanup EXIT INT TERM

export TRADINGD_MODE=paper
export TRADINGD_STATE_DIR="$work/state"
export TRADINGD_METRICS_LISTEN="${TRADINGD_METRICS_LISTEN:-127.0.0.1:9464}"
export TRADINGD_API_LISTEN="${TRADINGD_API_LISTEN:-127.0.0.1:8787}"
mkdir -p "$TRADINGD_STATE_DIR"

if [[ -x build/bin/venue-emulator ]]; then
  echo "demo: starting the exchange emulator"
  build/bin/venue-emulator --cert-dir "$work/certs" --urls-file "$work/urls.json" >"$work/emulator.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [[ -s "$work/urls.json" ]] && break; sleep 0.1; done
  [[ -s "$work/urls.json" ]] || { echo "demo: the emulator did not start; see $work/emulator.log" >&2; exit 1; }
  eval "$(python3 - "$work/urls.json" <<'PY'
import json, sys
urls = json.load(open(sys.argv[1]))
for venue, u in urls.items():
    if not isinstance(u, dict): continue
    for key, var in (("rest", "REST_URL"), ("ws", "WS_URL"), ("ws_private", "WS_PRIVATE_URL")):
        if u.get(key): print(f"export TRADINGD_{venue.upper()}_{var}={u[key]}")
PY
)"
  export TRADINGD_CA_FILE="$work/certs/ca.pem"
fi

echo "demo: tradingd in paper mode; metrics on http://$TRADINGD_METRICS_LISTEN/metrics (Ctrl-C to stop)"
if [[ -n "${TRADINGD_CA_FILE:-}" ]]; then
  echo "demo: watch for 'Instrument rules', 'Book valid' and 'First trade'; readiness: curl http://$TRADINGD_METRICS_LISTEN/readyz"
else
  echo "demo: no emulator built: the daemon uses the venues' public endpoints (needs internet)" >&2
fi
build/bin/tradingd run --config "${DEMO_CONFIG:-config/tradingd.example.yaml}" &
pids+=($!)
daemon=$!
if [[ -n "${DEMO_SECONDS:-}" ]]; then
  ( sleep "$DEMO_SECONDS"; kill -TERM "$daemon" 2>/dev/null ) &
fi
wait "$daemon"
