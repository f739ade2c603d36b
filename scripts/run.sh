#!/usr/bin/env bash
# `make run`: builds Firstline and starts it in dev mode (the service runs
# inside the app, socket and state in a temporary folder; nothing is
# installed). Without a display it runs under Xvfb with a private D-Bus
# session, saves a screenshot of the main window to out/, and says where.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run
echo "Building firstline (the first build compiles Fyne and takes a few minutes)…" >&2
go build -buildvcs=auto -o bin/firstline .

# The app never runs as root (it acts for one employee). Run as root, this
# script starts it as the user who called sudo or, on a bare machine, as
# nobody with a throwaway home.
as_user=() user_home=$HOME
if [ "$(id -u)" -eq 0 ]; then
  if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    as_user=(sudo -u "$SUDO_USER" --preserve-env=DISPLAY,WAYLAND_DISPLAY,XAUTHORITY,DBUS_SESSION_BUS_ADDRESS,XDG_RUNTIME_DIR)
    user_home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
  else
    echo "Running as root: Firstline's tray app refuses root, so it runs as user nobody with a throwaway home." >&2
    user_home=$(mktemp -d /tmp/firstline-run-home.XXXXXX)
    chown 65534:65534 "$user_home"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$user_home")
  fi
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "${as_user[@]}" bin/firstline --dev --open
fi

echo "No display found: running Firstline under a virtual display (Xvfb) with a private D-Bus session." >&2
mkdir -p out
disp=99
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
# -ac: the app may run as another user than Xvfb; -nolisten tcp keeps the
# display local.
Xvfb ":$disp" -screen 0 1280x800x24 -nolisten tcp -ac >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$disp" ] && break; sleep 0.1; done

chmod -R a+rX bin
touch out/firstline.png && chmod 0666 out/firstline.png
"${as_user[@]}" env DISPLAY=":$disp" HOME="$user_home" dbus-run-session -- bash -c '
  set -euo pipefail
  LANG=en_US.UTF-8 bin/firstline --dev --open & app=$!
  trap "kill $app 2>/dev/null || true; wait $app 2>/dev/null || true" EXIT
  win=$(timeout 60 xdotool search --sync --onlyvisible --name "^Firstline$" | head -n1)
  sleep 2   # let the window finish its first layout and the service connect
  import -window "$win" out/firstline.png
  echo
  echo "Firstline ran under a virtual display. Screenshot of its main window: $PWD/out/firstline.png"
  if [ -n "${RUN_SECONDS:-}" ]; then sleep "$RUN_SECONDS"; fi
'
