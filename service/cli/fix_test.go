//go:build unix

package cli

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
)

// fakeAPI speaks the fixes and health part of the LocalAPI contract on a
// Unix socket, so the commands are tested without the service.
type fakeAPI struct {
	sock string

	mu    sync.Mutex
	runs  []string     // ids POSTed to run
	plans []url.Values // queries of plan requests
	body  localapi.FixRunRequest
}

func fakeFixList() localapi.FixList {
	return localapi.FixList{
		Groups: []string{"Internet", "Meetings & chat", "Security"},
		Items: []localapi.FixInfo{
			{ID: "flush-dns", Title: "Flush the DNS cache", Description: "Forgets remembered web addresses.", Group: "Internet",
				RunsAs: "system", TimeoutSeconds: 60, Available: true},
			{ID: "renew-network", Title: "Restart the network connection", Description: "Your network drops for ~10 seconds.",
				Group: "Internet", RunsAs: "system", TimeoutSeconds: 120, Available: true, NextSteps: "Restart the computer."},
			{ID: "clear-teams-cache", Title: "Clear the Microsoft Teams cache", Description: "Quits Teams, clears its cache.",
				Group: "Meetings & chat", RunsAs: "user", TimeoutSeconds: 60, Available: true},
			{ID: "backup-now", Title: "Back up now", Description: "Starts a backup.", Group: "Security", RunsAs: "system",
				TimeoutSeconds: 600, Available: false,
				Params: []localapi.FixParam{{Name: "days", Label: "Keep (days)", Kind: "int", Min: 1, Max: 30, Default: "7"}}},
		},
		Disabled: []string{"security-updates"},
	}
}

// fakeRefusals are the run requests the fake refuses, by id.
func fakeRefusals() map[string]localapi.Code {
	return map[string]localapi.Code{
		"busy": localapi.CodeFixBusy, "flood": localapi.CodeRateLimited, "badp": localapi.CodeFixBadParams,
		"gone": localapi.CodeFixUnavailable, "noperm": localapi.CodePermissionDenied,
	}
}

// catalogRefusals are what the real service answers for a user fix, a
// fix IT turned off and an unknown id of the fake list.
func catalogRefusals() map[string]localapi.Code {
	return map[string]localapi.Code{
		"clear-teams-cache": localapi.CodeFixWrongRunner, "security-updates": localapi.CodeFixDisabled,
		"no-such-fix": localapi.CodeFixUnknown,
	}
}

func startFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	// Socket paths are short-lived and must stay under the 108-byte limit.
	dir, err := os.MkdirTemp("", "fl-fix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	f := &fakeAPI{sock: filepath.Join(dir, "s.sock")}
	ln, err := net.Listen("unix", f.sock)
	if err != nil {
		t.Fatal(err)
	}
	list := fakeFixList()
	for id := range fakeRefusals() {
		list.Items = append(list.Items, localapi.FixInfo{ID: id, Title: id, Group: "Internet", RunsAs: "system", Available: true})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+localapi.PathFixes, func(w http.ResponseWriter, r *http.Request) { writeJSONTo(w, list) })
	mux.HandleFunc("GET "+localapi.PathFixPlan, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.plans = append(f.plans, r.URL.Query())
		f.mu.Unlock()
		if r.URL.Query().Get("p.days") == "99" {
			refuse(w, localapi.CodeFixBadParams, "days: 99 is above the maximum 30")
			return
		}
		writeJSONTo(w, localapi.FixPlan{FixID: r.URL.Query().Get("id"), Title: "Back up now", RunsAs: "system",
			Params: map[string]string{"days": r.URL.Query().Get("p.days")}, TimeoutSeconds: 600,
			Steps: []localapi.FixPlanStep{
				{N: 1, Kind: "exec", Summary: "Start the backup job", Commands: []string{"/usr/bin/veeamconfig job start --name 'Daily backup'"}},
				{N: 2, Kind: "wait-for", Summary: "Wait for the network"},
			}})
	})
	mux.HandleFunc("POST "+localapi.PathFixRun, func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		f.mu.Lock()
		f.runs = append(f.runs, id)
		_ = json.NewDecoder(r.Body).Decode(&f.body)
		f.mu.Unlock()
		if code, ok := fakeRefusals()[id]; ok {
			refuse(w, code, "refused for the test")
			return
		}
		if code, ok := catalogRefusals()[id]; ok {
			refuse(w, code, "refused for the test")
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		enc := json.NewEncoder(w)
		send := func(ev localapi.FixEvent) {
			_ = enc.Encode(ev)
			w.(http.Flusher).Flush()
		}
		progress := func(p localapi.FixProgress) {
			p.Steps = 2
			send(localapi.FixEvent{Type: localapi.FixEventProgress, Progress: &p})
		}
		progress(localapi.FixProgress{Event: "step-started", Step: 1, Summary: "Flush the resolver cache"})
		progress(localapi.FixProgress{Event: "output", Step: 1, Line: "Flushed all caches."})
		progress(localapi.FixProgress{Event: "step-done", Step: 1, Status: "ok"})
		progress(localapi.FixProgress{Event: "step-started", Step: 2, Summary: "Check that names resolve"})
		res := localapi.FixResult{FixID: id, Outcome: "success", Message: "The DNS cache was flushed.", Planned: 2}
		if id == "renew-network" {
			progress(localapi.FixProgress{Event: "output", Step: 2, Line: "nmcli: error: timeout\r\n"})
			progress(localapi.FixProgress{Event: "step-done", Step: 2, Status: "failed"})
			res = localapi.FixResult{FixID: id, Outcome: "failed", FailedStep: 2, Planned: 2,
				Message: "The network did not come back.", NextSteps: "Restart the computer.",
				Steps: []localapi.FixStepResult{{N: 1, Status: "ok"}, {N: 2, Status: "failed", Error: "exit status 4"}}}
		} else {
			progress(localapi.FixProgress{Event: "step-done", Step: 2, Status: "ok"})
		}
		send(localapi.FixEvent{Type: localapi.FixEventResult, Result: &res})
	})
	mux.HandleFunc("GET "+localapi.PathHealth, func(w http.ResponseWriter, r *http.Request) {
		rs, err := health.Run(fakeInput(), health.DefaultThresholds(), r.URL.Query()["name"]...)
		if err != nil {
			refuse(w, localapi.CodeBadRequest, err.Error())
			return
		}
		writeJSONTo(w, localapi.NewHealthReport(rs))
	})
	srv := &http.Server{Handler: mux}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return f
}

func writeJSONTo(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, code localapi.Code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(localapi.StatusOf(code))
	_ = json.NewEncoder(w).Encode(localapi.ErrorBody{Error: &localapi.Error{Code: code, Message: msg}})
}

func (f *fakeAPI) ranIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.runs...)
}

func TestFixList(t *testing.T) {
	f := startFakeAPI(t)
	r := runMain("fix", "list", "--socket", f.sock)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, re := range []string{
		`(?m)^  ID\s+TITLE\s+RUNS AS\s+AVAILABLE$`,
		`(?m)^Internet\n  flush-dns\s+Flush the DNS cache\s+system\s+yes\n  renew-network\s+Restart the network connection\s+system\s+yes$`,
		`(?m)^Meetings & chat\n  clear-teams-cache\s+Clear the Microsoft Teams cache\s+user\s+yes$`,
		`(?m)^Security\n  backup-now\s+Back up now\s+system\s+no \(not installed\)$`,
		`(?m)^Turned off by IT: security-updates$`,
	} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("output lacks %s:\n%s", re, r.stdout)
		}
	}
	js := runMain("fix", "list", "--json", "--socket", f.sock)
	var got localapi.FixList
	if err := json.Unmarshal([]byte(js.stdout), &got); err != nil || js.code != 0 || len(got.Items) != len(fakeFixList().Items)+len(fakeRefusals()) {
		t.Errorf("--json: exit %d, %v, %d items", js.code, err, len(got.Items))
	}
}

func TestFixShowSystem(t *testing.T) {
	f := startFakeAPI(t)
	r := runMain("fix", "show", "backup-now", "--param", "days=14", "--socket", f.sock)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"backup-now — Back up now", "runs as system", "NOT AVAILABLE here", "Starts a backup.",
		"  days  Keep (days): whole number 1–30, default 7",
		"Dry run (nothing is changed):\n  with days=14\n  1. Start the backup job\n       /usr/bin/veeamconfig job start --name 'Daily backup'\n  2. Wait for the network\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if len(f.plans) != 1 || f.plans[0].Get("id") != "backup-now" || f.plans[0].Get("p.days") != "14" {
		t.Errorf("plan requests %v", f.plans)
	}
	bad := runMain("fix", "show", "backup-now", "--param", "days=99", "--socket", f.sock)
	if bad.code != ExitUsage || !strings.Contains(bad.stderr, "above the maximum") {
		t.Errorf("bad param: exit %d %s", bad.code, bad.stderr)
	}
}

func TestFixShowUserPlansLocally(t *testing.T) {
	f := startFakeAPI(t)
	cfg := filepath.Join(t.TempDir(), "firstline.toml") // absent: defaults, no fixes.d
	r := runMain("fix", "show", "clear-teams-cache", "--config", cfg, "--socket", f.sock)
	if r.code != 0 {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	if !strings.Contains(r.stdout, "runs in the employee's own session") || !regexp.MustCompile(`(?m)^  1\. Quit teams`).MatchString(r.stdout) ||
		!regexp.MustCompile(`(?m)^  \d\. Delete files in .*/Cache`).MatchString(r.stdout) {
		t.Errorf("output:\n%s", r.stdout)
	}
	if len(f.plans) != 0 {
		t.Errorf("a user fix's plan was asked of the service: %v", f.plans)
	}
}

func TestFixRun(t *testing.T) {
	f := startFakeAPI(t)
	r := runMain("fix", "run", "flush-dns", "--socket", f.sock, "--param", "mode=all")
	want := "[1/2] Flush the resolver cache\n      Flushed all caches.\n[2/2] Check that names resolve\n\nSuccess: The DNS cache was flushed.\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d\ngot  %q\nwant %q\n%s", r.code, r.stdout, want, r.stderr)
	}
	if f.body.Params["mode"] != "all" {
		t.Errorf("params sent: %v", f.body.Params)
	}
	r = runMain("fix", "run", "renew-network", "--socket", f.sock)
	if r.code != ExitFailure || !strings.Contains(r.stdout, "      nmcli: error: timeout\n      → failed\n") ||
		!strings.Contains(r.stdout, "FAILED at step 2 of 2: The network did not come back.\n  exit status 4\nNext: Restart the computer.\n") {
		t.Errorf("failed run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestFixRunRefusals(t *testing.T) {
	f := startFakeAPI(t)
	tests := []struct {
		args   []string
		code   int
		stderr string
		ran    bool
	}{
		{[]string{"busy"}, ExitTryLater, "refused for the test", true},
		{[]string{"flood"}, ExitTryLater, "refused for the test", true},
		{[]string{"badp", "--param", "x=;rm -rf /"}, ExitUsage, "refused for the test", true},
		{[]string{"gone"}, ExitUnavailable, "refused for the test", true},
		{[]string{"noperm"}, ExitNoPermission, "refused for the test", true},
		// Refusals come from the service, which audits them.
		{[]string{"clear-teams-cache"}, ExitUsage, "runs in your session from the Firstline app", true},
		{[]string{"security-updates"}, ExitUnavailable, "refused for the test", true},
		{[]string{"no-such-fix"}, ExitUsage, "refused for the test", true},
		{[]string{}, ExitUsage, "name one fix", false},
		{[]string{"flush-dns", "renew-network"}, ExitUsage, "name one fix", false},
		{[]string{"flush-dns", "--param", "novalue"}, ExitUsage, "not NAME=VALUE", false},
	}
	for _, tc := range tests {
		before := len(f.ranIDs())
		r := runMain(append([]string{"fix", "run", "--socket", f.sock}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, r.code, tc.code, r.stderr)
		}
		if ran := len(f.ranIDs()) > before; ran != tc.ran {
			t.Errorf("%v: run requested = %v", tc.args, ran)
		}
	}
}

func TestFixRunDryRun(t *testing.T) {
	f := startFakeAPI(t)
	r := runMain("fix", "run", "backup-now", "--dry-run", "--param", "days=3", "--socket", f.sock)
	if r.code != 0 || !strings.Contains(r.stdout, "with days=3\n  1. Start the backup job") || len(f.ranIDs()) != 0 {
		t.Errorf("exit %d, runs %v\n%s%s", r.code, f.ranIDs(), r.stdout, r.stderr)
	}
}

func TestFixServiceDown(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	cfg := filepath.Join(t.TempDir(), "firstline.toml") // absent: defaults, no fixes.d
	run := runMain("fix", "run", "flush-dns", "--socket", sock)
	if run.code != ExitFailure || !strings.Contains(run.stderr, "not running") {
		t.Errorf("run: exit %d %s", run.code, run.stderr)
	}
	// list and show read this machine's catalog instead.
	list := runMain("fix", "list", "--socket", sock, "--config", cfg)
	if list.code != 0 || !strings.Contains(list.stderr, "reading this machine's catalog") ||
		!regexp.MustCompile(`(?m)^  flush-dns\s+Flush the DNS cache\s+system\s+(yes|no \(not installed\))$`).MatchString(list.stdout) ||
		!regexp.MustCompile(`(?m)^  clear-teams-cache\s+.+\s+user\s+`).MatchString(list.stdout) {
		t.Errorf("list: exit %d\n%s%s", list.code, list.stdout, list.stderr)
	}
	show := runMain("fix", "show", "free-disk-space", "--param", "days=9", "--socket", sock, "--config", cfg)
	if show.code != 0 || !strings.Contains(show.stdout, "with days=9") || !regexp.MustCompile(`(?m)^  1\. `).MatchString(show.stdout) {
		t.Errorf("show: exit %d\n%s%s", show.code, show.stdout, show.stderr)
	}
	bad := runMain("fix", "show", "free-disk-space", "--param", "days=$(id)", "--socket", sock, "--config", cfg)
	if bad.code != ExitUsage {
		t.Errorf("bad param, locally: exit %d %s", bad.code, bad.stderr)
	}
	unknown := runMain("fix", "show", "nope", "--socket", sock, "--config", cfg)
	if unknown.code != ExitUsage || !strings.Contains(unknown.stderr, `no fix "nope"`) {
		t.Errorf("unknown, locally: exit %d %s", unknown.code, unknown.stderr)
	}
}

func TestCheckThroughService(t *testing.T) {
	f := startFakeAPI(t)
	th := health.DefaultThresholds()
	disk, diskCode := health.Nagios(health.Disk(fakeInput(), th))
	all, _ := health.Run(fakeInput(), th)
	allOut, allCode := health.NagiosAll(all)
	two, _ := health.Run(fakeInput(), th, "disk", "reboot")
	twoOut, twoCode := health.NagiosAll(two)
	tests := []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"disk"}, disk + "\n", diskCode},
		{[]string{"--all"}, allOut, allCode},
		{[]string{}, allOut, allCode},
		{[]string{"reboot", "disk"}, twoOut, twoCode},
	}
	for _, tc := range tests {
		r := runMain(append([]string{"check", "--socket", f.sock}, tc.args...)...)
		if r.stdout != tc.out || r.code != tc.code || r.stderr != "" {
			t.Errorf("%v: exit %d (want %d)\ngot  %q\nwant %q\nstderr %q", tc.args, r.code, tc.code, r.stdout, tc.out, r.stderr)
		}
	}
	if diskCode != int(health.Warning) || allCode != int(health.Warning) {
		t.Fatalf("the fixture should warn: disk %d all %d", diskCode, allCode)
	}
}

func TestCheckServiceDownMeasuresHere(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	cfg := filepath.Join(t.TempDir(), "firstline.toml")
	r := runMain("check", "disk", "--socket", sock, "--config", cfg)
	if !regexp.MustCompile(`^FIRSTLINE DISK (OK|WARNING|CRITICAL) - [0-9.]+% free on / \| free_pct=[0-9.]+;10;5\n$`).MatchString(r.stdout) ||
		r.code > 2 || !strings.Contains(r.stderr, "measuring here") {
		t.Errorf("exit %d\n%q\n%q", r.code, r.stdout, r.stderr)
	}
	r = runMain("check", "uptime", "--local", "--socket", noSocket(t), "--config", cfg)
	if !strings.HasPrefix(r.stdout, "FIRSTLINE UPTIME ") || strings.Contains(r.stderr, "measuring here") {
		t.Errorf("--local: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// noSocket is a socket nobody listens on.
func noSocket(t *testing.T) string { return filepath.Join(t.TempDir(), "nobody.sock") }
