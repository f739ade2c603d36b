package delivery_test

import (
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
)

func TestProblemsURL(t *testing.T) {
	tests := []struct {
		url    string
		secret bool
		bad    string
	}{
		{"https://rt.example.com", false, ""},
		{"https://example.com/rt/", false, ""},
		{"http://localhost:8081", false, ""},
		{"http://127.0.0.1:8081", false, ""},
		{"http://[::1]:8081", false, ""},
		{"", false, "is empty"},
		{"rt.example.com", false, "not an absolute"},
		{"mailto:it@example.com", false, "not an absolute"},
		{"http://rt.example.com", false, "uses http://"},
		{"ftp://rt.example.com", false, "not an https://"},
		{"https://user:pw@rt.example.com", false, "user name or password"},
		{"http://hooks.example.com/T0/B0/SECRET", true, "uses http://"},
	}
	for _, tt := range tests {
		var p delivery.Problems
		p.URL("url", tt.url, tt.secret)
		err := p.Err()
		if tt.bad == "" {
			if err != nil {
				t.Errorf("URL(%q): %v", tt.url, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.bad) {
			t.Errorf("URL(%q) = %v, want %q", tt.url, err, tt.bad)
			continue
		}
		if tt.secret && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("URL(%q) repeats a secret URL: %v", tt.url, err)
		}
	}
}

func TestQualify(t *testing.T) {
	var p delivery.Problems
	p.Add("host", "bad")
	p.Add("[2].destination", "bad")
	p.Add("", "bad")
	p.Duration("timeout", config.Duration(time.Hour), time.Second, time.Minute)
	var ce *config.Error
	if !errors.As(delivery.Qualify(p.Err(), "delivery.email"), &ce) {
		t.Fatal("Qualify lost the *config.Error")
	}
	want := []string{"delivery.email.host", "delivery.email[2].destination", "delivery.email", "delivery.email.timeout"}
	for i, pr := range ce.Problems {
		if pr.Key != want[i] {
			t.Errorf("key %d = %q, want %q", i, pr.Key, want[i])
		}
	}
	other := errors.New("x")
	if delivery.Qualify(other, "t") != other || delivery.Qualify(nil, "t") != nil {
		t.Error("Qualify changed an error that is not a *config.Error")
	}
}

func TestSendScrubsURLAndLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/redirect":
			http.Redirect(w, r, "https://elsewhere.example.net/", http.StatusFound)
		default:
			w.Write([]byte("ok"))
		}
	}))
	url := srv.URL
	client, err := delivery.NewHTTPClient("", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}

	req, _ := http.NewRequest(http.MethodGet, url+"/big", nil)
	if _, err := delivery.Send(client, req, 1024); err == nil || delivery.IsPermanent(err) {
		t.Errorf("oversized reply: err = %v, want transient", err)
	}
	req, _ = http.NewRequest(http.MethodGet, url+"/redirect", nil)
	reply, err := delivery.Send(client, req, 1024)
	if err != nil || reply.Status != http.StatusFound {
		t.Errorf("redirect: %d, %v; want the 302 itself, not followed", reply.Status, err)
	}
	req, _ = http.NewRequest(http.MethodGet, url+"/ok", nil)
	if reply, err := delivery.Send(client, req, 1024); err != nil || string(reply.Body) != "ok" {
		t.Errorf("ok: %q, %v", reply.Body, err)
	}

	srv.Close()
	req, _ = http.NewRequest(http.MethodPost, url+"/services/T000/B000/SECRETTOKEN?sig=abc", nil)
	_, err = delivery.Send(client, req, 1024)
	var te *delivery.TransientError
	if !errors.As(err, &te) {
		t.Fatalf("closed server: err = %v, want transient", err)
	}
	if strings.Contains(err.Error(), "SECRETTOKEN") || strings.Contains(err.Error(), "sig=") {
		t.Errorf("error reveals the URL path: %v", err)
	}
	if !strings.Contains(err.Error(), strings.TrimPrefix(url, "http://")) {
		t.Errorf("error does not name the host: %v", err)
	}
}

func TestTLSConfigCAFile(t *testing.T) {
	if _, err := delivery.TLSConfig(filepath.Join(t.TempDir(), "missing.pem")); err == nil {
		t.Error("missing CA file accepted")
	}
	junk := filepath.Join(t.TempDir(), "junk.pem")
	os.WriteFile(junk, []byte("not a certificate"), 0o600)
	if _, err := delivery.TLSConfig(junk); err == nil {
		t.Error("CA file without certificates accepted")
	}
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pemCert(srv), 0o600)
	client, err := delivery.NewHTTPClient(ca, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	if reply, err := delivery.Send(client, req, 1024); err != nil || reply.Status != 404 {
		t.Errorf("with the test CA: %d, %v", reply.Status, err)
	}
	plain, _ := delivery.NewHTTPClient("", 5*time.Second)
	req, _ = http.NewRequest(http.MethodGet, srv.URL, nil)
	if _, err := delivery.Send(plain, req, 1024); err == nil || delivery.IsPermanent(err) {
		t.Errorf("without the CA: err = %v, want a transient certificate error", err)
	}
}

func pemCert(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}
