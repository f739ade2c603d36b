#!/usr/bin/env bash
# nspawn-down.sh [NSPAWN_ROOT]
#
# Vendored for test/systemd/e2e.sh (see README.md there); keep the safety
# checks (throwaway marker, PID-reuse guards, --one-file-system) when editing.
#
# Stops a container started by nspawn-up.sh and deletes its throwaway copy.
# NSPAWN_ROOT defaults to $NSPAWN_ROOT. Orderly shutdown first (SIGTERM to
# systemd-nspawn, which asks the container's systemd to halt), bounded by
# NSPAWN_STOP_TIMEOUT seconds (default 20); then SIGKILL to the container's
# init (which kills every process in its PID namespace) and to systemd-nspawn.
# Idempotent: a second call, or a call after the container died, just cleans up.
set -euo pipefail

log() { printf '[nspawn-down] %s\n' "$*" >&2; }

root=${1:-${NSPAWN_ROOT:-}}
if [ -z "$root" ]; then
  echo "usage: $0 NSPAWN_ROOT   (or set \$NSPAWN_ROOT)" >&2
  exit 2
fi
root=${root%/}
dir=$(dirname "$root")
if [ ! -d "$dir" ]; then log "nothing to do: $dir is gone"; exit 0; fi
# Refuse to delete anything that nspawn-up.sh did not create.
if [ ! -f "$dir/.nspawn-throwaway" ] || [ "$(basename "$root")" != rootfs ]; then
  log "ERROR: $root is not a throwaway root made by nspawn-up.sh"; exit 1
fi
STOP_TIMEOUT=${NSPAWN_STOP_TIMEOUT:-20}

launcher=$(cat "$dir/launcher.pid" 2>/dev/null || true)
init_pid=$(cat "$dir/init.pid" 2>/dev/null || true)
machine=$(cat "$dir/machine" 2>/dev/null || true)
# systemd-nspawn's image lock; left behind when systemd-nspawn is killed.
lock=""
if [ -d "$root" ]; then lock="/run/systemd/nspawn/locks/inode-$(stat -c '%d:%i' "$root")"; fi

# Only signal PIDs that still are what we think they are (PID reuse guard).
launcher_ok() {
  [ -n "$launcher" ] && [ "$(cat "/proc/$launcher/comm" 2>/dev/null)" = systemd-nspawn ] &&
    tr '\0' '\n' <"/proc/$launcher/cmdline" 2>/dev/null | grep -qxF -- "$root"
}
init_ok() { # alive (not a zombie) and still PID 1 of a nested PID namespace
  [ -n "$init_pid" ] && [ "$(awk '
      $1 == "State:" && ($2 == "Z" || $2 == "X") { z = 1 }
      $1 == "NSpid:" && NF >= 3 { p = $NF }
      END { print (z ? "" : p) }' "/proc/$init_pid/status" 2>/dev/null)" = 1 ]
}
wait_gone() { # wait_gone SECONDS -> 0 when neither launcher nor init is alive
  local end=$((SECONDS + $1))
  while launcher_ok || init_ok; do
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.2
  done
}

t0=$SECONDS
if launcher_ok; then
  kill -TERM "$launcher" 2>/dev/null || true
elif init_ok; then
  kill -s RTMIN+4 "$init_pid" 2>/dev/null || true # systemd: poweroff
fi
if ! wait_gone "$STOP_TIMEOUT"; then
  log "no orderly shutdown within ${STOP_TIMEOUT}s; killing"
  if init_ok; then kill -KILL "$init_pid" 2>/dev/null || true; fi
  if launcher_ok; then kill -KILL "$launcher" 2>/dev/null || true; fi
  wait_gone 10 || { log "ERROR: container processes still alive"; exit 1; }
fi
log "stopped in $((SECONDS - t0)) s"

# The only host-side mount is the overlay of NSPAWN_COPY=overlay (nspawn's own
# mounts live in the container's mount namespace); never let rm cross a mount.
mounts_below() { findmnt -rno TARGET 2>/dev/null | awk -v p="$dir/" 'index($0, p) == 1' | sort -r; }
mounts_below | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
if [ -n "$(mounts_below)" ]; then log "ERROR: still mounted below $dir: $(mounts_below)"; exit 1; fi
rm -rf --one-file-system "$dir"
# Leftovers of a killed systemd-nspawn (both are removed by a clean exit).
[ -z "$machine" ] || rmdir "/run/systemd/nspawn/propagate/$machine" 2>/dev/null || true
[ -z "$lock" ] || rm -f "$lock"
log "removed $dir"
