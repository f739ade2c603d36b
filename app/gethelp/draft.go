package gethelp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// Draft is the form as kept on disk while it is being written: what the
// employee typed and chose, and where their files came from. Screenshots
// are never kept: they are of a moment, and may show private things.
type Draft struct {
	Version int `json:"version"`
	// Key is the report's key, so a report restored from a draft is still
	// the same report.
	Key         report.Key      `json:"key"`
	Opened      time.Time       `json:"opened"`
	SavedAt     time.Time       `json:"saved_at"`
	Text        string          `json:"text,omitempty"`
	Category    string          `json:"category,omitempty"`
	Severity    report.Severity `json:"severity,omitempty"`
	Callback    report.Callback `json:"callback,omitzero"`
	SkipSummary bool            `json:"skip_summary,omitempty"`
	SkipChart   bool            `json:"skip_chart,omitempty"`
	Files       []string        `json:"files,omitempty"`
}

// draftVersion is the format written; other versions are ignored.
const draftVersion = 1

// maxDraftBytes caps the draft file read back: it holds a text of at most
// a few tens of kilobytes.
const maxDraftBytes = 1 << 20

// IsEmpty reports whether the draft holds nothing the employee entered.
func (d Draft) IsEmpty() bool {
	return strings.TrimSpace(d.Text) == "" && d.Category == "" && d.Severity == "" &&
		d.Callback.Number == "" && d.Callback.When == "" && len(d.Files) == 0
}

// ReadDraft reads the draft at path; false when there is none, or one this
// version cannot use.
func ReadDraft(path string) (Draft, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, fmt.Errorf("reading the report draft: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDraftBytes))
	if err != nil {
		return Draft{}, false, fmt.Errorf("reading the report draft: %w", err)
	}
	return parseDraft(data)
}

// parseDraft decodes a draft file; a damaged one is reported, not used.
func parseDraft(data []byte) (Draft, bool, error) {
	var d Draft
	if err := json.Unmarshal(data, &d); err != nil {
		return Draft{}, false, fmt.Errorf("the report draft is damaged: %w", err)
	}
	if d.Version != draftVersion || d.Key.IsZero() {
		return Draft{}, false, nil
	}
	return d, true, nil
}

// WriteDraft replaces the draft at path, in the employee's own folder
// (0700) and readable only by them (0600). The write goes through a
// temporary file, so a crash leaves the old draft or the new one.
func WriteDraft(path string, d Draft) error {
	d.Version = draftVersion
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the report draft: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving the report draft: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".draft-*")
	if err != nil {
		return fmt.Errorf("saving the report draft: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving the report draft: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving the report draft: %w", err)
	}
	return nil
}

// RemoveDraft deletes the draft at path; a missing one is fine.
func RemoveDraft(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the report draft: %w", err)
	}
	return nil
}

// draft is the form as a Draft.
func (p *Page) draft() Draft {
	s := p.state
	form := p.f.read(s.Form)
	d := Draft{
		Key: s.Key, Opened: s.Opened, SavedAt: p.opts.Now(),
		Text: form.Text, Category: form.Category, Severity: form.Severity,
		SkipSummary: form.SkipSummary, SkipChart: form.SkipChart,
	}
	if form.Callback.Method != report.CallbackNone || form.Callback.Number != "" {
		d.Callback = form.Callback
	}
	for _, f := range form.Files {
		if f.Path != "" {
			d.Files = append(d.Files, f.Path)
		}
	}
	return d
}

// saveDraft keeps the form on disk, or removes the draft when the form is
// empty. Failures are logged: a draft is a convenience, the report is not
// at stake yet.
func (p *Page) saveDraft() {
	if p.opts.DraftPath == "" {
		return
	}
	d := p.draft()
	var err error
	if d.IsEmpty() {
		err = RemoveDraft(p.opts.DraftPath)
	} else {
		err = WriteDraft(p.opts.DraftPath, d)
	}
	if err != nil {
		p.log.Warn("keeping the report draft", "err", err)
		return
	}
	p.dirty = false
}

func (p *Page) clearDraft() {
	if p.opts.DraftPath == "" {
		return
	}
	if err := RemoveDraft(p.opts.DraftPath); err != nil {
		p.log.Warn("removing the report draft", "err", err)
	}
}

func (p *Page) loadDraft() (Draft, bool) {
	if p.opts.DraftPath == "" {
		return Draft{}, false
	}
	d, ok, err := ReadDraft(p.opts.DraftPath)
	if err != nil {
		p.log.Warn("the report draft cannot be used", "err", err)
	}
	return d, ok
}

// restore puts a draft back into the form; its files are read again in the
// background, and the ones gone since are named on the page.
func (p *Page) restore(d Draft) {
	p.state.Key, p.state.Opened = d.Key, d.Opened
	p.state.Form = Form{
		Text: d.Text, Category: d.Category, Severity: d.Severity, Callback: d.Callback,
		SkipSummary: d.SkipSummary, SkipChart: d.SkipChart,
	}
	p.syncFields()
	p.state.Form = p.f.read(p.state.Form)
	if len(d.Files) == 0 {
		return
	}
	paths := d.Files
	limit := p.opts.Limits.AttachmentBytes
	p.work.Load(readTimeout, func(ctx context.Context) func() {
		type read struct {
			path string
			data []byte
			err  error
		}
		var got []read
		for _, path := range paths {
			data, err := readPath(ctx, path, limit)
			got = append(got, read{path, data, err})
		}
		return func() {
			var missing []string
			for _, r := range got {
				if r.err != nil {
					missing = append(missing, filepath.Base(r.path))
					continue
				}
				p.AddFile(filepath.Base(r.path), r.path, r.data)
			}
			if len(missing) > 0 {
				p.fileProblem("These files from your unfinished report could not be attached again: " + strings.Join(missing, ", ") + ".")
			}
		}
	})
}
