package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzApply: whatever a configuration file holds, checking and merging it
// never panics, every problem names its file, and a file found sound
// decodes the same key by key as whole (the loader's own cross-check,
// which reports a mismatch as a problem).
func FuzzApply(f *testing.F) {
	f.Add(Example())
	if b, err := os.ReadFile("testdata/delivery.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[delivery.rt.custom_fields]\na = 1\n[delivery.rt.custom_fields.b]\n"))
	f.Add([]byte("[delivery.rt]\ncustom_fields = { a = { b = \"c\" } }\ncustom_fields.x = \"y\"\n"))
	f.Add([]byte("[delivery]\nroute = [\"webhook\", \"webhook\"]\nfallback_after = -3\n[delivery.webhook]\nurl = \"<redacted>\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := newMerger()
		m.apply("fuzz.toml", data)
		for _, p := range m.problems {
			if p.File != "fuzz.toml" {
				t.Fatalf("problem without its file: %+v", p)
			}
			if strings.Contains(p.Message, "internal error") {
				t.Fatalf("key-by-key and whole decoding disagree on %q: %s", data, p.Message)
			}
		}
	})
}
