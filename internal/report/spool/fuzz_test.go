package spool

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/firstline-it/firstline/internal/report"
)

// FuzzReadFile feeds arbitrary bytes to both file readers, as they are and
// framed with correct checksums (random bytes rarely get past a CRC, and
// what lies behind it must hold up too). The readers must never panic or
// allocate what a file merely claims; every refusal must mark the file
// damaged (so it is quarantined, not retried forever); and what they
// accept must re-encode to a file that reads back the same.
func FuzzReadFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "v1", "*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(data[:len(data)-1])
	}
	f.Add([]byte("FLSPOOL 1 state 999999999 00000000\n"))
	f.Add([]byte("FLSPOOL 1 body 2 00000000\n{}\n"))
	// Bare JSON, for the framed runs.
	for _, file := range files {
		data, _ := os.ReadFile(file)
		if i := bytes.LastIndex(data, []byte("\n{")); i >= 0 {
			f.Add(data[i+1:])
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkState(t, data)
		checkBody(t, data)
		key, _ := report.ParseKey("0190f2c4-5e1a-7b3c-8d4e-5f6a7b8c9d0e")
		if rec := bytes.Index(data, []byte(`"key":"`)); rec >= 0 && len(data) >= rec+43 {
			if k, err := report.ParseKey(string(data[rec+7 : rec+43])); err == nil {
				key = k // let the framed JSON agree with the header
			}
		}
		frame := func(kind, name string) []byte {
			head, err := encodeHead(kind, header{Key: key, Sections: []section{{Name: name, Size: int64(len(data)), CRC32C: crc(data)}}})
			if err != nil {
				t.Fatal(err)
			}
			return append(head, data...)
		}
		checkState(t, frame(kindState, "record"))
		checkBody(t, frame(kindBody, "report"))
	})
}

// checkState checks what decodeState makes of data.
func checkState(t *testing.T, data []byte) {
	rec, err := decodeState(data)
	if err != nil {
		if !errors.Is(err, errDamaged) {
			t.Fatalf("decodeState: %v is not a damage error", err)
		}
		return
	}
	if err := rec.Check(); err != nil {
		t.Fatalf("decodeState accepted a record Check refuses: %v", err)
	}
	again, err := encodeState(rec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeState(again)
	if err != nil || !reflect.DeepEqual(back, rec) {
		t.Fatalf("state round trip: %v\n%+v\n%+v", err, rec, back)
	}
}

// checkBody checks what decodeBody makes of data.
func checkBody(t *testing.T, data []byte) {
	rep, err := decodeBody(data)
	if err != nil {
		if !errors.Is(err, errDamaged) {
			t.Fatalf("decodeBody: %v is not a damage error", err)
		}
		return
	}
	body, err := encodeBody(&rep)
	if err != nil {
		t.Fatal(err)
	}
	file := bytes.Clone(body.prefix)
	for _, a := range rep.Attachments {
		file = append(file, a.Data...)
	}
	back, err := decodeBody(file)
	if err != nil {
		t.Fatalf("body round trip: %v", err)
	}
	if back.Key != rep.Key || back.Text != rep.Text || len(back.Attachments) != len(rep.Attachments) {
		t.Fatalf("body round trip changed the report")
	}
	for i := range rep.Attachments {
		if !bytes.Equal(back.Attachments[i].Data, rep.Attachments[i].Data) {
			t.Fatalf("body round trip changed attachment %d", i)
		}
	}
}
