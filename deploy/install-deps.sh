#!/usr/bin/env bash
# Installs every system dependency of tradingd from Debian 12 packages. Idempotent: packages already
# present are skipped by apt; safe to run on every CI job and every fresh machine.
# Never install libboost-dev/libboost-all-dev: those are Boost 1.74 and conflict with 1.81.
set -euo pipefail

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  echo "usage: deploy/install-deps.sh [--no-promtool]"
  echo "Installs the Debian 12 packages tradingd builds and tests with (needs root or sudo)."
  echo "With CI set (or TRADINGD_FUZZ=1) also clang and libFuzzer's runtime, for tests/fuzz/run.sh."
  exit 0
fi

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates openssl
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev zlib1g-dev libsimdjson-dev libspdlog-dev libfmt-dev
  prometheus-cpp-dev libcivetweb-dev libyaml-cpp-dev libsqlite3-dev libsystemd-dev systemd
  libgtest-dev googletest libgmock-dev libbenchmark-dev python3 curl
  chromium fonts-liberation  # the backtest report's rendering test (headless); it skips without them
)
[[ "${1:-}" == "--no-promtool" ]] || packages+=(prometheus)
# The parser fuzzing step of CI (deploy/test.sh): clang with libFuzzer and the ASan/UBSan runtimes.
if [[ -n "${CI:-}" || "${TRADINGD_FUZZ:-}" == "1" ]]; then packages+=(clang libclang-rt-14-dev); fi
# Node.js and npm run the emulator's ccxt conformance test. Only when missing: a NodeSource nodejs already
# bundles npm and conflicts with Debian's npm package.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
