package daemon

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
	core "github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/internal/notices/minisign"
)

// signedFeedServer serves one signed feed over https with its own CA.
func signedFeedServer(t *testing.T, k minisign.PrivateKey, n core.Notice) *httptest.Server {
	t.Helper()
	feed, err := json.Marshal(core.Feed{Version: core.FeedVersion, Sequence: 7, Published: time.Now(), Notices: []core.Notice{n}})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := minisign.Sign(k, feed, minisign.SignOptions{TrustedComment: "daemon test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".minisig") {
			w.Write(sig)
			return
		}
		w.Write(feed)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// inboxWith counts the .eml files of dir that contain text.
func inboxWith(t *testing.T, dir, text string) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	n := 0
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), text) {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, limit time.Duration, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out after %s waiting for %s", limit, what)
}

// A feed on an https server with an internal CA is accepted once IT names
// the CA in notices.ca_file, and an acknowledgement then reaches IT's
// inbox as one report, once.
func TestNoticesOverHTTPSWithCAFileAndResponsesReachIT(t *testing.T) {
	k, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	n := core.Notice{ID: "mail-down", Severity: core.SeverityCritical, Title: "Email is down", Created: time.Now().Add(-time.Minute), RequireAck: true}
	srv := signedFeedServer(t, k, n)
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Service.StateDir = filepath.Join(dir, "state")
	cfg.Notices.FeedURL = srv.URL + "/feed.json"
	cfg.Notices.Keys = []string{k.Public().String()}
	cfg.Notices.DropDir = filepath.Join(dir, "notices.d")
	cfg.Notices.CAFile = caFile
	cfg.Notices.ResponsesInterval = config.Duration(time.Second)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d := New(Options{Config: cfg, SocketPath: filepath.Join(dir, "run", "local.sock"), Version: "9.9"})
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Stop(context.Background()) })
	c := localapi.NewClient(d.SocketPath())
	ctx := context.Background()

	// The first poll comes within a tenth of the interval (30 s at most).
	waitFor(t, "the feed to be accepted", 45*time.Second, func() bool {
		st, err := c.NoticeStatus(ctx)
		return err == nil && st.Sequence == 7
	})
	if _, err := c.NoticeAction(ctx, "mail-down", localapi.NoticeAck); err != nil {
		t.Fatal(err)
	}
	inbox := filepath.Join(cfg.Service.StateDir, "inbox")
	waitFor(t, "the acknowledgement in IT's inbox", 20*time.Second, func() bool {
		return inboxWith(t, inbox, "Notice mail-down") == 1
	})
	time.Sleep(2500 * time.Millisecond) // two more flushes
	if got := inboxWith(t, inbox, "Notice mail-down"); got != 1 {
		t.Errorf("%d response reports in the inbox, want exactly 1", got)
	}
	if got := inboxWith(t, inbox, "1 acknowledged"); got != 1 {
		t.Errorf("the report does not say 1 acknowledged")
	}
}
