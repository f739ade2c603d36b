package config

import (
	"os"
	"strings"
	"testing"
)

func TestSecretKeysAreFound(t *testing.T) {
	got := secrets(Defaults())
	for _, want := range []string{"delivery.rt.token", "delivery.webhook.secret", "delivery.email.password"} {
		if set, ok := got[want]; !ok || set {
			t.Errorf("secret %s: known %v, set %v (want known, unset by default)", want, ok, set)
		}
	}
}

func TestReadableFileWithASecretIsRefused(t *testing.T) {
	body := "[delivery.rt]\nurl = \"https://rt.example.com\"\ntoken = \"1-14-abcdefabcdef\"\n"
	_, main := writeConfig(t, map[string]string{"firstline.toml": body})
	if err := os.Chmod(main, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].Key != "delivery.rt.token" || ps[0].Line != 3 || !strings.Contains(ps[0].Message, "chmod 0600") {
		t.Fatalf("problems: %+v", ps)
	}
	if strings.Contains(err.Error(), "abcdefabcdef") {
		t.Error("the refusal shows the secret")
	}
	if err := os.Chmod(main, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(Options{Path: main}); err != nil {
		t.Errorf("a 0600 file with a secret: %v", err)
	}
}
