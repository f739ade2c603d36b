package gethelp

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

// TestITSetupCategoriesAndLogs: IT's categories replace the built-in ones,
// each log excerpt is shown, goes with the report, and can be left out.
func TestITSetupCategoriesAndLogs(t *testing.T) {
	src := &fakeSource{snap: testSnapshot(), setup: &localapi.ReportSetup{
		Categories: []report.Category{{ID: "vpn", Label: "VPN"}, {ID: "other", Label: "Other"}},
		Logs: []localapi.LogExcerpt{
			{Name: "Printing", Text: "E printer offline\nE job 42 stuck"},
			{Name: "VPN client", Text: "tunnel down"},
			{Name: "Unreadable", Error: "reading /var/log/x: permission denied"},
		},
	}}
	p, q := shown(t, Options{Source: src})
	if got := p.f.category.Options; len(got) != 2 || got[0] != "VPN" {
		t.Fatalf("categories offered: %q", got)
	}
	checks := map[string]*widget.Check{}
	for _, c := range uitest.Find[*widget.Check](p.Object()) {
		checks[c.Text] = c
	}
	for _, want := range []string{"Log: Printing", "Log: VPN client", "Log: Unreadable"} {
		if checks[want] == nil {
			t.Errorf("form lacks the box %q", want)
		}
	}
	if c := checks["Log: Unreadable"]; c != nil && !c.Disabled() {
		t.Error("an unreadable log can be ticked")
	}
	if !uitest.Has(p.Object(), "Not attached: the file could not be read.") {
		t.Error("the unreadable log is not explained")
	}
	// The employee leaves the VPN log out.
	for _, c := range uitest.Find[*widget.Check](p.Object()) {
		if c.Text == "Log: VPN client" {
			test.Tap(c)
		}
	}
	fill(p, "Cannot print")
	p.f.category.SetSelected("VPN")
	send(t, p, q)

	s := src.sent()[0]
	if s.Category != "vpn" {
		t.Errorf("category %q", s.Category)
	}
	var logs []report.Attachment
	for _, a := range s.Attachments {
		if a.Kind == report.KindLog {
			logs = append(logs, a)
		}
	}
	if len(logs) != 1 || logs[0].Name != "Printing.log.txt" || string(logs[0].Data) != "E printer offline\nE job 42 stuck" {
		t.Errorf("log attachments: %+v", logs)
	}
}

func TestNoSetupKeepsBuiltInCategories(t *testing.T) {
	p, _ := shown(t, Options{Source: &fakeSource{snap: testSnapshot()}})
	if got := p.f.category.Options; len(got) != len(DefaultCategories()) {
		t.Errorf("categories offered without a setup: %q", got)
	}
}
