package software

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRunner replays recorded command outputs. Commands are keyed by the
// executable and their first argument ("/usr/bin/rpm -q"), because rpm's
// package list comes in map order.
type fakeRunner struct {
	t       testing.TB
	replies map[string]reply
	mu      sync.Mutex
	calls   []string
}

type reply struct {
	file string // under testdata/commands
	err  error
	hang bool // block until the context ends
}

func (f *fakeRunner) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	key := name
	if len(args) > 0 {
		key += " " + args[0]
	}
	f.mu.Lock()
	f.calls = append(f.calls, key)
	f.mu.Unlock()
	r, ok := f.replies[key]
	switch {
	case !ok:
		return nil, errors.New("unexpected command " + key)
	case r.hang:
		<-ctx.Done()
		return nil, ctx.Err()
	case r.err != nil:
		return nil, r.err
	}
	return readTestdata(f.t, "commands/"+r.file), nil
}

func (f *fakeRunner) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(slices.Values(f.calls))
}

// assertItems compares as JSON, the form the snapshot is sent in, so a
// failure shows a readable diff and times compare by instant and zone.
func assertItems(t *testing.T, got Report, want []Item) {
	t.Helper()
	g, _ := json.MarshalIndent(got.Items, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if string(g) != string(w) {
		t.Errorf("items:\n got %s\nwant %s", g, w)
	}
}

func localTime(y int, m time.Month, d, h, min int) *time.Time {
	return ptr(time.Date(y, m, d, h, min, 0, 0, time.Local))
}

func TestDetectDebianDesktop(t *testing.T) {
	f := &fakeRunner{t: t, replies: map[string]reply{
		"/usr/bin/veeamconfig session": {file: "veeamconfig-session-list.txt"},
	}}
	r := Detect(context.Background(), Env{Root: "testdata/debian-teamviewer-anydesk", Run: f.run})
	assertItems(t, r, []Item{
		{Name: "AnyDesk", Kind: KindRemoteHelp, Installed: true, Version: "6.3.2", Running: ptr(true),
			ID: "987 654 321", Launch: "/usr/bin/anydesk", Detail: "alias jdoe-laptop@ad"},
		{Name: "TeamViewer", Kind: KindRemoteHelp, Installed: true, Version: "15.51.5", Running: ptr(true),
			ID: "1 234 567 890", Launch: "/usr/bin/teamviewer"},
		{Name: "ClamAV", Kind: KindSecurity, Installed: true, Version: "1.0.5+dfsg-1~deb12u1", Running: ptr(true),
			Enabled: ptr(false), Definitions: ptr(time.Unix(1714638240, 0).UTC()), Detail: "daily database 27262"},
		{Name: "ufw", Kind: KindFirewall, Installed: true, Enabled: ptr(true)},
		{Name: "LUKS", Kind: KindEncryption, Installed: true, Enabled: ptr(true), Detail: "/ and /home encrypted"},
		{Name: "Veeam Agent", Kind: KindBackup, Installed: true, Version: "6.1.0.1498", Running: ptr(true),
			LastBackup: localTime(2024, 5, 1, 1, 9), Detail: "last session Failed, 2024-05-02 01:02"},
		{Name: "Microsoft Teams", Kind: KindApp, Installed: true, Version: "1.4.27", Running: ptr(false),
			Launch: "/snap/bin/teams-for-linux"},
		{Name: "Slack", Kind: KindApp, Installed: true, Version: "4.37.101", Running: ptr(true), Launch: "/usr/bin/slack"},
		{Name: "Zoom", Kind: KindApp, Installed: true, Version: "6.0.2.4680", Running: ptr(false), Launch: "/usr/bin/zoom"},
	})
	if len(r.Problems) != 0 {
		t.Errorf("problems: %v", r.Problems)
	}
	// ufw is on, so nftables is not asked.
	if got := f.called(); !slices.Equal(got, []string{"/usr/bin/veeamconfig session"}) {
		t.Errorf("commands run: %v", got)
	}
}

func TestDetectCleanMachineReportsOnlyFirewallAndEncryption(t *testing.T) {
	f := &fakeRunner{t: t}
	r := Detect(context.Background(), Env{Root: "testdata/clean", Run: f.run})
	assertItems(t, r, []Item{
		{Name: "Firewall", Kind: KindFirewall, Enabled: ptr(false), Detail: "no ufw, firewalld or nftables found"},
		{Name: "LUKS", Kind: KindEncryption, Enabled: ptr(false), Detail: "/ not encrypted"},
	})
	if len(r.Problems) != 0 || len(f.called()) != 0 {
		t.Errorf("problems %v, commands %v", r.Problems, f.called())
	}
}

// TestDetectBrokenFiles: each unreadable file lands on its own item, the
// versions found elsewhere survive, and the report names the live paths,
// never the fixture root.
func TestDetectBrokenFiles(t *testing.T) {
	f := &fakeRunner{t: t, replies: map[string]reply{
		"/usr/sbin/nft list":           {err: errors.New("running /usr/sbin/nft: exit status 1: Operation not permitted (you must be root)")},
		"/usr/bin/veeamconfig session": {err: errors.New("running /usr/bin/veeamconfig: exit status 1: Failed to connect to veeamservice")},
	}}
	r := Detect(context.Background(), Env{Root: "testdata/broken", Run: f.run})
	assertItems(t, r, []Item{
		{Name: "TeamViewer", Kind: KindRemoteHelp, Installed: true, Version: "15.51.5", Running: ptr(false),
			Error: "reading /etc/teamviewer/global.conf: not a regular file"},
		{Name: "ClamAV", Kind: KindSecurity, Installed: true, Version: "1.0.5+dfsg-1~deb12u1", Running: ptr(false), Enabled: ptr(false),
			Error: "reading /var/lib/clamav/daily.cvd: not a ClamAV database header"},
		{Name: "ufw", Kind: KindFirewall, Installed: true,
			Error: "reading /etc/ufw/ufw.conf: not a regular file; running /usr/sbin/nft: exit status 1: Operation not permitted (you must be root)"},
		{Name: "LUKS", Kind: KindEncryption, Error: "reading /proc/mounts: no such file or directory"},
		{Name: "Veeam Agent", Kind: KindBackup, Installed: true, Version: "6.1.0.1498", Running: ptr(false),
			Error: "running /usr/bin/veeamconfig: exit status 1: Failed to connect to veeamservice"},
	})
	data, _ := json.Marshal(r)
	if strings.Contains(string(data), "testdata") {
		t.Errorf("the fixture root leaked into the report: %s", data)
	}
}

func TestDetectFedoraWithRPMAndFlatpak(t *testing.T) {
	f := &fakeRunner{t: t, replies: map[string]reply{
		"/usr/bin/rpm -q": {file: "rpm-query.txt"},
	}}
	r := Detect(context.Background(), Env{Root: "testdata/fedora-rpm", Run: f.run})
	assertItems(t, r, []Item{
		{Name: "AnyDesk", Kind: KindRemoteHelp, Installed: true, Version: "6.3.2-1", Running: ptr(false)},
		{Name: "Sophos", Kind: KindSecurity, Installed: true, Version: "1.2.3.456", Running: ptr(true)},
		{Name: "firewalld", Kind: KindFirewall, Installed: true, Running: ptr(true), Enabled: ptr(true)},
		{Name: "LUKS", Kind: KindEncryption, Installed: true, Enabled: ptr(true), Detail: "/ and /home encrypted"},
		{Name: "Zoom", Kind: KindApp, Installed: true, Version: "6.0.2.4680", Running: ptr(true),
			Launch: "/var/lib/flatpak/exports/bin/us.zoom.Zoom"},
	})
	if got := f.called(); !slices.Equal(got, []string{"/usr/bin/rpm -q"}) {
		t.Errorf("commands run: %v (firewalld runs, nft must not be asked)", got)
	}
}

func TestDetectNftablesAndXrdp(t *testing.T) {
	tests := []struct {
		ruleset  string
		firewall Item
	}{
		{"nft-list-ruleset.txt", Item{Name: "nftables", Kind: KindFirewall, Installed: true, Enabled: ptr(true),
			Detail: "3 rules on incoming traffic, default drop"}},
		{"nft-list-ruleset-docker.txt", Item{Name: "nftables", Kind: KindFirewall, Installed: true, Enabled: ptr(false),
			Detail: "no rules filter incoming traffic"}},
	}
	for _, tt := range tests {
		f := &fakeRunner{t: t, replies: map[string]reply{"/usr/sbin/nft list": {file: tt.ruleset}}}
		r := Detect(context.Background(), Env{Root: "testdata/server-nftables", Run: f.run})
		assertItems(t, r, []Item{
			{Name: "Remote Desktop", Kind: KindRemoteHelp, Installed: true, Version: "0.9.21.1-1", Running: ptr(true),
				Enabled: ptr(true), Detail: "xrdp"},
			tt.firewall,
			{Name: "LUKS", Kind: KindEncryption, Enabled: ptr(false), Detail: "/ and /home not encrypted"},
		})
	}
}

// TestDetectHungCommand: a tool that never answers costs one timeout and
// an error on its item; everything else is reported.
func TestDetectHungCommand(t *testing.T) {
	f := &fakeRunner{t: t, replies: map[string]reply{
		"/usr/bin/veeamconfig session": {hang: true},
	}}
	r := Detect(context.Background(), Env{Root: "testdata/debian-teamviewer-anydesk", Run: f.run, Timeout: 50 * time.Millisecond})
	var veeam, tv Item
	for _, it := range r.Items {
		switch it.Name {
		case nameVeeam:
			veeam = it
		case nameTeamViewer:
			tv = it
		}
	}
	if veeam.Error != "veeamconfig timed out after 50ms: context deadline exceeded" || veeam.LastBackup != nil || veeam.Version == "" {
		t.Errorf("veeam = %+v", veeam)
	}
	if tv.ID != "1 234 567 890" || len(r.Items) != 9 || len(r.Problems) != 0 {
		t.Errorf("the rest suffered: teamviewer %+v, %d items, problems %v", tv, len(r.Items), r.Problems)
	}
}

func TestDetectCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &fakeRunner{t: t, replies: map[string]reply{
		"/usr/bin/veeamconfig session": {hang: true},
		"/usr/sbin/nft list":           {hang: true},
	}}
	r := Detect(ctx, Env{Root: "testdata/broken", Run: f.run})
	if !slices.Contains(r.Problems, "detection cut short: context canceled") {
		t.Errorf("problems = %v", r.Problems)
	}
	kinds := map[Kind]bool{}
	for _, it := range r.Items {
		kinds[it.Kind] = true
		if it.Name == nameVeeam && it.Error != "veeamconfig stopped: context canceled" {
			t.Errorf("veeam error = %q", it.Error)
		}
	}
	if !kinds[KindFirewall] || !kinds[KindEncryption] {
		t.Errorf("firewall and encryption must always be reported: %+v", r.Items)
	}
}

func TestDetectUnreadablePackageDatabase(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(root+"/var/lib/dpkg/status", 0o755); err != nil {
		t.Fatal(err)
	}
	r := Detect(context.Background(), Env{Root: root, Run: (&fakeRunner{t: t}).run})
	want := []string{
		"package database: reading /var/lib/dpkg/status: not a regular file",
		"process list: listing /proc: no such file or directory",
	}
	if !slices.Equal(r.Problems, want) {
		t.Errorf("problems = %q, want %q", r.Problems, want)
	}
	if len(r.Items) != 2 || r.Items == nil {
		t.Errorf("items = %+v", r.Items)
	}
}

func TestReportJSONNames(t *testing.T) {
	it := Item{Name: "Veeam Agent", Kind: KindBackup, Installed: true, LastBackup: ptr(time.Date(2024, 5, 1, 1, 9, 0, 0, time.UTC))}
	data, err := json.Marshal(Report{Items: []Item{it}})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"items":[{"name":"Veeam Agent","kind":"backup","installed":true,"last_backup":"2024-05-01T01:09:00Z"}]}`
	if string(data) != want {
		t.Errorf("got %s", data)
	}
}

// BenchmarkDetectFixture is the Linux detection of a desktop with most
// tools installed, commands replayed: the cost of the file reads alone.
func BenchmarkDetectFixture(b *testing.B) {
	f := &fakeRunner{t: b, replies: map[string]reply{
		"/usr/bin/veeamconfig session": {file: "veeamconfig-session-list.txt"},
	}}
	ctx := context.Background()
	for b.Loop() {
		Detect(ctx, Env{Root: "testdata/debian-teamviewer-anydesk", Run: f.run})
	}
}
