#!/usr/bin/env bash
# `make test`: everything CI checks, in the order a failure is cheapest to
# find. Installs its own prerequisites. The last line sums up every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test

mkdir -p out
log=out/test.log
: > "$log"
passed=0 failed=0
step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './out/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
echo "ok"

step "go vet (linux)"
go vet ./...
echo "ok"

# The service and everything under internal/ must be pure Go on every OS;
# so must the app's small OS-facing packages.
pure=(./service/... ./internal/... ./assets/... ./app/instance/... ./app/privilege/... ./app/link/... ./app/nav/... ./app/trayhost/... ./app/autostart/...)
for os in windows darwin; do
  step "go vet + build, GOOS=$os CGO_ENABLED=0"
  CGO_ENABLED=0 GOOS=$os go vet "${pure[@]}"
  CGO_ENABLED=0 GOOS=$os go build -o /dev/null ./service/cmd/firstline-service
  echo "ok"
done

# The tray app needs cgo (Fyne's OpenGL driver); Windows builds it with
# MinGW. macOS cannot be cross-built with cgo from Linux (no SDK): its pure
# packages are vetted above, the app is built on a Mac.
step "build the tray app for Windows (cgo, MinGW)"
CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 go build -o out/firstline.exe .
CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 go vet . ./app/...
echo "ok: out/firstline.exe ($(du -h out/firstline.exe | cut -f1))"

step "go test -race ./... (GUI through Fyne's headless test driver)"
set +e
# A private session bus, for the packages that talk D-Bus (tray host probe).
dbus-run-session -- go test -race -count=1 -v ./... > "$log" 2>&1
rc=$?
set -e
grep -E '^(ok|FAIL|---|panic:)|^\s+--- FAIL' "$log" | grep -v -- '--- PASS' | grep -v -- '--- SKIP' || true
p=$(grep -cE '^\s*--- PASS' "$log" || true); f=$(grep -cE '^\s*--- FAIL' "$log" || true)
passed=$((passed + p)); failed=$((failed + f))
if [ $rc -ne 0 ]; then
  echo "go test failed (full output in $log):"; grep -B2 -A20 -E '^\s*--- FAIL|^panic:' "$log" | head -200
  [ "$f" -gt 0 ] || failed=$((failed + 1))
fi

# Every parser of foreign text has a fuzz target; CI gives each a short run
# (FUZZ_SECONDS, default 3) on top of the seed corpus go test already ran.
step "fuzz, ${FUZZ_SECONDS:-3}s per target"
fuzz_pass=0 fuzz_fail=0
# fuzz_once TARGET PKG: a short fuzz run. Go's fuzzer sometimes reports
# "context deadline exceeded" when -fuzztime ends mid-minimisation, with no
# failing input; such a run is tried once more. A real failure writes its
# input under testdata/fuzz and fails both times.
fuzz_once() {
  local out=out/fuzz.out try
  for try in 1 2; do
    if go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZ_SECONDS:-3}s" "$2" > "$out" 2>&1; then
      cat "$out" >> "$log"; return 0
    fi
    cat "$out" >> "$log"
    grep -q 'Failing input written' "$out" && return 1
    grep -q 'context deadline exceeded' "$out" || return 1
    echo "note: $1 ended with the fuzzer's own deadline error and no failing input; trying once more"
  done
  return 1
}
while read -r file target; do
  pkg=./$(dirname "$file")
  if fuzz_once "$target" "$pkg"; then
    fuzz_pass=$((fuzz_pass + 1))
  else
    fuzz_fail=$((fuzz_fail + 1)); echo "FAIL: $target in $pkg (see $log)"
  fi
done < <(git grep -h -n -E '^func Fuzz[A-Za-z0-9_]+\(' -- '*_test.go' >/dev/null 2>&1 &&
  git grep -E '^func Fuzz[A-Za-z0-9_]+\(' -- '*_test.go' | sed -E 's/^([^:]+):func (Fuzz[A-Za-z0-9_]+)\(.*/\1 \2/')
echo "fuzz targets: $fuzz_pass passed, $fuzz_fail failed"
passed=$((passed + fuzz_pass)); failed=$((failed + fuzz_fail))

e2e() {
  local name=$1; shift
  step "$name"
  local out=out/e2e.log rc
  set +e
  "$@" > "$out" 2>&1
  rc=$?
  set -e
  cat "$out"; cat "$out" >> "$log"
  if [[ $(tail -n 1 "$out") =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then failed=$((failed + 1)); fi
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
  fi
}
e2e "tray end to end (real D-Bus tray host, Xvfb)" scripts/tray-e2e.sh
e2e "report delivery to a real Request Tracker and SMTP server" bash test/peers/e2e.sh
e2e "monitoring alerts to signed notices (Nagios/Icinga, Zabbix)" bash packaging/monitoring/test.sh
e2e "service lifecycle under a real systemd (nspawn)" bash test/systemd/e2e.sh

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
