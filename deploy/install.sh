#!/usr/bin/env bash
# Installs tradingd as a systemd service: the binary, the unit, /etc/tradingd/{config.yaml,tradingd.env} (never
# overwriting an operator's files), the credentials directory, and the Prometheus/Grafana files for reference.
# Idempotent. It never starts or enables the service: that is the operator's decision (real money).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: deploy/install.sh [--prefix DIR] [--destdir DIR] [--build-dir DIR] [--no-reload]

Installs a built tradingd (cmake --build --preset release) as a systemd service.

  --prefix DIR     where the binary goes: DIR/bin/tradingd (default /usr/local)
  --destdir DIR    stage everything under DIR instead of / (packaging, tests); implies --no-reload
  --build-dir DIR  the build tree holding bin/tradingd (default: build/ next to this script's repository)
  --no-reload      do not run `systemctl daemon-reload`

Installs:
  PREFIX/bin/tradingd, PREFIX/bin/tradingctl
  /etc/systemd/system/tradingd.service
  /etc/tradingd/config.yaml        from config/tradingd.example.yaml, if absent (0644)
  /etc/tradingd/tradingd.env       from deploy/tradingd.env.example, if absent (0600)
  /etc/tradingd/credentials/       API keys, one file per secret (0700, root only)
  PREFIX/share/tradingd/           prometheus/ and grafana/ files to copy into your monitoring

Then: edit /etc/tradingd/config.yaml and tradingd.env, and `systemctl enable --now tradingd`.
USAGE
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/usr/local
destdir=""
build_dir="$repo/build"
reload=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --destdir) destdir=${2:?--destdir needs a directory}; reload=0; shift 2 ;;
    --destdir=*) destdir=${1#*=}; reload=0; shift ;;
    --build-dir) build_dir=${2:?--build-dir needs a directory}; shift 2 ;;
    --build-dir=*) build_dir=${1#*=}; shift ;;
    --no-reload) reload=0; shift ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

binary="$build_dir/bin/tradingd"
if [[ ! -x "$binary" ]]; then
  echo "install.sh: $binary not found; build first: cmake --preset release && cmake --build --preset release" >&2
  exit 1
fi
if [[ -z "$destdir" && $(id -u) -ne 0 ]]; then
  echo "install.sh: installing into / needs root (run with sudo), or stage with --destdir DIR" >&2
  exit 1
fi

etc="$destdir/etc/tradingd"
install -d -m 0755 "$destdir$prefix/bin" "$destdir/etc/systemd/system" "$etc" "$destdir$prefix/share/tradingd"
install -m 0755 "$binary" "$destdir$prefix/bin/tradingd"
install -m 0755 "$repo/tools/tradingctl" "$destdir$prefix/bin/tradingctl"  # the control API's client
sed "s|/usr/local/bin/tradingd|$prefix/bin/tradingd|g" "$repo/deploy/tradingd.service" >"$destdir/etc/systemd/system/tradingd.service.tmp"
chmod 0644 "$destdir/etc/systemd/system/tradingd.service.tmp"
mv "$destdir/etc/systemd/system/tradingd.service.tmp" "$destdir/etc/systemd/system/tradingd.service"

if [[ ! -e "$etc/config.yaml" ]]; then
  install -m 0644 "$repo/config/tradingd.example.yaml" "$etc/config.yaml"
  echo "install.sh: wrote $etc/config.yaml (paper mode); review it"
else
  echo "install.sh: kept existing $etc/config.yaml"
fi
if [[ ! -e "$etc/tradingd.env" ]]; then
  install -m 0600 "$repo/deploy/tradingd.env.example" "$etc/tradingd.env"
  echo "install.sh: wrote $etc/tradingd.env"
else
  echo "install.sh: kept existing $etc/tradingd.env"
fi
install -d -m 0700 "$etc/credentials"
cp -R "$repo/deploy/prometheus" "$repo/deploy/grafana" "$destdir$prefix/share/tradingd/"

# The installed config must load as the daemon will load it (environment overrides aside).
if ! "$destdir$prefix/bin/tradingd" validate-config "$etc/config.yaml" >/dev/null; then
  echo "install.sh: $etc/config.yaml does not validate (errors above); fix it before starting the service" >&2
  exit 2
fi

if [[ $reload -eq 1 ]] && command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
fi
echo "install.sh: installed tradingd $("$destdir$prefix/bin/tradingd" --version | cut -d' ' -f2) into ${destdir:-/}"
echo "next: edit $etc/config.yaml and $etc/tradingd.env, then: systemctl enable --now tradingd"
