package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Reports is the [reports] table: the service's spool of "Get help"
// reports waiting for delivery.
type Reports struct {
	// SpoolMaxMB bounds the disk space of the spool in MiB (1..1048576).
	// When it is full, new reports are refused and the employee is told;
	// nothing already saved is dropped.
	SpoolMaxMB int `toml:"spool_max_mb"`
	// SpoolMaxReports bounds how many reports may wait for delivery
	// (1..1000000).
	SpoolMaxReports int `toml:"spool_max_reports"`
	// KeepDelivered is how long the record of a delivered report stays
	// listed in "My reports" and "spool list" (1h..8760h). Its content is
	// removed as soon as it is delivered.
	KeepDelivered Duration `toml:"keep_delivered"`
	// Categories replace the form's "What is it about?" choices; empty
	// keeps the built-in list.
	Categories []ReportCategory `toml:"categories"`
	// LogExcerpts are the ends of log files attached to every report, shown
	// to the employee before sending (and removable).
	LogExcerpts []ReportLog `toml:"log_excerpts"`
}

// ReportCategory is one choice of the form's category list.
type ReportCategory struct {
	ID    string `toml:"id"`
	Label string `toml:"label"`
}

// ReportLog is one log file whose last lines go with each report.
type ReportLog struct {
	Name  string `toml:"name"`
	Path  string `toml:"path"`
	Lines int    `toml:"lines"`
}

// Destination names: the values [delivery] route accepts, one per backend
// type, each configured in the [delivery.<name>] table of that name.
const (
	DestinationInbox   = "inbox"
	DestinationEmail   = "email"
	DestinationWebhook = "webhook"
	DestinationRT      = "rt"
)

// Destinations lists the destination names route accepts.
func Destinations() []string {
	return []string{DestinationInbox, DestinationEmail, DestinationWebhook, DestinationRT}
}

// Delivery is the [delivery] table: where reports go. The tables of the
// backends mirror the Config types of internal/report/delivery/*, which
// import this package and so cannot be imported here; service/reports
// converts them, and its tests keep the two in step.
type Delivery struct {
	// Route lists destinations in order: the first is tried alone, the
	// next joins in once the one before has failed FallbackAfter times or
	// needs attention. The first to accept a report ends its delivery.
	Route []string `toml:"route"`
	// FallbackAfter is how many failed attempts of a destination engage
	// the next one in Route (0..1000; 0: only once it needs attention).
	FallbackAfter int `toml:"fallback_after"`
	// Inbox writes reports as .eml and .json files into a folder.
	Inbox DeliveryInbox `toml:"inbox"`
	// Email sends reports over SMTP.
	Email DeliveryEmail `toml:"email"`
	// Webhook posts reports as JSON (or to Slack or Teams).
	Webhook DeliveryWebhook `toml:"webhook"`
	// RT creates Request Tracker tickets.
	RT DeliveryRT `toml:"rt"`
}

// DeliveryInbox is [delivery.inbox] (inbox.Config).
type DeliveryInbox struct {
	// Dir is the folder; "" means <state_dir>/inbox.
	Dir string `toml:"dir"`
	// From and To are the addresses written into the .eml files.
	From string   `toml:"from"`
	To   []string `toml:"to"`
}

// DeliveryEmail is [delivery.email] (email.Config).
type DeliveryEmail struct {
	// Host is the SMTP server.
	Host string `toml:"host"`
	// Port is 0 for the TLS mode's usual port.
	Port int `toml:"port"`
	// TLS is starttls, tls or none.
	TLS string `toml:"tls"`
	// Username and Password enable AUTH.
	Username string `toml:"username"`
	Password Secret `toml:"password"`
	// From is the sender, To the recipients.
	From string   `toml:"from"`
	To   []string `toml:"to"`
	// HeloName is the EHLO name; "" uses the host name.
	HeloName string `toml:"helo_name"`
	// CAFile is a PEM file of extra CAs to trust.
	CAFile string `toml:"ca_file"`
	// Timeout bounds a whole delivery.
	Timeout Duration `toml:"timeout"`
}

// DeliveryWebhook is [delivery.webhook] (webhook.Config).
type DeliveryWebhook struct {
	// URL receives the POST; a secret, as Slack's and Teams' URLs are.
	URL Secret `toml:"url"`
	// Format is firstline, slack or teams.
	Format string `toml:"format"`
	// Secret is the HMAC-SHA256 key requests are signed with.
	Secret Secret `toml:"secret"`
	// Timeout bounds one request.
	Timeout Duration `toml:"timeout"`
	// CAFile is a PEM file of extra CAs to trust.
	CAFile string `toml:"ca_file"`
}

// DeliveryRT is [delivery.rt] (rt.Config).
type DeliveryRT struct {
	// URL is RT's base URL.
	URL string `toml:"url"`
	// Token is an RT auth token.
	Token Secret `toml:"token"`
	// Queue receives the tickets.
	Queue string `toml:"queue"`
	// KeyField is a ticket custom field holding the report key.
	KeyField string `toml:"key_field"`
	// CustomFields maps RT custom field names to report field names.
	CustomFields map[string]string `toml:"custom_fields"`
	// Requestor is reporter or none.
	Requestor string `toml:"requestor"`
	// CAFile is a PEM file of extra CAs to trust.
	CAFile string `toml:"ca_file"`
	// Timeout bounds one request.
	Timeout Duration `toml:"timeout"`
}

// reportsDefaults are the defaults of [reports] and [delivery]: the
// embedded inbox, so that a fresh install keeps reports somewhere IT can
// look without any configuration.
func reportsDefaults() (Reports, Delivery) {
	return Reports{
			SpoolMaxMB:      512,
			SpoolMaxReports: 10_000,
			KeepDelivered:   Duration(30 * 24 * time.Hour),
			Categories:      []ReportCategory{},
			LogExcerpts:     []ReportLog{},
		}, Delivery{
			Route:         []string{DestinationInbox},
			FallbackAfter: 3,
			Inbox: DeliveryInbox{
				From: "Firstline <firstline@localhost>",
				To:   []string{"IT <helpdesk@localhost>"},
			},
			Email:   DeliveryEmail{TLS: "starttls", To: []string{}, Timeout: Duration(time.Minute)},
			Webhook: DeliveryWebhook{Format: "firstline", Timeout: Duration(30 * time.Second)},
			RT: DeliveryRT{
				Queue: "General", CustomFields: map[string]string{}, Requestor: "reporter",
				Timeout: Duration(30 * time.Second),
			},
		}
}

// validateReports checks [reports] and [delivery]. The backends check
// their own tables in full when the service builds them (their Validate
// methods live with them); here every routed destination must at least
// be configured, so that "config check" catches the common mistake of
// naming a destination without setting it up.
func (v *validator) validateReports(r Reports, d Delivery) {
	v.intRange("reports.spool_max_mb", int64(r.SpoolMaxMB), 1, 1<<20)
	v.intRange("reports.spool_max_reports", int64(r.SpoolMaxReports), 1, 1_000_000)
	v.durationRange("reports.keep_delivered", r.KeepDelivered, time.Hour, 365*24*time.Hour)
	validateCategories(v, r.Categories)
	validateLogExcerpts(v, r.LogExcerpts)

	if len(d.Route) == 0 {
		v.add("delivery.route", "names no destination; write at least one of %s", strings.Join(Destinations(), ", "))
	}
	v.each("delivery.route", d.Route, Destinations())
	v.intRange("delivery.fallback_after", int64(d.FallbackAfter), 0, 1000)
	for _, name := range d.Route {
		v.destinationConfigured(name, d)
	}
}

// destinationConfigured reports the keys a routed destination cannot do
// without. They are checked on the merged configuration only (a drop-in
// often holds the secrets), and a key set nowhere is reported at the
// route that needs it.
func (v *validator) destinationConfigured(name string, d Delivery) {
	table := "delivery." + name
	missing := func(key, what string) {
		v.add(table+"."+key, "is empty, but delivery.route names %q; %s", name, what)
		v.problems[len(v.problems)-1].via = "delivery.route"
	}
	switch name {
	case DestinationEmail:
		if d.Email.Host == "" {
			missing("host", "name the SMTP server")
		}
		if d.Email.From == "" {
			missing("from", `write the sender, like "Firstline <firstline@example.com>"`)
		}
		if len(d.Email.To) == 0 {
			missing("to", "list the helpdesk's address")
		}
	case DestinationWebhook:
		if d.Webhook.URL.Reveal() == "" {
			missing("url", "write the https:// URL that receives reports")
		}
		if d.Webhook.Secret.Reveal() == "" && (d.Webhook.Format == "" || d.Webhook.Format == "firstline") {
			missing("secret", "the firstline format is always signed; set a shared secret of at least 16 characters")
		}
	case DestinationRT:
		if d.RT.URL == "" {
			missing("url", "write RT's base URL")
		}
		if d.RT.Token.Reveal() == "" {
			missing("token", "create an auth token in RT for the user Firstline acts as")
		}
	}
	// The inbox works with its defaults (<state_dir>/inbox), and an
	// unknown name was reported by each().
}

// categoryID is the form of a category id: what goes into tickets and
// webhook payloads, so short and plain.
var categoryID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

func validateCategories(v *validator, cats []ReportCategory) {
	if len(cats) > 30 {
		v.add("reports.categories", "%d categories, at most 30 allowed", len(cats))
	}
	seen := map[string]bool{}
	for i, c := range cats {
		key := fmt.Sprintf("reports.categories[%d]", i)
		if !categoryID.MatchString(c.ID) {
			v.add(key+".id", "%q is not an id of lowercase letters, digits and dashes (at most 40)", c.ID)
		}
		if seen[c.ID] {
			v.add(key+".id", "%q is listed twice", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Label) == "" {
			v.add(key+".label", "is empty")
		}
		v.maxLen(key+".label", c.Label, 60)
	}
}

func validateLogExcerpts(v *validator, logs []ReportLog) {
	if len(logs) > 10 {
		v.add("reports.log_excerpts", "%d log files, at most 10 allowed", len(logs))
	}
	for i, l := range logs {
		key := fmt.Sprintf("reports.log_excerpts[%d]", i)
		if strings.TrimSpace(l.Name) == "" {
			v.add(key+".name", "is empty")
		}
		v.maxLen(key+".name", l.Name, 60)
		v.absolute(key+".path", l.Path)
		v.intRange(key+".lines", int64(l.Lines), 1, 500)
	}
}
