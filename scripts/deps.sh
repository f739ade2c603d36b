#!/usr/bin/env bash
# Installs what building, running and testing Firstline needs on Debian or
# Ubuntu, skipping what is already there. Idempotent; safe to run every time.
#   scripts/deps.sh build   # compiler and the C headers Fyne's OpenGL driver needs
#   scripts/deps.sh run     # build + a virtual display, D-Bus and screenshots
#   scripts/deps.sh test    # run + what the end-to-end tests drive
#   scripts/deps.sh bench   # test + the peer tools the benchmarks compare with
set -euo pipefail

want=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
      libxinerama-dev libxi-dev libxxf86vm-dev)
case "${1:-build}" in
  build) ;;
  run)  want+=(xvfb xauth dbus dbus-daemon x11-utils xdotool imagemagick) ;;
  test) want+=(xvfb xauth dbus dbus-daemon x11-utils xdotool imagemagick util-linux
              gcc-mingw-w64-x86-64 iproute2 procps minisign cups-daemon cups-client) ;;
  bench) want+=(xvfb xauth dbus dbus-daemon x11-utils xdotool imagemagick util-linux
               gcc-mingw-w64-x86-64 iproute2 procps minisign cups-daemon cups-client neofetch inxi) ;;
  *) echo "usage: $0 build|run|test|bench" >&2; exit 64 ;;
esac

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    echo "deps: Go is installed at /usr/local/go but not on PATH: export PATH=\$PATH:/usr/local/go/bin" >&2
  else
    echo "deps: Go is missing. Install Go 1.26 or newer (https://go.dev/doc/install), then run this again." >&2
  fi
  exit 1
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
