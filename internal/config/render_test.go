package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRenderRoundTrips(t *testing.T) {
	changed := Defaults()
	changed.Service = Service{
		LogLevel:        LogDebug,
		LogFile:         absPath(t, "firstline.log"),
		LogMaxSizeMB:    1024,
		LogMaxFiles:     1,
		StateDir:        absPath(t, "state's dir"), // a quote, to exercise escaping
		ShutdownTimeout: Duration(time.Minute),
	}
	changed.LocalAPI = LocalAPI{MaxConnections: 4096, MaxBodyBytes: 64 << 20, RequestTimeout: Duration(90 * time.Second)}
	changed.Support = Support{
		Organization: "Ünïcode \"IT\" Team\nsecond line",
		Phone:        "+1 555 0100",
		Email:        "it@example.com",
		URL:          "https://it.example.com/help?x=1#y",
	}
	for name, c := range map[string]*Config{"defaults": Defaults(), "changed": changed} {
		t.Run(name, func(t *testing.T) {
			text, err := Render(c)
			if err != nil {
				t.Fatal(err)
			}
			_, main := writeConfig(t, map[string]string{"firstline.toml": string(text)})
			l, err := Load(Options{Path: main})
			if err != nil {
				t.Fatalf("Load(Render(c)): %v\n%s", err, text)
			}
			if !reflect.DeepEqual(l.Config, c) {
				t.Errorf("round trip gave\n%+v\nwant\n%+v\nrendered:\n%s", l.Config, c, text)
			}
		})
	}
}

// TestRenderHasEveryKey checks that Render writes every key, defaults
// included, so "config check" shows the whole effective configuration.
func TestRenderHasEveryKey(t *testing.T) {
	text, err := Render(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	m := newMerger()
	m.apply("rendered", text)
	if len(m.problems) > 0 {
		t.Fatalf("rendered defaults do not load: %v", &Error{Problems: m.problems})
	}
	for _, key := range m.schema.leaves() {
		if _, ok := m.origins[key]; !ok {
			t.Errorf("Render does not write %s:\n%s", key, text)
		}
	}
}

// TestRenderRedactsSecrets uses a test-only struct since Config has no
// Secret yet: any Secret, wherever it sits, must come out redacted.
func TestRenderRedactsSecrets(t *testing.T) {
	const value = "hunter2-token"
	type credentials struct {
		Password Secret `toml:"password"`
	}
	type withSecrets struct {
		credentials        // embedded: its fields are promoted
		Token       Secret `toml:"token"`
		Unset       Secret `toml:"unset"`
		Helpdesk    struct {
			APIKey Secret   `toml:"api_key"`
			Spares []Secret `toml:"spares"`
		} `toml:"helpdesk"`
		Byname map[string]Secret `toml:"byname"`
	}
	var v withSecrets
	v.Password = NewSecret(value)
	v.Token = NewSecret(value)
	v.Helpdesk.APIKey = NewSecret(value)
	v.Helpdesk.Spares = []Secret{NewSecret(value)}
	v.Byname = map[string]Secret{"a": NewSecret(value)}

	text, err := render(&v)
	if err != nil {
		t.Fatal(err)
	}
	out := string(text)
	t.Logf("rendered:\n%s", out)
	if strings.Contains(out, value) {
		t.Errorf("rendered output shows the secret:\n%s", out)
	}
	if n := strings.Count(out, redacted); n != 5 {
		t.Errorf("rendered output has %d %q, want 5 (one per set secret):\n%s", n, redacted, out)
	}
	if !strings.Contains(out, "unset = ''") {
		t.Errorf("an unset secret should render as empty:\n%s", out)
	}
}

func absPath(t *testing.T, name string) string {
	t.Helper()
	return t.TempDir() + string(os.PathSeparator) + name
}
