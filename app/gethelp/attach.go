package gethelp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/firstline-it/firstline/internal/report"
)

// reserved is how many attachments the page keeps free for its own: the
// chart and the screenshot.
const reserved = 2

// readTimeout bounds reading a picked file (a network share may hang).
const readTimeout = 30 * time.Second

// pickFile opens the file chooser.
func (p *Page) pickFile() {
	p.opts.PickFile(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			p.fileProblem(fmt.Sprintf("The file could not be opened: %v", err))
			return
		}
		if rc == nil {
			return // cancelled
		}
		name, path := rc.URI().Name(), ""
		if rc.URI().Scheme() == "file" {
			path = rc.URI().Path()
		}
		limit := p.opts.Limits.AttachmentBytes
		p.work.Load(readTimeout, func(ctx context.Context) func() {
			defer rc.Close()
			data, tooBig, err := readCapped(ctx, rc, limit)
			return func() { p.attachRead(name, path, data, tooBig, err) }
		})
	})
}

// attachRead attaches a file once read, or says why not.
func (p *Page) attachRead(name, path string, data []byte, tooBig bool, err error) {
	switch {
	case err != nil:
		p.fileProblem(fmt.Sprintf("%q could not be read: %v", name, err))
	case tooBig:
		p.fileProblem(fmt.Sprintf("%q is larger than %s, the most a file may be. Please attach a smaller one, or tell IT where to find it.",
			name, sizeText(p.opts.Limits.AttachmentBytes)))
	default:
		p.AddFile(name, path, data)
	}
}

// AddFile attaches data under name (path is where it came from, kept in
// the draft); it says so on the page when the report has no room for it.
func (p *Page) AddFile(name, path string, data []byte) {
	l := p.opts.Limits
	form := &p.state.Form
	switch {
	case len(form.Files) >= l.Attachments-reserved:
		p.fileProblem(fmt.Sprintf("A report can carry %d files. Please remove one before adding %q.", l.Attachments-reserved, name))
		return
	case int64(len(data)) > l.AttachmentBytes:
		p.fileProblem(fmt.Sprintf("%q is %s; a file may be at most %s.", name, sizeText(int64(len(data))), sizeText(l.AttachmentBytes)))
		return
	case p.filesSize()+int64(len(data)) > l.TotalBytes/2:
		// Half the report for files leaves room for the screenshot.
		p.fileProblem(fmt.Sprintf("Adding %q would make the report larger than IT takes. Please attach fewer or smaller files.", name))
		return
	}
	var taken []string
	for _, f := range form.Files {
		taken = append(taken, f.Name)
	}
	safe := uniqueName(taken, report.SanitizeName(name, l.NameBytes-8))
	form.Files = append(form.Files, File{Name: safe, Path: path, Type: contentType(safe, data), Data: data})
	p.state.FileProblem = ""
	p.dirty = true
	p.render()
}

// RemoveFile takes the i-th file off the report.
func (p *Page) RemoveFile(i int) {
	files := p.state.Form.Files
	if i < 0 || i >= len(files) {
		return
	}
	p.state.Form.Files = append(files[:i:i], files[i+1:]...)
	p.dirty = true
	p.render()
}

func (p *Page) filesSize() int64 {
	var n int64
	for _, f := range p.state.Form.Files {
		n += int64(len(f.Data))
	}
	return n
}

func (p *Page) fileProblem(msg string) {
	p.state.FileProblem = msg
	p.render()
}

// readCapped reads r up to limit bytes; tooBig reports a longer file.
func readCapped(ctx context.Context, r io.Reader, limit int64) (data []byte, tooBig bool, err error) {
	data, err = io.ReadAll(io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		return nil, true, nil
	}
	return data, false, nil
}

// ctxReader stops a long read between chunks once ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// readPath reads a file named in a draft.
func readPath(ctx context.Context, path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, tooBig, err := readCapped(ctx, f, limit)
	if tooBig {
		return nil, errors.New("it is too large now")
	}
	return data, err
}

// knownTypes are the files employees attach most, so they get the same
// type on every system whatever its MIME database says.
var knownTypes = map[string]string{
	".txt":  "text/plain; charset=utf-8",
	".log":  "text/plain; charset=utf-8",
	".csv":  "text/csv",
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".heic": "image/heic",
	".zip":  "application/zip",
	".eml":  "message/rfc822",
	".msg":  "application/vnd.ms-outlook",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".mp4":  "video/mp4",
	".mov":  "video/quicktime",
}

// contentType is a file's MIME type: by its extension, else by its first
// bytes.
func contentType(name string, data []byte) string {
	ext := strings.ToLower(filepath.Ext(name))
	if t, ok := knownTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		if mt, params, err := mime.ParseMediaType(t); err == nil {
			if cs := params["charset"]; cs != "" {
				return mime.FormatMediaType(mt, map[string]string{"charset": cs})
			}
			return mt
		}
	}
	t := http.DetectContentType(data)
	if mt, _, err := mime.ParseMediaType(t); err == nil && mt != "text/plain" {
		return mt
	}
	return t
}

// TypeLabel names a MIME type the way an employee would.
func TypeLabel(mimeType string) string {
	mt, _, _ := mime.ParseMediaType(mimeType)
	known := map[string]string{
		"application/pdf":    "PDF document",
		"application/zip":    "ZIP archive",
		"application/json":   "JSON file",
		"application/msword": "Word document",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
		"application/vnd.ms-excel": "Excel spreadsheet",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "Excel spreadsheet",
		"application/vnd.ms-powerpoint":                                             "PowerPoint presentation",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
		"application/vnd.oasis.opendocument.text":                                   "Text document",
		"application/vnd.oasis.opendocument.spreadsheet":                            "Spreadsheet",
		"message/rfc822":             "Email message",
		"application/vnd.ms-outlook": "Outlook message",
		"text/csv":                   "CSV table",
		"text/html":                  "Web page",
		"application/octet-stream":   "File",
	}
	if l, ok := known[mt]; ok {
		return l
	}
	major, minor, _ := strings.Cut(mt, "/")
	switch major {
	case "image":
		return strings.ToUpper(strings.TrimPrefix(minor, "x-")) + " image"
	case "video":
		return "Video"
	case "audio":
		return "Audio"
	case "text":
		return "Text"
	}
	if mt == "" {
		return "File"
	}
	return mt
}

// uniqueName returns name, or name with " (2)", " (3)", … before its
// extension if a file of the report has it already: a helpdesk shows
// attachments by name.
func uniqueName(taken []string, name string) string {
	isTaken := func(n string) bool {
		for _, t := range taken {
			if strings.EqualFold(t, n) {
				return true
			}
		}
		return strings.EqualFold(n, screenshotName) || strings.EqualFold(n, chartName)
	}
	if !isTaken(name) {
		return name
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		if n := stem + " (" + strconv.Itoa(i) + ")" + ext; !isTaken(n) {
			return n
		}
	}
}

// sizeText writes a size the way file managers do.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
