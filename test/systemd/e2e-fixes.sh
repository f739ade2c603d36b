# e2e-fixes.sh — the "fixes under systemd" section of e2e.sh, which
# sources it (it uses e2e.sh's helpers and state: cx, pass, fail, as_nobody,
# WORK, NSPAWN_ROOT, AGED_LOOP...); not meant to run on its own.
#
# System fixes run by the root service for an unprivileged caller over the
# LocalAPI: the list and dry run, a real run of free-disk-space on aged
# files (symlinks out of the roots, a file in use), the refusals (each with
# its exit code, nothing executed), IT's fixes.d (a fix turned off, a
# world-writable file refused), the audit log, and the health checks as a
# Nagios plugin. Leaves the container as it found it, the service running.
# shellcheck shell=bash disable=SC2154  # as_nobody, RC, OUT... are e2e.sh's
T_FIXES=$(now_ms)
FIXES_D=/etc/firstline/fixes.d
AUDIT_LOG=/var/lib/firstline/fixes-audit.log # [fixes] audit_log's default
AGED=/srv/e2e-aged                           # the aged-files image, inside
# The LocalAPI by hand, for requests the CLI refuses before asking the
# service (an unknown id, a user fix, a fix IT turned off): perl is in
# every Debian (perl-base is Essential); minbase has no curl or socat.
# Prints the response: status line, headers, body.
# shellcheck disable=SC2016  # perl's own variables
PERL_HTTP='use IO::Socket::UNIX;
my ($sock, $method, $path, $body) = @ARGV;
my $s = IO::Socket::UNIX->new(Peer => $sock) or die "connecting to $sock: $!\n";
print $s "$method $path HTTP/1.1\r\nHost: local-firstline.sock\r\nContent-Type: application/json\r\n" .
  "Content-Length: " . length($body) . "\r\nConnection: close\r\n\r\n$body";
local $/;
print scalar <$s>;'
api_as_nobody() { # api_as_nobody METHOD PATH BODY -> OUT, RC
  cx "${as_nobody[@]}" perl -e "$PERL_HTTP" "$SOCK" "$@"
}
# expect_refused WHAT HTTP_STATUS CODE METHOD PATH BODY: a raw request as
# nobody answered with HTTP_STATUS and the LocalAPI error CODE.
expect_refused() {
  local what=$1 status=$2 code=$3
  shift 3
  api_as_nobody "$@"
  if [ "$RC" = 0 ] && [[ $(head -1 <<<"$OUT") == "HTTP/1.1 $status "* ]] && has "$OUT" "\"code\":\"$code\""; then
    pass "$what: the service answers $status $code"
  else
    fail "$what over the LocalAPI: exit $RC, want HTTP $status with code $code" "$OUT"
  fi
}
# audit_lines PATTERN: the audit log's records (one JSON object a line)
# matching the extended regex PATTERN -> OUT; their count -> N_REC.
audit_lines() {
  cx_out sh -c "grep -E '$1' $AUDIT_LOG || true"
  N_REC=$(grep -c . <<<"$OUT" || true)
}

cx "${as_nobody[@]}" "$BIN_IN" fix list
missing=""
for id in flush-dns renew-network resync-clock clear-print-queue free-disk-space security-updates \
  restart-audio clear-teams-cache clear-slack-cache clear-zoom-cache backup-now update-antivirus; do
  grep -qE "^  $id +" <<<"$OUT" || missing="$missing $id"
done
if [ "$RC" = 0 ] && [ -z "$missing" ] && grep -qE '^  free-disk-space +Free disk space +system +yes$' <<<"$OUT" &&
  grep -qE '^  restart-audio +.* +user +yes$' <<<"$OUT" && ! has "$OUT" "Admin fix files refused"; then
  pass "fix list as nobody: the 12 Linux fixes under their groups, free-disk-space system/available, restart-audio user"
else
  fail "fix list as nobody: exit $RC, missing:${missing:- none}" "$OUT"
fi

cx "${as_nobody[@]}" "$BIN_IN" fix show free-disk-space
if [ "$RC" = 0 ] && has "$OUT" "Dry run (nothing is changed)" && has "$OUT" "with days=7, keep_logs=14d" &&
  grep -qx '  *1\. Run /usr/bin/apt-get clean (if installed)' <<<"$OUT" &&
  grep -qx '  */usr/bin/apt-get clean' <<<"$OUT" && grep -qx '  */usr/bin/journalctl --vacuum-time 14d' <<<"$OUT" &&
  has "$OUT" "Delete files older than 7 days in /tmp" && has "$OUT" "Delete files older than 7 days in /var/tmp"; then
  pass "fix show free-disk-space as nobody: dry run with the exact argv (apt-get clean, journalctl --vacuum-time 14d, /tmp, /var/tmp)"
else
  fail "fix show free-disk-space as nobody: exit $RC, want the dry run with its commands" "$OUT"
fi
cx "${as_nobody[@]}" "$BIN_IN" fix show free-disk-space --param days=30 --param keep_logs=2d
if [ "$RC" = 0 ] && grep -qx '  */usr/bin/journalctl --vacuum-time 2d' <<<"$OUT" && has "$OUT" "older than 30 days in /var/tmp"; then
  pass "fix show with --param days=30 keep_logs=2d: the dry run carries the values"
else
  fail "fix show free-disk-space --param days=30 --param keep_logs=2d: exit $RC" "$OUT"
fi

# Aged files. The service counts a file as old only when its change time
# (ctime) is old too, as systemd-tmpfiles does, and nothing in user space
# can set a ctime: `touch -d` alone would make files that must be KEPT. So
# the old files live on a small ext4 image whose inode times debugfs sets
# to 40 days ago; it is mounted inside the container at $AGED, and its
# tmp/ and var-tmp/ are bind-mounted over /tmp and /var/tmp, the roots the
# fix cleans. keep/ on the same image is outside both roots: the target of
# the links, aged too, so that following a link would delete it.
aged_why=""
for tool in mkfs.ext4 debugfs losetup; do
  command -v "$tool" >/dev/null 2>&1 || aged_why="$tool not found on the host (e2fsprogs, util-linux)"
done
if [ -z "$aged_why" ]; then
  seed=$WORK/aged
  mkdir -p "$seed/tmp/systemd-private-e2e" "$seed/var-tmp/e2e-olddir" "$seed/keep"
  chmod 1777 "$seed/tmp" "$seed/var-tmp"
  head -c 200000 /dev/urandom >"$seed/tmp/e2e-old"
  echo fresh >"$seed/tmp/e2e-fresh"
  echo excluded >"$seed/tmp/systemd-private-e2e/inner"
  echo excluded >"$seed/tmp/e2e.lock"
  head -c 300000 /dev/urandom >"$seed/var-tmp/e2e-old"
  head -c 1000 /dev/urandom >"$seed/var-tmp/e2e-olddir/inner"
  head -c 50000 /dev/urandom >"$seed/var-tmp/e2e-held"
  echo unpacked >"$seed/var-tmp/e2e-mtime-only"
  echo fresh >"$seed/var-tmp/e2e-fresh"
  echo precious >"$seed/keep/precious"
  ln -s "$AGED/keep" "$seed/var-tmp/e2e-link-dir"
  ln -s "$AGED/keep/precious" "$seed/var-tmp/e2e-link-file"
  # What the fix must delete, in bytes: the regular files aged below
  # outside the excluded names (links count as files, not bytes).
  WANT_RECLAIMED=$((200000 + 300000 + 1000 + 50000))
  old=$(date -d '40 days ago' +%s)
  {
    for p in tmp/e2e-old tmp/systemd-private-e2e tmp/systemd-private-e2e/inner tmp/e2e.lock \
      var-tmp/e2e-old var-tmp/e2e-olddir var-tmp/e2e-olddir/inner var-tmp/e2e-held \
      var-tmp/e2e-link-dir var-tmp/e2e-link-file keep keep/precious; do
      printf 'sif /%s mtime @%s\nsif /%s ctime @%s\n' "$p" "$old" "$p" "$old"
    done
    # Old dates but changed just now: an unpacked archive. Kept.
    printf 'sif /var-tmp/e2e-mtime-only mtime @%s\n' "$old"
  } >"$WORK/aged.debugfs"
  rc=0
  truncate -s 16M "$WORK/aged.img" &&
    mkfs.ext4 -q -F -d "$seed" -E root_owner=0:0 "$WORK/aged.img" >"$WORK/aged.log" 2>&1 &&
    debugfs -w -f "$WORK/aged.debugfs" "$WORK/aged.img" >>"$WORK/aged.log" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    AGED_LOOP=$(losetup --find --show "$WORK/aged.img" 2>>"$WORK/aged.log") || rc=$?
  fi
  if [ "$rc" != 0 ] || [ -z "$AGED_LOOP" ]; then
    aged_why="could not build or attach the ext4 image (e2fsprogs, a free loop device): $(tail -1 "$WORK/aged.log")"
    AGED_LOOP=""
  fi
fi
if [ -z "$aged_why" ]; then
  # The container's /dev has no loop devices: a node for this one, made as
  # the host's root, only for the mount.
  majmin=$(stat -c '%t %T' "$AGED_LOOP")
  read -r maj min <<<"$majmin"
  # All or nothing: a half-done mount is undone before it fails.
  cx sh -c "mknod /dev/e2e-aged b $((16#$maj)) $((16#$min)) && mkdir -p $AGED && mount -t ext4 /dev/e2e-aged $AGED
    rc=\$?; rm -f /dev/e2e-aged; [ \$rc = 0 ] || { rmdir $AGED; exit 1; }
    mount --bind $AGED/tmp /tmp || { umount $AGED; rmdir $AGED; exit 1; }
    mount --bind $AGED/var-tmp /var/tmp || { umount /tmp; umount $AGED; rmdir $AGED; exit 1; }"
  if [ "$RC" = 0 ]; then
    now=$(date +%s)
    cx_out stat -c '%Y %Z' /var/tmp/e2e-old
    read -r m c <<<"$OUT"
    if [ -n "${m:-}" ] && [ "$m" -lt $((now - 39 * 86400)) ] && [ "${c:-$now}" -lt $((now - 39 * 86400)) ]; then
      pass "aged files seeded: ext4 image over /tmp and /var/tmp, mtime and ctime 40 days ago (debugfs)"
    else
      fail "aged files: /var/tmp/e2e-old has mtime/ctime '$OUT', want 40 days ago"
    fi
  else
    aged_why="mounting the image inside the container failed: $(tail -1 <<<"$OUT")"
  fi
fi
if [ -n "$aged_why" ]; then
  # Without aged change times nothing is old enough to go: the run is
  # still checked, on files only `touch -d` aged, which must stay.
  echo "INFO: the aged-file checks of free-disk-space are skipped: $aged_why"
  cx sh -c 'echo touched >/var/tmp/e2e-touched && touch -d "40 days ago" /var/tmp/e2e-touched'
fi

# A file in use: an old file a running process holds open.
if [ -z "$aged_why" ]; then
  cx systemd-run --unit=e2e-holder --collect -p StandardInput=file:/var/tmp/e2e-held /usr/bin/sleep 600
  cx_out systemctl show -p MainPID --value e2e-holder
  holder=$OUT
  [[ $holder =~ ^[1-9][0-9]*$ ]] || fail "could not start a process holding /var/tmp/e2e-held open (MainPID '$holder')"
fi

t0=$(now_ms)
cx "${as_nobody[@]}" "$BIN_IN" fix run free-disk-space --param days=30
run_out=$OUT
t_run=$(($(now_ms) - t0))
if [ "$RC" = 0 ] && has "$OUT" "Success"; then
  pass "fix run free-disk-space --param days=30 as nobody: exit 0, Success ($t_run ms)"
else
  fail "fix run free-disk-space as nobody: exit $RC, want 0 and Success" "$OUT"
fi
# Progress: [1/m] .. [m/m], each once and in order.
steps=$(grep -oE '^\[[0-9]+/[0-9]+\]' <<<"$run_out" | tr -d '[]' | tr '\n' ' ')
m=${steps%%' '*}
m=${m#*/}
want=""
if [[ $m =~ ^[0-9]+$ ]]; then for ((i = 1; i <= m; i++)); do want="$want$i/$m "; done; fi
if [ -n "$want" ] && [ "$steps" = "$want" ]; then
  pass "live progress lines [1/$m] .. [$m/$m] in order"
else
  fail "progress lines: '$steps', want '$want'" "$run_out"
fi
# The journal step ran for real: journald answered the vacuum.
jstep=$(sed -n 's|^\[\([0-9]*\)/[0-9]*\] Run /usr/bin/journalctl --vacuum-time 14d.*|\1|p' <<<"$run_out")
audit_lines '"uid":"65534","user":"nobody","runner":"system","fix":"free-disk-space".*"result":"success"'
run_rec=$OUT
if [ -n "$jstep" ] && has "$run_out" "Vacuuming done" && grep -q "{\"n\":$jstep,\"kind\":\"exec\",\"status\":\"ok\",\"exit\":0}" <<<"$run_rec"; then
  pass "step $jstep journalctl --vacuum-time 14d ran: 'Vacuuming done' from journald, audited ok with exit 0"
else
  fail "the journalctl step: step '$jstep', want 'Vacuuming done' and an audited exit 0" "$run_out
$run_rec"
fi
if [ -z "$aged_why" ]; then
  # shellcheck disable=SC2016  # expanded inside the container
  cx sh -c 'for p in /tmp/e2e-old /var/tmp/e2e-old /var/tmp/e2e-olddir /var/tmp/e2e-held /var/tmp/e2e-link-dir /var/tmp/e2e-link-file; do
    if [ -e "$p" ] || [ -L "$p" ]; then echo "left: $p"; fi; done
  for p in /tmp/e2e-fresh /tmp/e2e.lock /tmp/systemd-private-e2e/inner /var/tmp/e2e-fresh /var/tmp/e2e-mtime-only; do
    [ -f "$p" ] || echo "gone: $p"; done'
  if [ "$RC" = 0 ] && [ -z "$OUT" ]; then
    pass "old files, an old folder and old links deleted in /tmp and /var/tmp; fresh, excluded (systemd-private-*, *.lock) and unpacked (old mtime, new ctime) files kept"
  else
    fail "after free-disk-space (exit $RC)" "$OUT"
  fi
  cx_out cat "$AGED/keep/precious"
  if [ "$OUT" = precious ]; then
    pass "links not followed: their old target $AGED/keep/precious (outside the roots) is intact"
  else
    fail "$AGED/keep/precious, the old target of the deleted links, is gone or changed: '$OUT'"
  fi
  # In use: Linux unlinks an open file; its holder goes on reading it.
  cx_out readlink "/proc/$holder/fd/0"
  fd=$OUT
  cx_out systemctl is-active e2e-holder
  if [ "$OUT" = active ] && [ "$fd" = "/var/tmp/e2e-held (deleted)" ]; then
    pass "an old file held open was unlinked; its holder (pid $holder) runs on with it open ($fd)"
  else
    fail "the held-open file: holder '$OUT', its fd 0 -> '$fd'"
  fi
  got=$(sed -n 's/.*"reclaimed_bytes":\([0-9]*\).*/\1/p' <<<"$run_rec")
  if [ "$got" = "$WANT_RECLAIMED" ] && grep -qE 'Done: [0-9.]+ [KM]B freed' <<<"$run_out"; then
    pass "reclaimed bytes reported: $(grep -m1 -oE 'Done: [0-9.]+ [KM]B freed' <<<"$run_out"), audited $got bytes, exactly the aged files"
  else
    fail "reclaimed bytes: audited '$got', want $WANT_RECLAIMED, and a 'Done: N KB freed' line" "$run_out
$run_rec"
  fi
else
  cx_out sh -c 'cat /var/tmp/e2e-touched; rm -f /var/tmp/e2e-touched'
  if [ "$OUT" = touched ]; then
    pass "a file aged by touch -d only (ctime now) is kept"
  else
    fail "/var/tmp/e2e-touched (mtime 40 days ago, ctime now) was deleted"
  fi
fi

# Refusals as nobody, each with fix run's documented exit code. The CLI asks
# the service even what it will refuse, so the audit log holds every one;
# raw requests (below, for the fix IT turned off) show the service's own
# HTTP answer. The service's rate limit (a burst of 6 per user) counts
# refused requests too, so this part stays within it until the restart.
expect_cli() { # expect_cli WANT_RC NEEDLE DESCRIPTION ARGS...
  local want=$1 needle=$2 what=$3
  shift 3
  cx "${as_nobody[@]}" "$BIN_IN" "$@"
  if [ "$RC" = "$want" ] && has "$OUT" "$needle"; then
    pass "$what: exit $RC, $(head -1 <<<"$OUT")"
  else
    fail "$what: exit $RC, want $want with '$needle' [$*]" "$OUT"
  fi
}
expect_cli 2 'nosuch-fix: there is no such fix' "fix run of an unknown id" fix run nosuch-fix
expect_cli 2 'days' "fix run --param 'days=1;reboot'" fix run free-disk-space --param 'days=1;reboot'
# shellcheck disable=SC2016  # the literal text $(id) is the attack
expect_cli 2 'days' "fix run --param 'days=\$(id)'" fix run free-disk-space --param 'days=$(id)'
expect_cli 2 'is a user fix' "fix run of a user fix (restart-audio)" fix run restart-audio

# IT's fixes.d: a sound file turning backup-now off, and a world-writable
# one, which must be refused (it would turn flush-dns off) while the rest
# applies. Written from the host: both are root's files in the container.
mkdir -p "$NSPAWN_ROOT$FIXES_D"
chmod 0755 "$NSPAWN_ROOT${FIXES_D%/*}" "$NSPAWN_ROOT$FIXES_D"
printf '%s\n' '# e2e: IT turns a fix off' 'disable = ["backup-now"]' >"$NSPAWN_ROOT$FIXES_D/50-off.toml"
chmod 0644 "$NSPAWN_ROOT$FIXES_D/50-off.toml"
printf '%s\n' '# e2e: anyone may write this file' 'disable = ["flush-dns"]' >"$NSPAWN_ROOT$FIXES_D/60-writable.toml"
chmod 0666 "$NSPAWN_ROOT$FIXES_D/60-writable.toml"
cx "$BIN_IN" restart
if [ "$RC" = 0 ] && has "$OUT" "LocalAPI answering"; then
  pass "restart to load $FIXES_D (50-off.toml 0644, 60-writable.toml 0666)"
else
  fail "restart after writing $FIXES_D: exit $RC" "$OUT"
fi
cx_out journalctl -u "$UNIT" --no-pager -o cat
line=$(grep -F "refused a fix catalog file" <<<"$OUT" | grep -F "60-writable.toml" | tail -1)
if has "$line" "group or others can write it"; then
  pass "the world-writable fixes.d file is refused, the reason in the journal: $(grep -o 'problem=.*' <<<"$line" | cut -c1-140)"
else
  fail "no journal line refusing 60-writable.toml as writable by others" "$(tail -20 <<<"$OUT")"
fi
cx "${as_nobody[@]}" "$BIN_IN" fix list
if [ "$RC" = 0 ] && ! grep -qE '^  backup-now ' <<<"$OUT" && has "$OUT" "Turned off by IT: backup-now" &&
  grep -qE '^  flush-dns ' <<<"$OUT" && ! has "$OUT" "60-writable"; then
  pass "fix list as nobody: backup-now turned off by IT, flush-dns still there (the refused file changed nothing), refused files not shown"
else
  fail "fix list as nobody after fixes.d: exit $RC" "$OUT"
fi
cx "$BIN_IN" fix list
if [ "$RC" = 0 ] && has "$OUT" "Admin fix files refused:" && has "$OUT" "$FIXES_D/60-writable.toml"; then
  pass "fix list as root names the refused file: $(grep -F 60-writable.toml <<<"$OUT" | sed 's/^ *//' | cut -c1-120)"
else
  fail "fix list as root: exit $RC, want 'Admin fix files refused:' naming 60-writable.toml" "$OUT"
fi
expect_cli 69 "IT has turned this fix off" "fix run of a fix IT turned off (backup-now)" fix run backup-now
expect_cli 69 "turned off by IT" "fix show of a fix IT turned off (backup-now)" fix show backup-now
expect_refused "a fix IT turned off (backup-now)" 403 fix_disabled POST '/v1/fixes/run?id=backup-now' '{"params":{}}'
cx "${as_nobody[@]}" "$BIN_IN" fix run free-disk-space --param days=30
if [ "$RC" = 0 ] && has "$OUT" "Success"; then
  pass "the rest still works: fix run free-disk-space as nobody again, exit 0"
else
  fail "fix run free-disk-space as nobody after fixes.d: exit $RC, want 0" "$OUT"
fi
ran_fixes=("free-disk-space" "free-disk-space")

# Fixes whose programs minbase lacks are offered as not available, and a
# run is refused as such (audited), never started to fail at step 1:
# flush-dns needs resolvectl or nscd, resync-clock systemd-timesyncd or
# chrony (and the offline container cannot install them).
# expect_needs ID RESULTVAR TEST...: runs ID as nobody; exit 0 when TEST
# (run inside) finds its programs, else 69 "is not installed".
expect_needs() {
  local id=$1 var=$2
  shift 2
  cx sh -c "$*"
  if [ "$RC" = 0 ]; then
    cx "${as_nobody[@]}" "$BIN_IN" fix run "$id"
    if [ "$RC" = 0 ]; then pass "fix run $id as nobody: exit 0"; else fail "fix run $id: exit $RC" "$OUT"; fi
    printf -v "$var" '%s' success
    ran_fixes+=("$id")
    return
  fi
  cx "${as_nobody[@]}" "$BIN_IN" fix run "$id"
  if [ "$RC" = 69 ] && has "$OUT" "is not installed on this computer"; then
    pass "fix run $id without its programs: exit 69, $(head -1 <<<"$OUT" | cut -c1-140)"
  else
    fail "fix run $id without its programs: exit $RC, want 69 and 'is not installed on this computer'" "$OUT"
  fi
  printf -v "$var" '%s' 'refused \(unavailable\)'
}
expect_needs flush-dns dns_result 'test -x /usr/bin/resolvectl || test -x /usr/sbin/nscd'
expect_needs resync-clock clock_result 'test -x /lib/systemd/systemd-timesyncd || test -x /usr/sbin/chronyd'

# The audit log: the runs and the service's refusals, under nobody.
cx "$BIN_IN" audit
tbl=$OUT
bad=""
for row in 'nobody +free-disk-space +success +- ' "nobody +flush-dns +$dns_result" "nobody +resync-clock +$clock_result" \
  'nobody +nosuch-fix +refused \(unknown-fix\)' 'nobody +restart-audio +refused \(wrong-runner\)' \
  'nobody +backup-now +refused \(disabled\)'; do
  grep -qE "$row" <<<"$tbl" || bad="$bad [$row]"
done
n_bad=$(grep -cE 'nobody +free-disk-space +refused \(bad-params\)' <<<"$tbl" || true)
if [ "$RC" = 0 ] && [ -z "$bad" ] && [ "$n_bad" = 2 ]; then
  pass "audit as root: nobody's runs and refusals (free-disk-space success; flush-dns ${dns_result//\\/}; resync-clock ${clock_result//\\/}; 2 bad-params, unknown-fix, wrong-runner, disabled)"
else
  fail "audit as root: exit $RC, missing rows:${bad:- none}; bad-params rows $n_bad, want 2" "$tbl"
fi
# Nothing ran for a refused request: the only runs are those above.
audit_lines '"result":"(success|failed)"'
runs=$(grep -oE '"fix":"[^"]*"' <<<"$OUT" | sort | tr '\n' ' ')
want_runs=$(printf '"fix":"%s"\n' "${ran_fixes[@]}" | sort | tr '\n' ' ')
if [ "$runs" = "$want_runs" ]; then
  pass "nothing executed for the refusals: the audit log's runs are exactly ${ran_fixes[*]}"
else
  fail "runs in the audit log: $runs" "$OUT"
fi
audit_lines '"code":"bad-params"'
# shellcheck disable=SC2016  # the literal text $(id)
if [ "$N_REC" = 2 ] && has "$OUT" '"days":"1;reboot"' && has "$OUT" '"days":"$(id)"'; then
  pass "the refused parameters are audited as sent: days=1;reboot and days=\$(id)"
else
  fail "bad-params records: $N_REC, want 2 with the values sent" "$OUT"
fi
cx "${as_nobody[@]}" "$BIN_IN" audit
if [ "$RC" = 77 ] && has "$OUT" "readable by root only"; then
  pass "audit as nobody refused: exit 77, readable by root only"
else
  fail "audit as nobody: exit $RC, want 77" "$OUT"
fi

# Health checks as a Nagios plugin, as nobody through the service.
# A plugin's status line: "FIRSTLINE [NAME] STATUS - text | label=value...".
PLUGIN_LINE='^FIRSTLINE( [A-Z]+)? (OK|WARNING|CRITICAL|UNKNOWN) - [^|]+ [|] [a-z_]+=[0-9]'
nagios_word() { case $1 in 0) echo OK ;; 1) echo WARNING ;; 2) echo CRITICAL ;; 3) echo UNKNOWN ;; esac; }
expect_plugin() { # expect_plugin DESCRIPTION ARGS...
  local what=$1 first
  shift
  CX_TIMEOUT=20 cx "${as_nobody[@]}" "$BIN_IN" check "$@"
  first=$(head -1 <<<"$OUT")
  if [[ $first =~ $PLUGIN_LINE ]] &&
    [ "${BASH_REMATCH[2]}" = "$(nagios_word "$RC")" ]; then
    pass "$what: exit $RC = ${BASH_REMATCH[2]}, perfdata after |: ${first:0:110}"
  else
    fail "$what: exit $RC, want a status line 'FIRSTLINE ... STATUS - text | perfdata' whose STATUS matches the exit code" "$OUT"
  fi
}
expect_plugin "check --all as nobody" --all
n_lines=$(grep -cE '^FIRSTLINE [A-Z]+ (OK|WARNING|CRITICAL|UNKNOWN) - ' <<<"$OUT" || true)
if [ "$n_lines" = 10 ]; then pass "check --all: one line per check (10)"; else fail "check --all: $n_lines check lines, want 10" "$OUT"; fi
expect_plugin "check disk as nobody" disk
cx "${as_nobody[@]}" "$BIN_IN" check nosuch
if [ "$RC" = 3 ] && has "$OUT" 'FIRSTLINE UNKNOWN - no check named "nosuch"'; then
  pass "check nosuch: exit 3, UNKNOWN naming the checks"
else
  fail "check nosuch: exit $RC, want 3 and UNKNOWN" "$OUT"
fi

# Put the container back as the sections below expect it.
if [ -n "$AGED_LOOP" ]; then
  if [ -z "$aged_why" ]; then
    cx sh -c "systemctl stop e2e-holder; umount /var/tmp && umount /tmp && umount $AGED && rmdir $AGED"
    [ "$RC" = 0 ] || fail "unmounting the aged-files image inside the container: exit $RC" "$OUT"
  fi
  if losetup -d "$AGED_LOOP"; then AGED_LOOP=""; else fail "detaching $AGED_LOOP"; fi
fi
rm -f "$NSPAWN_ROOT$FIXES_D/50-off.toml" "$NSPAWN_ROOT$FIXES_D/60-writable.toml"
rmdir "$NSPAWN_ROOT$FIXES_D" "$NSPAWN_ROOT${FIXES_D%/*}" || fail "removing $FIXES_D"
echo "TIME: fixes section $(secs_since "$T_FIXES") s (free-disk-space run $t_run ms)"
