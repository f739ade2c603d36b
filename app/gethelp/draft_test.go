package gethelp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/firstline-it/firstline/app/handover"
	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

func TestDraftKeptAndRestored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "firstline", "draft.json")
	attached := filepath.Join(dir, "error.txt")
	if err := os.WriteFile(attached, []byte("Error 0x80070005"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, _ := shown(t, Options{DraftPath: path})
	key := p.State().Key
	p.f.text.SetText("The VPN disconnects every 10 minutes")
	p.f.category.SetSelected("Internet/Wi-Fi")
	p.f.severity.SetSelected(SeverityLabel(report.SeverityBlocked))
	p.f.callback.SetSelectedIndex(1)
	p.f.number.SetText("+1 555 0199")
	p.AddFile("error.txt", attached, []byte("Error 0x80070005"))
	check(t, p, "Activity in the last hour").SetChecked(false)
	p.Leave() // the employee closed the window

	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("draft file: %v %v", fi, err)
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("draft folder mode %v", di.Mode())
	}

	// The app starts again: the form is as it was, under the same key.
	p2, q2 := newPage(t, Options{DraftPath: path})
	q2.until(t, "the file to be read again", func() bool { return len(p2.State().Form.Files) == 1 })
	s := p2.State()
	if s.Key != key || p2.f.text.Text != "The VPN disconnects every 10 minutes" || s.Form.Category != "network" ||
		s.Form.Severity != report.SeverityBlocked || s.Form.Callback.Method != report.CallbackPhone ||
		p2.f.number.Text != "+1 555 0199" || !s.Form.SkipChart || s.Form.Files[0].Name != "error.txt" {
		t.Fatalf("restored %+v (text %q)", s.Form, p2.f.text.Text)
	}
	if !uitest.Has(p2.Object(), "error.txt") {
		t.Error("the restored file is not listed")
	}
	p2.Show()
	q2.until(t, "the summary", func() bool { return !p2.State().Loading })
	send(t, p2, q2)
	if p2.State().Result == nil {
		t.Fatal("not sent")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("draft still there after sending: %v", err)
	}
}

func TestDraftNamesFilesThatAreGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "draft.json")
	d := Draft{Key: report.NewKey(time.Now()), Text: "x", Files: []string{filepath.Join(t.TempDir(), "gone.log")}}
	if err := WriteDraft(path, d); err != nil {
		t.Fatal(err)
	}
	p, q := newPage(t, Options{DraftPath: path})
	q.until(t, "the files", func() bool { return p.State().FileProblem != "" })
	if !strings.Contains(p.State().FileProblem, "gone.log") {
		t.Errorf("problem %q", p.State().FileProblem)
	}
}

func TestAutosave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "draft.json")
	p, q := newPage(t, Options{DraftPath: path, AutosaveEvery: 10 * time.Millisecond})
	p.f.text.SetText("Typed, then the power went out")
	q.until(t, "the draft on disk", func() bool {
		d, ok, _ := ReadDraft(path)
		return ok && d.Text == "Typed, then the power went out"
	})
	// An emptied form leaves no draft behind.
	p.f.text.SetText("")
	p.Leave()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("empty draft kept: %v", err)
	}
}

func TestParseDraft(t *testing.T) {
	good := `{"version":1,"key":"0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e","text":"hi"}`
	tests := []struct {
		in     string
		ok     bool
		broken bool
	}{
		{good, true, false},
		{`{"version":2,"key":"0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e"}`, false, false},
		{`{"version":1}`, false, false},
		{`{"version":1,"key":"not a key"}`, false, true},
		{`{"version":1,`, false, true},
	}
	for _, tt := range tests {
		_, ok, err := parseDraft([]byte(tt.in))
		if ok != tt.ok || (err != nil) != tt.broken {
			t.Errorf("%s: ok %v err %v", tt.in, ok, err)
		}
	}
}

func FuzzParseDraft(f *testing.F) {
	f.Add([]byte(`{"version":1,"key":"0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e","text":"hi","files":["/a"]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, ok, err := parseDraft(b)
		if ok && (err != nil || d.Key.IsZero() || d.Version != draftVersion) {
			t.Fatalf("accepted %+v, %v", d, err)
		}
	})
}

// TestOfflineReportReachesTheServiceOnce runs the whole offline path with
// the real outbox: kept while the service is down, handed over when it is
// back, under the key the form was opened with, once.
func TestOfflineReportReachesTheServiceOnce(t *testing.T) {
	down := true
	src := &fakeSource{snap: testSnapshot(), submitErr: func(int) error {
		if down {
			return localapi.ErrUnreachable
		}
		return nil
	}}
	out := handover.Open(filepath.Join(t.TempDir(), "outbox"), handover.Options{})
	defer out.Close()
	p, q := shown(t, Options{Source: src, Outbox: out})
	key := p.State().Key
	fill(p, "No internet in meeting room 3")
	send(t, p, q)
	if r := p.State().Result; r == nil || !r.Local {
		t.Fatalf("result %+v", r)
	}
	down = false
	ctx := context.Background()
	if res := out.HandOver(ctx, src); res.Sent != 1 || res.Left != 0 {
		t.Fatalf("hand-over %+v", res)
	}
	out.HandOver(ctx, src)
	sent := src.sent()
	if len(sent) != 2 || sent[1].Key != key || sent[1].Text != "No internet in meeting room 3" {
		t.Errorf("the service saw %d submissions: %+v", len(sent), sent)
	}
	// The page follows the report to the service.
	rec := report.NewReport(sent[1], report.Owner{UID: "1000"}, time.Now())
	r := rec.Record()
	src.mu.Lock()
	src.record = &r
	src.mu.Unlock()
	p.ReportsChanged()
	q.until(t, "the service's state", func() bool { return !p.State().Result.Local })
	if !uitest.Has(p.Object(), report.PhraseSaved) {
		t.Errorf("page %q", uitest.Texts(p.Object()))
	}
}

// TestDraftAfterAReportWasSent: the next report's draft is kept too.
func TestDraftAfterAReportWasSent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "draft.json")
	p, q := shown(t, Options{DraftPath: path})
	fill(p, "first")
	p.form.(*container.Scroll).Offset.Y = 500 // scrolled down to Send
	send(t, p, q)
	test.Tap(button(t, p, "Report another problem"))
	if sc := p.form.(*container.Scroll); sc.Offset.Y != 0 {
		t.Errorf("the new form is shown scrolled to %v", sc.Offset)
	}
	p.f.text.SetText("second, half written")
	p.Close()
	d, ok, err := ReadDraft(path)
	if !ok || err != nil || d.Text != "second, half written" || d.Key != p.State().Key {
		t.Errorf("draft %+v %v %v", d, ok, err)
	}
}
