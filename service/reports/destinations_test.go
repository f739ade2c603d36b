package reports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/email"
	"github.com/firstline-it/firstline/internal/report/delivery/inbox"
	"github.com/firstline-it/firstline/internal/report/delivery/rt"
	"github.com/firstline-it/firstline/internal/report/delivery/webhook"
)

// TestConfigTablesMirrorBackends: [delivery.*] is decoded into config's
// own structs (the backends import config, so config cannot import them);
// the two must not drift apart, field by field, tag by tag, type by type.
func TestConfigTablesMirrorBackends(t *testing.T) {
	pairs := []struct{ cfg, backend reflect.Type }{
		{reflect.TypeFor[config.DeliveryInbox](), reflect.TypeFor[inbox.Config]()},
		{reflect.TypeFor[config.DeliveryEmail](), reflect.TypeFor[email.Config]()},
		{reflect.TypeFor[config.DeliveryWebhook](), reflect.TypeFor[webhook.Config]()},
		{reflect.TypeFor[config.DeliveryRT](), reflect.TypeFor[rt.Config]()},
	}
	for _, p := range pairs {
		if p.cfg.NumField() != p.backend.NumField() {
			t.Errorf("%s has %d fields, %s %d", p.cfg, p.cfg.NumField(), p.backend, p.backend.NumField())
			continue
		}
		for i := range p.cfg.NumField() {
			a, b := p.cfg.Field(i), p.backend.Field(i)
			if a.Name != b.Name || a.Tag.Get("toml") != b.Tag.Get("toml") || a.Type != b.Type {
				t.Errorf("%s.%s %s `%s` differs from %s.%s %s `%s`", p.cfg, a.Name, a.Type, a.Tag, p.backend, b.Name, b.Type, b.Tag)
			}
		}
	}
}

// TestConversionsCopyEveryField fills every field of each config table
// with a distinct value and checks the backend's Config gets them all.
func TestConversionsCopyEveryField(t *testing.T) {
	check := func(cfg, got any) {
		t.Helper()
		cv, gv := reflect.ValueOf(cfg), reflect.ValueOf(got)
		for i := range cv.NumField() {
			if !reflect.DeepEqual(cv.Field(i).Interface(), gv.Field(i).Interface()) {
				t.Errorf("%T.%s not copied: %v vs %v", got, cv.Type().Field(i).Name, cv.Field(i), gv.Field(i))
			}
		}
	}
	var in config.DeliveryInbox
	var em config.DeliveryEmail
	var wh config.DeliveryWebhook
	var r config.DeliveryRT
	for _, v := range []any{&in, &em, &wh, &r} {
		fill(reflect.ValueOf(v).Elem())
	}
	check(in, InboxConfig(in, "/ignored"))
	check(em, EmailConfig(em))
	check(wh, WebhookConfig(wh))
	check(r, RTConfig(r))
	if got := InboxConfig(config.DeliveryInbox{}, filepath.FromSlash("/var/lib/firstline")).Dir; got != filepath.FromSlash("/var/lib/firstline/inbox") {
		t.Errorf("default inbox dir %q", got)
	}
}

// fill sets every field of a struct to a value derived from its index.
func fill(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		tag := fmt.Sprintf("v%d", i)
		switch {
		case f.Type() == reflect.TypeFor[config.Secret]():
			f.Set(reflect.ValueOf(config.NewSecret(tag)))
		case f.Type() == reflect.TypeFor[config.Duration]():
			f.SetInt(int64(i + 1))
		case f.Kind() == reflect.String:
			f.SetString(tag)
		case f.Kind() == reflect.Int:
			f.SetInt(int64(i + 1))
		case f.Kind() == reflect.Slice:
			f.Set(reflect.ValueOf([]string{tag}))
		case f.Kind() == reflect.Map:
			f.Set(reflect.ValueOf(map[string]string{tag: tag}))
		default:
			panic("fill: unhandled field type " + f.Type().String())
		}
	}
}

func TestFromConfigDefaultsToTheInbox(t *testing.T) {
	cfg := config.Defaults()
	cfg.Service.StateDir = t.TempDir()
	opts, err := FromConfig(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Dir != filepath.Join(cfg.Service.StateDir, "spool") || opts.MaxBytes != 512<<20 || opts.MaxReports != 10_000 {
		t.Errorf("options %+v", opts)
	}
	if len(opts.Chain) != 1 || opts.Chain[0].Destination != "inbox" || len(opts.Backends) != 1 {
		t.Fatalf("route %v, %d backends", opts.Chain, len(opts.Backends))
	}
	r := storedReport(nil, nil)
	receipt, err := opts.Backends[0].Deliver(context.Background(), Message(&r, "HOST"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Service.StateDir, "inbox", receipt.TicketID+".eml")); err != nil {
		t.Errorf("no .eml in <state_dir>/inbox: %v", err)
	}
}

func TestFromConfigChainAndErrors(t *testing.T) {
	cfg := config.Defaults()
	cfg.Service.StateDir = t.TempDir()
	cfg.Delivery.Route = []string{"webhook", "email", "inbox"}
	cfg.Delivery.FallbackAfter = 4
	cfg.Delivery.Webhook.URL = config.NewSecret("https://hooks.example.com/x")
	cfg.Delivery.Webhook.Secret = config.NewSecret("0123456789abcdef")
	cfg.Delivery.Email.Host, cfg.Delivery.Email.From = "smtp.example.com", "fl@example.com"
	cfg.Delivery.Email.To = []string{"it@example.com"}
	opts, err := FromConfig(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := delivery.Chain{{Destination: "webhook", FallbackAfter: 4}, {Destination: "email", FallbackAfter: 4}, {Destination: "inbox"}}
	if !reflect.DeepEqual(opts.Chain, want) || len(opts.Backends) != 3 {
		t.Errorf("chain %v, %d backends", opts.Chain, len(opts.Backends))
	}

	cfg.Delivery.Webhook.URL = config.NewSecret("http://hooks.example.com/secret-path")
	cfg.Delivery.Email.TLS = "ssl"
	err = CheckConfig(cfg)
	if err == nil {
		t.Fatal("bad tables accepted")
	}
	for _, want := range []string{"delivery.webhook.url: uses http://", `delivery.email.tls: "ssl" is not one of`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "secret-path") {
		t.Errorf("the webhook URL, a secret, is in the error: %v", err)
	}

	cfg.Delivery.Webhook.URL = config.NewSecret("https://hooks.example.com/x")
	cfg.Delivery.Email.TLS = ""
	cfg.Delivery.Route = []string{"zendesk"}
	if err := CheckConfig(cfg); err == nil || !strings.Contains(err.Error(), `"zendesk" is not a destination`) {
		t.Errorf("unknown destination: %v", err)
	}
}

func TestIsOffline(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{delivery.Transient(fmt.Errorf("webhook: %w", &net.DNSError{Err: "no such host", Name: "hooks.example.com", IsNotFound: true}), 0), true},
		{delivery.Transient(errors.New("HTTP 503"), 0), false},
		{&gatedError{gate{err: "x"}}, false},
	}
	for _, tt := range tests {
		if got := isOffline(tt.err); got != tt.want {
			t.Errorf("isOffline(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
