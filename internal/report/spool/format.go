package spool

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"

	"github.com/firstline-it/firstline/internal/report"
)

// The on-disk format is documented in doc.go; keep the two in step.
const (
	magic         = "FLSPOOL"
	formatVersion = 1
	kindBody      = "body"
	kindState     = "state"

	// maxPreamble, maxHeader and maxRecord bound what a reader allocates
	// for a file's first line, its header and a state record, whatever the
	// file claims; maxSections bounds the section table.
	maxPreamble = 64
	maxHeader   = 1 << 20
	maxRecord   = 4 << 20
	maxMeta     = 64 << 20
	maxSections = 1 + 1024
)

// byteReader is what the readers read from: a bufio.Reader over a file, or
// a bytes.Reader over a file already in memory.
type byteReader interface {
	io.Reader
	io.ByteReader
}

// errDamaged is wrapped by every error about a file's content (as opposed
// to an I/O error): such a file is quarantined.
var errDamaged = errors.New("damaged spool file")

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errDamaged, fmt.Sprintf(format, args...))
}

// header is the JSON header of a spool file.
type header struct {
	Key      report.Key `json:"key"`
	Sections []section  `json:"sections"`
}

// section is one part of a file's payload.
type section struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	CRC32C string `json:"crc32c"`
}

// crc returns the CRC-32C (Castagnoli) of b in the 8-hex-digit form the
// format uses. CRC-32C is there to detect damage, not tampering: the spool
// folder is private to its owner, and hardware makes it cheap enough to
// check a 25 MB report on every read.
func crc(b []byte) string {
	return fmt.Sprintf("%08x", crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

// payloadSize is the sum of the section sizes.
func (h *header) payloadSize() int64 {
	var n int64
	for _, s := range h.Sections {
		n += s.Size
	}
	return n
}

// encodeHead returns the preamble line and the header line of a file.
func encodeHead(kind string, h header) ([]byte, error) {
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encoding the %s header: %w", kind, err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d %s %d %s\n", magic, formatVersion, kind, len(hj), crc(hj))
	b.Write(hj)
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// readHead reads a file's preamble and header from r and checks them. It
// returns the header and how many bytes the two took.
func readHead(r byteReader, kind string) (header, int64, error) {
	line, err := readLine(r, maxPreamble)
	if err != nil {
		return header{}, 0, err
	}
	fields := strings.Fields(line)
	if len(fields) != 5 || fields[0] != magic {
		return header{}, 0, damaged("not a spool file")
	}
	if fields[1] != strconv.Itoa(formatVersion) {
		return header{}, 0, damaged("format version %q is not supported", fields[1])
	}
	if fields[2] != kind {
		return header{}, 0, damaged("a %q file where a %q file was expected", fields[2], kind)
	}
	n, err := strconv.Atoi(fields[3])
	if err != nil || n <= 0 || n > maxHeader {
		return header{}, 0, damaged("bad header length %q", fields[3])
	}
	hj := make([]byte, n+1)
	if _, err := io.ReadFull(r, hj); err != nil {
		return header{}, 0, truncated(err, "header")
	}
	if hj[n] != '\n' {
		return header{}, 0, damaged("header is not followed by a newline")
	}
	hj = hj[:n]
	if got := crc(hj); got != fields[4] {
		return header{}, 0, damaged("header checksum %s does not match %s", got, fields[4])
	}
	var h header
	if err := decodeStrict(hj, &h); err != nil {
		return header{}, 0, damaged("header: %v", err)
	}
	if err := h.check(); err != nil {
		return header{}, 0, err
	}
	return h, int64(len(line) + 1 + n + 1), nil
}

func (h *header) check() error {
	if h.Key.IsZero() {
		return damaged("header has no key")
	}
	if len(h.Sections) == 0 || len(h.Sections) > maxSections {
		return damaged("header lists %d sections", len(h.Sections))
	}
	var total int64
	for _, s := range h.Sections {
		if s.Size < 0 || s.Size > 1<<40 || len(s.CRC32C) != 8 {
			return damaged("section %q is malformed", s.Name)
		}
		total += s.Size
	}
	if total > 1<<40 {
		return damaged("sections add up to %d bytes", total)
	}
	return nil
}

// readLine reads one '\n'-terminated line of at most limit bytes.
func readLine(r byteReader, limit int) (string, error) {
	b := make([]byte, 0, limit)
	for len(b) <= limit {
		c, err := r.ReadByte()
		if err != nil {
			return "", truncated(err, "first line")
		}
		if c == '\n' {
			return string(b), nil
		}
		b = append(b, c)
	}
	return "", damaged("first line is longer than %d bytes", limit)
}

// readSection reads a section whole and checks its checksum; limit caps
// what this section may be for its kind of content.
func readSection(r io.Reader, s section, limit int64) ([]byte, error) {
	if s.Size > limit {
		return nil, damaged("section %q claims %d bytes; at most %d are possible", s.Name, s.Size, limit)
	}
	b := make([]byte, s.Size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, truncated(err, "section "+strconv.Quote(s.Name))
	}
	if got := crc(b); got != s.CRC32C {
		return nil, damaged("section %q checksum %s does not match %s", s.Name, got, s.CRC32C)
	}
	return b, nil
}

// truncated turns an early end of file into a damage error; other read
// errors stay I/O errors (the file may be fine and the disk busy).
func truncated(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return damaged("file ends inside its %s", what)
	}
	return fmt.Errorf("reading the %s: %w", what, err)
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// encodeState returns the whole state file for rec.
func encodeState(rec report.Record) ([]byte, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encoding the state of %s: %w", rec.Key, err)
	}
	head, err := encodeHead(kindState, header{Key: rec.Key, Sections: []section{
		{Name: "record", Size: int64(len(body)), CRC32C: crc(body)},
	}})
	if err != nil {
		return nil, err
	}
	return append(head, body...), nil
}

// decodeState reads a whole state file.
func decodeState(data []byte) (report.Record, error) {
	r := bytes.NewReader(data)
	h, headLen, err := readHead(r, kindState)
	if err != nil {
		return report.Record{}, err
	}
	if len(h.Sections) != 1 || h.Sections[0].Name != "record" {
		return report.Record{}, damaged("a state file has one section, \"record\"")
	}
	if want := headLen + h.payloadSize(); int64(len(data)) != want {
		return report.Record{}, damaged("state file is %d bytes; its header says %d", len(data), want)
	}
	body, err := readSection(r, h.Sections[0], maxRecord)
	if err != nil {
		return report.Record{}, err
	}
	var rec report.Record
	if err := decodeStrict(body, &rec); err != nil {
		return report.Record{}, damaged("record: %v", err)
	}
	if rec.Key != h.Key {
		return report.Record{}, damaged("record is for %s, header for %s", rec.Key, h.Key)
	}
	if err := rec.Check(); err != nil {
		return report.Record{}, damaged("record: %v", err)
	}
	return rec, nil
}

// bodyHead is the encoded start of a body file (preamble, header, the
// report section) and the header it carries.
type bodyHead struct {
	head header
	// prefix is the preamble, the header and the report section: all of
	// the file but the attachment content.
	prefix []byte
}

// size is the whole body file's size.
func (b *bodyHead) size() int64 {
	return int64(len(b.prefix)) + b.head.payloadSize() - b.head.Sections[0].Size
}

// encodeBody prepares the body file of r: everything but the attachment
// content, which the writer copies straight from r so that a 10 MB
// screenshot is never copied in memory.
func encodeBody(r *report.Report) (bodyHead, error) {
	meta := *r
	meta.State = report.State{}
	meta.Attachments = make([]report.Attachment, len(r.Attachments))
	h := header{Key: r.Key, Sections: make([]section, 0, 1+len(r.Attachments))}
	for i, a := range r.Attachments {
		a.Data = nil
		meta.Attachments[i] = a
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return bodyHead{}, fmt.Errorf("encoding report %s: %w", r.Key, err)
	}
	h.Sections = append(h.Sections, section{Name: "report", Size: int64(len(mj)), CRC32C: crc(mj)})
	for _, a := range r.Attachments {
		h.Sections = append(h.Sections, section{Name: "attachment", Size: int64(len(a.Data)), CRC32C: crc(a.Data)})
	}
	head, err := encodeHead(kindBody, h)
	if err != nil {
		return bodyHead{}, err
	}
	return bodyHead{head: h, prefix: append(head, mj...)}, nil
}

// readBodyMeta reads a body file's header and its report section, which
// has everything but the attachment content. The reader is left at the
// first attachment.
func readBodyMeta(r byteReader) (header, report.Report, int64, error) {
	h, headLen, err := readHead(r, kindBody)
	if err != nil {
		return header{}, report.Report{}, 0, err
	}
	if h.Sections[0].Name != "report" {
		return header{}, report.Report{}, 0, damaged("a body file starts with a \"report\" section")
	}
	mj, err := readSection(r, h.Sections[0], maxMeta)
	if err != nil {
		return header{}, report.Report{}, 0, err
	}
	var rep report.Report
	if err := decodeStrict(mj, &rep); err != nil {
		return header{}, report.Report{}, 0, damaged("report: %v", err)
	}
	switch {
	case rep.Key != h.Key:
		return header{}, report.Report{}, 0, damaged("report is %s, header says %s", rep.Key, h.Key)
	case len(h.Sections) != 1+len(rep.Attachments):
		return header{}, report.Report{}, 0, damaged("report has %d attachments, file %d", len(rep.Attachments), len(h.Sections)-1)
	case rep.Owner.UID == "" || rep.Reference != rep.Key.Reference() || rep.ReceivedAt.IsZero():
		return header{}, report.Report{}, 0, damaged("report lacks its owner, reference or time")
	}
	for i, s := range h.Sections[1:] {
		if s.Name != "attachment" {
			return header{}, report.Report{}, 0, damaged("section %d is %q, want \"attachment\"", i+1, s.Name)
		}
	}
	return h, rep, headLen + h.Sections[0].Size, nil
}

// readBody reads a whole body file of size bytes from r and checks every
// checksum.
func readBody(r byteReader, size int64) (report.Report, error) {
	h, rep, metaEnd, err := readBodyMeta(r)
	if err != nil {
		return report.Report{}, err
	}
	if want := metaEnd + h.payloadSize() - h.Sections[0].Size; size != want {
		return report.Report{}, damaged("body file is %d bytes; its header says %d", size, want)
	}
	for i, s := range h.Sections[1:] {
		if rep.Attachments[i].Data, err = readSection(r, s, size); err != nil {
			return report.Report{}, err
		}
	}
	return rep, nil
}

// decodeBody reads a whole body file held in memory.
func decodeBody(data []byte) (report.Report, error) {
	return readBody(bytes.NewReader(data), int64(len(data)))
}
