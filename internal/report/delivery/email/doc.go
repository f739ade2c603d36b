// Package email delivers reports as mail over SMTP: the MIME message of
// package eml (summary and the employee's words in the body, attachments as
// files), to the helpdesk's mail-in address or an IT mailbox.
//
// # Configuration
//
// TOML, keys relative to the backend's table:
//
//	host      = "smtp.example.com"
//	port      = 587                 # default 587 for starttls, 465 for tls, 25 for none
//	tls       = "starttls"          # "starttls" (default, required), "tls" (implicit, port 465)
//	                                # or "none" (a relay on a trusted network only)
//	username  = "firstline@example.com"   # AUTH PLAIN, or LOGIN when only that is offered
//	password  = "…"
//	from      = "Firstline <firstline@example.com>"
//	to        = ["helpdesk@example.com"]
//	helo_name = ""                  # EHLO name; default: this machine's host name
//	ca_file   = ""                  # PEM file with an extra CA for an internal relay
//	timeout   = "1m"                # whole delivery, 5s to 10m
//
// With "starttls" a server that does not offer STARTTLS is refused, not
// used in clear. The password is never sent without TLS except to a
// server on this machine (localhost), and it is redacted wherever the
// configuration is printed or logged.
//
// # What the helpdesk receives
//
// One message per delivery, Message-ID <KEY@firstline>, headers
// X-Firstline-Key and X-Firstline-Reference, Reply-To the employee, Date the
// time the report was written. Mail has no way to ask the server whether a
// message was seen already, so a retry after a lost reply sends the same
// message again, byte for byte: mail systems and helpdesks that
// deduplicate by Message-ID drop it, and people see the same key.
//
// # Errors
//
// SMTP 4xx replies, network failures and timeouts are transient; 5xx
// replies are permanent. Refused credentials (530, 534, 535, 538) name
// username and password, a refused recipient names to, a refused sender
// names from.
//
// # Why go-smtp
//
// The client is github.com/emersion/go-smtp rather than net/smtp, which is
// frozen: it has AUTH LOGIN (which Exchange and Microsoft 365 still
// require where PLAIN is off), typed replies with enhanced status codes
// (so 4xx and 5xx are classified without parsing text), the SIZE limit,
// and the server's reply to DATA (its queue id, logged). The tests use its
// server as the real peer.
package email
