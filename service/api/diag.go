package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/chart"
	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// Diagnostics is what the diagnostics routes need from the service: the
// snapshot, the metrics history and its chart, the connectivity probes.
// The implementation coalesces concurrent callers, so a local user looping
// on these routes cannot make the service collect or probe without pause.
type Diagnostics interface {
	Snapshot(ctx context.Context, sections []sysinfo.Section, who localapi.Identity) *sysinfo.Snapshot
	History() metrics.History
	Chart(ctx context.Context, width, height int) ([]byte, error)
	Probes(ctx context.Context) probes.Report
}

// Chart sizes a caller may ask for: what the chart can lay out, and small
// enough that rendering stays cheap.
const (
	minChartWidth, maxChartWidth   = chart.MinWidth, 1920
	minChartHeight, maxChartHeight = chart.MinHeight, 1080
)

func (s *Server) sysinfo(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	sections, err := sysinfo.ParseSections(r.URL.Query().Get("sections"))
	if err != nil {
		writeError(w, localapi.CodeBadRequest, err.Error())
		return
	}
	snap := s.opts.Diagnostics.Snapshot(r.Context(), sections, id)
	if r.URL.Query().Get("format") == "text" {
		writeText(w, snap.Summary()+"\n"+snap.Detail())
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func (s *Server) history(w http.ResponseWriter, _ *http.Request, _ localapi.Identity) {
	writeJSON(w, http.StatusOK, s.opts.Diagnostics.History())
}

func (s *Server) chart(w http.ResponseWriter, r *http.Request, _ localapi.Identity) {
	width, err1 := sizeParam(r, "width", 960, minChartWidth, maxChartWidth)
	height, err2 := sizeParam(r, "height", 360, minChartHeight, maxChartHeight)
	if msg := strings.TrimSpace(err1 + " " + err2); msg != "" {
		writeError(w, localapi.CodeBadRequest, msg)
		return
	}
	png, err := s.opts.Diagnostics.Chart(r.Context(), width, height)
	if err != nil {
		s.log.Error("rendering the metrics chart", "err", err)
		writeError(w, localapi.CodeInternal, "the chart could not be drawn")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, _ = w.Write(png)
}

func (s *Server) probes(w http.ResponseWriter, r *http.Request, _ localapi.Identity) {
	writeJSON(w, http.StatusOK, s.opts.Diagnostics.Probes(r.Context()))
}

// sizeParam reads an optional integer query parameter within bounds; the
// second result is a message for the caller when it is not.
func sizeParam(r *http.Request, name string, def, lo, hi int) (int, string) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, name + " must be a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	return n, ""
}

func writeText(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(text))
}
