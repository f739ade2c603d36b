package config

import (
	"encoding"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// valueKind is the kind of TOML value a key accepts.
type valueKind int

const (
	kindAny valueKind = iota // a Go type the schema does not model; not checked
	kindString
	kindInteger
	kindFloat
	kindBool
	kindDateTime
	kindArray
	kindTable
	kindArrayTable // only ever found in documents: Config has no [[arrays]]
	// kindMap is a table whose keys are chosen by the administrator (a Go
	// map, such as rt's custom_fields); its values have the kind recorded
	// under "<key>.*".
	kindMap
)

// name is how messages describe a value of this kind.
func (k valueKind) name() string {
	switch k {
	case kindString:
		return "a string"
	case kindInteger:
		return "an integer"
	case kindFloat:
		return "a number"
	case kindBool:
		return "a boolean"
	case kindDateTime:
		return "a date/time"
	case kindArray:
		return "an array"
	case kindTable, kindMap:
		return "a table"
	case kindArrayTable:
		return "an array of tables"
	default:
		return "a value"
	}
}

// accepts reports whether a value of kind got may be stored under a key of
// kind k.
func (k valueKind) accepts(got valueKind) bool {
	return k == kindAny || k == got || (k == kindFloat && got == kindInteger) || (k == kindMap && got == kindTable)
}

// isTable reports whether a key of this kind may be written as a [table].
func (k valueKind) isTable() bool { return k == kindTable || k == kindMap }

// kindOfNode maps a parsed TOML value to its kind.
func kindOfNode(n *unstable.Node) valueKind {
	switch n.Kind {
	case unstable.String:
		return kindString
	case unstable.Integer:
		return kindInteger
	case unstable.Float:
		return kindFloat
	case unstable.Bool:
		return kindBool
	case unstable.LocalDate, unstable.LocalTime, unstable.LocalDateTime, unstable.DateTime:
		return kindDateTime
	case unstable.Array:
		return kindArray
	case unstable.InlineTable:
		return kindTable
	default:
		return kindAny
	}
}

// schema maps every dotted key of Config ("service", "service.log_level")
// to the kind of value it accepts. It is derived from the toml tags so a new
// field needs no second registration here.
type schema map[string]valueKind

func schemaFor(v any) schema {
	s := schema{}
	s.addStruct("", reflect.TypeOf(v))
	return s
}

func (s schema) addStruct(prefix string, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			// Every Config field is tagged; an untagged one is a
			// programming error the schema tests catch.
			panic(fmt.Sprintf("config: field %s.%s has no toml tag", t.Name(), f.Name))
		}
		key := prefix + name
		k := kindOfType(f.Type)
		s[key] = k
		switch k {
		case kindTable:
			s.addStruct(key+".", f.Type)
		case kindMap:
			s[key+mapElem] = kindOfType(f.Type.Elem())
		}
	}
}

// mapElem is the suffix under which a map's element kind is recorded.
const mapElem = ".*"

// lookup returns the kind of key, resolving a key inside a map table
// ("delivery.rt.custom_fields.Category") to the map's element kind.
func (s schema) lookup(key string) (valueKind, bool) {
	if k, ok := s[key]; ok && !strings.HasSuffix(key, mapElem) {
		return k, true
	}
	parent, _ := splitKey(key)
	if s[parent] == kindMap {
		k, ok := s[parent+mapElem]
		return k, ok
	}
	return kindAny, false
}

// kindOfType maps a Go field type to the TOML kind it is written as. Types
// with UnmarshalText (Duration, Secret) are written as strings, whatever
// their Go kind.
func kindOfType(t reflect.Type) valueKind {
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return kindString
	}
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Bool:
		return kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return kindInteger
	case reflect.Float32, reflect.Float64:
		return kindFloat
	case reflect.Slice, reflect.Array:
		return kindArray
	case reflect.Struct:
		return kindTable
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return kindMap
		}
		return kindAny
	default:
		return kindAny
	}
}

// leaves returns the keys that hold values (not tables), sorted. A map
// table counts as one value: the administrator names its keys.
func (s schema) leaves() []string {
	var keys []string
	for k, kind := range s {
		if kind != kindTable && !strings.HasSuffix(k, mapElem) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// suggest returns a " did you mean ...?" hint for an unknown key, or "".
// A close spelling among the key's siblings wins; otherwise the same name
// (or a close one) in another table is proposed, which catches a key put
// under the wrong [table].
func (s schema) suggest(key string, isTable bool) string {
	parent, name := splitKey(key)
	var keys []string
	for k := range s {
		if !strings.HasSuffix(k, mapElem) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // deterministic choice among equally close candidates

	best, bestDist := "", maxTypoDistance(name)+1
	for _, k := range keys {
		kp, kn := splitKey(k)
		if kp == parent && s[k].isTable() == isTable {
			if d := editDistance(name, kn); d < bestDist {
				best, bestDist = k, d
			}
		}
	}
	if best != "" {
		_, bn := splitKey(best)
		if isTable {
			return fmt.Sprintf("; did you mean [%s]?", best)
		}
		return fmt.Sprintf("; did you mean %q?", bn)
	}
	if isTable {
		return ""
	}
	for _, k := range keys {
		kp, kn := splitKey(k)
		if kp != parent && !s[k].isTable() {
			if d := editDistance(name, kn); d < bestDist {
				best, bestDist = k, d
			}
		}
	}
	if best == "" {
		return ""
	}
	bp, bn := splitKey(best)
	if bp == "" {
		return fmt.Sprintf("; did you mean %q at the top level?", bn)
	}
	return fmt.Sprintf("; did you mean %q in [%s]?", bn, bp)
}

// splitKey splits "a.b.c" into "a.b" and "c".
func splitKey(key string) (parent, name string) {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i], key[i+1:]
	}
	return "", key
}

// maxTypoDistance is how many edits still count as a typo of name: one per
// three characters, at least one.
func maxTypoDistance(name string) int {
	return max(1, len(name)/3)
}

// editDistance is the Levenshtein distance between a and b, in bytes (keys
// are ASCII in practice).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
