package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/audit"
)

// writeAudit writes recs to a fresh audit log, as the service would.
func writeAudit(t *testing.T, recs []audit.Record) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixes-audit.log")
	l, err := audit.Open(path, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, r := range recs {
		if err := l.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestAudit(t *testing.T) {
	now := time.Now()
	path := writeAudit(t, []audit.Record{
		{UID: "1000", User: "jane", Runner: "system", FixID: "flush-dns", Start: now.Add(-72 * time.Hour), End: now.Add(-72 * time.Hour), Result: audit.ResultSuccess},
		{UID: "1001", User: "bob", Runner: "system", FixID: "renew-network", Start: now.Add(-2 * time.Hour), End: now.Add(-2 * time.Hour),
			Result: audit.ResultFailed, FailedStep: 2, Reason: "exit status 4"},
		{UID: "1001", User: "bob", Runner: "system", FixID: "flush-dns", Start: now.Add(-time.Hour), End: now.Add(-time.Hour),
			Result: audit.ResultRefused, Code: "bad-params", Reason: "mode: \"x\nFORGED ROW\" is not allowed"},
		{UID: "0", Runner: "system", FixID: "flush-dns", Start: now.Add(-time.Minute), End: now, Result: audit.ResultRefused, Code: "rate-limited"},
	})
	r := runMain("audit", "--file", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want a header and 4 records:\n%s", len(lines), r.stdout)
	}
	for i, re := range []string{
		`^TIME\s+USER\s+FIX\s+RESULT\s+STEP\s+REASON$`,
		`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+jane\s+flush-dns\s+success\s+-\s+-$`,
		`^\S+ \S+\s+bob\s+renew-network\s+failed\s+2\s+exit status 4$`,
		`^\S+ \S+\s+bob\s+flush-dns\s+refused \(bad-params\)\s+-\s+mode: "x FORGED ROW" is not allowed$`,
		`^\S+ \S+\s+uid 0\s+flush-dns\s+refused \(rate-limited\)\s+-\s+-$`,
	} {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d %q does not match %s", i, lines[i], re)
		}
	}

	tests := []struct {
		args []string
		want []string // fix ids, in order
	}{
		{[]string{"--user", "bob"}, []string{"renew-network", "flush-dns"}},
		{[]string{"--user", "BOB", "--fix", "flush-dns"}, []string{"flush-dns"}},
		{[]string{"--user", "0"}, []string{"flush-dns"}},
		{[]string{"--since", "3h"}, []string{"renew-network", "flush-dns", "flush-dns"}},
		{[]string{"--since", "4d"}, []string{"flush-dns", "renew-network", "flush-dns", "flush-dns"}},
		{[]string{"--user", "nobody"}, []string{}},
	}
	for _, tc := range tests {
		r := runMain(append([]string{"audit", "--json", "--file", path}, tc.args...)...)
		var got []audit.Record
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
			t.Errorf("%v: exit %d, %v\n%s", tc.args, r.code, err, r.stderr)
			continue
		}
		ids := []string{}
		for _, g := range got {
			ids = append(ids, g.FixID)
		}
		if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%v: got %v want %v", tc.args, ids, tc.want)
		}
	}
}

func TestAuditUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--since", "yesterday"}, ExitUsage, "not a duration"},
		{[]string{"--since", "-3h"}, ExitUsage, "not a duration"},
		{[]string{"extra"}, ExitUsage, "unexpected argument"},
	} {
		r := runMain(append([]string{"audit", "--file", filepath.Join(t.TempDir(), "x.log")}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.out) {
			t.Errorf("%v: exit %d %q", tc.args, r.code, r.stderr)
		}
	}
	r := runMain("audit", "--file", filepath.Join(t.TempDir(), "none.log"))
	if r.code != 0 || !strings.Contains(r.stdout, "No matching records") {
		t.Errorf("no log yet: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}
