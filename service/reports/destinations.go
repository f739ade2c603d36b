package reports

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/internal/report/delivery/email"
	"github.com/firstline-it/firstline/internal/report/delivery/inbox"
	"github.com/firstline-it/firstline/internal/report/delivery/rt"
	"github.com/firstline-it/firstline/internal/report/delivery/webhook"
)

// Folders under the service's state_dir.
const (
	SpoolDir = "spool"
	InboxDir = "inbox"
)

// FromConfig returns the options cfg describes: the spool's folder and
// bounds, the route, and a backend for each destination it names. The
// tables of destinations not in the route are not looked at. The error
// names the configuration key at fault ("delivery.webhook.url: ...").
// The caller adds the hub and may change the rest.
func FromConfig(cfg *config.Config, log *slog.Logger) (Options, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := cfg.Delivery
	opts := Options{
		Dir:           filepath.Join(cfg.Service.StateDir, SpoolDir),
		MaxBytes:      int64(cfg.Reports.SpoolMaxMB) << 20,
		MaxReports:    cfg.Reports.SpoolMaxReports,
		KeepDelivered: cfg.Reports.KeepDelivered.Duration(),
		Logger:        log,
	}
	var errs []error
	for i, name := range d.Route {
		r := delivery.Route{Destination: name}
		if i < len(d.Route)-1 {
			r.FallbackAfter = d.FallbackAfter
		}
		opts.Chain = append(opts.Chain, r)
		b, err := newBackend(cfg, name, log)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		opts.Backends = append(opts.Backends, b)
	}
	if err := delivery.Qualify(opts.Chain.Validate(nil), "delivery.route"); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return Options{}, err
	}
	return opts, nil
}

// CheckConfig reports what FromConfig would refuse in cfg's delivery
// tables: every backend's own checks, which config.Validate cannot run.
func CheckConfig(cfg *config.Config) error {
	_, err := FromConfig(cfg, nil)
	return err
}

// newBackend builds the backend of one routed destination.
func newBackend(cfg *config.Config, name string, log *slog.Logger) (delivery.Backend, error) {
	d := cfg.Delivery
	table := "delivery." + name
	var b delivery.Backend
	var err error
	switch name {
	case config.DestinationInbox:
		b, err = inbox.New(InboxConfig(d.Inbox, cfg.Service.StateDir), inbox.Options{Name: name, Logger: log})
	case config.DestinationEmail:
		b, err = email.New(EmailConfig(d.Email), email.Options{Name: name, Table: table, Logger: log})
	case config.DestinationWebhook:
		b, err = webhook.New(WebhookConfig(d.Webhook), webhook.Options{Name: name, Table: table, Logger: log})
	case config.DestinationRT:
		b, err = rt.New(RTConfig(d.RT), rt.Options{Name: name, Table: table, Logger: log})
	default:
		return nil, fmt.Errorf("delivery.route: %q is not a destination (use %v)", name, config.Destinations())
	}
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			return nil, delivery.Qualify(ce, table)
		}
		return nil, fmt.Errorf("%s: %w", table, err)
	}
	return b, nil
}

// InboxConfig converts [delivery.inbox]; an empty dir is
// <state_dir>/inbox.
func InboxConfig(c config.DeliveryInbox, stateDir string) inbox.Config {
	if c.Dir == "" {
		c.Dir = filepath.Join(stateDir, InboxDir)
	}
	return inbox.Config{Dir: c.Dir, From: c.From, To: c.To}
}

// EmailConfig converts [delivery.email].
func EmailConfig(c config.DeliveryEmail) email.Config {
	return email.Config{
		Host: c.Host, Port: c.Port, TLS: c.TLS, Username: c.Username, Password: c.Password,
		From: c.From, To: c.To, HeloName: c.HeloName, CAFile: c.CAFile, Timeout: c.Timeout,
	}
}

// WebhookConfig converts [delivery.webhook].
func WebhookConfig(c config.DeliveryWebhook) webhook.Config {
	return webhook.Config{URL: c.URL, Format: c.Format, Secret: c.Secret, Timeout: c.Timeout, CAFile: c.CAFile}
}

// RTConfig converts [delivery.rt].
func RTConfig(c config.DeliveryRT) rt.Config {
	return rt.Config{
		URL: c.URL, Token: c.Token, Queue: c.Queue, KeyField: c.KeyField, CustomFields: c.CustomFields,
		Requestor: c.Requestor, CAFile: c.CAFile, Timeout: c.Timeout,
	}
}
