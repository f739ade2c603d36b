package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/builtin"
)

func linuxBuiltins() []fixes.Fix { return builtin.For(fixes.Platform{GOOS: fixes.Linux}) }

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseGoodFile(t *testing.T) {
	f, probs := Parse("good.toml", readTestdata(t, "good.toml"))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if !slices.Equal(f.Disable, []string{"backup-now", "restart-onedrive"}) {
		t.Errorf("disable %v", f.Disable)
	}
	if len(f.Overrides) != 1 || f.Overrides[0].ID != "free-disk-space" || *f.Overrides[0].Params[0].Min != 3 ||
		*f.Overrides[0].Params[0].Max != 30 || *f.Overrides[0].Params[0].Default != "14" || f.Overrides[0].Params[0].Enum != nil {
		t.Errorf("overrides %+v", f.Overrides)
	}
	if len(f.Fixes) != 2 {
		t.Fatalf("%d fixes", len(f.Fixes))
	}
	vpn := f.Fixes[0]
	if vpn.Timeout != 2*time.Minute || vpn.RunsAs != fixes.RunsAsSystem || len(vpn.Params) != 2 || len(vpn.Steps) != 5 ||
		!slices.Equal(vpn.RequiresAny, []string{"/usr/bin/acme-vpn", "/opt/acme/bin/acme-vpn"}) {
		t.Errorf("vpn %+v", vpn)
	}
	wantSteps := []fixes.Step{
		fixes.Exec{Path: "/usr/bin/acme-vpn", Args: []string{"--profile", "{{profile}}", "reconnect"}, Env: []string{"ACME_QUIET=1"},
			AllowExit: []int{3}, Timeout: 30 * time.Second},
		fixes.ServiceAction{Name: "openvpn", Action: fixes.ServiceRestart},
		fixes.RemoveOld{Root: "temp", Paths: []string{"acme-vpn"}, Pattern: "*.log", OlderThanParam: "days"},
		fixes.WaitFor{Condition: fixes.Condition{Kind: fixes.CondNetworkUp}, Timeout: 45 * time.Second},
		fixes.Check{Condition: fixes.Condition{Kind: fixes.CondDNSResolves, Arg: "intranet.acme.example"},
			Message: "The VPN is up but the intranet cannot be found."},
	}
	for i, want := range wantSteps {
		if !equalStep(vpn.Steps[i], want) {
			t.Errorf("step %d = %#v\nwant %#v", i+1, vpn.Steps[i], want)
		}
	}
	chat := f.Fixes[1]
	if !equalStep(chat.Steps[0], fixes.QuitApp{Name: "acmechat", Grace: 5 * time.Second}) ||
		!equalStep(chat.Steps[2], fixes.RelaunchApp{Name: "acmechat"}) {
		t.Errorf("chat steps %#v", chat.Steps)
	}
}

func equalStep(a, b fixes.Step) bool { return reflect.DeepEqual(a, b) }

func TestParseReportsFileAndLine(t *testing.T) {
	tests := []struct {
		file string
		want []string // "file:line: substring"
	}{
		{"syntax.toml", []string{"syntax.toml:3: syntax error"}},
		{"unknown-key.toml", []string{`unknown-key.toml:4: unknown key "fix.descripton"`}},
		{"wrong-type.toml", []string{"wrong-type.toml:6: override.param.min: expected an integer, got a TOML string"}},
		{"bad-step.toml", []string{"bad-step.toml:12: fix acme-bad: step 2: a step has exactly one of"}},
		{"invalid-step.toml", []string{"invalid-step.toml:18: fix acme-invalid: argument \"--host={{host}}\": a placeholder must be a whole argument"}},
		{"wrong-key-for-step.toml", []string{"wrong-key-for-step.toml:9: fix acme-wrong: step 1: paths is not used by a service step"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, probs := Parse(tc.file, readTestdata(t, tc.file))
			if f != nil {
				t.Fatal("a malformed file was accepted")
			}
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
					t.Errorf("no problem starting %q in:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "0d": 0, "90s": 90 * time.Second, "1h30m": 90 * time.Minute} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "7", "-1d", "1.5d", "x", "-5s", "99999d"} {
		if _, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) accepted", in)
		}
	}
}

// catalogDir makes a fixes.d with the given files (testdata names or
// name=content) in a fresh folder.
func catalogDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "fixes.d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadAppliesAdminFiles(t *testing.T) {
	dir := catalogDir(t, map[string][]byte{"10-acme.toml": readTestdata(t, "good.toml"), "README": []byte("not toml"),
		".#10-acme.toml": []byte("editor lock")})
	c, err := Load(dir, linuxBuiltins(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lookup("backup-now"); !errors.Is(err, fixes.ErrDisabled) {
		t.Errorf("backup-now: %v, want disabled", err)
	}
	if _, err := c.Lookup("no-such"); !errors.Is(err, fixes.ErrUnknownFix) {
		t.Errorf("unknown: %v", err)
	}
	disk, err := c.Lookup("free-disk-space")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := disk.Values(map[string]string{"days": "2"}); err == nil {
		t.Error("the override's new minimum is not applied")
	}
	if v, err := disk.Values(nil); err != nil || mustGet(v, "days") != "14" {
		t.Errorf("new default: %v %v", v, err)
	}
	if _, err := c.Lookup("acme-vpn-restart"); err != nil {
		t.Errorf("company fix: %v", err)
	}
	ids := func(list []fixes.Fix) []string {
		var out []string
		for _, f := range list {
			out = append(out, f.ID)
		}
		return out
	}
	linux := ids(c.List(fixes.Linux))
	if slices.Contains(linux, "backup-now") || !slices.Contains(linux, "acme-vpn-restart") || !slices.Contains(linux, "acme-chat-cache") {
		t.Errorf("list %v", linux)
	}
	if got := ids(c.Search(fixes.Linux, "vpn ACME")); !slices.Equal(got, []string{"acme-vpn-restart"}) {
		t.Errorf("search: %v", got)
	}
	if !slices.Equal(c.Disabled(), []string{"backup-now", "restart-onedrive"}) {
		t.Errorf("disabled %v", c.Disabled())
	}
	// Groups come in the app's order.
	var groups []fixes.Group
	for _, f := range c.List(fixes.Linux) {
		if len(groups) == 0 || groups[len(groups)-1] != f.Group {
			groups = append(groups, f.Group)
		}
	}
	if !slices.Equal(groups, fixes.Groups()) {
		t.Errorf("group order %v", groups)
	}
}

func mustGet(v fixes.Values, name string) string {
	s, _ := v.Get(name)
	return s
}

func TestLoadSkipsBadFilesWhole(t *testing.T) {
	clash := []byte(`disable = ["flush-dns"]
[[fix]]
id = "resync-clock"
title = "Mine"
description = "Takes a built-in's id."
group = "Internet"
os = ["linux"]
runs_as = "system"
  [[fix.step]]
  exec = "/usr/bin/true"
`)
	dir := catalogDir(t, map[string][]byte{
		"10-good.toml": readTestdata(t, "good.toml"), "20-clash.toml": clash,
		"30-bad-override.toml": readTestdata(t, "bad-override.toml"), "40-syntax.toml": readTestdata(t, "syntax.toml"),
	})
	c, err := Load(dir, linuxBuiltins(), Options{})
	var le *LoadError
	if !errors.As(err, &le) || c == nil {
		t.Fatalf("Load = %v, %v", c, err)
	}
	msgs := le.Error()
	for _, want := range []string{"20-clash.toml:2: fix resync-clock: the id is already taken", "30-bad-override.toml:4: override of free-disk-space:",
		"40-syntax.toml:3: syntax error"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("missing %q in:\n%s", want, msgs)
		}
	}
	// Nothing of the clashing file applies, not even its disable list.
	if _, err := c.Lookup("flush-dns"); err != nil {
		t.Errorf("flush-dns: %v", err)
	}
	if _, err := c.Lookup("acme-vpn-restart"); err != nil {
		t.Errorf("the good file was not applied: %v", err)
	}
}

func TestLoadMissingFolder(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "nope", "fixes.d"), linuxBuiltins(), Options{})
	if err != nil || len(c.List(fixes.Linux)) != len(linuxBuiltins()) {
		t.Fatal(err)
	}
}

func TestNewRejectsInvalidOrDuplicate(t *testing.T) {
	b := linuxBuiltins()
	if _, err := New(append(b, b[0])); err == nil {
		t.Error("duplicate accepted")
	}
	bad := b[0].Clone()
	bad.ID = "Bad ID"
	if _, err := New([]fixes.Fix{bad}); err == nil {
		t.Error("invalid accepted")
	}
}

// FuzzParse feeds arbitrary text to the catalog parser: no panic, every
// fix it accepts validates, and every problem names the file and a line
// inside it.
func FuzzParse(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".toml") {
			f.Add(readTestdata(f, e.Name()))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, probs := Parse("x.toml", data)
		if (file == nil) == (len(probs) == 0) {
			t.Fatalf("file %v with %d problems", file != nil, len(probs))
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, p := range probs {
			if p.File != "x.toml" || p.Line < 0 || p.Line > lines || p.Message == "" {
				t.Fatalf("bad problem %+v (%d lines)", p, lines)
			}
		}
		if file != nil {
			for _, fx := range file.Fixes {
				if err := fx.Validate(); err != nil {
					t.Fatalf("accepted an invalid fix: %v", err)
				}
			}
		}
	})
}
