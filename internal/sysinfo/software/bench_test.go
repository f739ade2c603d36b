package software

import (
	"context"
	"testing"
)

// BenchmarkDetect runs the detection on this machine. The whole system
// snapshot targets 50 ms, so this should stay well under 20 ms on a
// typical desktop: it reads files and runs a command only for a tool that
// is installed and keeps its state nowhere else.
func BenchmarkDetect(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		Detect(ctx, Env{})
	}
}

func BenchmarkParseDpkgStatus(b *testing.B) {
	data := readTestdata(b, "debian-teamviewer-anydesk/var/lib/dpkg/status")
	wanted := map[string]bool{"teamviewer": true, "zoom": true}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		parseDpkgStatus(data, wanted)
	}
}
