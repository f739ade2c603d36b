#!/usr/bin/env bash
# End-to-end test of the tray app against a real D-Bus tray host
# (test/sniwatch plays the desktop's StatusNotifierWatcher) under Xvfb:
# the icon registers, the menu has the right items, clicking opens the
# window, a second launch hands over to the first, the app shows the
# service going away and coming back by event, and root is refused.
# Prints PASS/FAIL per check and "N passed, M failed" last.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

work=$(mktemp -d /tmp/firstline-tray-e2e.XXXXXX)
chmod 0755 "$work"
cleanup() {
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building firstline, firstline-service and sniwatch…" >&2
go build -o "$work/bin/firstline" .
CGO_ENABLED=0 go build -o "$work/bin/firstline-service" ./service/cmd/firstline-service
go build -o "$work/bin/sniwatch" ./test/sniwatch
chmod -R a+rX "$work/bin"

passed=0 failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# The app refuses root; everything else runs as an ordinary user.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if out=$(timeout 20 "$work/bin/firstline" 2>&1); then
    fail "firstline started as root"
  elif grep -q "must not run as root" <<<"$out"; then
    pass "firstline refuses to run as root"
  else
    fail "firstline as root failed without saying why: $out"
  fi
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  user_home="$work/home"
  mkdir -p "$user_home" && chown 65534:65534 "$user_home"
else
  user_home="$work/home"
  mkdir -p "$user_home"
fi

# A config the service trusts (owned by root or by us, not writable by others).
mkdir -p "$work/etc"
printf '[service]\nstate_dir = "%s/home/state"\n[support]\norganization = "E2E IT"\n' "$work" > "$work/etc/firstline.toml"
chmod 0644 "$work/etc/firstline.toml"

disp=99
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1280x800x24 -nolisten tcp -ac >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$disp" ] && break; sleep 0.1; done

export E2E_WORK="$work" DISPLAY=":$disp"
set +e
"${as_user[@]}" env -i PATH="$PATH" HOME="$user_home" DISPLAY=":$disp" E2E_WORK="$work" \
  dbus-run-session -- bash "$root/scripts/tray-e2e-session.sh" > "$work/session.out" 2>"$work/session.err"
rc=$?
set -e
cat "$work/session.out"
p=$(grep -c '^PASS:' "$work/session.out" || true)
f=$(grep -c '^FAIL:' "$work/session.out" || true)
passed=$((passed + p)); failed=$((failed + f))
if [ $rc -ne 0 ] || [ "$f" -gt 0 ]; then
  echo "--- session stderr (tail)"; tail -40 "$work/session.err"
  [ "$f" -gt 0 ] || failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
