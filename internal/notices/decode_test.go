package notices

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDecodeFeedReadsTheDocumentedExample(t *testing.T) {
	f, err := DecodeFeed(readTestdata(t, "feed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 || f.Sequence != 42 || !f.Published.Equal(time.Date(2025, 3, 1, 9, 5, 0, 0, time.UTC)) || len(f.Notices) != 2 {
		t.Fatalf("feed = %+v", f)
	}
	n := f.Notices[0]
	want := Notice{
		ID: "mail-outage-0301", Severity: SeverityCritical, Title: "Email is down",
		Body: "We are on it.\nNext update at 11:30.",
		Links: []Link{
			{Title: "Status page", URL: "https://status.example.com/"},
			{Title: "Workaround", URL: "https://wiki.example.com/mail#webmail"},
		},
		Created: t0, Expires: time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC),
		Target:     Target{OS: []string{"windows", "macos"}, Hostnames: []string{"lab-*"}, Groups: []string{"finance"}},
		RequireAck: true, Incident: true,
	}
	if !reflect.DeepEqual(n, want) {
		t.Errorf("notice 0 =\n%+v\nwant\n%+v", n, want)
	}
	if v := f.Notices[1]; v.RequireAck || v.Incident || !v.Expires.IsZero() || v.Links != nil ||
		!v.Created.Equal(time.Date(2025, 2, 28, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("notice 1 = %+v, want defaults and created 15:00 UTC", v)
	}
}

func TestDecodeFeedToleratesBOMAndCRLF(t *testing.T) {
	doc := bytes.ReplaceAll(readTestdata(t, "feed.json"), []byte(`\n`), []byte(`\r\n`))
	doc = append([]byte{0xEF, 0xBB, 0xBF}, doc...)
	f, err := DecodeFeed(doc)
	if err != nil {
		t.Fatal(err)
	}
	if f.Notices[0].Body != "We are on it.\nNext update at 11:30." {
		t.Errorf("body = %q, want CRLF read as LF", f.Notices[0].Body)
	}
}

func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var fe *FeedError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want a *FeedError", err)
	}
	return fe.Problems
}

// TestDecodeFeedNamesEveryProblem checks each fixture of testdata/invalid
// yields exactly the listed problems, in document order.
func TestDecodeFeedNamesEveryProblem(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of each Problem.String(), in order
	}{
		{"unknown-field.json", []string{`line 1: extra: unknown field "extra" (known here: notices, published, sequence, version)`}},
		{"miscased-field.json", []string{`notices[0].Title: unknown field "Title" (field names are case-sensitive: did you mean "title"?)`}},
		{"duplicate-field.json", []string{"sequence: appears twice"}},
		{"many-problems.json", []string{
			"line 2: version: want a whole number, got a string",
			"line 3: sequence: -3 is not a whole number in range",
			`line 4: published: "yesterday" is not an RFC 3339 date and time`,
			"line 6: notices[0].title: null is not allowed",
			`line 6: notices[0].colour: unknown field "colour"`,
			"line 7: notices[1].links: want a list, got an object",
			"line 8: notices[2].require_ack: want true or false, got a string",
		}},
		{"trailing-data.json", []string{"data after the end of the JSON document"}},
		{"truncated.json", []string{"the document ends too early"}},
		{"not-an-object.json", []string{"want an object, got a list"}},
		{"latin1.json", []string{"not valid UTF-8"}},
		{"bad-values.json", []string{
			"version: version 2 is not supported: this Firstline reads version 1",
			"sequence: missing or 0",
			`notices[0].id: "-bad id": want 1 to 64 letters`,
			`notices[0].severity: "urgent": want "info", "warning" or "critical"`,
			"notices[0].title: missing or blank",
			"notices[0].expires: must be after created",
			"notices[1].title: bidirectional control character U+202E at character 21",
			`notices[1].links[0].url: scheme "http": links must be https`,
			"notices[1].links[1].url: a user name or password in a link is not allowed",
			`notices[1].target.os[0]: "beos"`,
			`notices[1].target.hostnames[0]: "lab/[0-9]"`,
			`notices[1].target.groups[0]: "fin ance"`,
			"notices[2].title: line break (not allowed here) U+000A at character 4",
			"notices[2].body: control character U+0007 at character 5",
			`notices[2].id: "dup" is also the id of notices[1]`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := DecodeFeed(readTestdata(t, "invalid/"+tt.file))
			if f != nil {
				t.Fatalf("DecodeFeed accepted it: %+v", f)
			}
			ps := problemsOf(t, err)
			if len(ps) != len(tt.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(ps), len(tt.want), err)
			}
			for i, p := range ps {
				if !strings.Contains(p.String(), tt.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, p.String(), tt.want[i])
				}
			}
		})
	}
}

func TestDecodeFeedLimits(t *testing.T) {
	at := func(n int, s string) string { return strings.Repeat(s, n) }
	tests := []struct {
		name   string
		mutate func(f *Feed)
		want   string // "" means valid
	}{
		{"title at the limit", func(f *Feed) { f.Notices[0].Title = at(120, "é") }, ""},
		{"title over", func(f *Feed) { f.Notices[0].Title = at(121, "é") }, "notices[0].title: 121 characters; the limit is 120"},
		{"body at the limit", func(f *Feed) { f.Notices[0].Body = at(4000, "ß") }, ""},
		{"body over", func(f *Feed) { f.Notices[0].Body = at(4001, "a") }, "notices[0].body: 4001 characters; the limit is 4000"},
		{"body tabs and lines", func(f *Feed) { f.Notices[0].Body = "a\tb\nc\u2028d" }, ""},
		{"lone CR", func(f *Feed) { f.Notices[0].Body = "a\rb" }, "notices[0].body: control character U+000D"},
		{"C1 control", func(f *Feed) { f.Notices[0].Title = "a\u0085b" }, "control character U+0085"},
		{"RLM", func(f *Feed) { f.Notices[0].Body = "a\u200fb" }, "bidirectional control character U+200F"},
		{"isolate", func(f *Feed) { f.Notices[0].Body = "a\u2067b" }, "bidirectional control character U+2067"},
		{"too many links", func(f *Feed) {
			for range 6 {
				f.Notices[0].Links = append(f.Notices[0].Links, Link{"x", "https://a.example/"})
			}
		}, "notices[0].links: 6 links; the limit is 5"},
		{"link title over", func(f *Feed) { f.Notices[0].Links = []Link{{at(81, "x"), "https://a.example/"}} }, "links[0].title: 81 characters"},
		{"url non-ascii", func(f *Feed) { f.Notices[0].Links = []Link{{"x", "https://exämple.com/"}} }, "non-ASCII"},
		{"url space", func(f *Feed) { f.Notices[0].Links = []Link{{"x", "https://a.example/a b"}} }, "spaces"},
		{"url relative", func(f *Feed) { f.Notices[0].Links = []Link{{"x", "/intranet"}} }, `scheme ""`},
		{"url javascript", func(f *Feed) { f.Notices[0].Links = []Link{{"x", "javascript:alert(1)"}} }, `scheme "javascript"`},
		{"url too long", func(f *Feed) { f.Notices[0].Links = []Link{{"x", "https://a.example/" + at(2040, "a")}} }, "2058 bytes; the limit is 2048"},
		{"url no host", func(f *Feed) { f.Notices[0].Links = []Link{{"x", "https:///path"}} }, "no host name"},
		{"too many notices", func(f *Feed) {
			for i := range 200 {
				f.Notices = append(f.Notices, notice(fmt.Sprintf("n%d", i+1), SeverityInfo, t0))
			}
		}, "notices: 201 notices; the limit is 200"},
		{"too many groups", func(f *Feed) {
			for range 101 {
				f.Notices[0].Target.Groups = append(f.Notices[0].Target.Groups, "g")
			}
		}, "target.groups: 101 entries; the limit is 100"},
		{"missing created", func(f *Feed) { f.Notices[0].Created = time.Time{} }, "notices[0].created: missing"},
		{"missing published", func(f *Feed) { f.Published = time.Time{} }, "published: missing"},
		{"id too long", func(f *Feed) { f.Notices[0].ID = at(65, "a") }, "notices[0].id"},
		{"id at the limit", func(f *Feed) { f.Notices[0].ID = at(64, "a") }, ""},
		{"os case-insensitive", func(f *Feed) { f.Notices[0].Target.OS = []string{"Windows", "MacOS", "darwin", "linux"} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := feedOf(1, notice("n0", SeverityInfo, t0))
			tt.mutate(f)
			data, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = DecodeFeed(data)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("DecodeFeed = %v, want it valid", err)
				}
				return
			}
			if ps := problemsOf(t, err); len(ps) != 1 || !strings.Contains(ps[0].String(), tt.want) {
				t.Fatalf("DecodeFeed = %v\nwant one problem containing %q", err, tt.want)
			}
		})
	}
}

func TestDecodeFeedRefusesOversizeBeforeParsing(t *testing.T) {
	doc := append([]byte(`{"version":1,"x":"`), bytes.Repeat([]byte("a"), MaxFeedBytes)...)
	ps := problemsOf(t, func() error { _, err := DecodeFeed(doc); return err }())
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "the limit is 1048576") {
		t.Errorf("problems = %v", ps)
	}
}

func TestDecodeFeedStopsReportingAtTheCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"version":1,"sequence":1,"published":"2025-03-01T09:05:00Z"`)
	for i := range 500 {
		b.WriteString(`,"x` + strings.Repeat("y", i) + `":1`)
	}
	b.WriteString("}")
	ps := problemsOf(t, func() error { _, err := DecodeFeed([]byte(b.String())); return err }())
	if len(ps) != maxProblems+1 || !strings.Contains(ps[maxProblems].Message, "too many problems") {
		t.Errorf("%d problems, last %v; want %d and a note", len(ps), ps[len(ps)-1], maxProblems+1)
	}
}

func TestImpossibleYearsAreRefused(t *testing.T) {
	for _, js := range []string{
		`{"version":1,"sequence":1,"published":"0025-03-01T09:05:00Z","notices":[]}`,
		`{"version":1,"sequence":1,"published":"2025-03-01T09:05:00Z","notices":[{"id":"a","severity":"info","title":"t","created":"0000-01-01T00:00:00+00:00"}]}`,
	} {
		_, err := DecodeFeed([]byte(js))
		if err == nil || !strings.Contains(err.Error(), "outside 2000 to 9999") {
			t.Errorf("%s: err = %v, want the year refused", js, err)
		}
	}
}
