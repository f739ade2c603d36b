package api

import (
	"context"
	"testing"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
)

type fakeSetup struct{}

func (fakeSetup) ReportSetup(context.Context) localapi.ReportSetup {
	return localapi.ReportSetup{
		Categories: []report.Category{{ID: "vpn", Label: "VPN"}},
		Logs:       []localapi.LogExcerpt{{Name: "Printing", Text: "E [23/Nov] printer offline"}},
	}
}

func TestReportSetupRoute(t *testing.T) {
	h := startReports(t, Options{ReportSetup: fakeSetup{}})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	got, err := c.ReportSetup(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Categories) != 1 || got.Categories[0].Label != "VPN" || len(got.Logs) != 1 || got.Logs[0].Name != "Printing" {
		t.Errorf("setup: %+v", got)
	}
}
