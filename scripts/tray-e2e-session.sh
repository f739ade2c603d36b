#!/usr/bin/env bash
# The part of tray-e2e.sh that runs inside the private D-Bus session, as an
# ordinary user. Prints PASS:/FAIL: lines.
set -uo pipefail
work=$E2E_WORK
bin=$work/bin
export LANG=en_US.UTF-8
export XDG_CONFIG_HOME=$HOME/config XDG_CACHE_HOME=$HOME/cache XDG_RUNTIME_DIR=$HOME/run
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" && chmod 0700 "$XDG_RUNTIME_DIR"
sock=$HOME/svc/local.sock

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@" >>"$HOME/checks.log" 2>&1; then pass "$what"; else fail "$what"; fi; }
window_visible() { timeout "${1:-10}" xdotool search --sync --onlyvisible --name '^Firstline$' >/dev/null; }
stop_app() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

menu=(--expect "Get help…" --expect "Fixes" --expect "My reports" --expect "Open Firstline" --expect "Quit")

# sniwatch_first starts sniwatch with the given flags before the app, so the
# app finds a tray host; it waits until sniwatch owns the watcher name.
sniwatch_first() {
  "$bin/sniwatch" "$@" >"$HOME/sniwatch.out" 2>&1 & sw=$!
  for _ in $(seq 50); do grep -q '"watching"' "$HOME/sniwatch.out" && return 0; sleep 0.1; done
  return 1
}

# 0. No tray host at all (GNOME without AppIndicator): the window opens by itself.
"$bin/firstline" --dev >"$HOME/app0.log" 2>&1 & app=$!
check "without a tray host the main window opens by itself" window_visible 20
stop_app "$app"

# 1. Dev mode (the service runs inside the app), with a tray host.
# Dev mode signs two sample notices, so the menu counts them.
sniwatch_first --timeout 30s --expect-icon "${menu[@]}" --expect "Notices (2)" --expect "Connected to Firstline service" --click "Open Firstline"
"$bin/firstline" --dev >"$HOME/app1.log" 2>&1 & app=$!
check "tray icon registers with a real pixmap, the menu has every item (Notices (2) from dev mode's signed samples), and 'Open Firstline' is clicked" wait "$sw"
check "with a tray host the app did not force its window open, and the click opened it" \
  bash -c "! grep -q 'opening the window instead' '$HOME/app1.log' && $(declare -f window_visible); window_visible 15"

# 2. A second launch hands over to the first and exits.
if timeout 15 "$bin/firstline" --dev >"$HOME/app2.log" 2>&1; then
  pass "a second launch exits 0 and leaves the first running"
else
  fail "a second launch did not hand over (exit $?): $(cat "$HOME/app2.log")"
fi
kill -0 "$app" 2>/dev/null && pass "the first instance still runs" || fail "the first instance died"
stop_app "$app"

# 3. No service: the app says so, then follows the service coming up.
"$bin/firstline" --socket "$sock" >"$HOME/app3.log" 2>&1 & app=$!
check "without a service the tray says 'Firstline service is not running'" \
  "$bin/sniwatch" --timeout 30s "${menu[@]}" --expect "Notices" --expect "Firstline service is not running"
"$bin/firstline-service" run --config "$work/etc/firstline.toml" --socket "$sock" >"$HOME/svc.log" 2>&1 & svc=$!
check "the tray updates by event when the service starts" \
  "$bin/sniwatch" --timeout 20s --wait-change 20s --until "Connected to Firstline service"
kill "$svc"; wait "$svc" 2>/dev/null
check "the tray updates by event when the service stops" \
  "$bin/sniwatch" --timeout 20s --wait-change 20s --until "Firstline service is not running"
stop_app "$app"
exit 0
