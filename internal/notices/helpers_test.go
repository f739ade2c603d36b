package notices

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// t0 is the tests' "now": 2025-03-01 09:00 UTC.
var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newKey(t testing.TB) minisign.PrivateKey {
	t.Helper()
	k, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func notice(id string, sev Severity, created time.Time) Notice {
	return Notice{ID: id, Severity: sev, Title: "Notice " + id, Body: "Body of " + id, Created: created}
}

// feedOf builds a valid feed with the given sequence and notices.
func feedOf(seq uint64, ns ...Notice) *Feed {
	return &Feed{Version: FeedVersion, Sequence: seq, Published: t0, Notices: ns}
}

// encode writes f as JSON and signs it with k.
func encode(t testing.TB, k minisign.PrivateKey, f *Feed) (data, sig []byte) {
	t.Helper()
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data, signBytes(t, k, data)
}

func signBytes(t testing.TB, k minisign.PrivateKey, data []byte) []byte {
	t.Helper()
	sig, err := minisign.Sign(k, data, minisign.SignOptions{TrustedComment: "test", FileName: "feed.json"})
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// realisticFeed is n notices of the size IT writes: a paragraph of body,
// two links, a target.
func realisticFeed(seq uint64, n int) *Feed {
	f := feedOf(seq)
	words := strings.Fields("mail delivery delayed users office network printer vpn outage update " +
		"engineers working restore service backup site expected minutes hours please avoid restarting " +
		"laptops tickets helpdesk status page next sharepoint teams calendar sync password reset")
	rnd := mrand.New(mrand.NewPCG(seq, uint64(n)))
	for i := range n {
		// About 400 characters of varied text, so the gzip size is honest.
		var body strings.Builder
		for body.Len() < 400 {
			body.WriteString(words[rnd.IntN(len(words))] + " ")
		}
		nt := notice(fmt.Sprintf("incident-2025-03-%03d", i), []Severity{SeverityInfo, SeverityWarning, SeverityCritical}[i%3], t0.Add(-time.Duration(i)*time.Hour))
		nt.Title = fmt.Sprintf("Email delayed for the Paris office (update %d)", i)
		nt.Body = strings.TrimSpace(body.String()) + "."
		nt.Links = []Link{{Title: "Status page", URL: "https://status.example.com/incidents/" + nt.ID}, {Title: "Webmail", URL: "https://mail.example.com/"}}
		nt.Expires = t0.Add(time.Duration(24+i) * time.Hour)
		nt.Target = Target{OS: []string{"windows", "macos"}, Groups: []string{"paris", "finance"}}
		nt.RequireAck = i%5 == 0
		nt.Incident = i%2 == 0
		f.Notices = append(f.Notices, nt)
	}
	return f
}

func fsMode(perm uint32) os.FileMode { return os.FileMode(perm) }
