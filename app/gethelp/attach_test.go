package gethelp

import (
	"testing"
)

func TestContentTypeAndLabel(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		typ   string
		label string
	}{
		{"notes.txt", "hello", "text/plain; charset=utf-8", "Text"},
		{"Report.PDF", "%PDF-1.7", "application/pdf", "PDF document"},
		{"budget.xlsx", "PK", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet"},
		{"photo.jpg", "\xff\xd8\xff", "image/jpeg", "JPEG image"},
		{"no-extension", "\x89PNG\r\n\x1a\n", "image/png", "PNG image"},
		{"mystery", "\x00\x01\x02", "application/octet-stream", "File"},
	}
	for _, tt := range tests {
		typ := contentType(tt.name, []byte(tt.data))
		if typ != tt.typ || TypeLabel(typ) != tt.label {
			t.Errorf("%s: %q %q, want %q %q", tt.name, typ, TypeLabel(typ), tt.typ, tt.label)
		}
	}
}

func TestUniqueName(t *testing.T) {
	taken := []string{"log.txt", "log (2).txt", "a"}
	tests := []struct{ in, want string }{
		{"new.txt", "new.txt"},
		{"LOG.TXT", "LOG (3).TXT"},
		{"a", "a (2)"},
		{"screenshot.png", "screenshot (2).png"}, // the page's own names stay unique
	}
	for _, tt := range tests {
		if got := uniqueName(taken, tt.in); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSizeText(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0 bytes"}, {1023, "1023 bytes"}, {1536, "2 KB"}, {10 << 20, "10 MB"}, {1572864, "1.5 MB"}}
	for _, tt := range tests {
		if got := sizeText(tt.n); got != tt.want {
			t.Errorf("%d: %q", tt.n, got)
		}
	}
}
