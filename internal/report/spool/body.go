package spool

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"sync"

	"github.com/firstline-it/firstline/internal/report"
)

// Load returns the whole report with its attachment content and current
// state, checking every checksum. A report whose content is damaged is
// moved to quarantine and marked (State.Broken); Load then returns an error
// wrapping ErrDamaged. A report without content returns ErrGone.
func (s *Spool) Load(ctx context.Context, key report.Key) (report.Report, error) {
	rec, err := s.withBody(key)
	if err != nil {
		return report.Report{}, err
	}
	rep, err := s.readBodyFile(key)
	if errors.Is(err, errDamaged) {
		s.markDamaged(ctx, key, err)
		return report.Report{}, fmt.Errorf("loading report %s: %w: %v", rec.Reference, ErrDamaged, err)
	}
	if err != nil {
		return report.Report{}, fmt.Errorf("loading report %s: %w", rec.Reference, err)
	}
	rep.State = rec.State
	return rep, nil
}

// withBody returns key's record if its content is kept.
func (s *Spool) withBody(key report.Key) (report.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[key]
	switch {
	case e == nil:
		return report.Record{}, fmt.Errorf("report %s: %w", key, ErrNotFound)
	case !e.hasBody:
		return report.Record{}, fmt.Errorf("report %s: %w", e.rec.Reference, ErrGone)
	}
	return e.rec.Clone(), nil
}

// Body gives streaming access to a report's content, for a delivery backend
// that sends attachments without holding them in memory (an SMTP DATA
// stream, a multipart upload). Close it when done.
type Body struct {
	// Report is the report without attachment content (Data is nil) and
	// with its current state.
	Report report.Report

	s        *Spool
	key      report.Key
	f        *os.File
	sections []section
	offsets  []int64

	mu     sync.Mutex // guards damage: readers may run at once
	damage error
}

// Body opens key's content. It reads and checks the header and the text,
// snapshot and attachment list; attachment content is read, and checked,
// by Attachment.
func (s *Spool) Body(ctx context.Context, key report.Key) (*Body, error) {
	rec, err := s.withBody(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(s.bodyPath(key))
	if err != nil {
		return nil, fmt.Errorf("opening report %s: %w", rec.Reference, err)
	}
	h, rep, metaEnd, err := readBodyMeta(bufio.NewReaderSize(f, 64<<10))
	if err == nil {
		err = checkSize(f, metaEnd+h.payloadSize()-h.Sections[0].Size)
	}
	if err == nil && h.Key != key {
		err = damaged("body of %s is named %s", h.Key, key)
	}
	if err != nil {
		f.Close()
		if errors.Is(err, errDamaged) {
			s.markDamaged(ctx, key, err)
			return nil, fmt.Errorf("opening report %s: %w: %v", rec.Reference, ErrDamaged, err)
		}
		return nil, fmt.Errorf("opening report %s: %w", rec.Reference, err)
	}
	rep.State = rec.State
	b := &Body{Report: rep, s: s, key: key, f: f, sections: h.Sections[1:]}
	off := metaEnd
	for _, sec := range b.sections {
		b.offsets = append(b.offsets, off)
		off += sec.Size
	}
	return b, nil
}

func checkSize(f *os.File, want int64) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	if fi.Size() != want {
		return damaged("body is %d bytes; its header says %d", fi.Size(), want)
	}
	return nil
}

// Attachment returns a reader of attachment i's content. At the end it
// checks the checksum and, if the content is damaged, returns an error
// wrapping ErrDamaged instead of io.EOF (the report is then quarantined
// when the Body is closed). Readers of different attachments may be used
// one after another or at once.
func (b *Body) Attachment(i int) io.Reader {
	if i < 0 || i >= len(b.sections) {
		return errReader{fmt.Errorf("report %s has no attachment %d", b.Report.Reference, i)}
	}
	return &checkedReader{
		r:    io.NewSectionReader(b.f, b.offsets[i], b.sections[i].Size),
		h:    crc32.New(crc32.MakeTable(crc32.Castagnoli)),
		want: b.sections[i].CRC32C,
		body: b,
	}
}

// Close releases the file; if a reader found damage, the report is moved
// to quarantine and marked.
func (b *Body) Close() error {
	err := b.f.Close()
	b.mu.Lock()
	damage := b.damage
	b.mu.Unlock()
	if damage != nil {
		// Close has no context to honour: recording damage must not be
		// skipped whatever the caller's deadline.
		b.s.markDamaged(context.Background(), b.key, damage)
	}
	if err != nil {
		return fmt.Errorf("closing report %s: %w", b.Report.Reference, err)
	}
	return nil
}

// checkedReader passes a section through and checks its CRC at the end.
type checkedReader struct {
	r    io.Reader
	h    hash.Hash32
	want string
	body *Body
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF {
		if got := fmt.Sprintf("%08x", c.h.Sum32()); got != c.want {
			why := damaged("attachment checksum %s does not match %s", got, c.want)
			c.body.mu.Lock()
			c.body.damage = why
			c.body.mu.Unlock()
			return n, fmt.Errorf("reading report %s: %w: %v", c.body.Report.Reference, ErrDamaged, why)
		}
	}
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
