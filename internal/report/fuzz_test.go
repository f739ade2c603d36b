package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// normalized makes empty and nil slices compare equal, which is not a
// difference anyone could observe.
func normalized(s Submission) Submission {
	if len(s.Snapshot) == 0 {
		s.Snapshot = nil
	}
	if len(s.Attachments) == 0 {
		s.Attachments = nil
	}
	for i := range s.Attachments {
		if len(s.Attachments[i].Data) == 0 {
			s.Attachments[i].Data = nil
		}
	}
	return s
}

// FuzzDecodeSubmission feeds arbitrary bytes to the decoder. Every refusal
// must be a *FieldError, and a syntax error only for invalid JSON. Whatever
// it accepts must be valid JSON that encoding/json decodes to the same
// submission (the decoder has its own lexer for speed; this keeps it
// honest), and must survive a JSON round trip unchanged.
func FuzzDecodeSubmission(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "decode", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	l := DefaultLimits()
	l.TotalBytes, l.AttachmentBytes = 4096, 2048 // keep the fuzzer on structure, not volume
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSubmission(bytes.NewReader(data), l)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is a %T, not a *FieldError", err, err)
			}
			var se *syntaxErr
			if errors.As(err, &se) && json.Valid(data) {
				t.Fatalf("syntax error %v for valid JSON", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON")
		}
		var std Submission
		if err := json.Unmarshal(data, &std); err != nil {
			t.Fatalf("encoding/json refuses what DecodeSubmission accepted: %v", err)
		}
		if string(std.Snapshot) == "null" {
			std.Snapshot = nil
		}
		if !reflect.DeepEqual(normalized(std), normalized(s)) {
			t.Fatalf("encoding/json disagrees:\n%+v\n%+v", std, s)
		}
		if err := s.Validate(l); err != nil {
			t.Fatalf("decoded a submission Validate refuses: %v", err)
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("cannot marshal what was decoded: %v", err)
		}
		s2, err := DecodeSubmission(bytes.NewReader(again), l)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
		if s2.Key != s.Key || s2.Text != s.Text || len(s2.Attachments) != len(s.Attachments) || !s2.CreatedAt.Equal(s.CreatedAt) {
			t.Fatalf("round trip changed the submission:\n%+v\n%+v", s, s2)
		}
		for i := range s.Attachments {
			if s.Attachments[i].Name != s2.Attachments[i].Name || !bytes.Equal(s.Attachments[i].Data, s2.Attachments[i].Data) {
				t.Fatalf("round trip changed attachment %d", i)
			}
		}
	})
}

// FuzzSanitizeName checks that whatever a file is called, SanitizeName
// gives a name ValidateName accepts, and leaves valid names alone.
func FuzzSanitizeName(f *testing.F) {
	for _, s := range []string{"screen.png", "../../etc/passwd", `C:\x\CON.txt`, "a..b", "gpj\u202e.exe", "a.\u00a0", "", "é"} {
		f.Add(s, 255)
	}
	f.Fuzz(func(t *testing.T, name string, maxBytes int) {
		maxBytes = 32 + abs(maxBytes)%300
		got := SanitizeName(name, maxBytes)
		if err := ValidateName(got, maxBytes); err != nil {
			t.Fatalf("SanitizeName(%q, %d) = %q: %v", name, maxBytes, got, err)
		}
		if ValidateName(name, maxBytes) == nil && got != name {
			t.Fatalf("SanitizeName changed the valid name %q to %q", name, got)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
