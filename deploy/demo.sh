#!/usr/bin/env bash
# The offline demo (README, first command): installs, builds, then runs the daemon end to end in paper
# mode with no internet and no keys — against the bundled exchange emulator when it is built, with its
# state in a temporary directory — trading the shipped `quoter` strategy (config/demo.yaml): its orders and
# fills appear in the log within seconds, and every 20 s (and at the end) the demo prints what an operator
# sees through the control API (tradingctl) and /metrics. Ctrl-C stops everything; DEMO_SECONDS=N stops
# after N seconds.
set -euo pipefail

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  cat <<'USAGE'
usage: deploy/demo.sh
Builds tradingd and runs it in paper mode offline (bundled emulator, no keys), trading the example
quoter strategy; prints tradingctl and /metrics views every 20 s and at the end. Environment:
  DEMO_SECONDS=N   stop after N seconds (default: run until Ctrl-C)
  DEMO_CONFIG=F    config file (default: config/demo.yaml)
  DEMO_REPORT_SECONDS=N  seconds between two operator views (default 20; 0: only at the end)
  TRADINGD_METRICS_LISTEN, TRADINGD_API_LISTEN  (defaults 127.0.0.1:9464, 127.0.0.1:8787)
  TRADINGD_API_TOKEN  the control API token (default: a fresh random one)
  DEMO_BIN_DIR=D   use the binaries in D; install and build nothing (the tests use it)
Exit code: 0 on a clean stop, non-zero if the build or the daemon failed.
USAGE
  exit 0
fi

cd "$(dirname "$0")/.."
if [[ -n "${DEMO_BIN_DIR:-}" ]]; then
  bin="$DEMO_BIN_DIR"  # prebuilt binaries (the tests): nothing installed or built
else
  export CCACHE_BASEDIR="$PWD"
  deploy/install-deps.sh
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
  bin=build/bin
fi

work=$(mktemp -d -t tradingd-demo.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo: state and logs kept in $work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export TRADINGD_MODE=paper
export TRADINGD_STATE_DIR="$work/state"
export TRADINGD_METRICS_LISTEN="${TRADINGD_METRICS_LISTEN:-127.0.0.1:9464}"
export TRADINGD_API_LISTEN="${TRADINGD_API_LISTEN:-127.0.0.1:8787}"
# The control API needs a token (tradingctl and examples/api_client.py read the same variable); never printed.
export TRADINGD_API_TOKEN="${TRADINGD_API_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}"
mkdir -p "$TRADINGD_STATE_DIR"
(umask 077 && printf '%s\n' "$TRADINGD_API_TOKEN" >"$work/api_token")  # for tradingctl from another shell

if [[ -x "$bin/venue-emulator" ]]; then
  echo "demo: starting the exchange emulator"
  "$bin/venue-emulator" --cert-dir "$work/certs" --urls-file "$work/urls.json" >"$work/emulator.log" 2>&1 &
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

config="${DEMO_CONFIG:-config/demo.yaml}"
metrics_url="http://$TRADINGD_METRICS_LISTEN/metrics"
ctl="$bin/tradingctl"

# What an operator sees: the daemon through the control API, the orders summarised, and the trading
# figures on /metrics.
report() {
  echo
  echo "==== demo: what the operator sees ($(date -u +%H:%M:%S) UTC) ===="
  echo "---- tradingctl status"
  "$ctl" --json status || return 0
  echo "---- tradingctl orders (summary; full list: tradingctl orders)"
  "$ctl" --json orders | python3 -c '
import collections, json, sys
orders = json.load(sys.stdin)["orders"]
by = collections.Counter(o["status"] for o in orders)
print(f"{len(orders)} orders: " + ", ".join(f"{n} {s}" for s, n in sorted(by.items())))
for o in orders[-4:]:
    print("  id={id} {strategy_id} {side} {type}/{time_in_force} qty={quantity} price={price} status={status} "
          "filled={filled_quantity} avg_price={avg_price} tag={tag}".format(**o))
' || true
  echo "---- tradingctl orders --open"
  "$ctl" --json orders --open || true
  echo "---- tradingctl positions"
  "$ctl" positions || true
  echo "---- $metrics_url (trading lines)"
  curl -fsS "$metrics_url" | grep -E '^tradingd_(orders_submitted_total|fills_total|open_orders|strategy_(signals|orders|fills|rejections)_total|strategy_running|equity|realized_pnl|unrealized_pnl|fees|position_quantity|round_trips)[{ ]' \
    | grep -v ' 0$' || true
  echo "===="
  echo
}

echo "demo: tradingd in paper mode, config $config; metrics on $metrics_url, control API on http://$TRADINGD_API_LISTEN (Ctrl-C to stop)"
echo "demo: from another shell: export TRADINGD_API_LISTEN=$TRADINGD_API_LISTEN TRADINGD_API_TOKEN=\$(cat $work/api_token); $bin/tradingctl status"
if [[ -n "${TRADINGD_CA_FILE:-}" ]]; then
  echo "demo: watch for 'Book valid', then 'Strategy order', 'Strategy fill' and 'Strategy summary' lines; readiness: curl http://$TRADINGD_METRICS_LISTEN/readyz"
else
  echo "demo: no emulator built: the daemon uses the venues' public endpoints (needs internet)" >&2
fi
"$bin/tradingd" run --config "$config" &
daemon=$!
pids+=("$daemon")
started=$SECONDS
last_report=$SECONDS
every="${DEMO_REPORT_SECONDS:-20}"
# Poll (a second at a time) until the daemon exits or DEMO_SECONDS pass; report periodically.
while kill -0 "$daemon" 2>/dev/null; do
  if [[ -n "${DEMO_SECONDS:-}" ]] && (( SECONDS - started >= DEMO_SECONDS )); then
    report
    echo "demo: DEMO_SECONDS=$DEMO_SECONDS reached, stopping the daemon"
    kill -TERM "$daemon" 2>/dev/null || true
    break
  fi
  if [[ -z "${client_ran:-}" ]] && (( SECONDS - started >= 12 )); then
    # The external-client example: a market signal through the API, its order polled, its fill on /v1/events.
    client_ran=1
    echo "demo: python3 examples/api_client.py demo --quantity 0.0005   (a signal through the control API)"
    python3 examples/api_client.py demo --symbol BTCUSDT --quantity 0.0005 || echo "demo: api_client.py failed" >&2
  fi
  if (( every > 0 && SECONDS - last_report >= every )); then
    report
    last_report=$SECONDS
  fi
  sleep 1
done
set +e
wait "$daemon"
rc=$?
set -e
exit "$rc"
