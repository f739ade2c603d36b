package handover

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkSaveAndHandOver is the whole offline path of one report with a
// 1 MB screenshot: kept on disk (synced), then handed over and removed.
func BenchmarkSaveAndHandOver(b *testing.B) {
	o := Open(filepath.Join(b.TempDir(), "outbox"), Options{})
	defer o.Close()
	ctx := context.Background()
	svc := &fakeService{}
	shot := make([]byte, 1<<20)
	b.SetBytes(int64(len(shot)))
	for b.Loop() {
		s := submission(b, "benchmark", time.Now())
		s.Attachments[0].Data = shot
		if _, err := o.Save(ctx, s); err != nil {
			b.Fatal(err)
		}
		if res := o.HandOver(ctx, svc); res.Sent != 1 {
			b.Fatalf("%+v", res)
		}
		svc.got = nil
	}
}
