package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestNewKeyIsUUIDv7WithItsTime(t *testing.T) {
	now := time.Date(2025, 6, 1, 9, 30, 0, 123_000_000, time.UTC)
	seen := map[Key]bool{}
	for range 1000 {
		k := NewKey(now)
		if err := k.check(); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if !k.Time().Equal(now) {
			t.Fatalf("Time() = %v, want %v", k.Time(), now)
		}
		if seen[k] {
			t.Fatalf("duplicate key %s", k)
		}
		seen[k] = true
		back, err := ParseKey(k.String())
		if err != nil || back != k {
			t.Fatalf("ParseKey(%s) = %s, %v", k, back, err)
		}
	}
}

func TestNewKeySortsByTime(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	a, b := NewKey(t0), NewKey(t0.Add(time.Millisecond))
	if a.String() >= b.String() {
		t.Errorf("%s should sort before %s", a, b)
	}
}

func TestParseKey(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e", want: "0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e"},
		{in: "0190F2C4-5E1A-7B3C-BD4E-5F6A7B8C9D0E", want: "0190f2c4-5e1a-7b3c-bd4e-5f6a7b8c9d0e"},
		{in: "0190f2c4-5e1a-4b3c-8d4e-5f6a7b8c9d0e", err: "version 4"},
		{in: "0190f2c4-5e1a-7b3c-cd4e-5f6a7b8c9d0e", err: "variant"},
		{in: "00000000-0000-0000-0000-000000000000", err: "missing"},
		{in: "0190f2c45e1a7b3c8d4e5f6a7b8c9d0e", err: "not a report key"},
		{in: "0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0g", err: "hex digit"},
		{in: "0190f2c4+5e1a-7b3c-8d4e-5f6a7b8c9d0e", err: "not a report key"},
		{in: strings.Repeat("x", 5000), err: "…"},
	}
	for _, tt := range tests {
		k, err := ParseKey(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseKey(%.40q) = %v, want error containing %q", tt.in, err, tt.err)
			}
			if err != nil && len(err.Error()) > 200 {
				t.Errorf("error is %d bytes long; it must quote a clipped input", len(err.Error()))
			}
			continue
		}
		if err != nil || k.String() != tt.want {
			t.Errorf("ParseKey(%q) = %s, %v; want %s", tt.in, k, err, tt.want)
		}
	}
}

func TestKeyJSON(t *testing.T) {
	k := NewKey(time.Now())
	b, err := json.Marshal(struct{ K Key }{k})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"K":"` + k.String() + `"}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var back struct{ K Key }
	if err := json.Unmarshal(b, &back); err != nil || back.K != k {
		t.Errorf("Unmarshal = %s, %v", back.K, err)
	}
	if b, _ := json.Marshal(struct{ K Key }{}); string(b) != `{"K":""}` {
		t.Errorf("zero key marshals as %s", b)
	}
	if err := json.Unmarshal([]byte(`{"K":"nope"}`), &back); err == nil {
		t.Error("Unmarshal of a bad key succeeded")
	}
}
