#!/usr/bin/env bash
# End-to-end test of the monitoring notification scripts: builds
# firstline-service, makes a key pair, feeds the scripts the arguments
# Nagios/Icinga and Zabbix would pass, and checks the feed after each step
# with "notice list", "notice verify" and, when installed, minisign.
#
# Run from anywhere: packaging/monitoring/test.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

fls=$work/firstline-service
echo "building firstline-service"
(cd "$root" && CGO_ENABLED=0 go build -o "$fls" ./service/cmd/firstline-service) || {
	echo "FAIL: build firstline-service"
	echo "0 passed, 1 failed"
	exit 1
}
"$fls" notice keygen --out "$work" >/dev/null || {
	echo "FAIL: notice keygen"
	echo "0 passed, 1 failed"
	exit 1
}
key=$work/firstline-notices.key
pub=$work/firstline-notices.pub
feed=$work/feed.json

nagios() {
	"$here/firstline-nagios-notify" --feed "$feed" --key "$key" --firstline-service "$fls" "$@" >/dev/null
}
zabbix() { # zabbix [options] then the 6 or 7 media type values
	local opts=()
	while [[ $# -gt 0 && $1 == --* ]]; do
		opts+=("$1" "$2")
		shift 2
	done
	"$here/firstline-zabbix-notify" --key "$key" --firstline-service "$fls" --feed "$feed" "${opts[@]}" "$@" >/dev/null
}
# A full Nagios service notification, as the documented command_line passes it.
nagios_service() { # TYPE HOST SERVICE STATE OUTPUT [options...]
	local type=$1 host=$2 service=$3 state=$4 output=$5
	shift 5
	nagios "$@" --type "$type" --host "$host" --host-alias "$host.example.com" --service "$service" \
		--service-state "$state" --host-state UP --service-output "$output" --host-output "PING OK" \
		--time "Mon Nov 23 09:14:02 CET 2026"
}
nagios_host() { # TYPE HOST ALIAS STATE OUTPUT
	nagios --type "$1" --host "$2" --host-alias "$3" --service "" --service-state "" \
		--host-state "$4" --service-output "" --host-output "$5" --time "Mon Nov 23 09:14:02 CET 2026"
}

# row ID prints the "notice list" row of notice ID.
row() { "$fls" notice list "$feed" | awk -v id="$1" 'NR > 2 && $1 == id'; }
severity_of() { row "$1" | awk '{ print $2 }'; }
# expires_in ID prints the seconds until ID expires, "expired" or "never".
expires_in() {
	local r
	r=$(row "$1")
	case $(awk '{ print $3 }' <<<"$r") in
	expired | never) awk '{ print $3 }' <<<"$r" ;;
	*) echo $(($(date -d "$(awk '{ print $3, $4 }' <<<"$r")" +%s) - $(date +%s))) ;;
	esac
}
title_of() { row "$1" | awk '{ $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print }'; }
sequence() { "$fls" notice list "$feed" | awk 'NR == 1 { print $2 }' | tr -d ,; }
# field ID NAME prints a top-level string or bool field of notice ID from the
# feed, which "notice publish" writes one field per line.
field() {
	awk -v id="$1" -v name="$2" '
		/^      "id": / { cur = $2; gsub(/[",]/, "", cur) }
		cur == id && $0 ~ "^      \"" name "\": " { sub("^      \"" name "\": ", ""); sub(/,$/, ""); print }
	' "$feed"
}
between() { [[ $1 =~ ^[0-9]+$ ]] && ((($1 >= $2) && ($1 <= $3))); }
verifies() {
	"$fls" notice verify --pubkey "$pub" "$feed" >/dev/null || return 1
	if command -v minisign >/dev/null 2>&1; then
		minisign -Vm "$feed" -p "$pub" >/dev/null || return 1
	fi
}
contains() { [[ $1 == *"$2"* ]]; }
not_contains() { [[ $1 != *"$2"* ]]; }

echo "--- Nagios / Icinga: service problem, acknowledgement, recovery"
id=nagios-mail01-email
check "PROBLEM exits 0" nagios_service PROBLEM mail01 Email CRITICAL "CRITICAL - Socket timeout after 10 seconds"
check "PROBLEM: notice $id is critical" [ "$(severity_of "$id")" = critical ]
check "PROBLEM: plain title" [ "$(title_of "$id")" = "Email (mail01) is down" ]
check "PROBLEM: expires in about 4h" between "$(expires_in "$id")" $((4 * 3600 - 120)) $((4 * 3600 + 5))
check "PROBLEM: incident (\"me too\") on" [ "$(field "$id" incident)" = true ]
check "PROBLEM: body holds the check output" contains "$(field "$id" body)" "Socket timeout after 10 seconds"
check "PROBLEM: body holds the time" contains "$(field "$id" body)" "Since Mon Nov 23 09:14:02 CET 2026."
check "PROBLEM: feed verifies" verifies
seq1=$(sequence)

check "ACKNOWLEDGEMENT exits 0" nagios_service ACKNOWLEDGEMENT mail01 Email CRITICAL "CRITICAL - Socket timeout after 10 seconds"
check "ACKNOWLEDGEMENT: title says IT is on it" [ "$(title_of "$id")" = "Email (mail01) is down — IT is on it" ]
check "ACKNOWLEDGEMENT: body says IT is working on it" contains "$(field "$id" body)" "IT is working on it."
check "ACKNOWLEDGEMENT: still critical" [ "$(severity_of "$id")" = critical ]
check "ACKNOWLEDGEMENT: one notice, not two" [ "$("$fls" notice list "$feed" | awk 'NR > 2' | wc -l)" -eq 1 ]
check "ACKNOWLEDGEMENT: sequence raised" [ "$(sequence)" -gt "$seq1" ]
check "ACKNOWLEDGEMENT: feed verifies" verifies

check "RECOVERY exits 0" nagios_service RECOVERY mail01 Email OK "OK - 0.1 s response" --resolved-for 3s
check "RECOVERY: severity info" [ "$(severity_of "$id")" = info ]
check "RECOVERY: title says working again" [ "$(title_of "$id")" = "Email (mail01) is working again" ]
check "RECOVERY: expires within seconds" between "$(expires_in "$id")" 0 3
check "RECOVERY: no longer an incident" [ -z "$(field "$id" incident)" ]
check "RECOVERY: feed verifies" verifies
sleep 4
check "RECOVERY: the notice has expired" [ "$(expires_in "$id")" = expired ]

echo "--- Nagios / Icinga: host notifications and state mapping"
check "host DOWN exits 0" nagios_host PROBLEM fs01 "File server" DOWN "CRITICAL - Host Unreachable (10.0.0.5)"
check "host DOWN: critical" [ "$(severity_of nagios-fs01)" = critical ]
check "host DOWN: title names the alias" [ "$(title_of nagios-fs01)" = "File server (fs01) is down" ]
check "the next publish dropped the expired notice" [ -z "$(row "$id")" ]
nagios_host PROBLEM gw01 gw01 UNREACHABLE "CRITICAL - Network Unreachable"
check "host UNREACHABLE: critical, plain title" [ "$(severity_of nagios-gw01)/$(title_of nagios-gw01)" = "critical/gw01 cannot be reached" ]
nagios_service PROBLEM web01 "Disk /var" WARNING "DISK WARNING - free space: /var 900 MB (8%)"
check "service WARNING: warning" [ "$(severity_of nagios-web01-disk-var)" = warning ]
nagios_service PROBLEM web01 Backup UNKNOWN "UNKNOWN - plugin timed out"
check "service UNKNOWN: warning" [ "$(severity_of nagios-web01-backup)" = warning ]
check "feed with several notices verifies" verifies

echo "--- Nagios / Icinga: ids, text and groups"
nagios_service PROBLEM "Web Server #1" "HTTPS / Login (SSO)" CRITICAL "x"
check "id sanitised to the allowed charset" [ -n "$(row nagios-web-server-1-https-login-sso)" ]
long_host=$(printf 'h%.0s' {1..80})
check "very long names still publish" nagios_service PROBLEM "$long_host" "Service with a very long name" CRITICAL "x"
long_id=$("$fls" notice list "$feed" | awk 'NR > 2 && $1 ~ /^nagios-hhhh/ { print $1 }')
check "long id cut to at most 64 characters" between "${#long_id}" 10 64
big=$(printf 'line with a tab\tand a carriage return\r %.0s' {1..200})
check "long output with control characters publishes" nagios_service PROBLEM db01 Postgres CRITICAL "$big"
blen=$(field nagios-db01-postgres body | wc -c)
check "body capped below 4000 characters" between "$blen" 100 4100
body=$(field nagios-db01-postgres body)
check "carriage returns dropped" not_contains "$body" '\r'
check "tabs kept" contains "$body" '\t'
rm -f "$feed" "$feed.minisig"
check "--group publishes" nagios_service PROBLEM vpn01 VPN CRITICAL "x" --group office-berlin
check "--group: the notice targets the group" grep -q '"office-berlin"' "$feed"

echo "--- Nagios / Icinga: ignored and refused notifications"
seq1=$(sequence)
for t in FLAPPINGSTART FLAPPINGSTOP DOWNTIMESTART DOWNTIMEEND CUSTOM; do
	check "$t exits 0" nagios_service "$t" vpn01 VPN CRITICAL "x"
done
check "RECOVERY of a notice never published exits 0" nagios_service RECOVERY other01 VPN OK "OK"
check "ignored notifications left the feed alone" [ "$(sequence)" = "$seq1" ]
check "no notice for the unknown recovery" [ -z "$(row nagios-other01-vpn)" ]
err=$("$here/firstline-nagios-notify" --feed "$feed" --firstline-service "$fls" --type PROBLEM --host h 2>&1)
rc=$?
check "missing --key: usage exit 2" [ "$rc" -eq 2 ]
check "missing --key: says so on stderr" contains "$err" "--key is required"
"$here/firstline-nagios-notify" --feed "$feed" --key "$work/nope.key" --firstline-service "$fls" \
	--type PROBLEM --host h --service s --service-state CRITICAL 2>/dev/null
check "unreadable key: non-zero" [ $? -ne 0 ]
nagios_service BOGUS vpn01 VPN CRITICAL "x" 2>/dev/null
check "unknown notification type: non-zero" [ $? -ne 0 ]
# shellcheck disable=SC2016 # the macros must reach the script unexpanded
nagios_service PROBLEM vpn01 VPN '$(touch pwned)' "x" 2>/dev/null
check "unknown state: non-zero" [ $? -ne 0 ]
# shellcheck disable=SC2016 # the macros must reach the script unexpanded
nagios_service PROBLEM vpn01 '$(touch '"$work"'/pwned)' CRITICAL '`touch '"$work"'/pwned`; rm -rf /'
check "shell syntax in macros is only text" [ ! -e "$work/pwned" ]
check "feed still verifies" verifies

echo "--- Nagios: the command_line of README.md, run through a shell as Nagios does"
rm -f "$feed" "$feed.minisig"
cmdline=$(sed -n 's/^ *command_line *//p' "$here/README.md")
cmdline=${cmdline//\/usr\/local\/bin\/firstline-nagios-notify/\"$here\/firstline-nagios-notify\" --firstline-service \"$fls\"}
cmdline=${cmdline//\/var\/www\/firstline\/feed.json/\"$feed\"}
cmdline=${cmdline//\/etc\/nagios4\/firstline\/firstline-notices.key/\"$key\"}
declare -A macros=([NOTIFICATIONTYPE]=PROBLEM [HOSTNAME]=print01 [HOSTALIAS]="Printer 1st floor"
	[SERVICEDESC]="" [SERVICESTATE]="" [HOSTSTATE]=DOWN [SERVICEOUTPUT]="" [HOSTOUTPUT]="PING CRITICAL - Packet loss = 100%"
	[LONGDATETIME]="Mon Nov 23 09:14:02 CET 2026")
for m in "${!macros[@]}"; do
	cmdline=${cmdline//"\$$m\$"/${macros[$m]}}
done
check "README command_line found and filled in" not_contains "$cmdline" '$'
run_quiet() { "$@" >/dev/null; }
check "README command_line runs" run_quiet sh -c "$cmdline"
check "README command_line: host notice published" [ "$(title_of nagios-print01)" = "Printer 1st floor (print01) is down" ]

echo "--- Zabbix: problem, acknowledgement, recovery"
rm -f "$feed" "$feed.minisig"
zid=zabbix-48213
check "problem exits 0" zabbix 48213 1 High mail01 "SMTP service is down" "Port 25: timeout"
check "problem: High is critical" [ "$(severity_of "$zid")" = critical ]
check "problem: title" [ "$(title_of "$zid")" = "SMTP service is down on mail01" ]
check "problem: expires in about 4h" between "$(expires_in "$zid")" $((4 * 3600 - 120)) $((4 * 3600 + 5))
check "problem: incident on" [ "$(field "$zid" incident)" = true ]
check "problem: body holds the operational data" contains "$(field "$zid" body)" "Port 25: timeout"
check "problem: feed verifies" verifies
check "acknowledged update exits 0" zabbix 48213 1 High mail01 "SMTP service is down" "Port 25: timeout" Yes
check "acknowledged: title says IT is on it" [ "$(title_of "$zid")" = "SMTP service is down on mail01 — IT is on it" ]
check "acknowledged: one notice" [ "$("$fls" notice list "$feed" | awk 'NR > 2' | wc -l)" -eq 1 ]
check "recovery exits 0" zabbix --resolved-for 3s 48213 0 High mail01 "SMTP service is down" "Port 25: ok"
check "recovery: severity info" [ "$(severity_of "$zid")" = info ]
check "recovery: title" [ "$(title_of "$zid")" = "Resolved: SMTP service is down on mail01" ]
check "recovery: expires within seconds" between "$(expires_in "$zid")" 0 3
check "recovery: feed verifies" verifies
sleep 4
check "recovery: the notice has expired" [ "$(expires_in "$zid")" = expired ]

echo "--- Zabbix: severities and refusals"
n=100
for pair in Disaster:critical High:critical Average:warning Warning:warning Information:info "Not classified:info" 5:critical 2:warning 0:info; do
	n=$((n + 1))
	zabbix "$n" 1 "${pair%%:*}" app01 "Something" "" >/dev/null
	check "severity ${pair%%:*} is ${pair##*:}" [ "$(severity_of "zabbix-$n")" = "${pair##*:}" ]
done
check "empty operational data: body still set" [ "$(field zabbix-109 body)" = '"IT has been alerted."' ]
seq1=$(sequence)
check "recovery of an unknown event exits 0" zabbix 999 0 High app01 "Something" ""
check "unknown recovery left the feed alone" [ "$(sequence)" = "$seq1" ]
zabbix 1 1 High app01 2>/dev/null
check "too few parameters: usage exit 2" [ $? -eq 2 ]
zabbix 1 7 High app01 "x" "" 2>/dev/null
check "bad {EVENT.VALUE}: usage exit 2" [ $? -eq 2 ]
"$here/firstline-zabbix-notify" --key "$key" --firstline-service "$fls" 1 1 High app01 x "" 2>/dev/null
check "missing --feed: usage exit 2" [ $? -eq 2 ]
check "feed verifies at the end" verifies

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
