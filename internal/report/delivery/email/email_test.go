package email_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/deliverytest"
	"github.com/firstline-it/firstline/internal/report/delivery/email"
)

const testPassword = "correct horse battery staple"

func baseConfig(t testing.TB, addr string) email.Config {
	host, port := splitAddr(t, addr)
	return email.Config{
		Host: host, Port: port,
		From: "Firstline <firstline@example.com>",
		To:   []string{"IT Helpdesk <helpdesk@example.com>", "oncall@example.com"},
	}
}

func newEmail(t *testing.T, cfg email.Config) *email.Email {
	t.Helper()
	e, err := email.New(cfg, email.Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// checkStored parses a stored message the way a mail client would and
// compares it with the report.
func checkStored(t *testing.T, s stored, m delivery.Message) {
	t.Helper()
	got, err := deliverytest.ParseMail(s.data)
	if err != nil {
		t.Fatalf("stored message does not parse: %v", err)
	}
	if s.from != "firstline@example.com" || !slices.Equal(s.to, []string{"helpdesk@example.com", "oncall@example.com"}) {
		t.Errorf("envelope from %q to %v", s.from, s.to)
	}
	if id := got.Header.Get("Message-ID"); id != "<"+m.Key+"@firstline>" {
		t.Errorf("Message-ID = %q", id)
	}
	if k := got.Header.Get("X-Firstline-Key"); k != m.Key {
		t.Errorf("X-Firstline-Key = %q", k)
	}
	if rt := got.Header.Get("Reply-To"); !strings.Contains(rt, m.Reporter.Email) {
		t.Errorf("Reply-To = %q", rt)
	}
	if !strings.Contains(got.Body, "Default printer") || !strings.Contains(got.Body, "Größe A4") {
		t.Errorf("body lacks the summary or the employee's words:\n%s", got.Body)
	}
	if len(got.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(got.Attachments), len(m.Attachments))
	}
	for i, a := range got.Attachments {
		want := m.Attachments[i]
		if a.Name != want.Name || !bytes.Equal(a.Data, want.Data) {
			t.Errorf("attachment %d: %q (%d bytes), want %q (%d bytes) byte for byte", i, a.Name, len(a.Data), want.Name, len(want.Data))
		}
	}
}

func TestDeliverPlainRelay(t *testing.T) {
	p := &peer{}
	addr := serve(t, p, nil, false)
	cfg := baseConfig(t, addr)
	cfg.TLS = "none"
	e := newEmail(t, cfg)
	m := deliverytest.Message()

	r, err := e.Deliver(context.Background(), m)
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if r.TicketID != "<"+m.Key+"@firstline>" {
		t.Errorf("receipt %+v", r)
	}
	msgs := p.received()
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored", len(msgs))
	}
	checkStored(t, msgs[0], m)
	if msgs[0].tls {
		t.Error("tls = none used TLS")
	}
}

func TestDeliverStartTLSWithAuth(t *testing.T) {
	serverTLS, caFile := testCert(t)
	for _, mechs := range [][]string{{"PLAIN", "LOGIN"}, {"LOGIN"}} {
		t.Run(strings.Join(mechs, "+"), func(t *testing.T) {
			p := &peer{requireTLS: true, requireAuth: true, mechanisms: mechs, user: "firstline", pass: testPassword}
			addr := serve(t, p, serverTLS, false)
			cfg := baseConfig(t, addr)
			cfg.CAFile = caFile
			cfg.Username, cfg.Password = "firstline", config.NewSecret(testPassword)
			e := newEmail(t, cfg)
			m := deliverytest.Message()

			if _, err := e.Deliver(context.Background(), m); err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			// A retry after a lost reply: the same message again,
			// recognisable by its key.
			if _, err := e.Deliver(context.Background(), m); err != nil {
				t.Fatalf("second Deliver: %v", err)
			}
			msgs := p.received()
			if len(msgs) != 2 {
				t.Fatalf("%d messages stored, want 2", len(msgs))
			}
			for _, s := range msgs {
				if !s.tls || s.user != "firstline" {
					t.Errorf("stored with tls=%v user=%q", s.tls, s.user)
				}
				checkStored(t, s, m)
			}
			if !bytes.Equal(msgs[0].data, msgs[1].data) {
				t.Error("the second delivery is not an identical copy")
			}
		})
	}
}

func TestDeliverImplicitTLS(t *testing.T) {
	serverTLS, caFile := testCert(t)
	p := &peer{requireAuth: true, user: "firstline", pass: testPassword}
	addr := serve(t, p, serverTLS, true)
	cfg := baseConfig(t, addr)
	cfg.TLS, cfg.CAFile = "tls", caFile
	cfg.Username, cfg.Password = "firstline", config.NewSecret(testPassword)
	m := deliverytest.Message()
	if _, err := newEmail(t, cfg).Deliver(context.Background(), m); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	msgs := p.received()
	if len(msgs) != 1 || !msgs[0].tls {
		t.Fatalf("stored %d messages (tls %v)", len(msgs), len(msgs) > 0 && msgs[0].tls)
	}
	checkStored(t, msgs[0], m)
}

func TestDeliverFailures(t *testing.T) {
	serverTLS, caFile := testCert(t)
	tests := []struct {
		name      string
		peer      *peer
		noTLS     bool // server offers no STARTTLS
		edit      func(*email.Config)
		permanent bool
		auth      bool
		mention   string
	}{
		{"wrong password", &peer{requireAuth: true, user: "firstline", pass: "other"}, false,
			func(c *email.Config) { c.Username, c.Password = "firstline", config.NewSecret(testPassword) },
			true, true, "delivery.email.password"},
		{"auth required, none configured", &peer{requireAuth: true}, false,
			func(*email.Config) {}, true, true, "delivery.email.username"},
		{"server offers no AUTH", &peer{mechanisms: []string{}}, false,
			func(c *email.Config) { c.Username, c.Password = "firstline", config.NewSecret(testPassword) },
			true, true, "delivery.email.username"},
		{"no STARTTLS offered", &peer{}, true,
			func(*email.Config) {}, true, false, "delivery.email.tls"},
		{"untrusted certificate", &peer{}, false,
			func(c *email.Config) { c.CAFile = "" }, false, false, "certificate"},
		{"recipient refused", &peer{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}}, false,
			func(*email.Config) {}, true, false, "delivery.email.to"},
		{"recipient deferred", &peer{rcptErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}}, false,
			func(*email.Config) {}, false, false, "451"},
		{"message rejected", &peer{dataErr: &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Content rejected"}}, false,
			func(*email.Config) {}, true, false, "554"},
		{"mailbox full for now", &peer{dataErr: &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"}}, false,
			func(*email.Config) {}, false, false, "452"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tlsConfig := serverTLS
			if tt.noTLS {
				tlsConfig = nil
			}
			addr := serve(t, tt.peer, tlsConfig, false)
			cfg := baseConfig(t, addr)
			cfg.CAFile = caFile
			tt.edit(&cfg)
			_, err := newEmail(t, cfg).Deliver(context.Background(), deliverytest.Message())
			if err == nil {
				t.Fatal("Deliver succeeded")
			}
			if got := delivery.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v: %v", got, tt.permanent, err)
			}
			var ae *delivery.AuthError
			if got := errors.As(err, &ae); got != tt.auth {
				t.Errorf("AuthError = %v, want %v: %v", got, tt.auth, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error does not mention %q: %v", tt.mention, err)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error reveals the password: %v", err)
			}
			if n := len(tt.peer.received()); n != 0 {
				t.Errorf("%d messages stored despite the failure", n)
			}
		})
	}
}

func TestDeliverTooLarge(t *testing.T) {
	p := &peer{}
	addr := serve(t, p, nil, false)
	cfg := baseConfig(t, addr)
	cfg.TLS = "none"
	m := deliverytest.Message()
	m.Attachments = append(m.Attachments, delivery.Attachment{Name: "huge.bin", Data: deliverytest.Binary(11 << 20)})
	_, err := newEmail(t, cfg).Deliver(context.Background(), m)
	if !delivery.IsPermanent(err) || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("oversized report: err = %v, want a permanent size error", err)
	}
}

func TestDeliverNetwork(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		cfg := baseConfig(t, addr)
		cfg.TLS = "none"
		_, err = newEmail(t, cfg).Deliver(context.Background(), deliverytest.Message())
		var te *delivery.TransientError
		if !errors.As(err, &te) {
			t.Fatalf("err = %v, want transient", err)
		}
	})

	// A server that accepts and never greets: the delivery must end with
	// the context, as a transient timeout, and not hang.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	defer func() {
		l.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	}()
	cfg := baseConfig(t, l.Addr().String())
	cfg.TLS = "none"
	e := newEmail(t, cfg)

	t.Run("silent server times out", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := e.Deliver(ctx, deliverytest.Message())
		if err == nil || delivery.IsPermanent(err) || delivery.IsCanceled(err) {
			t.Fatalf("err = %v, want a transient timeout", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want it to say it timed out", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v to give up", d)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := e.Deliver(ctx, deliverytest.Message())
		if !delivery.IsCanceled(err) {
			t.Fatalf("err = %v, want a cancellation", err)
		}
	})
}

func TestConfigValidate(t *testing.T) {
	ok := email.Config{Host: "smtp.example.com", From: "a@example.com", To: []string{"b@example.com"}}
	tests := []struct {
		name string
		edit func(*email.Config)
		keys []string
	}{
		{"minimal", func(*email.Config) {}, nil},
		{"auth over starttls", func(c *email.Config) { c.Username, c.Password = "u", config.NewSecret("p") }, nil},
		{"local relay without TLS but with auth", func(c *email.Config) {
			c.Host, c.TLS, c.Username, c.Password = "127.0.0.1", "none", "u", config.NewSecret("p")
		}, nil},
		{"no host", func(c *email.Config) { c.Host = "" }, []string{"host"}},
		{"host with port", func(c *email.Config) { c.Host = "smtp.example.com:587" }, []string{"host"}},
		{"bad port and tls", func(c *email.Config) { c.Port, c.TLS = 70000, "ssl" }, []string{"port", "tls"}},
		{"password in clear", func(c *email.Config) { c.TLS, c.Username, c.Password = "none", "u", config.NewSecret("p") }, []string{"tls"}},
		{"username only", func(c *email.Config) { c.Username = "u" }, []string{"password"}},
		{"password only", func(c *email.Config) { c.Password = config.NewSecret("p") }, []string{"username"}},
		{"addresses", func(c *email.Config) { c.From, c.To = "", []string{"ok@example.com", "bad"} }, []string{"from", "to[1]"}},
		{"no recipient", func(c *email.Config) { c.To = nil }, []string{"to"}},
		{"helo and timeout", func(c *email.Config) { c.HeloName, c.Timeout = "bad name", config.Duration(time.Second) }, []string{"helo_name", "timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			err := cfg.Validate()
			if tt.keys == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v, want *config.Error", err)
			}
			var keys []string
			for _, p := range ce.Problems {
				keys = append(keys, p.Key)
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("keys %v, want %v (%v)", keys, tt.keys, err)
			}
			if strings.Contains(err.Error(), `"p"`) {
				t.Errorf("message shows the password: %v", err)
			}
		})
	}
}

func BenchmarkDeliver(b *testing.B) {
	cfg := baseConfig(b, serve(b, &peer{}, nil, false))
	cfg.TLS = "none"
	e, err := email.New(cfg, email.Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := deliverytest.Message()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Deliver(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNoSecretInOutput(t *testing.T) {
	cfg := email.Config{Host: "smtp.example.com", Username: "u", Password: config.NewSecret(testPassword), From: "a@example.com", To: []string{"b@example.com"}}
	e, err := email.New(cfg, email.Options{})
	if err != nil {
		t.Fatal(err)
	}
	deliverytest.NoLeak(t, []string{testPassword}, cfg, &cfg, e)
}

// A relay on this machine may take the password without TLS (the
// configuration refuses that for any other host).
func TestDeliverLoopbackAuthWithoutTLS(t *testing.T) {
	p := &peer{requireAuth: true, user: "firstline", pass: testPassword}
	addr := serve(t, p, nil, false)
	cfg := baseConfig(t, addr)
	cfg.TLS, cfg.Username, cfg.Password = "none", "firstline", config.NewSecret(testPassword)
	if _, err := newEmail(t, cfg).Deliver(context.Background(), deliverytest.Message()); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if msgs := p.received(); len(msgs) != 1 || msgs[0].user != "firstline" || msgs[0].tls {
		t.Fatalf("stored %+v", msgs)
	}
}
