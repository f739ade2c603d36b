package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// BenchmarkDecodeSubmission1MB decodes a request carrying a 1 MB
// screenshot: the first half of "Submit → durable".
func BenchmarkDecodeSubmission1MB(b *testing.B) {
	s := Submission{
		Key:       NewKey(time.Now()),
		CreatedAt: time.Now().UTC(),
		Text:      "My screen goes black when I plug in the dock",
		Severity:  SeverityBlocked,
		Snapshot:  json.RawMessage(`{"os":"Debian 12","memory":{"total":16000000000}}`),
		Attachments: []Attachment{
			{Name: "screen.png", ContentType: "image/png", Kind: KindScreenshot, Data: bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 1<<18)},
		},
	}
	body, err := json.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	l := DefaultLimits()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeSubmission(bytes.NewReader(body), l); err != nil {
			b.Fatal(err)
		}
	}
}
