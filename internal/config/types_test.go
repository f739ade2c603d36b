package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		text string // MarshalText, which must parse back to want
	}{
		{"5s", 5 * time.Second, "5s"},
		{"60s", time.Minute, "1m"},
		{"1h", time.Hour, "1h"},
		{"1m30s", 90 * time.Second, "1m30s"},
		{"1h0m1s", time.Hour + time.Second, "1h0m1s"},
		{"250ms", 250 * time.Millisecond, "250ms"},
		{"10m", 10 * time.Minute, "10m"},
	}
	for _, tt := range tests {
		var d Duration
		if err := d.UnmarshalText([]byte(tt.in)); err != nil {
			t.Fatalf("UnmarshalText(%q): %v", tt.in, err)
		}
		if d.Duration() != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, want %v", tt.in, d.Duration(), tt.want)
		}
		text, _ := d.MarshalText()
		if string(text) != tt.text {
			t.Errorf("MarshalText(%v) = %q, want %q", tt.want, text, tt.text)
		}
		var back Duration
		if err := back.UnmarshalText(text); err != nil || back != d {
			t.Errorf("%q does not parse back to %v: %v, %v", text, tt.want, back, err)
		}
	}
	var d Duration
	if err := d.UnmarshalText([]byte("5")); err == nil {
		t.Error(`UnmarshalText("5") accepted a duration without a unit`)
	}
}

func TestSecretNeverShowsItsValue(t *testing.T) {
	const value = "hunter2-token"
	s := NewSecret(value)
	if s.Reveal() != value {
		t.Fatalf("Reveal() = %q, want %q", s.Reveal(), value)
	}
	type holder struct {
		Token Secret
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "token", s, "holder", holder{s})
	var jsonText bytes.Buffer
	enc := json.NewEncoder(&jsonText)
	enc.SetEscapeHTML(false) // keep "<redacted>" readable for the check
	if err := enc.Encode(holder{s}); err != nil {
		t.Fatal(err)
	}
	text, _ := s.MarshalText()
	shown := map[string]string{
		"String":      s.String(),
		"%v":          fmt.Sprintf("%v", s),
		"%s":          fmt.Sprintf("%s", s),
		"%+v struct":  fmt.Sprintf("%+v", holder{s}),
		"%#v struct":  fmt.Sprintf("%#v", holder{s}),
		"slog":        logged.String(),
		"json":        jsonText.String(),
		"MarshalText": string(text),
	}
	for how, out := range shown {
		if strings.Contains(out, value) {
			t.Errorf("%s shows the secret: %s", how, out)
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("%s does not show %q: %s", how, redacted, out)
		}
	}
}

func TestSecretEmptyStaysEmpty(t *testing.T) {
	var s Secret
	text, _ := s.MarshalText()
	if s.String() != "" || string(text) != "" || s.LogValue().String() != "" {
		t.Errorf("unset secret shows %q / %q / %q, want empty", s.String(), text, s.LogValue())
	}
}

func TestSecretUnmarshalText(t *testing.T) {
	var s Secret
	if err := s.UnmarshalText([]byte("abc")); err != nil || s.Reveal() != "abc" {
		t.Errorf("UnmarshalText(abc) = %q, %v", s.Reveal(), err)
	}
	if err := s.UnmarshalText([]byte(redacted)); err == nil {
		t.Error("UnmarshalText accepted the redaction placeholder as a secret")
	}
}
