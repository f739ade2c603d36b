#!/usr/bin/env bash
# nspawn-exec.sh [PID] COMMAND [ARGS...]
#
# Vendored for test/systemd/e2e.sh (see README.md there); keep the safety
# checks (throwaway marker, PID-reuse guards, --one-file-system) when editing.
#
# Runs COMMAND inside a container booted by nspawn-up.sh, entering all of the
# namespaces of the container's init (PID = NSPAWN_PID printed by nspawn-up.sh;
# when the first argument is not a number, $NSPAWN_PID is used). The exit code
# of COMMAND is passed through; stdin/stdout/stderr are the caller's, so
#   nspawn-exec.sh "$NSPAWN_PID" sh -c 'cat > /usr/local/bin/x' < x
# works for moving files in (the container's /tmp is a private tmpfs: files put
# under "$NSPAWN_ROOT/tmp" from the host are NOT visible inside).
#
# The command gets a clean environment (PATH, HOME=/root, LANG=C.UTF-8,
# TERM, SYSTEMD_PAGER=, SYSTEMD_COLORS=0), not the host's.
set -euo pipefail

if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  pid=$1
  shift
else
  pid=${NSPAWN_PID:-}
fi
if [ -z "$pid" ] || [ $# -eq 0 ]; then
  echo "usage: $0 [PID] COMMAND [ARGS...]   (PID defaults to \$NSPAWN_PID)" >&2
  exit 2
fi
if [ "$(awk '$1 == "NSpid:" && NF >= 3 { print $NF }' "/proc/$pid/status" 2>/dev/null)" != 1 ]; then
  echo "nspawn-exec: $pid is not the init of a running container" >&2
  exit 125
fi

exec nsenter --target "$pid" --all -- \
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" SYSTEMD_PAGER= SYSTEMD_COLORS=0 \
  "$@"
