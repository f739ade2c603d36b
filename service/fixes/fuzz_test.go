package fixes

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	core "github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/localapi"
)

// FuzzUserRecord feeds user-run bodies (the one piece of foreign data the
// service stores) to the record builder: whatever the app sends, the
// record is bounded, its times near now, its statuses known.
func FuzzUserRecord(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "userrun-*.json"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	fix := core.Fix{ID: "user-cache", Steps: make([]core.Step, 3)}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		var run localapi.FixUserRun
		if json.Unmarshal(data, &run) != nil {
			return
		}
		rec, err := userRecord(alice, &fix, core.Values{}, run.Result, now)
		if err != nil {
			return
		}
		if rec.Result != audit.ResultSuccess && rec.Result != audit.ResultFailed {
			t.Fatalf("result %q", rec.Result)
		}
		if rec.Start.After(now) || rec.End.After(now) || rec.End.Before(rec.Start) || now.Sub(rec.Start) > maxRecordAge {
			t.Fatalf("times %s..%s", rec.Start, rec.End)
		}
		if len(rec.Steps) > maxRecordSteps || len(rec.Reason) > maxRecordText+32 || rec.ReclaimedBytes < 0 ||
			rec.FailedStep < 0 || rec.FailedStep > len(fix.Steps) {
			t.Fatalf("record not bounded: %d steps, reason %d bytes, reclaimed %d, failed step %d",
				len(rec.Steps), len(rec.Reason), rec.ReclaimedBytes, rec.FailedStep)
		}
		for _, s := range rec.Steps {
			if len(s.Kind) > 64 || len(s.Error) > maxRecordText+32 {
				t.Fatalf("step not bounded: %+v", s)
			}
			switch s.Status {
			case "ok", "failed", "skipped", "unknown":
			default:
				t.Fatalf("status %q", s.Status)
			}
		}
		if _, err := json.Marshal(rec); err != nil {
			t.Fatalf("record does not encode: %v", err)
		}
		if rec.UID != alice.UID || rec.FixID != fix.ID || rec.Runner != "user" {
			t.Fatalf("identity taken from the body: %+v", rec)
		}
	})
}
