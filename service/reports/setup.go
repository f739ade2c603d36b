package reports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/sysinfo"
)

// maxExcerptBytes bounds what is read from the end of one log file: a few
// hundred lines of a log fit easily, and a report must stay small.
const maxExcerptBytes = 64 << 10

// Setup is what the Get help form offers and attaches besides the
// employee's words: IT's categories and the ends of IT's log files. The
// files are named in the service's configuration only, never by a request.
type Setup struct {
	categories []report.Category
	logs       []config.ReportLog
	rules      []sysinfo.Rule
}

// NewSetup reads the form's setup from the configuration.
func NewSetup(cfg *config.Config) *Setup {
	s := &Setup{logs: cfg.Reports.LogExcerpts}
	for _, c := range cfg.Reports.Categories {
		s.categories = append(s.categories, report.Category{ID: c.ID, Label: c.Label})
	}
	if len(s.categories) == 0 {
		s.categories = report.DefaultCategories()
	}
	for _, name := range cfg.SysInfo.Redact {
		if r, err := sysinfo.ParseRule(name); err == nil {
			s.rules = append(s.rules, r)
		}
	}
	return s
}

// ReportSetup reads the log excerpts now, so the employee sees what is
// current when the form opens.
func (s *Setup) ReportSetup(ctx context.Context) localapi.ReportSetup {
	out := localapi.ReportSetup{Categories: s.categories}
	for _, l := range s.logs {
		if ctx.Err() != nil {
			break
		}
		ex := localapi.LogExcerpt{Name: l.Name}
		text, err := tail(l.Path, l.Lines)
		if err != nil {
			ex.Error = err.Error()
		} else {
			ex.Text = sysinfo.RedactText(text, s.rules)
		}
		out.Logs = append(out.Logs, ex)
	}
	return out
}

// tail returns the last n lines of the file at path, reading at most
// maxExcerptBytes from its end.
func tail(path string, n int) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("reading %s: not a regular file", path)
	}
	start := max(0, fi.Size()-maxExcerptBytes)
	b, err := io.ReadAll(io.NewSectionReader(f, start, fi.Size()-start))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if start > 0 { // the first line is cut: drop it
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n"), nil
}
