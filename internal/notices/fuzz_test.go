package notices

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecodeFeed feeds the strict decoder arbitrary documents. It must
// never panic; it refuses with a *FeedError naming at least one problem;
// and whatever it accepts is valid, re-encodes, and decodes to the same
// feed.
func FuzzDecodeFeed(f *testing.F) {
	f.Add(readTestdata(f, "feed.json"))
	invalid, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*.json"))
	for _, path := range invalid {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"version":1,"sequence":1,"published":"2025-03-01T09:05:00Z","notices":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := DecodeFeed(data)
		if err != nil {
			var fe *FeedError
			if !errors.As(err, &fe) || len(fe.Problems) == 0 {
				t.Fatalf("error %v is not a *FeedError with problems", err)
			}
			return
		}
		if err := feed.Validate(); err != nil {
			t.Fatalf("accepted an invalid feed: %v", err)
		}
		again, err := json.Marshal(feed)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeFeed(again)
		if err != nil {
			t.Fatalf("re-encoded feed refused: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(normalizeTimes(back), normalizeTimes(feed)) {
			t.Fatalf("round trip changed the feed:\n%+v\n%+v", feed, back)
		}
		for i := range feed.Notices {
			Applies(&feed.Notices[i], Machine{OS: "linux", Hostname: "x.y", Groups: []string{"g"}})
		}
	})
}

// normalizeTimes makes times comparable with DeepEqual (locations differ
// after a round trip; instants do not).
func normalizeTimes(f *Feed) *Feed {
	c := *f
	c.Published = c.Published.UTC()
	c.Notices = append([]Notice(nil), f.Notices...)
	for i := range c.Notices {
		c.Notices[i].Created = c.Notices[i].Created.UTC()
		c.Notices[i].Expires = c.Notices[i].Expires.UTC()
	}
	return &c
}
