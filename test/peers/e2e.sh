#!/usr/bin/env bash
# e2e.sh — report delivery end to end against REAL peers: a Request Tracker 5
# (Debian's package, SQLite, REST2 with an auth token) and an SMTP server
# (Debian's aiosmtpd behind STARTTLS and AUTH, storing each message as a
# file), driven through the real firstline-service binary.
#
#   sudo bash test/peers/e2e.sh
#
# 1. starts both peers on free loopback ports (rt-up.sh, smtp-up.sh);
# 2. runs the Go tests gated on them (TestRealRT, with and without a key
#    custom field, and TestRealSMTP);
# 3. runs `firstline-service run` routed ["rt", "email"], submits a report
#    with two attachments as user nobody and checks the RT ticket over REST2:
#    subject, status, both files byte for byte;
# 4. has employees (nobody, root) acknowledge and say "me too" to a signed
#    incident notice from the drop folder, and checks the service sends IT
#    one report for it (a ticket with the batch and notice-responses.json),
#    exactly once, and a later answer (daemon) in one report of its own;
# 5. SIGKILLs the service right after further submits, restarts it, and
#    checks RT holds exactly one ticket per report;
# 6. stops RT and checks the next report falls back to email after
#    fallback_after failures, with its files and X-Firstline-Key in the
#    stored message; then that no notice response was sent twice.
#
# Prints "PASS: ..." / "FAIL: ..." per check, "TIME:"/"INFO:" lines, and as
# the last line "N passed, M failed"; exits 1 when anything failed (130/143
# when interrupted). Skips ("SKIP: <reason>", "0 passed, 0 failed", exit 0)
# when not root on Linux, or when RT is missing and apt-get cannot install
# it. Everything it starts is stopped by an EXIT trap, also on failure,
# Ctrl-C and SIGTERM. See README.md in this directory.
#
# Environment (all optional):
#   FIRSTLINE_PEERS_KEEP=1              keep the work dir (logs, config, mail)
#   FIRSTLINE_PEERS_DELIVERY_TIMEOUT    seconds to wait for a delivery (60)
#   FIRSTLINE_PEERS_KILL_DELAYS         seconds between a submit and its
#                                       SIGKILL, one round each (default: 0,
#                                       then 50, 70 and 90 % of how long the
#                                       first report took to reach RT)
# shellcheck disable=SC2317  # teardown and on_signal run from traps
# shellcheck disable=SC2016  # bash -c / perl -e scripts are single-quoted on purpose
# shellcheck disable=SC2154,SC2153  # REC_*, NR_*, RJ_*, NS_*, NV_* and MAIL_* come from facts.py through eval
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3 # Debian's, which the SMTP sink needs too (not a pyenv one)
FACTS=$HERE/facts.py
DELIVERY_TIMEOUT=${FIRSTLINE_PEERS_DELIVERY_TIMEOUT:-60}
FALLBACK_AFTER=2
RT_KEY_FIELD=Firstline-Key
NOTICE=mail-down # the incident notice employees answer (section 4)
NOTICE_TITLE="Email is down"
PROBE=printer-move # a second notice: its answer shows when the service flushes
RESPONSES_INTERVAL_MS=1000

now_ms() { date +%s%3N; }
T_START=$(now_ms)
secs_since() { # secs_since START_MS -> "12.3"
  local d=$(($(now_ms) - $1))
  printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100))
}
log() { printf '[peers] %s\n' "$*" >&2; }

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
[ "$(uname -s)" = Linux ] || skip "the peers are Debian packages; this is $(uname -s)"
[ "$(id -u)" -eq 0 ] || skip "must run as root (apt-get for the peers, a root-owned service config); try: sudo bash $0"
rt_installed() {
  local p
  for p in request-tracker5 rt5-db-sqlite rt5-standalone; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}
if ! rt_installed && ! command -v apt-get >/dev/null 2>&1; then
  skip "Request Tracker 5 is not installed and there is no apt-get to install it"
fi

# ---------------------------------------------------------- cleanup trap
WORK=""
BG_PIDS=()   # long steps running in the background (waited for, so signals act at once)
SVC_PID=""   # the firstline-service run process
SVC_WRAP=""  # the subshell that waits for it
RT_STATE="" RT_PID="" MAILDIR_OUT="" SMTP_PID=""
stop_bg() {
  local p end
  for p in "${BG_PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null || continue
    kill -TERM "$p" 2>/dev/null || true
    end=$((SECONDS + 30))
    while kill -0 "$p" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.2; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  BG_PIDS=()
}
svc_stop() { # svc_stop [SIGNAL]: stop the service (SIGTERM, SIGKILL after 10 s); sets SVC_RC
  SVC_RC=""
  [ -n "$SVC_WRAP" ] || return 0
  if [ -n "$SVC_PID" ]; then kill "-${1:-TERM}" "$SVC_PID" 2>/dev/null || true; fi
  local end=$((SECONDS + 10))
  while kill -0 "$SVC_WRAP" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.05; done
  if [ -n "$SVC_PID" ]; then kill -KILL "$SVC_PID" 2>/dev/null || true; fi
  wait "$SVC_WRAP" 2>/dev/null || true
  SVC_RC=$(cat "$WORK/svc.rc" 2>/dev/null || echo "?")
  SVC_PID="" SVC_WRAP=""
}
teardown() {
  local rc=$? t0 left=""
  trap - EXIT INT TERM
  t0=$(now_ms)
  svc_stop KILL
  stop_bg
  if [ -n "$RT_STATE" ] && [ -d "$RT_STATE" ]; then
    RT_PID="" RT_STATE="$RT_STATE" timeout -k 5 30 "$HERE/rt-down.sh" 2>/dev/null || true
  fi
  if [ -n "$MAILDIR_OUT" ] && [ -d "$MAILDIR_OUT" ]; then
    SMTP_PID="" MAILDIR_OUT="$MAILDIR_OUT" timeout -k 5 30 "$HERE/smtp-down.sh" 2>/dev/null || true
  fi
  for pg in "$RT_PID" "$SMTP_PID"; do
    if [ -n "$pg" ] && kill -0 -- "-$pg" 2>/dev/null; then left="$left $pg"; fi
  done
  if [ -n "$left" ]; then
    echo "FAIL: process groups still running after teardown:$left"
    failed=$((failed + 1))
  elif [ -n "$RT_PID$SMTP_PID" ]; then
    passed=$((passed + 1))
    echo "PASS: teardown: service, RT and SMTP server stopped ($(secs_since "$t0") s)"
  fi
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${FIRSTLINE_PEERS_KEEP:-0}" = 1 ]; then
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
indent() { sed 's/^/    | /'; }
diag_done=0
diagnose() { # once, at the first failure: what the service logged
  [ "$diag_done" = 0 ] || return 0
  diag_done=1
  if [ -s "$WORK/service.log" ]; then
    echo "---- last lines of the service log ----"
    tail -n 40 "$WORK/service.log" | indent
  fi
  if [ -s "$WORK/service.out" ]; then
    echo "---- last lines of the service's stderr ----"
    tail -n 15 "$WORK/service.out" | indent
  fi
}
pass() {
  passed=$((passed + 1))
  echo "PASS: $1"
}
fail() { # fail MESSAGE [DETAIL]: DETAIL is printed indented
  failed=$((failed + 1))
  echo "FAIL: $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | indent; fi
  diagnose
}
fatal() { # a failure after which nothing else can be tested
  fail "$@"
  exit 1
}
check() { # check DESCRIPTION COMMAND...: PASS when COMMAND succeeds
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
# bg_run LOG CMD...: CMD in the background, waited for; its exit code in RC.
bg_run() {
  local out=$1 pid
  shift
  "$@" </dev/null >"$out" 2>&1 &
  pid=$!
  BG_PIDS+=("$pid")
  RC=0
  wait "$pid" || RC=$?
  bg_forget "$pid"
}
bg_forget() { # drop PID from BG_PIDS once it has been waited for
  local p keep=()
  for p in "${BG_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  BG_PIDS=("${keep[@]}")
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # a port nothing listens on, below the kernel's ephemeral range
  local p i
  for i in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    if [ "$p" != "${1:-}" ] && port_free "$p"; then
      echo "$p"
      return 0
    fi
  done
  return 1
}
toml_str() { # a TOML basic string
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

echo "report delivery to real peers (repo $REPO)"
command -v go >/dev/null 2>&1 || fatal "go not found in PATH (needed to build firstline-service)"
grep -qs '^module github.com/firstline-it/firstline$' "$REPO/go.mod" ||
  fatal "repository root not found at $REPO (expected go.mod of github.com/firstline-it/firstline)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/firstline-peers.XXXXXX")
# Traversable by nobody, who submits reports and reads the attachments.
chmod 0755 "$WORK"
mkdir -m 0755 "$WORK/bin" "$WORK/etc" "$WORK/run" "$WORK/files"
mkdir -m 0700 "$WORK/out"
BIN=$WORK/bin/firstline-service
CONF=$WORK/etc/firstline.toml
SOCK=$WORK/run/local.sock

# ------------------------------------------------------------ the peers
RT_PORT=$(pick_port) || fatal "no free port for RT"
SMTP_PORT=$(pick_port "$RT_PORT") || fatal "no free port for SMTP"
SMTP_USER_WANT=firstline
SMTP_PASS_WANT=pw$RANDOM$RANDOM

# SMTP first, alone: on a fresh machine both up scripts may apt-get, and two
# concurrent `apt-get update`s do not wait for each other's lock.
t0=$(now_ms)
MAILDIR_OUT=$WORK/smtp
bg_run "$WORK/smtp-up.out" env MAILDIR_OUT="$MAILDIR_OUT" SMTP_TLS=starttls \
  SMTP_AUTH="$SMTP_USER_WANT:$SMTP_PASS_WANT" timeout -k 10 600 "$HERE/smtp-up.sh" "$SMTP_PORT"
eval "$(grep -E '^(SMTP_[A-Z_]+|MAILDIR_OUT)=' "$WORK/smtp-up.out" || true)"
if [ "$RC" != 0 ] || [ -z "${SMTP_ADDR:-}" ] || [ -z "${SMTP_TLS_CERT:-}" ]; then
  fatal "SMTP server did not start: smtp-up.sh exit $RC" "$(tail -n 30 "$WORK/smtp-up.out")"
fi
pass "SMTP server (aiosmtpd, STARTTLS required, AUTH required) answers on $SMTP_ADDR ($(secs_since "$t0") s)"

# RT in the background while the binary and the tests compile.
t_rt=$(now_ms)
installed_before=yes
rt_installed || installed_before="no: installed by rt-up.sh"
RT_STATE=$WORK/rt
RT_WITH_TOKEN=1 RT_STATE="$RT_STATE" timeout -k 10 900 "$HERE/rt-up.sh" "$RT_PORT" \
  </dev/null >"$WORK/rt-up.env" 2>"$WORK/rt-up.log" &
RT_UP=$!
BG_PIDS+=("$RT_UP")

t0=$(now_ms)
bg_run "$WORK/build.log" bash -c 'cd "$1" && CGO_ENABLED=0 timeout -k 10 900 go build -trimpath -o "$2" ./service/cmd/firstline-service &&
  timeout -k 10 900 go test -count=1 -run "^$" ./internal/report/delivery/rt/ ./internal/report/delivery/email/' _ "$REPO" "$BIN"
if [ "$RC" = 0 ]; then
  pass "built firstline-service (CGO_ENABLED=0) and the gated tests ($(secs_since "$t0") s)"
else
  fatal "go build ./service/cmd/firstline-service (exit $RC)" "$(tail -n 40 "$WORK/build.log")"
fi

RC=0
wait "$RT_UP" || RC=$?
bg_forget "$RT_UP"
eval "$(grep -E '^RT_(URL|USER|PASS|PID|STATE|TOKEN)=' "$WORK/rt-up.env" || true)"
if [ "$RC" != 0 ] || [ -z "${RT_URL:-}" ] || [ -z "${RT_TOKEN:-}" ]; then
  fatal "Request Tracker did not start: rt-up.sh exit $RC" "$(tail -n 40 "$WORK/rt-up.log")"
fi
T_RT=$(secs_since "$t_rt")
pass "Request Tracker $("$PY" "$FACTS" rt-field Version <"$RT_STATE/ready.json" 2>/dev/null || echo '?') answers REST2 on $RT_URL with an auth token ($T_RT s, installed before: $installed_before)"
echo "TIME: RT up $T_RT s (installed before: $installed_before)"

# REST2 with the token from a header file, not the command line.
( umask 077; printf 'Authorization: token %s\n' "$RT_TOKEN" >"$WORK/out/rt-auth" )
rt_get() { # rt_get PATH [CURL ARGS...] -> the reply body on stdout
  local path=$1
  shift
  curl -fsS -m 20 -H @"$WORK/out/rt-auth" "$@" "$RT_URL/REST/2.0/$path"
}
# rt_tickets REF: "id<TAB>subject" of each ticket whose subject holds [REF].
rt_tickets() {
  rt_get tickets -G --data-urlencode "query=Subject LIKE '$1'" --data-urlencode fields=Subject \
    --data-urlencode per_page=100 | "$PY" "$FACTS" rt-items | grep -F "[$1]" || true
}

# ------------------------------------------------------ the gated Go tests
# rt's key_field mode needs a ticket custom field on the queue. REST2 cannot
# make one, so RT's own Perl API does, with the instance's site config
# (rt-up.sh keeps it in $RT_STATE/etc).
t0=$(now_ms)
cf_rc=0
cf_out=$(RT_SITE_CONFIG="$RT_STATE/etc/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$RT_STATE/etc/RT_SiteConfig.d" \
  TMPDIR="$RT_STATE/var/tmp" timeout -k 5 120 perl -I/usr/share/request-tracker5/lib -e '
    use strict; use warnings; use RT; RT::LoadConfig(); RT::Init();
    my $cf = RT::CustomField->new(RT->SystemUser);
    my ($id, $msg) = $cf->Create(Name => $ARGV[0], Type => "FreeformSingle",
        LookupType => "RT::Queue-RT::Ticket", Description => "Firstline report key");
    $id or die "custom field: $msg\n";
    my $q = RT::Queue->new(RT->SystemUser); $q->Load("General"); $q->id or die "no queue General\n";
    my ($ok, $m) = $cf->AddToObject($q); $ok or die "apply to General: $m\n";
    print "custom field $id\n";' "$RT_KEY_FIELD" </dev/null 2>&1) || cf_rc=$?
if [ "$cf_rc" = 0 ]; then
  pass "RT ticket custom field $RT_KEY_FIELD made on queue General ($(secs_since "$t0") s)"
else
  fail "could not make the RT custom field $RT_KEY_FIELD (exit $cf_rc)" "$cf_out"
fi

go_env=(FIRSTLINE_TEST_RT_URL="$RT_URL" FIRSTLINE_TEST_RT_TOKEN="$RT_TOKEN"
  FIRSTLINE_TEST_SMTP_ADDR="$SMTP_ADDR" FIRSTLINE_TEST_SMTP_TLS=starttls FIRSTLINE_TEST_SMTP_CA="$SMTP_TLS_CERT"
  FIRSTLINE_TEST_SMTP_USER="$SMTP_USER" FIRSTLINE_TEST_SMTP_PASS="$SMTP_PASS" FIRSTLINE_TEST_SMTP_MAILDIR="$MAILDIR_OUT")
# go_test LOG LABEL TEST PACKAGE [ENV...]: one gated test; it must PASS, not skip.
go_test() {
  local out=$1 label=$2 name=$3 pkg=$4 t
  shift 4
  t=$(now_ms)
  bg_run "$out" bash -c 'cd "$1" && shift && exec env "$@"' _ "$REPO" "${go_env[@]}" "$@" \
    timeout -k 10 600 go test -count=1 -v -run "^$name\$" "$pkg"
  if [ "$RC" = 0 ] && grep -qE "^--- PASS: $name " "$out"; then
    pass "go test $label against the real peer ($(secs_since "$t") s)"
  else
    fail "go test $label (exit $RC; a skip counts as a failure here)" "$(grep -vE '^(=== RUN|PASS$)' "$out" | tail -n 30)"
  fi
}
go_test "$WORK/gotest-rt.log" "TestRealRT (subject search)" TestRealRT ./internal/report/delivery/rt/
if [ "$cf_rc" = 0 ]; then
  go_test "$WORK/gotest-rt-cf.log" "TestRealRT (key_field $RT_KEY_FIELD)" TestRealRT ./internal/report/delivery/rt/ \
    FIRSTLINE_TEST_RT_KEY_FIELD="$RT_KEY_FIELD"
fi
go_test "$WORK/gotest-smtp.log" "TestRealSMTP (STARTTLS, AUTH, Maildir read back)" TestRealSMTP ./internal/report/delivery/email/

# ------------------------------------------------------------ the service
# IT notices from the drop folder, signed with a key made here: the
# incident the employees answer (section 4), and a second notice whose
# acknowledgement shows when the service flushes responses.
DROP=$WORK/notices.d
mkdir -m 0755 "$DROP" # the service refuses a folder others can write
if "$BIN" notice keygen --out "$WORK/out/notice-keys" </dev/null >"$WORK/out/keygen.out" 2>&1 &&
  NOTICE_PUB=$(sed -n 2p "$WORK/out/notice-keys/firstline-notices.pub") && [ -n "$NOTICE_PUB" ]; then
  pass "notice keygen made a minisign key pair (public key $NOTICE_PUB)"
else
  fatal "notice keygen failed" "$(cat "$WORK/out/keygen.out")"
fi
publish_notice() { # publish_notice FILE FLAGS...: a signed one-notice file in the drop folder
  local f=$1
  shift
  "$BIN" notice publish --key "$WORK/out/notice-keys/firstline-notices.key" --feed "$DROP/$f" --expires 2h "$@" \
    </dev/null >>"$WORK/out/publish.out" 2>&1
}
if publish_notice "$NOTICE.json" --id "$NOTICE" --severity critical --title "$NOTICE_TITLE" \
  --body "Outlook and webmail cannot send or receive. We are on it." --ack --incident &&
  publish_notice "$PROBE.json" --id "$PROBE" --severity warning --title "Printers move to the 3rd floor" --ack; then
  pass "notice publish signed $NOTICE (critical, require_ack, incident) and $PROBE into the drop folder ($(stat -c '%U %a' "$DROP"))"
else
  fatal "notice publish failed" "$(cat "$WORK/out/publish.out")"
fi

# Owned by root and not group/world-writable (the service refuses anything
# else), 0600 because it holds the RT token and the SMTP password.
(
  umask 077
  cat >"$CONF" <<EOF
# written by test/peers/e2e.sh
[service]
state_dir = $(toml_str "$WORK/state")
log_file = $(toml_str "$WORK/service.log")

[delivery]
route = ["rt", "email"]
fallback_after = $FALLBACK_AFTER

[delivery.rt]
url = $(toml_str "$RT_URL")
token = $(toml_str "$RT_TOKEN")
queue = "General"
timeout = "15s"

[delivery.email]
host = "127.0.0.1"
port = $SMTP_PORT
tls = "starttls"
username = $(toml_str "$SMTP_USER")
password = $(toml_str "$SMTP_PASS")
from = "Firstline <firstline@example.com>"
to = ["helpdesk@example.com"]
ca_file = $(toml_str "$SMTP_TLS_CERT")
timeout = "20s"

[notices]
keys = [$(toml_str "$NOTICE_PUB")]
drop_dir = $(toml_str "$DROP")
send_responses = true
responses_interval = "${RESPONSES_INTERVAL_MS}ms"
EOF
)
out=$("$BIN" config check --config "$CONF" 2>&1) && rc=0 || rc=$?
if [ "$rc" = 0 ] && ! grep -qF -- "$RT_TOKEN" <<<"$out" && ! grep -qF -- "$SMTP_PASS" <<<"$out"; then
  pass "config check accepts the config ($(stat -c '%U %a' "$CONF")) and shows neither the RT token nor the SMTP password"
else
  fail "config check: exit $rc, or a secret shown" "$out"
fi

svc_start() { # start the service and wait (15 s at most) until it answers
  rm -f "$WORK/svc.pid" "$WORK/svc.rc"
  # A subshell owns the service and records its pid and exit code, so the
  # test can SIGKILL it without bash reporting "Killed" for a job of its own.
  (
    "$BIN" run --config "$CONF" --socket "$SOCK" </dev/null >>"$WORK/service.out" 2>&1 &
    echo "$!" >"$WORK/svc.pid"
    rc=0
    wait "$!" || rc=$?
    echo "$rc" >"$WORK/svc.rc"
  ) 2>/dev/null &
  SVC_WRAP=$!
  local t
  t=$(now_ms)
  until [ -s "$WORK/svc.pid" ]; do
    [ $(($(now_ms) - t)) -lt 5000 ] || return 1
    sleep 0.01
  done
  SVC_PID=$(cat "$WORK/svc.pid")
  until timeout -k 2 10 "$BIN" spool list --all --socket "$SOCK" >/dev/null 2>&1; do
    kill -0 "$SVC_PID" 2>/dev/null || return 1
    [ $(($(now_ms) - t)) -lt 15000 ] || return 1
    sleep 0.05
  done
  SVC_UP_MS=$(($(now_ms) - t))
}
spool_json() { timeout -k 2 20 "$BIN" spool list --json --all --socket "$SOCK" >"$WORK/out/spool.json" 2>&1; }
record() { # record REF: the REC_* facts about REF from a fresh spool list
  unset "${!REC_@}"
  REC_DELIVERED_BY=""
  spool_json || return 1
  eval "$("$PY" "$FACTS" record "$1" <"$WORK/out/spool.json")"
}
# wait_delivered REF: polls the spool until a destination accepted REF;
# DELIVERED_MS is how long that took.
wait_delivered() {
  local t
  t=$(now_ms)
  while :; do
    record "$1" || true
    if [ -n "$REC_DELIVERED_BY" ]; then
      DELIVERED_MS=$(($(now_ms) - t))
      return 0
    fi
    if [ -z "$SVC_PID" ] || ! kill -0 "$SVC_PID" 2>/dev/null; then return 1; fi
    [ $(($(now_ms) - t)) -lt $((DELIVERED_TIMEOUT_S * 1000)) ] || return 1
    sleep 0.25
  done
}
DELIVERED_TIMEOUT_S=$DELIVERY_TIMEOUT
describe() { # the destinations of the last record, for failure messages
  local d s a e
  for d in "${REC_DESTS[@]:-}"; do
    [ -n "$d" ] || continue
    s=REC_${d}_STATE a=REC_${d}_ATTEMPTS e=REC_${d}_ERROR
    printf '%s: %s, %s attempts, last error: %s\n' "$d" "${!s:-}" "${!a:-}" "${!e:--}"
  done
}

svc_start || fatal "firstline-service run did not answer within 15 s" "$(tail -n 20 "$WORK/service.out" 2>/dev/null)"
pass "firstline-service run answers on its socket ($SVC_UP_MS ms)"

# Who submits: nobody when setpriv can switch to it and nobody can run the
# binary (a private TMPDIR would hide it), else root.
AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
SUBMIT_UID=65534
if [ "$("${AS_USER[@]}" id -u 2>/dev/null)" != 65534 ] || ! "${AS_USER[@]}" "$BIN" version >/dev/null 2>&1; then
  AS_USER=()
  SUBMIT_UID=0
  echo "INFO: nobody cannot run $BIN (setpriv missing or $WORK not reachable); submitting as root"
fi
SUBMITTER=$([ "$SUBMIT_UID" = 0 ] && echo root || echo nobody)

# Two attachments: binary, and text whose name is not ASCII.
ATT_BIN=$WORK/files/screenshot.png
ATT_TXT="$WORK/files/Störung – Drucker ✓.txt"
head -c 262144 /dev/urandom >"$ATT_BIN"
printf 'Grüße aus der Buchhaltung: Papierstau in Fach 2 — „bitte bald“ ✓\nzweite Zeile\n' >"$ATT_TXT"
chmod 0644 "$ATT_BIN" "$ATT_TXT"

# submit TEXT: as SUBMITTER with both files; REF on success.
submit() {
  local t rc=0
  t=$(now_ms)
  REF=$("${AS_USER[@]}" timeout -k 5 90 "$BIN" report submit --socket "$SOCK" --category printing \
    --text "$1" --attach "$ATT_BIN" --attach "$ATT_TXT" 2>"$WORK/out/submit.err") || rc=$?
  SUBMIT_MS=$(($(now_ms) - t))
  [ "$rc" = 0 ] && [[ $REF =~ ^FL-[0-9A-Z]{5}$ ]]
}
# rt_attachment_matches TICKET FILE: the ticket has an attachment named as
# FILE whose content is FILE's bytes.
rt_attachment_matches() {
  local name aid
  name=$(basename "$2")
  aid=$(rt_get "ticket/$1/attachments?fields=Filename&per_page=100" | "$PY" "$FACTS" rt-items |
    awk -F '\t' -v n="$name" '$2 == n { print $1; exit }')
  [ -n "$aid" ] || return 1
  rt_get "attachment/$aid" | "$PY" "$FACTS" rt-content >"$WORK/out/rt-attachment" && cmp -s "$WORK/out/rt-attachment" "$2"
}

# ------------------------------------------------ 3. a report becomes a ticket
echo "INFO: route [rt, email], fallback_after $FALLBACK_AFTER; submitting as $SUBMITTER"
if submit $'Der Drucker im 2. Stock druckt nicht\nEr zeigt „Papierstau“, aber es klemmt nichts.'; then
  pass "report submit as $SUBMITTER with 2 attachments printed $REF ($SUBMIT_MS ms)"
else
  fatal "report submit as $SUBMITTER failed" "$REF$(cat "$WORK/out/submit.err")"
fi
REF1=$REF
if wait_delivered "$REF1" && [ "$REC_DELIVERED_BY" = rt ] && [ -n "${REC_rt_TICKET:-}" ]; then
  TICKET1=$REC_rt_TICKET
  KEY1=$REC_KEY
  pass "spool list --json --all: $REF1 delivered to rt as ticket $TICKET1 after $DELIVERED_MS ms (attempt $REC_rt_ATTEMPTS)"
  echo "TIME: submit -> RT ticket recorded $DELIVERED_MS ms"
else
  fatal "$REF1 not delivered to rt within $DELIVERY_TIMEOUT s (delivered by '${REC_DELIVERED_BY:-}')" "$(describe)"
fi
check "$REF1 is owned by uid $SUBMIT_UID (the kernel's word, not the request's)" [ "$REC_OWNER_UID" = "$SUBMIT_UID" ]
check "$REF1 archived after delivery (content dropped, record kept)" [ "$REC_ARCHIVED" = 1 ]

subject="" status=""
if ticket_json=$(rt_get "ticket/$TICKET1" 2>&1); then
  subject=$("$PY" "$FACTS" rt-field Subject <<<"$ticket_json" 2>/dev/null || true)
  status=$("$PY" "$FACTS" rt-field Status <<<"$ticket_json" 2>/dev/null || true)
fi
if [[ $subject == "[$REF1] "* ]]; then
  pass "RT REST2 ticket/$TICKET1 exists, subject: $subject"
else
  fail "RT ticket/$TICKET1: subject '$subject' does not start with [$REF1]" "$ticket_json"
fi
if [ -n "$status" ] && [ "$status" = "${REC_rt_REMOTE:-}" ]; then
  pass "ticket status read back: RT says '$status', the spool record says '$REC_rt_REMOTE'"
else
  fail "ticket status: RT says '$status', the spool record says '${REC_rt_REMOTE:-}'"
fi
for f in "$ATT_BIN" "$ATT_TXT"; do
  check "RT ticket $TICKET1 has $(basename "$f") ($(stat -c %s "$f") bytes) byte for byte" rt_attachment_matches "$TICKET1" "$f"
done
names=$(rt_get "ticket/$TICKET1/attachments?fields=Filename&per_page=100" | "$PY" "$FACTS" rt-items | cut -f2)
if grep -qx sysinfo.json <<<"$names" && grep -qx summary.txt <<<"$names"; then
  pass "RT ticket $TICKET1 also carries the system snapshot (sysinfo.json, summary.txt)"
else
  fail "RT ticket $TICKET1 lacks sysinfo.json or summary.txt" "$names"
fi
found=$(rt_tickets "$REF1")
check "RT search Subject LIKE '$REF1' finds exactly ticket $TICKET1" [ "$(printf '%s' "$found" | cut -f1)" = "$TICKET1" ]

# ------------------------------- 4. notice responses become one ticket
# Employees' acknowledgements and "me too" travel to IT as ONE report per
# notice per flush (every responses_interval), submitted by the service
# itself (owner uid 0) through the same pipeline, and exactly once. It runs
# here because RT is up and nothing else is in flight; the end of the test
# checks that the kills and the RT outage of sections 5 and 6 resent none.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
DAEMON=(setpriv --reuid=1 --regid=1 --clear-groups)
HOST=$(uname -n)
# notice_act ID ACTION [RUN-AS...]: POST the action over the LocalAPI socket
# as RUN-AS (root when empty), like the tray app does; ACT_CODE is the HTTP
# status, ACT_VIEW the caller's view of their notices it answered with.
# Nothing else runs in it: three of them must fit between two flushes.
notice_act() {
  local id=$1 action=$2 out rc=0
  shift 2
  out=$("$@" curl -sS -m 20 --unix-socket "$SOCK" -H 'Host: local-firstline.sock' -w '\n%{http_code}' \
    -X POST "http://local-firstline.sock/v1/notices/action?id=$id&action=$action" 2>&1) || rc=$?
  ACT_CODE=${out##*$'\n'} ACT_VIEW=${out%$'\n'*}
  [ "$rc" = 0 ] || ACT_CODE="curl exit $rc: $out"
}
viewed() { # viewed ID VIEW: NV_* say whether VIEW shows ID acknowledged, "me too"
  unset "${!NV_@}"
  eval "$("$PY" "$FACTS" notice-view "$1" <<<"$2" 2>/dev/null || true)"
  echo "${NV_ACKED:-?}${NV_ME_TOO:-?}"
}
responses() { # responses ID: the NR_* facts about ID's notice-response reports from a fresh spool list
  unset "${!NR_@}"
  NR_COUNT=0 NR_ALL=0
  spool_json || return 1
  eval "$("$PY" "$FACTS" responses "$1" <"$WORK/out/spool.json")"
}
# wait_responses ID N: until ID has N notice-response reports and the N-th
# was delivered (or more reports than N); WAITED_MS is how long that took.
wait_responses() {
  local t
  t=$(now_ms)
  while :; do
    responses "$1" || true
    if [ "$NR_COUNT" -gt "$2" ] || { [ "$NR_COUNT" = "$2" ] && [ -n "${NR_DELIVERED_BY[$(($2 - 1))]:-}" ]; }; then
      WAITED_MS=$(($(now_ms) - t))
      return 0
    fi
    if [ -z "$SVC_PID" ] || ! kill -0 "$SVC_PID" 2>/dev/null; then return 1; fi
    [ $(($(now_ms) - t)) -lt $((DELIVERY_TIMEOUT * 1000)) ] || return 1
    sleep 0.2
  done
}
# rt_batch TICKET: the ticket's message body to out/rt-body.txt and the
# RJ_* facts of its notice-responses.json (its bytes in out/rt-responses.json).
rt_batch() {
  local list bid jid
  unset "${!RJ_@}"
  list=$(rt_get "ticket/$1/attachments?fields=Filename,ContentType&per_page=100" | "$PY" "$FACTS" rt-items) || return 1
  bid=$(awk -F '\t' '$2 == "" && $3 == "text/plain" { print $1; exit }' <<<"$list")
  jid=$(awk -F '\t' '$2 == "notice-responses.json" { print $1; exit }' <<<"$list")
  [ -n "$bid" ] && [ -n "$jid" ] || return 1
  rt_get "attachment/$bid" | "$PY" "$FACTS" rt-content >"$WORK/out/rt-body.txt" || return 1
  rt_get "attachment/$jid" | "$PY" "$FACTS" rt-content >"$WORK/out/rt-responses.json" || return 1
  eval "$("$PY" "$FACTS" responses-file <"$WORK/out/rt-responses.json")"
}
body_has() { grep -qxF -- "$1" "$WORK/out/rt-body.txt"; } # a whole line of the RT message body
body_has_prefix() { awk -v p="$1" 'index($0, p) == 1 { f = 1 } END { exit !f }' "$WORK/out/rt-body.txt"; }
joined() { local IFS=' '; echo "$*"; }
notice_status() { # the NS_* facts about NOTICE from `notice status --json`
  unset "${!NS_@}"
  if timeout -k 2 20 "$BIN" notice status --json --socket "$SOCK" >"$WORK/out/notice-status.json" 2>&1; then
    eval "$("$PY" "$FACTS" notice-status "$NOTICE" <"$WORK/out/notice-status.json")"
  fi
}

t_section=$(now_ms)
notice_status
what="the service accepted both signed files of the drop folder: ${NS_DROP_FILES[*]:-none}; ${NS_ACTIVE:-0} notices in force"
if [ "${NS_ACTIVE:-0}" = 2 ] && [ "$(joined "${NS_DROP_FILES[@]:-}")" = "$NOTICE.json:accepted $PROBE.json:accepted" ]; then
  pass "$what"
else
  fatal "$what" "$(cat "$WORK/out/notice-status.json")"
fi

# When does the service flush? Its ticker is its own; root acknowledging
# the other notice shows a flush's time (the report's created_at), and the
# employees then answer a third of an interval after a later flush, so all
# three answers fall into one interval and one batch even when a flush or
# an answer runs late on a busy machine.
notice_act "$PROBE" ack
if [ "$ACT_CODE" = 200 ] && [ "$(viewed "$PROBE" "$ACT_VIEW")" = 10 ] && wait_responses "$PROBE" 1 &&
  [ -n "${NR_CREATED_MS[0]:-}" ]; then
  FLUSH_MS=${NR_CREATED_MS[0]}
  what="root acknowledged $PROBE (HTTP 200); one notice-response report for it, ${NR_REFS[0]}, delivered to ${NR_DELIVERED_BY[0]:-nothing yet} ${WAITED_MS} ms later"
  if [ "$NR_COUNT" = 1 ]; then pass "$what"; else fail "$what: $NR_COUNT reports (${NR_REFS[*]})"; fi
else
  fatal "root's acknowledgement of $PROBE did not become one delivered report (HTTP $ACT_CODE, view $(viewed "$PROBE" "$ACT_VIEW"), $NR_COUNT reports, delivered by '${NR_DELIVERED_BY[0]:-}')" \
    "$(grep -F notice "$WORK/service.log" | tail -n 10)"
fi
PROBE_REFS=("${NR_REFS[@]}") PROBE_KEYS=("${NR_KEYS[@]}")
now=$(now_ms)
wake=$((FLUSH_MS + ((now - FLUSH_MS) / RESPONSES_INTERVAL_MS + 1) * RESPONSES_INTERVAL_MS + RESPONSES_INTERVAL_MS / 3))
sleep "$(printf '%d.%03d' $(((wake - now) / 1000)) $(((wake - now) % 1000)))"

t_a=$(now_ms)
notice_act "$NOTICE" ack "${NOBODY[@]}"
c1=$ACT_CODE v1=$ACT_VIEW
notice_act "$NOTICE" metoo "${NOBODY[@]}"
c2=$ACT_CODE v2=$ACT_VIEW
notice_act "$NOTICE" ack
c3=$ACT_CODE v3=$ACT_VIEW
t_b=$(now_ms)
v1=$(viewed "$NOTICE" "$v1") v2=$(viewed "$NOTICE" "$v2") v3=$(viewed "$NOTICE" "$v3")
window=$([ $(((t_a - FLUSH_MS) / RESPONSES_INTERVAL_MS)) = $(((t_b - FLUSH_MS) / RESPONSES_INTERVAL_MS)) ] &&
  echo "between two flushes" || echo "ACROSS a flush: the machine stalled")
what="over the LocalAPI socket: nobody acknowledged $NOTICE (HTTP $c1) and said \"me too\" (HTTP $c2), root acknowledged (HTTP $c3), in $((t_b - t_a)) ms $window"
if [ "$c1$c2$c3" = 200200200 ] && [ "$v1 $v2 $v3" = "10 11 10" ]; then
  pass "$what"
else
  fail "$what" "acknowledged and \"me too\" in the views: $v1 $v2 $v3, want 10 11 10"
fi

if wait_responses "$NOTICE" 1 && [ "$NR_COUNT" = 1 ]; then
  pass "exactly one notice-response report for $NOTICE: ${NR_REFS[0]}, delivered to ${NR_DELIVERED_BY[0]} as ticket ${NR_TICKETS[0]} ${WAITED_MS} ms after the last answer"
  echo "TIME: answers -> notice-response ticket recorded $WAITED_MS ms (responses_interval ${RESPONSES_INTERVAL_MS} ms)"
else
  fail "want exactly one delivered notice-response report for $NOTICE, got $NR_COUNT (refs ${NR_REFS[*]:-}, delivered by ${NR_DELIVERED_BY[*]:-})" \
    "$(grep -F notice "$WORK/service.log" | tail -n 10)"
fi
NREF=${NR_REFS[0]:-} NTICKET=${NR_TICKETS[0]:-}
NOTICE_REFS=() NOTICE_KEYS=()
if [ "$NR_COUNT" -ge 1 ]; then NOTICE_REFS=("${NR_REFS[0]}") NOTICE_KEYS=("${NR_KEYS[0]}"); fi
what="$NREF was submitted by the service itself (owner uid ${NR_OWNERS[0]:-?}), category notice-response, with notice-responses.json (severity ${NR_SEVERITIES[0]:-?})"
if [ "${NR_OWNERS[0]:-}" = 0 ] && [ "${NR_ATTACHMENTS[0]:-}" = notice-responses.json ]; then pass "$what"; else fail "$what"; fi

subject=""
if [ -n "$NTICKET" ] && ticket_json=$(rt_get "ticket/$NTICKET" 2>&1); then
  subject=$("$PY" "$FACTS" rt-field Subject <<<"$ticket_json" 2>/dev/null || true)
fi
what="RT ticket $NTICKET exists, subject: $subject"
if [ -n "$NREF" ] && [[ $subject == "[$NREF] "* ]]; then pass "$what"; else fail "$what" "${ticket_json:-}"; fi
if [ -n "$NTICKET" ] && rt_batch "$NTICKET"; then
  head_line="Notice $NOTICE \"$NOTICE_TITLE\": 2 acknowledged, 1 \"me too\""
  if body_has "$head_line" && body_has "Responses from the employees of $HOST since the last report:" &&
    body_has_prefix "- nobody acknowledged at " &&
    body_has_prefix "- nobody is affected too (\"me too\") at " && body_has_prefix "- root acknowledged at " &&
    [ "$(grep -c '^- ' "$WORK/out/rt-body.txt")" = 3 ]; then
    pass "RT ticket $NTICKET's text: '$head_line', then one line per answer of nobody and root"
  else
    fail "RT ticket $NTICKET's text lacks the batch summary or a line per answer" "$(cat "$WORK/out/rt-body.txt")"
  fi
  what="RT ticket $NTICKET has notice-responses.json ($(stat -c %s "$WORK/out/rt-responses.json") bytes): ${RJ_TYPE:-?} v${RJ_VERSION:-?}, host ${RJ_HOST:-?}, notice ${RJ_NOTICE_ID:-?}/${RJ_NOTICE_SEVERITY:-?}, responses: ${RJ_RESPONSES[*]:-none}"
  if [ -z "${RJ_ERROR-x}" ] && [ "$RJ_TYPE" = firstline.notice-responses ] && [ "$RJ_VERSION" = 1 ] && [ "$RJ_HOST" = "$HOST" ] &&
    [ "$RJ_NOTICE_ID" = "$NOTICE" ] && [ "$RJ_NOTICE_TITLE" = "$NOTICE_TITLE" ] && [ "$RJ_NOTICE_SEVERITY" = critical ] &&
    [ "$RJ_COUNT" = 3 ] && [ "$RJ_UNTIMED" = 0 ] &&
    [ "$(joined "${RJ_RESPONSES[@]}")" = "0:root:ack 65534:nobody:ack 65534:nobody:me_too" ]; then
    pass "$what"
  else
    fail "$what" "${RJ_ERROR:-}$(cat "$WORK/out/rt-responses.json")"
  fi
else
  fail "RT ticket '$NTICKET' lacks a message body or notice-responses.json" \
    "$(rt_get "ticket/$NTICKET/attachments?fields=Filename,ContentType&per_page=100" 2>&1 | "$PY" "$FACTS" rt-items 2>&1)"
fi

# Exactly once: three more flushes must send nothing new.
sleep 3.2
responses "$NOTICE" || true
check "3.2 s later still exactly one notice-response report for $NOTICE ($NR_COUNT; $NR_ALL for both notices)" \
  [ "$NR_COUNT/$NR_ALL" = 1/2 ]
notice_status
check "notice status: $NOTICE acknowledged by ${NS_ACKED:-?}, \"me too\" from ${NS_ME_TOO:-?}, ${NS_SENT:-?} responses reported to IT" \
  [ "${NS_ACKED:-}/${NS_ME_TOO:-}/${NS_SENT:-}" = 2/1/3 ]

# A later answer goes alone, in a report of its own.
notice_act "$NOTICE" ack "${DAEMON[@]}"
check "daemon (uid 1) acknowledged $NOTICE over the LocalAPI socket (HTTP $ACT_CODE)" [ "$ACT_CODE/$(viewed "$NOTICE" "$ACT_VIEW")" = 200/10 ]
if wait_responses "$NOTICE" 2 && [ "$NR_COUNT" = 2 ] && [ "${NR_REFS[0]}" = "$NREF" ] && [ -n "${NR_TICKETS[1]}" ] &&
  [ "${NR_TICKETS[1]}" != "$NTICKET" ] && [ "${NR_OWNERS[1]}" = 0 ]; then
  pass "exactly one more notice-response report for $NOTICE: ${NR_REFS[1]}, delivered to ${NR_DELIVERED_BY[1]} as ticket ${NR_TICKETS[1]} ${WAITED_MS} ms later"
else
  fail "want exactly one more delivered notice-response report for $NOTICE, got $NR_COUNT in all (refs ${NR_REFS[*]:-}, tickets ${NR_TICKETS[*]:-})"
fi
if [ "$NR_COUNT" -ge 2 ] && [ -n "${NR_TICKETS[1]}" ] && rt_batch "${NR_TICKETS[1]}"; then
  head_line="Notice $NOTICE \"$NOTICE_TITLE\": 1 acknowledged, 0 \"me too\""
  what="RT ticket ${NR_TICKETS[1]} carries only daemon's answer: '$head_line', responses: ${RJ_RESPONSES[*]:-none}"
  if body_has "$head_line" && body_has_prefix "- daemon acknowledged at " && [ "$(grep -c '^- ' "$WORK/out/rt-body.txt")" = 1 ] &&
    [ -z "${RJ_ERROR-x}" ] && [ "$RJ_COUNT" = 1 ] && [ "$(joined "${RJ_RESPONSES[@]}")" = "1:daemon:ack" ]; then
    pass "$what"
  else
    fail "$what" "$(cat "$WORK/out/rt-body.txt" "$WORK/out/rt-responses.json")"
  fi
  NOTICE_REFS+=("${NR_REFS[1]}") NOTICE_KEYS+=("${NR_KEYS[1]}")
else
  fail "the second notice-response report has no RT ticket with a body and notice-responses.json"
fi
echo "TIME: notice responses (section 4) $(secs_since "$t_section") s"

# ------------------------------------- 5. SIGKILL after submit: no duplicate
# The window worth hitting is between RT making the ticket and the service
# recording it, near the end of a delivery; how long a delivery takes
# depends on the machine, so the kills are timed from the first one.
if [ -n "${FIRSTLINE_PEERS_KILL_DELAYS:-}" ]; then
  read -r -a KILL_DELAYS <<<"$FIRSTLINE_PEERS_KILL_DELAYS"
else
  took=$(grep -F "reference=$REF1" "$WORK/service.log" | grep -F 'msg="report delivered"' |
    sed -nE 's/.* after=([0-9.]+)(m?s).*/\1 \2/p' | head -n 1)
  read -r -a KILL_DELAYS <<<"$(awk -v t="${took:-1 s}" 'BEGIN {
    split(t, a, " "); s = (a[2] == "ms") ? a[1] / 1000 : a[1]
    if (s <= 0 || s > 10) s = 1
    printf "0 %.2f %.2f %.2f\n", s * 0.5, s * 0.7, s * 0.9 }')"
  echo "INFO: the first report reached RT ${took:-?} after it was saved; SIGKILL delays: ${KILL_DELAYS[*]} s"
fi
# The notice-response reports went to RT too: none may turn up as mail.
RT_REFS=("$REF1" "${PROBE_REFS[@]}" "${NOTICE_REFS[@]}") RT_KEYS=("$KEY1" "${PROBE_KEYS[@]}" "${NOTICE_KEYS[@]}")
round=0 in_window=0
for delay in "${KILL_DELAYS[@]}"; do
  round=$((round + 1))
  if ! submit "Kill round $round: the service is killed ${delay} s after this report is saved"; then
    fail "round $round: report submit failed" "$REF$(cat "$WORK/out/submit.err")"
    continue
  fi
  sleep "$delay"
  svc_stop KILL
  at_kill=$(rt_tickets "$REF" | grep -c . || true)
  log_lines=$(wc -l <"$WORK/service.log" 2>/dev/null || echo 0)
  t0=$(now_ms)
  svc_start || fatal "round $round: the service did not come back after SIGKILL" "$(tail -n 20 "$WORK/service.out")"
  if wait_delivered "$REF" && [ "$REC_DELIVERED_BY" = rt ] && [ -n "${REC_rt_TICKET:-}" ]; then
    pass "round $round: $REF (SIGKILL ${delay} s after submit) delivered to rt as ticket $REC_rt_TICKET $(secs_since "$t0") s after the restart"
  else
    fail "round $round: $REF not delivered to rt within $DELIVERY_TIMEOUT s of the restart" "$(describe)"
    continue
  fi
  RT_REFS+=("$REF") RT_KEYS+=("$REC_KEY")
  found=$(rt_tickets "$REF")
  n=$(grep -c . <<<"$found" || true)
  if [ "$n" = 1 ] && [ "$(cut -f1 <<<"$found")" = "$REC_rt_TICKET" ]; then
    pass "round $round: RT holds exactly one ticket for $REF (#$REC_rt_TICKET)"
  else
    fail "round $round: RT holds $n tickets for $REF, want exactly #$REC_rt_TICKET" "$found"
  fi
  # Where the kill landed: what RT had right after it, and what the
  # restarted service logged.
  after=$(tail -n +"$((log_lines + 1))" "$WORK/service.log" 2>/dev/null | grep -F "reference=$REF" || true)
  if [ "$at_kill" -ge 1 ]; then where="RT already had a ticket when the service died"; else where="RT had no ticket yet when the service died"; fi
  if grep -q 'ticket exists already' <<<"$after"; then
    how="the restarted service found it and made none"
    in_window=$((in_window + 1))
  elif grep -q 'ticket created' <<<"$after"; then
    how="the restarted service created one"
  else
    how="the delivery had been recorded before the kill"
  fi
  echo "INFO: round $round: $where; $how"
done
echo "INFO: $in_window of ${#KILL_DELAYS[@]} kills landed after RT made the ticket and before the service recorded it"

# ------------------------------------------- 6. RT down: fall back to email
t0=$(now_ms)
RT_PID="" RT_STATE="$RT_STATE" timeout -k 5 30 "$HERE/rt-down.sh" 2>"$WORK/rt-down.log" || true
if ! curl -fsS -m 5 -o /dev/null "$RT_URL/REST/2.0/rt" 2>/dev/null; then
  pass "RT stopped ($(secs_since "$t0") s): $RT_URL no longer answers"
else
  fail "RT still answers on $RT_URL after rt-down.sh" "$(cat "$WORK/rt-down.log")"
fi
if submit "Fallback: RT is down, this report must arrive by mail"; then
  pass "report submit while RT is down printed $REF ($SUBMIT_MS ms)"
else
  fatal "report submit while RT is down failed" "$REF$(cat "$WORK/out/submit.err")"
fi
REF_F=$REF
# Watch the record while it waits: until rt has failed fallback_after
# times, email must not be in the report's route. (A delivered record keeps
# only the destination that took it, so the rt failures are counted here
# and in the service log.)
t0=$(now_ms) rt_seen=0 early_email=0
while :; do
  record "$REF_F" || true
  [ -z "$REC_DELIVERED_BY" ] || break
  if [ "${REC_rt_STATE:-}" = failed-transient ]; then rt_seen=${REC_rt_ATTEMPTS:-0}; fi
  if printf '%s\n' "${REC_DESTS[@]:-}" | grep -qx email && [ "${REC_rt_ATTEMPTS:-0}" -lt "$FALLBACK_AFTER" ]; then
    early_email=1
  fi
  if [ -z "$SVC_PID" ] || ! kill -0 "$SVC_PID" 2>/dev/null; then break; fi
  [ $(($(now_ms) - t0)) -lt $((DELIVERY_TIMEOUT * 1000)) ] || break
  sleep 0.25
done
DELIVERED_MS=$(($(now_ms) - t0))
if [ "$REC_DELIVERED_BY" = email ]; then
  pass "$REF_F fell back to email and was delivered $DELIVERED_MS ms after submit"
  echo "TIME: submit -> email fallback delivered $DELIVERED_MS ms (backoff after the first RT failure)"
else
  fatal "$REF_F not delivered by email within $DELIVERY_TIMEOUT s (delivered by '${REC_DELIVERED_BY:-}')" "$(describe)"
fi
KEY_F=$REC_KEY
what="while rt had failed fewer than $FALLBACK_AFTER times only rt was in the route (seen: rt failed-transient after $rt_seen attempt(s), email not yet)"
if [ "$rt_seen" -ge 1 ] && [ "$early_email" = 0 ]; then pass "$what"; else fail "$what: early email $early_email"; fi
read -r rt_fails fell_back mailed < <(grep -F "reference=$REF_F" "$WORK/service.log" | awk '
  /msg="report falling back/ { if (!fb) fb = 1 }
  /msg="delivery attempt failed/ && /destination=rt / { if (!fb) fails++ }
  /msg="delivery attempt succeeded/ && /destination=email / { mailed = 1 }
  END { print fails + 0, fb + 0, mailed + 0 }')
what="service log: rt failed $rt_fails times (fallback_after = $FALLBACK_AFTER), then 'report falling back to the next destination', then email succeeded"
if [ "$rt_fails" = "$FALLBACK_AFTER" ] && [ "$fell_back" = 1 ] && [ "$mailed" = 1 ]; then
  pass "$what"
else
  fail "$what" "$(grep -F "reference=$REF_F" "$WORK/service.log")"
fi
first=$(grep -F "reference=$REF_F" "$WORK/service.log" | grep -F 'destination=rt attempt=1 ' | head -n 1)
echo "INFO: rt's first failure: $(sed -nE 's/.* err=//p' <<<"$first" | cut -c1-140); next try after $(sed -nE 's/.* retry_in=([^ ]+) .*/\1/p' <<<"$first")"

unset "${!MAIL_@}"
MAIL_COUNT=0
eval "$("$PY" "$FACTS" mail "$MAILDIR_OUT" "$KEY_F" "$WORK/out/mail")"
check "exactly one stored message carries X-Firstline-Key: $KEY_F (found $MAIL_COUNT)" [ "$MAIL_COUNT" = 1 ]
if [ "$MAIL_COUNT" -ge 1 ]; then
  check "the message's subject starts with [$REF_F]: ${MAIL_SUBJECT:-}" [ "${MAIL_SUBJECT:0:$((${#REF_F} + 2))}" = "[$REF_F]" ]
  what="the message came over STARTTLS, authenticated as $SMTP_USER (X-TLS ${MAIL_TLS:-}, X-Auth-User ${MAIL_AUTH_USER:-})"
  if [ "${MAIL_TLS:-}" = starttls ] && [ "${MAIL_AUTH_USER:-}" = "$SMTP_USER" ]; then pass "$what"; else fail "$what"; fi
  for f in "$ATT_BIN" "$ATT_TXT"; do
    name=$(basename "$f") idx=""
    for i in "${!MAIL_ATT_NAMES[@]}"; do
      if [ "${MAIL_ATT_NAMES[$i]}" = "$name" ]; then idx=$i; break; fi
    done
    what="the message has $name ($(stat -c %s "$f") bytes) byte for byte"
    if [ -n "$idx" ] && cmp -s "$WORK/out/mail/$idx" "$f"; then pass "$what"; else fail "$what" "attachments: ${MAIL_ATT_NAMES[*]:-}"; fi
  done
  names=$(printf '%s\n' "${MAIL_ATT_NAMES[@]:-}")
  what="the message also carries the system snapshot (sysinfo.json, summary.txt)"
  if grep -qx sysinfo.json <<<"$names" && grep -qx summary.txt <<<"$names"; then pass "$what"; else fail "$what" "$names"; fi
fi
dup=""
for i in "${!RT_KEYS[@]}"; do
  unset "${!MAIL_@}"
  eval "$("$PY" "$FACTS" mail "$MAILDIR_OUT" "${RT_KEYS[$i]}" "$WORK/out/mail-rt")"
  [ "${MAIL_COUNT:-0}" = 0 ] || dup="$dup ${RT_REFS[$i]}"
done
check "no mail for the ${#RT_KEYS[@]} reports RT accepted (the chain stops at the first destination that takes a report)" [ -z "$dup" ]

# ------------------------- notice responses: still exactly once at the end
# Four SIGKILLs, restarts and an RT outage later, no batch was sent again.
responses "$NOTICE" || true
check "after ${#KILL_DELAYS[@]} SIGKILL restarts and the RT outage, still $NR_COUNT notice-response reports for $NOTICE and $NR_ALL in all (want 2 and 3: nothing resent)" \
  [ "$NR_COUNT/$NR_ALL" = 2/3 ]

# ------------------------------------------------------------ clean stop
svc_stop TERM
check "the service exits 0 on SIGTERM (exit ${SVC_RC:-?})" [ "${SVC_RC:-}" = 0 ]
