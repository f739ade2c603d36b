package rt_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/rt"
)

// TestRealRT runs against a real Request Tracker when one is named:
//
//	FIRSTLINE_TEST_RT_URL=http://127.0.0.1:8081 FIRSTLINE_TEST_RT_TOKEN=<token> \
//	  [FIRSTLINE_TEST_RT_KEY_FIELD=Firstline-Key] go test -run TestRealRT ./internal/report/delivery/rt/
//
// (the project's RT recipe starts one; RT_WITH_TOKEN=1 makes the token).
// A report becomes a ticket with its attachments byte for byte, its status
// is read back, and a second delivery finds the ticket instead of making
// another.
func TestRealRT(t *testing.T) {
	base, token := os.Getenv("FIRSTLINE_TEST_RT_URL"), os.Getenv("FIRSTLINE_TEST_RT_TOKEN")
	if base == "" || token == "" {
		t.Skip("set FIRSTLINE_TEST_RT_URL and FIRSTLINE_TEST_RT_TOKEN to run against a real RT")
	}
	cfg := rt.Config{URL: base, Token: config.NewSecret(token), KeyField: os.Getenv("FIRSTLINE_TEST_RT_KEY_FIELD")}
	b, err := rt.New(cfg, rt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	m := deliverytest.Message()
	var rnd [6]byte
	rand.Read(rnd[:])
	m.Key = m.Key[:24] + hex.EncodeToString(rnd[:])
	m.Reference = "FL-T" + strings.ToUpper(hex.EncodeToString(rnd[:3]))
	m.Subject = "[" + m.Reference + "] Printer: can't print (Jane Doe, LAPTOP-42)"

	first, err := b.Deliver(ctx, m)
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	t.Logf("created %+v", first)
	if first.Status != "new" {
		t.Errorf("status %q, want new", first.Status)
	}
	second, err := b.Deliver(ctx, m)
	if err != nil || second.TicketID != first.TicketID {
		t.Fatalf("second Deliver = %+v, %v; want ticket %s again", second, err, first.TicketID)
	}
	if st, err := b.Status(ctx, first.TicketID); err != nil || st != "new" {
		t.Errorf("Status = %q, %v", st, err)
	}

	// Read the files back through REST2 and compare bytes.
	get := func(path string, v any) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/REST/2.0/"+path, nil)
		req.Header.Set("Authorization", "token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d, %v", path, resp.StatusCode, err)
		}
	}
	var list struct {
		Items []struct {
			ID       json.Number `json:"id"`
			Filename string
		} `json:"items"`
	}
	get("ticket/"+url.PathEscape(first.TicketID)+"/attachments?fields=Filename&per_page=100", &list)
	for i, want := range m.Attachments {
		found := false
		for _, it := range list.Items {
			if it.Filename != want.FileName(i) {
				continue
			}
			var att struct{ Content string }
			get("attachment/"+it.ID.String(), &att)
			data, err := base64.StdEncoding.DecodeString(att.Content)
			if err != nil || !bytes.Equal(data, want.Data) {
				t.Errorf("attachment %s: %d bytes back, %v; want %d identical bytes", want.Name, len(data), err, len(want.Data))
			}
			found = true
			break
		}
		if !found {
			t.Errorf("attachment %q not on ticket %s", want.FileName(i), first.TicketID)
		}
	}
}
