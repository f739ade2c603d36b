package measure

import (
	"context"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes/health"
)

// BenchmarkGather measures this machine without the network and runs
// every check on the result, as `check --all` does when the service is
// down. The target is 100 ms for all of it.
func BenchmarkGather(b *testing.B) {
	ctx := context.Background()
	th := health.DefaultThresholds()
	for b.Loop() {
		in := Gather(ctx, Options{Offline: true})
		if _, err := health.Run(in, th); err != nil {
			b.Fatal(err)
		}
	}
}
