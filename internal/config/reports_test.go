package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadDeliveryTables(t *testing.T) {
	_, main := writeSecretConfig(t, map[string]string{"firstline.toml": `
[reports]
spool_max_mb = 64
keep_delivered = "48h"

[delivery]
route = ["rt", "email"]
fallback_after = 5

[delivery.email]
host = "smtp.example.com"
password = "smtp-pass-1"
username = "firstline"
from = "Firstline <firstline@example.com>"
to = ["helpdesk@example.com"]

[delivery.rt]
url = "https://rt.example.com"
token = "rt-token-1"

[delivery.rt.custom_fields]
"Category" = "category"
Hostname = "hostname"
`})
	l := mustLoad(t, main)
	c := l.Config
	if c.Reports.SpoolMaxMB != 64 || c.Reports.SpoolMaxReports != 10_000 || c.Reports.KeepDelivered.Duration() != 48*time.Hour {
		t.Errorf("reports: %+v", c.Reports)
	}
	d := c.Delivery
	if strings.Join(d.Route, ",") != "rt,email" || d.FallbackAfter != 5 {
		t.Errorf("route %v fallback %d", d.Route, d.FallbackAfter)
	}
	if d.Email.Password.Reveal() != "smtp-pass-1" || d.Email.TLS != "starttls" || d.Email.Timeout.Duration() != time.Minute {
		t.Errorf("email: %+v (defaults must survive)", d.Email)
	}
	want := map[string]string{"Category": "category", "Hostname": "hostname"}
	if !reflect.DeepEqual(d.RT.CustomFields, want) || d.RT.Token.Reveal() != "rt-token-1" || d.RT.Queue != "General" {
		t.Errorf("rt: %+v", d.RT)
	}
	out, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"smtp-pass-1", "rt-token-1"} {
		if strings.Contains(string(out), secret) {
			t.Errorf("Render shows the secret %q:\n%s", secret, out)
		}
	}
}

func TestLoadCustomFieldsInline(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": "[delivery.rt]\ncustom_fields = { Severity = \"severity\" }\n"})
	l := mustLoad(t, main)
	if got := l.Config.Delivery.RT.CustomFields; !reflect.DeepEqual(got, map[string]string{"Severity": "severity"}) {
		t.Errorf("custom_fields = %v", got)
	}
}

func TestLoadDeliveryProblems(t *testing.T) {
	tests := []struct {
		name, content, key, message string
	}{
		{"unknown destination", "[delivery]\nroute = [\"zendesk\"]\n", "delivery.route",
			`"zendesk" is not one of inbox, email, webhook, rt`},
		{"destination twice", "[delivery]\nroute = [\"inbox\", \"inbox\"]\n", "delivery.route", `"inbox" is listed twice`},
		{"empty route", "[delivery]\nroute = []\n", "delivery.route", "names no destination; write at least one of inbox, email, webhook, rt"},
		{"fallback range", "[delivery]\nfallback_after = -1\n", "delivery.fallback_after", "-1 is outside the allowed range 0..1000"},
		{"webhook routed, no url", "[delivery]\nroute = [\"webhook\"]\n[delivery.webhook]\nsecret = \"0123456789abcdef\"\n",
			"delivery.webhook.url", `is empty, but delivery.route names "webhook"; write the https:// URL that receives reports`},
		{"rt routed, no token", "[delivery]\nroute = [\"rt\"]\n[delivery.rt]\nurl = \"https://rt.example.com\"\n",
			"delivery.rt.token", `is empty, but delivery.route names "rt"; create an auth token in RT for the user Firstline acts as`},
		{"spool size", "[reports]\nspool_max_mb = 0\n", "reports.spool_max_mb", "0 is outside the allowed range 1..1048576"},
		{"keep delivered", "[reports]\nkeep_delivered = \"10m\"\n", "reports.keep_delivered", `"10m" is outside the allowed range 1h..8760h`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, main := writeConfig(t, map[string]string{"firstline.toml": tt.content})
			_, err := Load(Options{Path: main})
			ps := problemsOf(t, err)
			found := false
			for _, p := range ps {
				if p.Key == tt.key && p.Message == tt.message {
					found = true
					if p.Line == 0 {
						t.Errorf("%s has no line", p)
					}
				}
			}
			if !found {
				t.Errorf("got %v\nwant %s: %s", ps, tt.key, tt.message)
			}
		})
	}
}

// TestRoutedEmailNamesEveryMissingKey: all missing keys at once, each at
// the line of the route that made them necessary.
func TestRoutedEmailNamesEveryMissingKey(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": "[delivery]\nroute = [\"inbox\", \"email\"]\n"})
	_, err := Load(Options{Path: main})
	ps := problemsOf(t, err)
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	if strings.Join(keys, " ") != "delivery.email.host delivery.email.from delivery.email.to" {
		t.Errorf("problems %v", ps)
	}
}

// TestUnroutedTablesMayStayEmpty: configuring nothing for a destination
// that is not routed is fine (the defaults have all four tables empty).
func TestUnroutedTablesMayStayEmpty(t *testing.T) {
	c := Defaults()
	c.Delivery.Email = DeliveryEmail{}
	c.Delivery.Webhook = DeliveryWebhook{}
	if err := c.Validate(); err != nil {
		t.Errorf("unrouted empty tables refused: %v", err)
	}
}

func TestCustomFieldsTypeProblems(t *testing.T) {
	tests := []struct{ content, want string }{
		{"[delivery.rt.custom_fields]\nCategory = 3\n", `:2: delivery.rt.custom_fields.Category: expected a string, got an integer`},
		{"[delivery.rt.custom_fields.Category]\nx = \"y\"\n", `:1: delivery.rt.custom_fields.Category: expected a string, got a table`},
		{"[delivery.rt]\ncustom_fields = \"category\"\n", `:2: delivery.rt.custom_fields: expected a table, got a string`},
		{"[delivery.rt]\ncustom_fields = { a = { b = \"c\" } }\n", `:2: delivery.rt.custom_fields.a: expected a string, got a table`},
	}
	for _, tt := range tests {
		_, main := writeConfig(t, map[string]string{"firstline.toml": tt.content})
		_, err := Load(Options{Path: main})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v\nwant %s", tt.content, err, tt.want)
		}
	}
}

// TestSecretInDropIn: a routed destination's secret may come from a
// drop-in (root-only, say) without the main file being refused for
// lacking it.
func TestSecretInDropIn(t *testing.T) {
	_, main := writeSecretConfig(t, map[string]string{
		"firstline.toml":        "[delivery]\nroute = [\"webhook\"]\n[delivery.webhook]\nurl = \"https://hooks.example.com/x\"\n",
		"conf.d/90-secret.toml": "[delivery.webhook]\nsecret = \"0123456789abcdef\"\n",
	})
	l := mustLoad(t, main)
	if l.Config.Delivery.Webhook.Secret.Reveal() != "0123456789abcdef" {
		t.Errorf("secret from the drop-in lost: %+v", l.Config.Delivery.Webhook)
	}
}

func TestDropInOverridesRoute(t *testing.T) {
	_, main := writeSecretConfig(t, map[string]string{
		"firstline.toml":      "[delivery]\nroute = [\"inbox\"]\n",
		"conf.d/50-hook.toml": "[delivery]\nroute = [\"webhook\"]\n[delivery.webhook]\nurl = \"https://hooks.example.com/x\"\nsecret = \"0123456789abcdef\"\n",
	})
	l := mustLoad(t, main)
	if got := l.Config.Delivery.Route; len(got) != 1 || got[0] != "webhook" || l.Config.Delivery.Webhook.URL.Reveal() != "https://hooks.example.com/x" {
		t.Errorf("route %v, webhook %+v", got, l.Config.Delivery.Webhook)
	}
}
