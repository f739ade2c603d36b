package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// decodeExpr decodes one expression on its own, with go-toml, onto the
// merged config. Decoding expressions one by one (rather than the whole
// file) is what lets a bad duration on line 3 and another on line 9 both be
// reported: the decoder stops at its first error.
func (w *fileWalk) decodeExpr(e expr) {
	var doc bytes.Buffer
	if len(e.table) > 0 {
		// The table's parts passed the schema, so they are bare keys
		// that need no quoting.
		doc.WriteString("[" + strings.Join(e.table, ".") + "]\n")
	}
	doc.Write(e.raw)

	next := *w.m.cfg
	if err := decodeStrict(doc.Bytes(), &next); err != nil {
		for _, p := range decodeProblems(err) {
			// Positions are relative to the one-expression document;
			// the expression's own line is what the administrator needs.
			p.File, p.Line, p.Column = w.file, e.line, 0
			for _, l := range e.leaves {
				if l.key == p.Key {
					p.Line = l.line
				}
			}
			w.problems = append(w.problems, p)
		}
		return
	}
	*w.m.cfg = next
	for _, l := range e.leaves {
		w.m.origins[l.key] = origin{file: w.file, line: l.line}
	}
}

// crossCheck decodes the whole file in one go, as go-toml would on its own,
// and checks it agrees with the expression-by-expression result. This
// catches what the schema walk does not model (TOML's rules on redefining
// tables, for one) and guards against the two ways of decoding drifting.
func (w *fileWalk) crossCheck(data []byte, before Config) {
	whole := before
	if err := decodeStrict(data, &whole); err != nil {
		for _, p := range decodeProblems(err) {
			p.File = w.file
			w.problems = append(w.problems, p)
		}
		return
	}
	if !reflect.DeepEqual(&whole, w.m.cfg) {
		w.problems = append(w.problems, Problem{File: w.file,
			Message: "internal error: decoding the file as a whole and key by key gave different results; please report this"})
	}
}

// decodeStrict decodes data onto v, refusing keys v has no field for.
func decodeStrict(data []byte, v *Config) error {
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding TOML: %w", err)
	}
	return nil
}

// decodeProblems turns a go-toml error into problems, keeping its positions.
func decodeProblems(err error) []Problem {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		ps := make([]Problem, 0, len(strict.Errors))
		for _, e := range strict.Errors {
			line, _ := e.Position()
			key := strings.Join(e.Key(), ".")
			ps = append(ps, Problem{Line: line, Key: key, Message: fmt.Sprintf("unknown key %q", key)})
		}
		return ps
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return []Problem{{Line: line, Column: col, Key: strings.Join(de.Key(), "."),
			Message: strings.TrimPrefix(de.Error(), "toml: ")}}
	}
	return []Problem{{Message: err.Error(), Err: err}}
}

// lineIndex maps byte offsets of a document to 1-based line numbers.
type lineIndex []int // offsets of the newlines

func newLineIndex(data []byte) lineIndex {
	var nl lineIndex
	for i, c := range data {
		if c == '\n' {
			nl = append(nl, i)
		}
	}
	return nl
}

func (l lineIndex) at(offset uint32) int {
	return sort.SearchInts(l, int(offset)) + 1
}
