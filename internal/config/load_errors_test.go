package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestLoadReportsFileLineAndKey checks that each class of bad input names
// the file, the line and the key, and says what is wrong.
func TestLoadReportsFileLineAndKey(t *testing.T) {
	tests := []struct {
		name    string
		content string
		line    int
		column  int // 0: no column expected
		key     string
		message string // exact
	}{
		{
			name:    "unknown key with hint",
			content: "[service]\nlog_level = \"info\"\nlog_levl = \"debug\"\n",
			line:    3, key: "service.log_levl",
			message: `unknown key "service.log_levl"; did you mean "log_level"?`,
		},
		{
			name:    "key in the wrong table",
			content: "[localapi]\n\nlog_level = \"debug\"\n",
			line:    3, key: "localapi.log_level",
			message: `unknown key "localapi.log_level"; did you mean "log_level" in [service]?`,
		},
		{
			name:    "unknown key without a close match",
			content: "[support]\nfax = \"123\"\n",
			line:    2, key: "support.fax",
			message: `unknown key "support.fax"`,
		},
		{
			// The keys under an unknown table are not reported one by one.
			name:    "unknown table",
			content: "[service]\n\n[servce]\nlog_level = \"x\"\nfoo = 1\n",
			line:    3, key: "servce",
			message: `unknown table "servce"; did you mean [service]?`,
		},
		{
			name:    "unknown nested table",
			content: "# comment\n[service.extra]\n",
			line:    2, key: "service.extra",
			message: `unknown table "service.extra"`,
		},
		{
			name:    "wrong type: string for integer",
			content: "[service]\nlog_max_files = \"five\"\n",
			line:    2, key: "service.log_max_files",
			message: "expected an integer, got a string",
		},
		{
			name:    "wrong type: integer for duration",
			content: "[localapi]\nrequest_timeout = 30\n",
			line:    2, key: "localapi.request_timeout",
			message: "expected a string, got an integer",
		},
		{
			name:    "wrong type: table for a value",
			content: "[service.log_level]\n",
			line:    1, key: "service.log_level",
			message: "expected a string, got a table",
		},
		{
			name:    "wrong type: value for a table",
			content: "\nsupport = \"it@example.com\"\n",
			line:    2, key: "support",
			message: "expected a table, got a string",
		},
		{
			name:    "array of tables",
			content: "[[service]]\n",
			line:    1, key: "service",
			message: "expected a table, got an array of tables (write [service], not [[service]])",
		},
		{
			name:    "integer out of range",
			content: "[localapi]\n# many\nmax_connections = 5000\n",
			line:    3, key: "localapi.max_connections",
			message: "5000 is outside the allowed range 1..4096",
		},
		{
			name:    "integer overflow",
			content: "[localapi]\nmax_body_bytes = 99999999999999999999\n",
			line:    2, key: "localapi.max_body_bytes",
			message: "decimal number is too large to fit in a 64-bit signed integer",
		},
		{
			name:    "bad enum",
			content: "[service]\n\n\n\nlog_level = \"verbose\"\n",
			line:    5, key: "service.log_level",
			message: `"verbose" is not one of debug, info, warn, error`,
		},
		{
			name:    "bad duration",
			content: "[service]\nshutdown_timeout = \"soon\"\n",
			line:    2, key: "service.shutdown_timeout",
			message: `"soon" is not a duration (write a number with a unit, like "30s" or "5m")`,
		},
		{
			name:    "duration out of range",
			content: "[service]\nshutdown_timeout = \"90s\"\n",
			line:    2, key: "service.shutdown_timeout",
			message: `"1m30s" is outside the allowed range 1s..1m`,
		},
		{
			name:    "relative state_dir",
			content: "[service]\nstate_dir = \"var/lib/firstline\"\n",
			line:    2, key: "service.state_dir",
			message: `"var/lib/firstline" is not an absolute path`,
		},
		{
			name:    "relative log_file",
			content: "[service]\nlog_file = \"service.log\"\n",
			line:    2, key: "service.log_file",
			message: `"service.log" is not an absolute path`,
		},
		{
			name:    "http support url",
			content: "[support]\nurl = \"http://help.example.com\"\n",
			line:    2, key: "support.url",
			message: `"http://help.example.com" uses http://, which is refused; use https://`,
		},
		{
			name:    "support url not absolute",
			content: "[support]\nurl = \"help.example.com\"\n",
			line:    2, key: "support.url",
			message: `"help.example.com" is not an absolute https:// URL`,
		},
		{
			name:    "support email",
			content: "[support]\nemail = \"IT <it@example.com>\"\n",
			line:    2, key: "support.email",
			message: `"IT <it@example.com>" is not an email address like it@example.com`,
		},
		{
			name:    "organization too long",
			content: "[support]\norganization = \"" + strings.Repeat("é", 81) + "\"\n",
			line:    2, key: "support.organization",
			message: "81 characters long, at most 80 allowed",
		},
		{
			name:    "value in an inline table",
			content: "service = { log_level = \"warn\", log_max_files = 0 }\n",
			line:    1, key: "service.log_max_files",
			message: "0 is outside the allowed range 1..100",
		},
		{
			name:    "key set twice",
			content: "[service]\nlog_level = \"debug\"\nlog_level = \"warn\"\n",
			line:    3, key: "service.log_level",
			message: "set twice in this file (first on line 2)",
		},
		{
			name:    "syntax error: unterminated string",
			content: "[service]\nlog_level = \"info\n",
			line:    2, column: 18, // the end of the line, where the string should have closed
			message: "syntax error: basic strings cannot have new lines",
		},
		{
			name:    "syntax error: unclosed table",
			content: "\n[service\n",
			line:    2, column: 9,
			message: "syntax error: expected ']' to close table name",
		},
		{
			// Not modelled by the schema walk; go-toml's own decoder
			// catches it, and its position is kept.
			name:    "table redefined after a dotted key",
			content: "service.log_level = \"warn\"\n[service]\n",
			line:    2, column: 2, key: "service",
			message: "table service already exists as defined by a dotted key",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, main := writeConfig(t, map[string]string{"firstline.toml": tt.content})
			_, err := Load(Options{Path: main})
			ps := problemsOf(t, err)
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(ps), err)
			}
			p := ps[0]
			want := Problem{File: main, Line: tt.line, Column: tt.column, Key: tt.key, Message: tt.message}
			if p != want {
				t.Errorf("problem\n got %#v\nwant %#v", p, want)
			}
			prefix := fmt.Sprintf("%s:%d:", main, tt.line)
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
}

// TestLoadCollectsAllProblems checks that every problem of a file is
// reported at once, in line order, the first one first.
func TestLoadCollectsAllProblems(t *testing.T) {
	content := `[service]
log_level = "verbose"
log_levl = "debug"
log_max_files = "x"
shutdown_timeout = "soon"
state_dir = "relative"

[localapi]
max_connections = 0

[support]
url = "http://it.example.com"
`
	_, main := writeConfig(t, map[string]string{"firstline.toml": content})
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	var got []string
	for _, p := range ps {
		if p.File != main {
			t.Errorf("problem %v names %q, want %q", p, p.File, main)
		}
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Key))
	}
	want := []string{
		"2 service.log_level",
		"3 service.log_levl",
		"4 service.log_max_files",
		"5 service.shutdown_timeout",
		"6 service.state_dir",
		"9 localapi.max_connections",
		"12 support.url",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s\nerror:\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"), err)
	}
	if lines := strings.Split(err.Error(), "\n"); len(lines) != len(want) {
		t.Errorf("Error() has %d lines, want one per problem (%d):\n%v", len(lines), len(want), err)
	}
	t.Logf("example output:\n%v", err)
}

// TestErrorFormat pins the printed form of problems.
func TestErrorFormat(t *testing.T) {
	cause := errors.New("cause")
	e := &Error{Problems: []Problem{
		{File: "/etc/f.toml", Line: 3, Key: "service.x", Message: "bad"},
		{File: "/etc/f.toml", Line: 7, Column: 2, Message: "syntax error: oops"},
		{File: "/etc/f.toml", Line: 8, Key: "a.b", Message: `unknown key "a.b"`},
		{File: "/etc/conf.d", Message: "refused", Err: cause},
		{Key: "support.url", Message: "bad url"},
	}}
	want := `/etc/f.toml:3: service.x: bad
/etc/f.toml:7:2: syntax error: oops
/etc/f.toml:8: unknown key "a.b"
/etc/conf.d: refused
support.url: bad url`
	if e.Error() != want {
		t.Errorf("Error():\n%s\nwant:\n%s", e.Error(), want)
	}
	if !errors.Is(e, cause) {
		t.Error("errors.Is does not reach a problem's underlying error")
	}
}
