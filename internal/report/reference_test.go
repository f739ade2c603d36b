package report

import (
	"strings"
	"testing"
	"time"
)

func TestReferenceIsStableAndWellFormed(t *testing.T) {
	k, err := ParseKey("0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e")
	if err != nil {
		t.Fatal(err)
	}
	// The reference is printed on tickets and quoted on the phone; it must
	// never change for a given key. This value pins the derivation (worked
	// out separately: SHA-256 of the 16 bytes, top 25 bits, base32).
	const want Reference = "FL-DW09W"
	if got := k.Reference(); got != want {
		t.Errorf("Reference() = %s, want %s", got, want)
	}
	for range 2000 {
		r := NewKey(time.Now()).Reference()
		if len(r) != 8 || !strings.HasPrefix(string(r), "FL-") {
			t.Fatalf("malformed reference %q", r)
		}
		for _, c := range r[3:] {
			if strings.ContainsRune("ILOU", c) || !strings.ContainsRune(crockford, c) {
				t.Fatalf("reference %q has character %q", r, c)
			}
		}
		if back, err := ParseReference(string(r)); err != nil || back != r {
			t.Fatalf("ParseReference(%s) = %s, %v", r, back, err)
		}
	}
}

func TestReferencesSpreadOverTheSpace(t *testing.T) {
	// Keys made in the same millisecond differ only in random bits; their
	// references must still differ almost always. With 2^25 codes, 5000
	// keys collide with probability ~37%, so allow at most a few.
	now := time.Now()
	seen := map[Reference]bool{}
	collisions := 0
	for range 5000 {
		r := NewKey(now).Reference()
		if seen[r] {
			collisions++
		}
		seen[r] = true
	}
	if collisions > 3 {
		t.Errorf("%d collisions among 5000 references", collisions)
	}
}

func TestParseReference(t *testing.T) {
	tests := []struct {
		in   string
		want Reference
		err  bool
	}{
		{in: "FL-7K3Q2", want: "FL-7K3Q2"},
		{in: "fl-7k3q2", want: "FL-7K3Q2"},
		{in: " 7K3Q2 ", want: "FL-7K3Q2"},
		{in: "FL 7K 3Q2", want: "FL-7K3Q2"},
		{in: "FL-OIL00", want: "FL-01100"},
		{in: "FL-7K3Q", err: true},
		{in: "FL-7K3Q22", err: true},
		{in: "FL-7K3QU", err: true},
		{in: "FL-7K3Q!", err: true},
		{in: "FL-7K3Qé", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		got, err := ParseReference(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseReference(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}
