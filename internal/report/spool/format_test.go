package spool

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

var update = flag.Bool("update", false, "rewrite testdata/v1 from the current encoder")

// goldenReport is the report stored in testdata/v1. Everything in it is
// fixed, so the encoder must reproduce the files byte for byte.
func goldenReport(t testing.TB) report.Report {
	t.Helper()
	key, err := report.ParseKey("0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e")
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)
	sub := report.Submission{
		Key:       key,
		CreatedAt: created,
		Text:      "Teams crashes when I share my screen.\nIt started after the update on Monday.",
		Category:  "teams",
		Severity:  report.SeveritySlowed,
		Callback:  report.Callback{Method: report.CallbackChat, When: "this afternoon"},
		Snapshot:  json.RawMessage(`{"os":"Windows 11 23H2","memory_free_mb":2048}`),
		Attachments: []report.Attachment{
			{Name: "screen.png", ContentType: "image/png", Kind: report.KindScreenshot, Data: []byte("\x89PNG\r\n\x1a\nnot really a png")},
			{Name: "teams.log", ContentType: "text/plain; charset=utf-8", Kind: report.KindLog, Data: []byte("12:00 crash\n12:01 restart\n")},
		},
	}
	r := report.NewReport(sub, report.Owner{UID: "S-1-5-21-1004336348-1177238915-682003330-1001", Name: `CORP\ann`}, created.Add(2*time.Second))
	r.State.Destinations = []report.Destination{{
		Name: "zendesk", State: report.FailedTransient, Attempts: 3,
		NextAttempt: created.Add(10 * time.Minute), LastAttempt: created.Add(5 * time.Minute),
		LastError: "connection refused", Offline: true,
	}}
	return r
}

// TestVersion1Files pins the on-disk format: files written by version 1
// must read the same forever (reports outlive upgrades), and the encoder
// must still write exactly what doc.go describes.
func TestVersion1Files(t *testing.T) {
	r := goldenReport(t)
	body, err := encodeBody(&r)
	if err != nil {
		t.Fatal(err)
	}
	bodyFile := bytes.Clone(body.prefix)
	for _, a := range r.Attachments {
		bodyFile = append(bodyFile, a.Data...)
	}
	stateFile, err := encodeState(r.Record())
	if err != nil {
		t.Fatal(err)
	}
	golden := map[string][]byte{
		r.Key.String() + bodySuffix:  bodyFile,
		r.Key.String() + stateSuffix: stateFile,
	}
	for name, data := range golden {
		path := filepath.Join("testdata", "v1", name)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, want) {
			t.Errorf("%s: the encoder no longer writes version 1 as recorded; a format change needs a new version\n got %q\nwant %q", name, data, want)
		}
	}

	dir := t.TempDir()
	for name := range golden {
		data, _ := os.ReadFile(filepath.Join("testdata", "v1", name))
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, dir, Options{})
	got, err := s.Load(context.Background(), r.Key)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, got, r)
	if !reflect.DeepEqual(got.State, r.State) {
		t.Errorf("state:\n got %+v\nwant %+v", got.State, r.State)
	}
	if got.Phrase() != report.PhraseOffline {
		t.Errorf("phrase %q", got.Phrase())
	}
}

func TestReadersRefuseWhatIsNotTheirs(t *testing.T) {
	state, _ := os.ReadFile(filepath.Join("testdata", "v1", "0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e.state"))
	body, _ := os.ReadFile(filepath.Join("testdata", "v1", "0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e.body"))
	if _, err := decodeState(body); err == nil {
		t.Error("decodeState read a body file")
	}
	if _, err := decodeBody(state); err == nil {
		t.Error("decodeBody read a state file")
	}
	v2 := bytes.Replace(state, []byte("FLSPOOL 1 "), []byte("FLSPOOL 2 "), 1)
	if _, err := decodeState(v2); err == nil {
		t.Error("decodeState read a version 2 file")
	}
	extra := append(bytes.Clone(state), '\n')
	if _, err := decodeState(extra); err == nil {
		t.Error("decodeState read a file with a trailing byte")
	}
	if _, err := decodeBody(append(bytes.Clone(body), 'x')); err == nil {
		t.Error("decodeBody read a file with a trailing byte")
	}
}
