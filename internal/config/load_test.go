package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadMissingFilesGiveDefaults(t *testing.T) {
	emptyDir := t.TempDir()
	tests := map[string]string{
		"no directory": filepath.Join(t.TempDir(), "absent", "firstline.toml"),
		"no main file": filepath.Join(emptyDir, "firstline.toml"),
	}
	for name, path := range tests {
		t.Run(name, func(t *testing.T) {
			l := mustLoad(t, path)
			if !reflect.DeepEqual(l.Config, Defaults()) {
				t.Errorf("Config = %+v, want Defaults() %+v", l.Config, Defaults())
			}
			if len(l.Files) != 0 {
				t.Errorf("Files = %q, want none", l.Files)
			}
		})
	}
}

func TestLoadDropInPrecedence(t *testing.T) {
	dir, main := writeConfig(t, map[string]string{
		"firstline.toml": "[service]\nlog_level = \"debug\"\n[localapi]\nmax_connections = 10\n",
		// Written in the "wrong" order: lexical order must win, not
		// creation or directory order.
		"conf.d/20-b.toml": "[localapi]\nmax_connections = 20\n",
		"conf.d/10-a.toml": "[service]\nlog_level = \"warn\"\n",
		// Not drop-ins: other extensions, dot files, backups.
		"conf.d/30-c.toml.bak": "this is not TOML",
		"conf.d/.40-d.toml":    "this is not TOML",
		"conf.d/README":        "this is not TOML",
	})
	l := mustLoad(t, main)

	want := Defaults()
	want.Service.LogLevel = LogWarn
	want.LocalAPI.MaxConnections = 20
	if !reflect.DeepEqual(l.Config, want) {
		t.Errorf("Config =\n%+v\nwant\n%+v", l.Config, want)
	}
	wantFiles := []string{
		main,
		filepath.Join(dir, "conf.d", "10-a.toml"),
		filepath.Join(dir, "conf.d", "20-b.toml"),
	}
	if !reflect.DeepEqual(l.Files, wantFiles) {
		t.Errorf("Files = %q, want %q", l.Files, wantFiles)
	}
}

func TestLoadDropInsWithoutMainFile(t *testing.T) {
	dir, main := writeConfig(t, map[string]string{
		"conf.d/support.toml": "[support]\nemail = \"it@example.com\"\n",
	})
	l := mustLoad(t, main)
	if l.Config.Support.Email != "it@example.com" {
		t.Errorf("support.email = %q, want the drop-in's value", l.Config.Support.Email)
	}
	if want := []string{filepath.Join(dir, "conf.d", "support.toml")}; !reflect.DeepEqual(l.Files, want) {
		t.Errorf("Files = %q, want %q", l.Files, want)
	}
}

func TestLoadBadDropInNamesTheDropIn(t *testing.T) {
	tests := []struct {
		name, content string
		line          int
		key           string
	}{
		{"unknown key", "[service]\nlog_levle = \"warn\"\n", 2, "service.log_levle"},
		{"bad value overriding a good one", "\n[service]\nlog_level = \"loud\"\n", 3, "service.log_level"},
		{"syntax", "[service\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, main := writeConfig(t, map[string]string{
				"firstline.toml":   "[service]\nlog_level = \"debug\"\n",
				"conf.d/10-a.toml": "[localapi]\nmax_connections = 8\n",
				"conf.d/20-b.toml": tt.content,
			})
			_, err := Load(Options{Path: main})
			ps := problemsOf(t, err)
			bad := filepath.Join(dir, "conf.d", "20-b.toml")
			if len(ps) != 1 || ps[0].File != bad || ps[0].Line != tt.line || ps[0].Key != tt.key {
				t.Errorf("got %#v\nwant one problem at %s:%d key %q", ps, bad, tt.line, tt.key)
			}
		})
	}
}

// A bad value is reported where it was written even when a later file
// overrides it: removing the drop-in must not break a working machine.
func TestLoadReportsOverriddenBadValue(t *testing.T) {
	_, main := writeConfig(t, map[string]string{
		"firstline.toml":   "[service]\nlog_level = \"loud\"\n",
		"conf.d/10-a.toml": "[service]\nlog_level = \"warn\"\n",
	})
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].File != main || ps[0].Line != 2 {
		t.Errorf("got %v, want one problem at %s:2", err, main)
	}
}

// Problems of several files are all reported, in the order files are read.
func TestLoadReportsProblemsOfEveryFile(t *testing.T) {
	dir, main := writeConfig(t, map[string]string{
		"firstline.toml":   "[service]\nlog_max_files = 0\n",
		"conf.d/10-a.toml": "[support]\nphone = 12\n",
		"conf.d/20-b.toml": "[localapi]\nmax_body_bytes = 1\n",
	})
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, strings.TrimPrefix(p.File, dir))
	}
	want := []string{"/firstline.toml", "/conf.d/10-a.toml", "/conf.d/20-b.toml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems in files %q, want %q:\n%v", got, want, err)
	}
}

func TestLoadRefusesOddFiles(t *testing.T) {
	t.Run("directory named like a drop-in", func(t *testing.T) {
		dir, main := writeConfig(t, map[string]string{"conf.d/sub.toml/x": ""})
		_, err := Load(Options{Path: main})
		ps := problemsOf(t, err)
		want := filepath.Join(dir, "conf.d", "sub.toml")
		if len(ps) != 1 || ps[0].File != want || ps[0].Message != "is not a regular file" {
			t.Errorf("got %v, want %s refused as not a regular file", err, want)
		}
	})
	t.Run("huge file", func(t *testing.T) {
		_, main := writeConfig(t, map[string]string{"firstline.toml": strings.Repeat("#", maxFileSize+1)})
		ps := problemsOf(t, func() error { _, err := Load(Options{Path: main}); return err }())
		if len(ps) != 1 || ps[0].File != main || !strings.Contains(ps[0].Message, "larger than") {
			t.Errorf("got %v, want the huge file refused", ps)
		}
	})
}

// TestLoadChecksTrustBeforeReading checks that every directory and file is
// put to the trust check, and that a refusal keeps the file out.
func TestLoadChecksTrustBeforeReading(t *testing.T) {
	dir, main := writeConfig(t, map[string]string{
		"firstline.toml":   "[service]\nlog_level = \"debug\"\n",
		"conf.d/10-a.toml": "[service]\nlog_level = \"warn\"\n",
		"conf.d/20-b.toml": "this is not even TOML",
	})
	confd := filepath.Join(dir, "conf.d")
	refused := filepath.Join(confd, "20-b.toml")
	var checked []string
	_, err := Load(Options{Path: main, trust: func(path string, f *os.File) error {
		checked = append(checked, path)
		if f == nil {
			t.Errorf("trust(%s) got no open file", path)
		}
		if path == refused {
			return &UntrustedError{Path: path, Reason: "test says no", Fix: "nothing"}
		}
		return nil
	}})
	want := []string{dir, main, confd, filepath.Join(confd, "10-a.toml"), refused}
	if !reflect.DeepEqual(checked, want) {
		t.Errorf("checked %q, want %q", checked, want)
	}
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].File != refused || ps[0].Line != 0 {
		t.Fatalf("got %v, want only %s refused (its syntax never looked at)", err, refused)
	}
	var ue *UntrustedError
	if !errors.As(err, &ue) || ue.Path != refused {
		t.Errorf("errors.As(*UntrustedError) = %v, want the refused path", ue)
	}
	if want := refused + ": refused: test says no; fix with: nothing"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// TestLoadUntrustedDirectoryReadsNothing: when the configuration directory
// is refused, nothing in it is opened.
func TestLoadUntrustedDirectoryReadsNothing(t *testing.T) {
	dir, main := writeConfig(t, map[string]string{
		"firstline.toml":   "[service]\nlog_level = \"debug\"\n",
		"conf.d/10-a.toml": "[service]\nlog_level = \"warn\"\n",
	})
	var checked []string
	_, err := Load(Options{Path: main, trust: func(path string, _ *os.File) error {
		checked = append(checked, path)
		if path == dir {
			return &UntrustedError{Path: path, Reason: "no", Fix: "no"}
		}
		return nil
	}})
	if ps := problemsOf(t, err); len(ps) != 1 || ps[0].File != dir {
		t.Errorf("got %v, want only %s refused", err, dir)
	}
	if !reflect.DeepEqual(checked, []string{dir}) {
		t.Errorf("checked %q after refusing the directory", checked)
	}
}

func TestLoadInlineTablesAndDottedKeys(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": `
service = { log_level = "error", shutdown_timeout = "10s" }
localapi.max_connections = 7
support.url = "https://it.example.com/help"
`})
	l := mustLoad(t, main)
	want := Defaults()
	want.Service.LogLevel = LogError
	want.Service.ShutdownTimeout = Duration(10 * time.Second)
	want.LocalAPI.MaxConnections = 7
	want.Support.URL = "https://it.example.com/help"
	if !reflect.DeepEqual(l.Config, want) {
		t.Errorf("Config =\n%+v\nwant\n%+v", l.Config, want)
	}
}
