package config

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// origin is where the current value of a key was set.
type origin struct {
	file string
	line int
}

// merger applies files one after the other onto a Config, recording where
// each value came from and every problem found.
type merger struct {
	schema   schema
	cfg      *Config
	origins  map[string]origin
	problems []Problem
}

func newMerger() *merger {
	cfg := Defaults()
	return &merger{schema: schemaFor(cfg), cfg: cfg, origins: map[string]origin{}}
}

// expr is a top-level key/value expression that passed the schema checks,
// kept for decoding. The parser's nodes are only valid until the next
// expression is parsed, so everything needed later is copied out.
type expr struct {
	table  []string // the [table] it is under
	raw    []byte   // "key = value", possibly spanning lines
	line   int
	leaves []leaf // the values it sets
}

// leaf is a value set by an expression: its dotted key and line.
type leaf struct {
	key  string
	line int
}

// fileWalk is the state of checking one file against the schema.
type fileWalk struct {
	m        *merger
	file     string
	lines    lineIndex
	problems []Problem
	seen     map[string]int // key or [table] -> line first defined
	exprs    []expr
}

// apply checks file (whose content is data) and merges the values it sets
// into m.cfg. Values of a file with problems are still applied where they
// are sound, so that validation can report their problems too; the load
// fails anyway.
func (m *merger) apply(file string, data []byte) {
	w := &fileWalk{m: m, file: file, lines: newLineIndex(data), seen: map[string]int{}}
	if !w.walk(data) {
		m.addFileProblems(w.problems)
		return
	}
	before := *m.cfg
	for _, e := range w.exprs {
		w.decodeExpr(e)
	}
	if len(w.problems) == 0 {
		w.crossCheck(data, before)
	}

	// Validate values where they were set, so a bad value in the main file
	// is reported even when a drop-in overrides it: removing the drop-in
	// later must not turn a working machine into a broken one.
	var verr *Error
	if errors.As(m.cfg.Validate(), &verr) {
		for _, p := range verr.Problems {
			if o, ok := m.origins[originKey(p.Key)]; ok && o.file == file {
				p.File, p.Line = o.file, o.line
				w.problems = append(w.problems, p)
			}
		}
	}
	m.addFileProblems(w.problems)
}

// originKey maps the key of a problem to the key whose position is known:
// an element of an array ("probes.targets[1].url") was set by the line of
// the array's key.
func originKey(key string) string {
	if i := strings.IndexByte(key, '['); i >= 0 {
		return key[:i]
	}
	return key
}

// addFileProblems appends one file's problems, ordered by position.
func (m *merger) addFileProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Column < ps[j].Column
	})
	m.problems = append(m.problems, ps...)
}

func (w *fileWalk) add(line int, key, format string, args ...any) {
	w.problems = append(w.problems, Problem{File: w.file, Line: line, Key: key, Message: fmt.Sprintf(format, args...)})
}

// walk parses data and checks every expression against the schema. It
// returns false on a syntax error, after which nothing of the file is used.
func (w *fileWalk) walk(data []byte) bool {
	var p unstable.Parser
	p.Reset(data)
	var table []string
	tableOK := true
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e.Key())
			tableOK = w.checkHeader(table, e.Kind == unstable.ArrayTable, w.lines.at(e.Child().Raw.Offset))
		case unstable.KeyValue:
			if !tableOK {
				// The header was already reported; its keys would
				// only repeat it.
				continue
			}
			w.checkExpr(&p, table, e)
		}
	}
	if err := p.Error(); err != nil {
		w.syntaxError(&p, data, err)
		return false
	}
	return true
}

func (w *fileWalk) syntaxError(p *unstable.Parser, data []byte, err error) {
	pr := Problem{File: w.file, Message: "syntax error: " + err.Error()}
	var perr *unstable.ParserError
	if errors.As(err, &perr) && isSubslice(data, perr.Highlight) {
		pos := p.Shape(p.Range(perr.Highlight)).Start
		pr.Line, pr.Column = pos.Line, pos.Column
	}
	w.problems = append(w.problems, pr)
}

// isSubslice reports whether b lies within data, which Parser.Range
// requires (it panics otherwise). Parser errors always highlight the
// document, but a panic while loading the configuration would be a poor
// way to find out one does not.
func isSubslice(data, b []byte) bool {
	off := cap(data) - cap(b)
	return b != nil && off >= 0 && off+len(b) <= len(data)
}

func keyParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

// checkHeader checks a [table] or [[table]] header; false means its keys
// are to be skipped.
func (w *fileWalk) checkHeader(path []string, array bool, line int) bool {
	key := strings.Join(path, ".")
	if !w.checkPrefixes(path, line, true) {
		return false
	}
	kind, known := w.m.schema.lookup(key)
	switch {
	case !known:
		w.add(line, key, "unknown table %q%s", key, w.m.schema.suggest(key, true))
		return false
	case !kind.isTable():
		got := kindTable
		if array {
			got = kindArrayTable
		}
		w.add(line, key, "expected %s, got %s", kind.name(), got.name())
		return false
	case array:
		w.add(line, key, "expected a table, got an array of tables (write [%s], not [[%s]])", key, key)
		return false
	}
	if first, dup := w.seen["["+key+"]"]; dup {
		w.add(line, key, "table %q is defined twice (first on line %d)", key, first)
		return false
	}
	w.seen["["+key+"]"] = line
	if kind == kindMap {
		// The header itself sets the map (an empty one is a valid
		// value), so it is where its problems are reported.
		w.m.origins[key] = origin{file: w.file, line: line}
	}
	return true
}

// checkPrefixes checks that every proper prefix of path names a table, so
// that "log_level.x" is reported as a type problem of log_level. isTable
// says whether path is a [table] header rather than a key.
func (w *fileWalk) checkPrefixes(path []string, line int, isTable bool) bool {
	for i := 1; i < len(path); i++ {
		key := strings.Join(path[:i], ".")
		kind, known := w.m.schema.lookup(key)
		if !known {
			w.unknown(path, line, isTable)
			return false
		}
		if !kind.isTable() {
			w.add(line, key, "expected %s, got a table", kind.name())
			return false
		}
	}
	return true
}

// unknown reports a key or table the schema does not have.
func (w *fileWalk) unknown(path []string, line int, isTable bool) {
	key := strings.Join(path, ".")
	what := "key"
	if isTable {
		what = "table"
	}
	w.add(line, key, "unknown %s %q%s", what, key, w.m.schema.suggest(key, isTable))
}

// checkExpr checks a top-level key/value expression and, if it is sound,
// keeps it for decoding.
func (w *fileWalk) checkExpr(p *unstable.Parser, table []string, e *unstable.Node) {
	path, line := w.keyOf(table, e)
	var leaves []leaf
	if !w.checkValue(path, e.Value(), line, &leaves) {
		return
	}
	raw := bytes.Clone(p.Raw(e.Raw))
	w.exprs = append(w.exprs, expr{table: table, raw: raw, line: line, leaves: leaves})
}

// keyOf returns the full path of a KeyValue node under table, and the line
// of its key.
func (w *fileWalk) keyOf(table []string, kv *unstable.Node) ([]string, int) {
	it := kv.Key()
	path := append([]string(nil), table...)
	line := 0
	for it.Next() {
		if line == 0 {
			line = w.lines.at(it.Node().Raw.Offset)
		}
		path = append(path, string(it.Node().Data))
	}
	return path, line
}

// checkValue checks that path is a known key and val has the kind it takes,
// descending into inline tables; it appends the values set to leaves.
func (w *fileWalk) checkValue(path []string, val *unstable.Node, line int, leaves *[]leaf) bool {
	if !w.checkPrefixes(path, line, false) {
		return false
	}
	key := strings.Join(path, ".")
	want, known := w.m.schema.lookup(key)
	if !known {
		w.unknown(path, line, false)
		return false
	}
	got := kindOfNode(val)
	if !want.accepts(got) {
		w.add(line, key, "expected %s, got %s", want.name(), got.name())
		return false
	}
	if want == kindMap {
		// An inline map is a value of its own (possibly empty) as well
		// as the values it holds.
		if first, dup := w.seen[key]; dup {
			w.add(line, key, "set twice in this file (first on line %d)", first)
			return false
		}
		w.seen[key] = line
		*leaves = append(*leaves, leaf{key: key, line: line})
	}
	if want.isTable() {
		ok := true
		it := val.Children()
		for it.Next() {
			child := it.Node()
			if child.Kind != unstable.KeyValue {
				continue // comments
			}
			cpath, cline := w.keyOf(path, child)
			if !w.checkValue(cpath, child.Value(), cline, leaves) {
				ok = false
			}
		}
		return ok
	}
	if first, dup := w.seen[key]; dup {
		w.add(line, key, "set twice in this file (first on line %d)", first)
		return false
	}
	w.seen[key] = line
	*leaves = append(*leaves, leaf{key: key, line: line})
	return true
}
