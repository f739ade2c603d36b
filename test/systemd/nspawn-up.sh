#!/usr/bin/env bash
# nspawn-up.sh ROOTFS_CACHE_DIR
#
# Vendored for test/systemd/e2e.sh (see README.md there); keep the safety
# checks (throwaway marker, PID-reuse guards, --one-file-system) when editing.
#
# Boots a throwaway Debian (minbase + systemd + dbus) under systemd-nspawn, with
# systemd as the container's PID 1, on a host where systemd is NOT PID 1.
#
#   1. Builds the root filesystem once with debootstrap into ROOTFS_CACHE_DIR
#      (reused on later runs; rebuilt only when missing or incomplete).
#   2. Copies it to a fresh throwaway directory (or overlays it, NSPAWN_COPY=overlay)
#      and boots it in the background.
#   3. Waits (bounded) until `systemctl is-system-running` inside answers
#      running or degraded.
#   4. Prints shell-evaluable lines on stdout (progress goes to stderr):
#        eval "$(nspawn-up.sh /var/tmp/nspawn-cache)"
#        nspawn-exec.sh "$NSPAWN_PID" systemctl status
#        nspawn-down.sh "$NSPAWN_ROOT"
#
# Environment knobs (all optional):
#   NSPAWN_SUITE              Debian suite                  (bookworm)
#   NSPAWN_INCLUDE            extra packages, comma list    (systemd,dbus)
#   DEBIAN_MIRROR             mirror URL; default: read from the host's apt sources
#   NSPAWN_TMPDIR             where throwaway copies go     (${TMPDIR:-/tmp})
#   NSPAWN_EXTRA_ARGS         extra systemd-nspawn args     (--private-network)
#                             set to "" to share the host's network namespace
#   NSPAWN_COPY               cp | overlay                  (cp)
#                             cp: full copy of the cached tree (~160 MB);
#                             overlay: overlayfs over the cache, no copy
#   NSPAWN_BOOT_TIMEOUT       seconds to wait for boot      (90)
#   NSPAWN_BOOTSTRAP_TIMEOUT  seconds for debootstrap       (1200)
#   NSPAWN_NO_APT=1           never apt-get install missing host tools
set -euo pipefail

log() { printf '[nspawn-up] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ $# -eq 1 ] || die "usage: $0 ROOTFS_CACHE_DIR"
[ "$(id -u)" -eq 0 ] || die "must run as root"

CACHE_DIR=$1
SUITE=${NSPAWN_SUITE:-bookworm}
INCLUDE=${NSPAWN_INCLUDE:-systemd,dbus}
BOOT_TIMEOUT=${NSPAWN_BOOT_TIMEOUT:-90}
BOOTSTRAP_TIMEOUT=${NSPAWN_BOOTSTRAP_TIMEOUT:-1200}
TMP_BASE=${NSPAWN_TMPDIR:-${TMPDIR:-/tmp}}
EXTRA_ARGS=${NSPAWN_EXTRA_ARGS---private-network}
COPY_MODE=${NSPAWN_COPY:-cp}
INNER_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ---------------------------------------------------------------- host tools
need_pkgs=()
command -v debootstrap    >/dev/null 2>&1 || need_pkgs+=(debootstrap)
command -v systemd-nspawn >/dev/null 2>&1 || need_pkgs+=(systemd-container)
command -v nsenter        >/dev/null 2>&1 || need_pkgs+=(util-linux)
command -v flock          >/dev/null 2>&1 || need_pkgs+=(util-linux)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "${NSPAWN_NO_APT:-0}" != 1 ] || die "missing host packages: ${need_pkgs[*]}"
  log "installing host packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq >&2
  timeout 600 apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
fi

# ------------------------------------------------------------ mirror lookup
# First URI of an enabled "deb" entry whose suite is exactly $SUITE, from the
# host's apt configuration (deb822 *.sources first, then one-line *.list).
detect_mirror() {
  local f uri
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    uri=$(awk -v suite="$SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          key = tolower(line); sub(/:.*/, "", key)
          val = line; sub(/^[^:]*:[ \t]*/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled == "no" || (" " types " ") !~ / deb /) next
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++) if (s[j] == suite) { split(uris, u, /[ \t]+/); print u[1]; exit }
      }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$SUITE" '
      $1 == "deb" {
        i = 2
        if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  return 1
}

# ------------------------------------------------------------- cache build
name="$SUITE-minbase-${INCLUDE//,/+}"
cache_root="$CACHE_DIR/$name"
stamp="$CACHE_DIR/$name.complete"
mkdir -p "$CACHE_DIR"

umount_under() { # unmount anything still mounted below $1 (deepest first)
  local m
  findmnt -rno TARGET 2>/dev/null | awk -v p="$1/" 'index($0, p) == 1' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# The container's init is the process whose innermost PID (last NSpid field)
# is 1 and whose parent is the systemd-nspawn launcher.
find_init() {
  local st ppid nspid
  for st in /proc/[0-9]*/status; do
    ppid=$(awk '$1 == "PPid:" { print $2 }' "$st" 2>/dev/null) || continue
    [ "$ppid" = "$launcher" ] || continue
    nspid=$(awk '$1 == "NSpid:" && NF >= 3 { print $NF }' "$st" 2>/dev/null) || continue
    if [ "$nspid" = 1 ]; then st=${st#/proc/}; echo "${st%/status}"; return 0; fi
  done
  return 1
}
is_ns_init() { # PID is still PID 1 of a nested PID namespace (guards against PID reuse)
  [ "$(awk '$1 == "NSpid:" && NF >= 3 { print $NF }' "/proc/$1/status" 2>/dev/null)" = 1 ]
}

build_tmp=""
work=""
launcher=""
init_pid=""
cleanup() {
  local rc=$?
  if [ -n "$build_tmp" ] && [ -d "$build_tmp" ]; then
    umount_under "$build_tmp"; rm -rf --one-file-system "$build_tmp"
  fi
  if [ -n "$launcher" ]; then
    # Killing systemd-nspawn alone leaves the container's init running
    # (re-parented to the host's PID 1), so take init down as well: SIGKILL on
    # the PID-namespace init kills everything inside the namespace.
    [ -n "$init_pid" ] || init_pid=$(find_init || true)
    if kill -0 "$launcher" 2>/dev/null; then
      kill -TERM "$launcher" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.2; done
    fi
    if [ -n "$init_pid" ] && is_ns_init "$init_pid"; then kill -KILL "$init_pid" 2>/dev/null || true; fi
    if kill -0 "$launcher" 2>/dev/null; then
      kill -KILL "$launcher" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  if [ -n "$work" ] && [ -d "$work" ]; then
    if [ -s "$work/nspawn.log" ]; then
      log "--- last lines of systemd-nspawn output ---"
      tail -n 30 "$work/nspawn.log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
    fi
    umount_under "$work"; rm -rf --one-file-system "$work"
    rmdir "/run/systemd/nspawn/propagate/${machine:-none}" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

exec 9>"$CACHE_DIR/.$name.lock"
if ! flock -w "$BOOTSTRAP_TIMEOUT" 9; then die "timed out waiting for the cache lock"; fi
if [ -f "$stamp" ] && [ -x "$cache_root/usr/lib/systemd/systemd" ]; then
  log "using cached rootfs $cache_root"
else
  mirror=${DEBIAN_MIRROR:-$(detect_mirror || true)}
  [ -n "$mirror" ] || die "no 'deb' source for suite $SUITE in the host's apt sources; set DEBIAN_MIRROR"
  case "$mirror" in http://*|https://*|file:/*) ;; *) die "unsupported mirror URI scheme: $mirror (set DEBIAN_MIRROR)";; esac
  rm -rf --one-file-system "$cache_root" "$stamp"
  build_tmp=$(mktemp -d "$CACHE_DIR/.$name.build.XXXXXX")
  # mktemp -d creates mode 0700; debootstrap keeps the target's mode, and a
  # 0700 "/" inside the container breaks every non-root daemon (dbus-daemon
  # then never becomes ready and boot hangs in "starting").
  chmod 0755 "$build_tmp"
  build_log="$CACHE_DIR/.$name.build.log"
  log "building rootfs ($SUITE, minbase, +$INCLUDE) with debootstrap; log: $build_log"
  t0=$SECONDS
  if ! timeout "$BOOTSTRAP_TIMEOUT" debootstrap --variant=minbase --include="$INCLUDE" \
        "$SUITE" "$build_tmp" "$mirror" >"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    die "debootstrap failed (see above)"
  fi
  umount_under "$build_tmp"
  # Image hygiene: no apt package cache or lists (-> ~154 MB), empty machine-id
  # (systemd makes a transient one at each boot), and no /etc/hostname
  # (debootstrap copies the host's; without it the hostname is --machine=).
  rm -rf "$build_tmp"/var/cache/apt/archives/*.deb "$build_tmp"/var/lib/apt/lists/* 2>/dev/null || true
  : >"$build_tmp/etc/machine-id"
  rm -f "$build_tmp/etc/hostname"
  mv "$build_tmp" "$cache_root"
  build_tmp=""
  rm -f "$build_log"
  touch "$stamp"
  log "rootfs cached in $((SECONDS - t0)) s ($(du -sh "$cache_root" | cut -f1))"
fi
flock -u 9
exec 9>&-

# -------------------------------------------------------- throwaway + boot
mkdir -p "$TMP_BASE"
work=$(mktemp -d "$TMP_BASE/nspawn.XXXXXX")
touch "$work/.nspawn-throwaway"
root="$work/rootfs"
t0=$SECONDS
case "$COPY_MODE" in
  cp)
    cp -a "$cache_root" "$root"
    ;;
  overlay)
    # Copy-on-write view of the cache: no copying, writes land in $work/upper.
    mkdir -p "$work/upper" "$work/ovlwork" "$root"
    mount -t overlay overlay \
      -o "lowerdir=$cache_root,upperdir=$work/upper,workdir=$work/ovlwork" "$root" ||
      die "overlay mount failed (use NSPAWN_COPY=cp)"
    ;;
  *) die "NSPAWN_COPY must be cp or overlay, not '$COPY_MODE'" ;;
esac
chmod 0755 "$root"
log "prepared throwaway root $root ($COPY_MODE) in $((SECONDS - t0)) s"

machine="nspawn-${work##*.}"
machine=${machine//[^A-Za-z0-9-]/x}
echo "$machine" >"$work/machine"
# shellcheck disable=SC2086  # EXTRA_ARGS is a word list on purpose
( exec setsid systemd-nspawn -D "$root" -b --register=no --keep-unit --console=passive \
    --machine="$machine" $EXTRA_ARGS </dev/null >"$work/nspawn.log" 2>&1 ) &
launcher=$!
echo "$launcher" >"$work/launcher.pid"

deadline=$((SECONDS + BOOT_TIMEOUT))
state=""
while :; do
  kill -0 "$launcher" 2>/dev/null || die "systemd-nspawn exited during boot"
  if [ -z "$init_pid" ]; then init_pid=$(find_init || true); fi
  if [ -n "$init_pid" ]; then
    state=$(nsenter -t "$init_pid" -a -- env -i PATH="$INNER_PATH" \
              systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) break ;; esac
  fi
  [ "$SECONDS" -lt "$deadline" ] || die "container not up after ${BOOT_TIMEOUT}s (init pid '${init_pid}', state '${state}')"
  sleep 0.5
done
echo "$init_pid" >"$work/init.pid"
log "booted in $((SECONDS - t0)) s (copy + boot); system state: $state"
if [ "$state" = degraded ]; then
  log "failed units inside the container:"
  nsenter -t "$init_pid" -a -- env -i PATH="$INNER_PATH" \
    systemctl --failed --no-legend --plain --no-pager >&2 || true
fi

# Success: keep the container; hand it to the caller.
launcher=""
work_out=$work
work=""
trap - EXIT
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
printf 'NSPAWN_DIR=%q\n' "$work_out"
printf 'NSPAWN_ROOT=%q\n' "$root"
printf 'NSPAWN_PID=%q\n' "$init_pid"
printf 'NSPAWN_LAUNCHER_PID=%q\n' "$(cat "$work_out/launcher.pid")"
echo 'export NSPAWN_DIR NSPAWN_ROOT NSPAWN_PID NSPAWN_LAUNCHER_PID'
# shellcheck disable=SC2016  # the $NSPAWN_* names are printed literally
printf '# usage: %q "$NSPAWN_PID" systemctl status --no-pager; %q "$NSPAWN_ROOT"\n' \
  "$here/nspawn-exec.sh" "$here/nspawn-down.sh"
