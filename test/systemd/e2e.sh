#!/usr/bin/env bash
# e2e.sh — end-to-end test of firstline-service's lifecycle under a REAL
# systemd (PID 1 of a throwaway systemd-nspawn container running Debian
# bookworm): install, enable, start, status (root and unprivileged),
# LocalAPI socket, system fixes run for an unprivileged user (list, dry
# run, a real free-disk-space, refusals, IT's fixes.d, audit, Nagios checks:
# e2e-fixes.sh), crash (SIGKILL) and automatic restart, stop, start,
# restart, uninstall, and refusing to install with a broken configuration.
#
#   sudo bash test/systemd/e2e.sh
#
# Prints "PASS: ..." / "FAIL: ..." per check and, last, "N passed, M failed";
# exits 1 when anything failed. Skips (prints "SKIP: <reason>" and
# "0 passed, 0 failed", exit 0) when not root or when systemd-nspawn cannot
# run on this host. See README.md in this directory.
#
# Environment (all optional):
#   FIRSTLINE_NSPAWN_CACHE   rootfs cache dir (/var/tmp/firstline-nspawn-cache)
#   FIRSTLINE_E2E_KEEP_BIN=1 keep the built binary's temp dir (path printed)
#   NSPAWN_* / DEBIAN_MIRROR passed on to nspawn-up.sh (NSPAWN_COPY=overlay, ...)
# shellcheck disable=SC2317  # teardown, stop_bg and on_signal run from traps
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE_DIR=${FIRSTLINE_NSPAWN_CACHE:-/var/tmp/firstline-nspawn-cache}
BIN_IN=/usr/local/bin/firstline-service # where the binary goes inside
UNIT=firstline
UNIT_FILE=/etc/systemd/system/firstline.service
SOCK=/run/firstline/local.sock
CONF=/etc/firstline/firstline.toml
RESTART_LIMIT_MS=15000

now_ms() { date +%s%3N; }
T_START=$(now_ms)
secs_since() { # secs_since START_MS -> "12.3"
  local d=$(($(now_ms) - $1))
  printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100))
}
log() { printf '[e2e] %s\n' "$*" >&2; }

passed=0
failed=0
summary_done=0
summary() {
  [ "$summary_done" = 1 ] && return 0
  summary_done=1
  echo "$passed passed, $failed failed"
}
skip() {
  echo "SKIP: $*"
  summary
  exit 0
}

# ------------------------------------------------------------- preflight
[ "$(uname -s)" = Linux ] || skip "systemd-nspawn needs Linux (this is $(uname -s))"
[ "$(id -u)" -eq 0 ] || skip "must run as root (systemd-nspawn, debootstrap); try: sudo bash $0"
command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) not found"
# systemd-nspawn needs to create PID/mount/UTS/IPC namespaces: fails in
# unprivileged containers (no CAP_SYS_ADMIN) and under seccomp profiles
# that forbid it.
if ! timeout 10 unshare --pid --mount --uts --ipc --fork true >/dev/null 2>&1; then
  skip "cannot create namespaces here (unprivileged container?), so systemd-nspawn cannot run"
fi
if [ -z "$(ls -A /sys/fs/cgroup 2>/dev/null)" ]; then
  skip "no cgroup file system at /sys/fs/cgroup, so systemd cannot run in a container"
fi
if ! command -v systemd-nspawn >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  { command -v apt-get >/dev/null 2>&1 && [ "${NSPAWN_NO_APT:-0}" != 1 ]; } ||
    skip "systemd-nspawn/debootstrap are missing and cannot be apt-get installed here"
fi
if [ ! -f "$CACHE_DIR/${NSPAWN_SUITE:-bookworm}-minbase-$(printf %s "${NSPAWN_INCLUDE:-systemd,dbus}" | tr , +).complete" ] &&
  [ -z "${DEBIAN_MIRROR:-}" ] &&
  ! grep -rqsE "(^|[[:space:]])${NSPAWN_SUITE:-bookworm}([[:space:]]|\$)" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  skip "no rootfs cache and no Debian ${NSPAWN_SUITE:-bookworm} apt source to debootstrap from (set DEBIAN_MIRROR)"
fi
if ! grep -qs '^module github.com/firstline-it/firstline$' "$REPO/go.mod"; then
  echo "FAIL: repository root not found at $REPO (expected go.mod of github.com/firstline-it/firstline)"
  failed=1
  summary
  exit 1
fi

# ---------------------------------------------------------- cleanup trap
WORK=""        # temp dir: the binary, nspawn-up.sh's output, the throwaway root
BG_PID=""      # a long step (go build, nspawn-up.sh) running in the background
NSPAWN_ROOT=""
NSPAWN_PID=""
AGED_LOOP=""   # loop device of the aged-files image (fixes section)
stop_bg() { # stop the background step, if any, and wait (bounded) for it
  [ -n "$BG_PID" ] || return 0
  if kill -0 "$BG_PID" 2>/dev/null; then
    kill -TERM "$BG_PID" 2>/dev/null || true
    local end=$((SECONDS + 60))
    while kill -0 "$BG_PID" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.2; done
    kill -KILL "$BG_PID" 2>/dev/null || true
  fi
  wait "$BG_PID" 2>/dev/null || true
  BG_PID=""
}
teardown() {
  local rc=$? d
  trap - EXIT INT TERM
  stop_bg
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    # nspawn-up.sh cleans up after itself when it fails or is stopped; a
    # container it did hand over is either in NSPAWN_ROOT or, when a signal
    # came before its output was read, one of these.
    for d in "$WORK"/nspawn.*; do
      if [ -f "$d/.nspawn-throwaway" ] && [ "$d/rootfs" != "$NSPAWN_ROOT" ]; then
        timeout -k 5 60 "$HERE/nspawn-down.sh" "$d/rootfs" || true
      fi
    done
  fi
  if [ -n "$NSPAWN_ROOT" ]; then
    local t0
    t0=$(now_ms)
    if timeout -k 5 60 "$HERE/nspawn-down.sh" "$NSPAWN_ROOT"; then
      log "container removed in $(secs_since "$t0") s"
    else
      echo "FAIL: tearing down the container ($NSPAWN_ROOT)"
      failed=$((failed + 1))
    fi
  fi
  # The aged-files image is mounted only inside the container, whose mount
  # namespace is gone now: the loop device is free to detach.
  if [ -n "$AGED_LOOP" ]; then
    losetup -d "$AGED_LOOP" 2>/dev/null || true
  fi
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${FIRSTLINE_E2E_KEEP_BIN:-0}" = 1 ]; then
      log "kept $WORK"
    else
      rm -rf --one-file-system "$WORK" || { echo "FAIL: removing $WORK"; failed=$((failed + 1)); }
    fi
  fi
  echo "TIME: total $(secs_since "$T_START") s"
  summary
  if [ "$failed" -gt 0 ] && [ "$rc" -eq 0 ]; then rc=1; fi
  exit "$rc"
}
on_signal() { # on_signal NAME EXIT_CODE
  echo "FAIL: interrupted by SIG$1"
  failed=$((failed + 1))
  exit "$2"
}
trap teardown EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

# --------------------------------------------------------------- helpers
# cx CMD... : run CMD inside the container (bounded by CX_TIMEOUT, default
# 60 s), stdin from /dev/null. Sets OUT (stdout and stderr) and RC; never
# fails itself.
cx() {
  RC=0
  OUT=$(timeout -k 5 "${CX_TIMEOUT:-60}" "$HERE/nspawn-exec.sh" "$NSPAWN_PID" "$@" </dev/null 2>&1) || RC=$?
}
# cx_out CMD... : stdout only, trimmed (for systemctl show / is-active).
cx_out() {
  RC=0
  OUT=$(timeout -k 5 "${CX_TIMEOUT:-60}" "$HERE/nspawn-exec.sh" "$NSPAWN_PID" "$@" </dev/null 2>/dev/null) || RC=$?
}
indent() { sed 's/^/    | /'; }

diag_done=0
diagnose() { # once, at the first failure, while the container is up
  [ "$diag_done" = 0 ] || return 0
  diag_done=1
  [ -n "$NSPAWN_PID" ] || return 0
  echo "---- diagnostics (first failure) ----"
  echo "# systemctl status firstline"
  timeout -k 5 30 "$HERE/nspawn-exec.sh" "$NSPAWN_PID" systemctl status firstline --no-pager -l </dev/null 2>&1 | indent || true
  echo "# journalctl -u firstline --no-pager | tail -50"
  timeout -k 5 30 "$HERE/nspawn-exec.sh" "$NSPAWN_PID" sh -c 'journalctl -u firstline --no-pager | tail -50' </dev/null 2>&1 | indent || true
  echo "---- end of diagnostics ----"
}
pass() {
  passed=$((passed + 1))
  echo "PASS: $1"
}
# fail MESSAGE [DETAIL]: DETAIL (command output) is printed indented.
fail() {
  failed=$((failed + 1))
  echo "FAIL: $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | indent; fi
  diagnose
}
# fatal MESSAGE [DETAIL]: a failure after which nothing else can be tested.
fatal() {
  fail "$@"
  exit 1
}
# expect_rc WANT DESCRIPTION CMD... : runs CMD inside, checks its exit code.
expect_rc() {
  local want=$1 what=$2
  shift 2
  cx "$@"
  if [ "$RC" = "$want" ]; then
    pass "$what (exit $RC)"
  else
    fail "$what: exit $RC, want $want [$*]" "$OUT"
  fi
}
has() { grep -qF -- "$2" <<<"$1"; }  # has TEXT NEEDLE
show() { # show PROP: systemctl show -p PROP --value firstline -> OUT
  cx_out systemctl show -p "$1" --value "$UNIT"
}
is_active() {
  cx_out systemctl is-active "$UNIT"
  printf '%s' "$OUT"
}
# wait_answering LIMIT_MS: polls `firstline-service status` until it exits 0
# and says "LocalAPI: answering". Returns 1 when LIMIT_MS passed.
wait_answering() {
  local end=$(($(now_ms) + $1))
  while :; do
    CX_TIMEOUT=10 cx "$BIN_IN" status
    if [ "$RC" = 0 ] && has "$OUT" "LocalAPI: answering"; then return 0; fi
    [ "$(now_ms)" -lt "$end" ] || return 1
    sleep 0.1
  done
}

echo "firstline-service e2e under systemd-nspawn (repo $REPO, cache $CACHE_DIR)"

# ----------------------------------------------------------------- build
WORK=$(mktemp -d "${TMPDIR:-/tmp}/firstline-e2e.XXXXXX")
chmod 0755 "$WORK"
BIN="$WORK/firstline-service"
t0=$(now_ms)
command -v go >/dev/null 2>&1 || fatal "go not found in PATH (needed to build firstline-service)"
# Long steps run in the background with `wait`, so that a signal is handled
# at once (bash runs traps only between foreground commands).
(cd "$REPO" && CGO_ENABLED=0 exec timeout -k 10 900 go build -trimpath -o "$BIN" ./service/cmd/firstline-service) \
  </dev/null >"$WORK/build.log" 2>&1 &
BG_PID=$!
rc=0
wait "$BG_PID" || rc=$?
BG_PID=""
[ "$rc" = 0 ] || fatal "go build ./service/cmd/firstline-service (exit $rc)" "$(cat "$WORK/build.log")"
T_BUILD=$(secs_since "$t0")
pass "built firstline-service with CGO_ENABLED=0 ($(($(stat -c %s "$BIN") / 1024)) KiB, ${T_BUILD} s)"

# ------------------------------------------------------------------ boot
cold=warm
if [ ! -f "$CACHE_DIR/bookworm-minbase-systemd+dbus.complete" ] && [ -z "${NSPAWN_SUITE:-}${NSPAWN_INCLUDE:-}" ]; then
  cold="cold: rootfs cache built"
fi
t0=$(now_ms)
# The throwaway root goes under $WORK, so the trap finds it in any case.
NSPAWN_TMPDIR=$WORK timeout -k 30 2400 "$HERE/nspawn-up.sh" "$CACHE_DIR" </dev/null >"$WORK/up.out" &
BG_PID=$!
rc=0
wait "$BG_PID" || rc=$?
BG_PID=""
eval "$(grep -E '^NSPAWN_(DIR|ROOT|PID|LAUNCHER_PID)=' "$WORK/up.out" || true)"
if [ "$rc" != 0 ] || [ -z "$NSPAWN_ROOT" ] || [ -z "$NSPAWN_PID" ]; then
  fatal "container did not boot: nspawn-up.sh exit $rc (its messages are above)"
fi
T_BOOT=$(secs_since "$t0")
pass "container booted: systemd is PID 1 inside ($T_BOOT s, $cold)"
echo "TIME: container up $T_BOOT s ($cold)"

install -D -m 0755 "$BIN" "$NSPAWN_ROOT$BIN_IN"
cx "$BIN_IN" version
if [ "$RC" = 0 ] && has "$OUT" "firstline-service"; then
  pass "binary copied to $BIN_IN and runs inside: $OUT"
else
  fatal "binary does not run inside the container (exit $RC)" "$OUT"
fi
cx_out systemctl --version
log "container: $(head -1 <<<"$OUT")"

# ------------------------------------------------------------ not installed
expect_rc 4 "status before install: not installed" "$BIN_IN" status

# ----------------------------------------------------------------- install
cx "$BIN_IN" install
if [ "$RC" = 0 ]; then pass "install (exit 0)"; else fail "install: exit $RC, want 0" "$OUT"; fi

if [ -f "$NSPAWN_ROOT$UNIT_FILE" ]; then
  pass "unit file $UNIT_FILE exists"
  unit=$(cat "$NSPAWN_ROOT$UNIT_FILE")
  for line in Restart=always RestartSec=2 After=network-online.target; do
    if grep -qx -- "$line" <<<"$unit"; then pass "unit has $line"; else fail "unit lacks the line $line" "$unit"; fi
  done
  cx systemd-analyze verify "$UNIT_FILE"
  if [ "$RC" = 0 ]; then pass "systemd-analyze verify accepts the unit"; else fail "systemd-analyze verify: exit $RC" "$OUT"; fi
else
  fail "unit file $UNIT_FILE missing after install"
fi

cx_out systemctl is-enabled "$UNIT"
if [ "$OUT" = enabled ]; then pass "systemctl is-enabled: enabled"; else fail "systemctl is-enabled: '$OUT', want enabled"; fi

cx "$BIN_IN" install
if [ "$RC" != 0 ] && has "$OUT" "already installed"; then
  pass "second install refused (exit $RC): $(head -1 <<<"$OUT")"
else
  fail "second install: exit $RC, want non-zero with 'already installed'" "$OUT"
fi

# ------------------------------------------------------------------- start
t0=$(now_ms)
cx "$BIN_IN" start
if [ "$RC" = 0 ] && has "$OUT" "LocalAPI answering"; then
  pass "start: exit 0, LocalAPI answering after $(secs_since "$t0") s"
else
  fail "start: exit $RC, want 0 and 'LocalAPI answering'" "$OUT"
fi

st=$(is_active)
if [ "$st" = active ]; then pass "systemctl is-active: active"; else fail "systemctl is-active: '$st', want active"; fi

cx "$BIN_IN" status
if [ "$RC" = 0 ] && has "$OUT" "running" && has "$OUT" "LocalAPI: answering"; then
  pass "status: exit 0, running, LocalAPI answering"
else
  fail "status: exit $RC, want 0 with 'running' and 'LocalAPI: answering'" "$OUT"
fi

cx_out stat -c '%a %U:%G %F' /run/firstline
if [ "$OUT" = "755 root:root directory" ]; then pass "/run/firstline: $OUT"; else fail "/run/firstline: '$OUT', want '755 root:root directory'"; fi
cx_out stat -c '%F %a' "$SOCK"
if [ "$OUT" = "socket 666" ]; then pass "$SOCK: $OUT"; else fail "$SOCK: '$OUT', want 'socket 666'"; fi

# --------------------------------------------------------- as an unprivileged user
# setpriv and runuser are both in util-linux (Essential: in every image).
cx sh -c 'command -v setpriv || command -v runuser'
case "$OUT" in
  */setpriv) as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups) ;;
  */runuser) as_nobody=(runuser -u nobody --) ;;
  *) as_nobody=(false) ;;
esac
cx "${as_nobody[@]}" id -u
if [ "$OUT" = 65534 ]; then pass "running as nobody with: ${as_nobody[*]}"; else fail "could not become nobody with ${as_nobody[*]}" "$OUT"; fi

cx "${as_nobody[@]}" "$BIN_IN" status
if has "$OUT" "LocalAPI: answering"; then
  pass "status as nobody over the socket: LocalAPI answering (exit $RC)"
else
  fail "status as nobody: exit $RC, want 'LocalAPI: answering'" "$OUT"
fi
cx "${as_nobody[@]}" "$BIN_IN" install
if [ "$RC" = 77 ] && has "$OUT" "install needs root: run it with sudo"; then
  pass "install as nobody refused: exit 77, 'install needs root: run it with sudo'"
else
  fail "install as nobody: exit $RC, want 77 with 'install needs root: run it with sudo'" "$OUT"
fi

# ------------------------------------------------------- fixes under systemd
# shellcheck source=e2e-fixes.sh
. "$HERE/e2e-fixes.sh"

# ------------------------------------------------- crash: SIGKILL, auto-restart
show MainPID; old_pid=$OUT
show NRestarts; old_nr=$OUT
if [[ $old_pid =~ ^[1-9][0-9]*$ ]] && [[ $old_nr =~ ^[0-9]+$ ]]; then
  t_kill=$(now_ms)
  cx sh -c "kill -KILL $old_pid"
  [ "$RC" = 0 ] || fail "kill -KILL $old_pid: exit $RC" "$OUT"
  # While systemd waits RestartSec (activating/auto-restart, MainPID 0)
  # nothing runs: status must not look healthy to monitoring.
  CX_TIMEOUT=10 cx "$BIN_IN" status
  if [ "$RC" = 1 ] && grep -q "restarting after a crash" <<<"$OUT"; then
    pass "status during the auto-restart window: exit 1, restarting after a crash"
  else
    fail "status during the auto-restart window: exit $RC, want 1 and 'restarting after a crash'" "$OUT"
  fi
  new_pid="" state="" nr="" ms_active=""
  while :; do
    CX_TIMEOUT=10 cx_out systemctl show -p MainPID -p ActiveState -p SubState -p NRestarts "$UNIT"
    new_pid=$(sed -n 's/^MainPID=//p' <<<"$OUT")
    state=$(sed -n 's/^ActiveState=//p' <<<"$OUT")/$(sed -n 's/^SubState=//p' <<<"$OUT")
    nr=$(sed -n 's/^NRestarts=//p' <<<"$OUT")
    if [ "$state" = active/running ] && [ -n "$new_pid" ] && [ "$new_pid" != 0 ] && [ "$new_pid" != "$old_pid" ]; then
      ms_active=$(($(now_ms) - t_kill))
      break
    fi
    [ $(($(now_ms) - t_kill)) -lt "$RESTART_LIMIT_MS" ] || break
    sleep 0.05
  done
  if [ -n "$ms_active" ]; then
    pass "SIGKILL of MainPID $old_pid: systemd restarted it as MainPID $new_pid, active after $ms_active ms"
    echo "TIME: restart after SIGKILL $ms_active ms (kill -> new MainPID active; RestartSec=2)"
  else
    fail "no new active MainPID within $((RESTART_LIMIT_MS / 1000)) s of SIGKILL (MainPID $new_pid, state $state)"
  fi
  if [ "$nr" = $((old_nr + 1)) ]; then pass "NRestarts $old_nr -> $nr"; else fail "NRestarts $old_nr -> '$nr', want $((old_nr + 1))"; fi
  left=$((RESTART_LIMIT_MS - ($(now_ms) - t_kill)))
  [ "$left" -gt 1000 ] || left=1000
  if wait_answering "$left"; then
    ms_api=$(($(now_ms) - t_kill))
    pass "LocalAPI answers again $ms_api ms after the SIGKILL"
    echo "TIME: LocalAPI back after SIGKILL $ms_api ms"
  else
    fail "LocalAPI not answering again within $((RESTART_LIMIT_MS / 1000)) s of the SIGKILL" "$OUT"
  fi
else
  fail "no MainPID/NRestarts to crash-test (MainPID '$old_pid', NRestarts '$old_nr')"
fi

# -------------------------------------------------------------------- stop
cx "$BIN_IN" stop
if [ "$RC" = 0 ]; then pass "stop (exit 0)"; else fail "stop: exit $RC, want 0" "$OUT"; fi
st=$(is_active)
if [ "$st" = inactive ]; then pass "systemctl is-active after stop: inactive"; else fail "systemctl is-active after stop: '$st', want inactive"; fi
cx "$BIN_IN" status
if [ "$RC" = 3 ] && has "$OUT" "stopped" && has "$OUT" "LocalAPI: not answering"; then
  pass "status after stop: exit 3, stopped, LocalAPI not answering"
else
  fail "status after stop: exit $RC, want 3 with 'stopped'" "$OUT"
fi
cx_out sh -c 'test -e /run/firstline && echo present || echo absent'
if [ "$OUT" = absent ]; then pass "/run/firstline removed on stop (RuntimeDirectory)"; else fail "/run/firstline still there after stop"; fi

# ------------------------------------------------------- start and restart
cx "$BIN_IN" start
if [ "$RC" = 0 ] && has "$OUT" "LocalAPI answering"; then pass "start after stop: exit 0, LocalAPI answering"; else fail "start after stop: exit $RC, want 0" "$OUT"; fi
st=$(is_active)
if [ "$st" = active ]; then pass "systemctl is-active: active again"; else fail "systemctl is-active after start: '$st', want active"; fi

show MainPID; before=$OUT
cx "$BIN_IN" restart
if [ "$RC" = 0 ] && has "$OUT" "LocalAPI answering"; then pass "restart: exit 0, LocalAPI answering"; else fail "restart: exit $RC, want 0" "$OUT"; fi
show MainPID; after=$OUT
st=$(is_active)
if [ "$st" = active ] && [ -n "$after" ] && [ "$after" != 0 ] && [ "$after" != "$before" ]; then
  pass "restart: active with a new MainPID ($before -> $after)"
else
  fail "restart: is-active '$st', MainPID $before -> $after; want active and a new PID"
fi

# --------------------------------------------------------------- uninstall
cx "$BIN_IN" uninstall
if [ "$RC" = 0 ]; then pass "uninstall while running (exit 0)"; else fail "uninstall: exit $RC, want 0" "$OUT"; fi
if [ ! -e "$NSPAWN_ROOT$UNIT_FILE" ]; then pass "unit file removed"; else fail "unit file $UNIT_FILE still there after uninstall"; fi
if [ ! -e "$NSPAWN_ROOT/etc/systemd/system/multi-user.target.wants/firstline.service" ]; then
  pass "multi-user.target.wants link removed"
else
  fail "multi-user.target.wants/firstline.service still there after uninstall"
fi
st=$(is_active)
if [ "$st" != active ]; then pass "systemctl is-active after uninstall: $st"; else fail "systemctl is-active after uninstall: active"; fi
expect_rc 4 "status after uninstall: not installed" "$BIN_IN" status
# shellcheck disable=SC2016  # expanded inside the container
cx sh -c 'for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = '"$BIN_IN"' ] && echo "${p#/proc/}"; done; true'
if [ -z "$OUT" ]; then pass "no firstline-service process left"; else fail "firstline-service processes left after uninstall: $OUT"; fi

# ------------------------------------------------------------ broken config
cx sh -c "mkdir -p ${CONF%/*} && chmod 0755 ${CONF%/*} && printf '%s\n' '# e2e: a typo in a key' '[service]' 'log_levl = \"debug\"' >$CONF && chmod 0644 $CONF"
[ "$RC" = 0 ] || fail "writing $CONF inside the container: exit $RC" "$OUT"
cx "$BIN_IN" install
if [ "$RC" = 78 ] && has "$OUT" "$CONF:3" && has "$OUT" "log_levl"; then
  pass "install with an unknown key refused: exit 78, names $CONF:3"
else
  fail "install with a broken $CONF: exit $RC, want 78 naming $CONF:3" "$OUT"
fi
if [ ! -e "$NSPAWN_ROOT$UNIT_FILE" ]; then pass "refused install left no unit file"; else fail "refused install left $UNIT_FILE behind"; fi
cx "$BIN_IN" config check
if [ "$RC" = 78 ] && has "$OUT" "$CONF:3"; then pass "config check: exit 78, names $CONF:3"; else fail "config check with a broken $CONF: exit $RC, want 78" "$OUT"; fi
cx sh -c "rm -f $CONF && rmdir ${CONF%/*}"
if [ "$RC" = 0 ]; then pass "broken $CONF removed"; else fail "removing $CONF: exit $RC" "$OUT"; fi

if [ "$failed" -gt 0 ]; then exit 1; fi
exit 0
