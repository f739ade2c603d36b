// Package webhook delivers reports as an HTTP POST of JSON, so IT can wire
// Firstline into anything that takes a webhook; Slack and Microsoft Teams
// incoming webhooks get a formatted message instead.
//
// # Configuration
//
// TOML, keys relative to the backend's table:
//
//	url     = "https://hooks.example.com/firstline" # https (http only to localhost); a secret
//	format  = "firstline"  # "firstline" (default), "slack" or "teams"
//	secret  = "…"          # HMAC key, at least 16 characters; required for "firstline"
//	timeout = "30s"        # per request, 1s to 5m (default 30s)
//	ca_file = ""           # PEM file with an extra CA for an internal receiver
//
// The URL is treated as a credential (Slack's and Teams' URLs are): it is
// redacted when the configuration is printed, and errors and logs name only
// its scheme and host. Redirects are not followed.
//
// # Request
//
//	POST <url>
//	Content-Type: application/json
//	Idempotency-Key: <report key, a UUID>
//	X-Firstline-Timestamp: <Unix time of this attempt, seconds>
//	X-Firstline-Signature: sha256=<hex HMAC-SHA256>
//
// The signature is HMAC-SHA256 with the shared secret over exactly the
// bytes
//
//	<X-Firstline-Timestamp value> "." <request body>
//
// so a receiver recomputes it over the raw body before parsing it, compares
// in constant time, and refuses timestamps more than a few minutes from its
// clock, which stops a captured request being replayed later ([Verify] does
// all three). A retry of the same report carries the same Idempotency-Key
// and a new timestamp and signature; receivers drop keys they have seen.
// Signature headers are sent only when a secret is configured.
//
// # Body (format "firstline", version 1)
//
//	{
//	  "version": 1,
//	  "key": "0190f5b4-7c1e-7a3b-9f2d-3c4b5a6d7e8f",   // = Idempotency-Key
//	  "reference": "FL-7K3Q2",
//	  "subject": "[FL-7K3Q2] Printer: can't print (Jane Doe, LAPTOP-42)",
//	  "text": "what the employee wrote",
//	  "summary": "plain-text system summary",
//	  "body": "summary, text, fields and reference as one plain text, as mailed",
//	  "fields": {"category": "printer", "severity": "normal", ...},
//	  "reporter": {"name": "Jane Doe", "email": "jane.doe@example.com"},
//	  "attachments": [
//	    {"name": "screen.png", "content_type": "image/png", "size": 70,
//	     "sha256": "<hex of the decoded bytes>", "data": "<standard base64>"}
//	  ],
//	  "created_at": "2026-03-02T09:15:00Z",        // RFC 3339, when submitted
//	  "report": { ... }                            // full machine-readable report, when available
//	}
//
// [Payload] is this schema as a Go type. Any 2xx reply is success. A JSON
// object in the reply may name the ticket the receiver made, with
// "ticket_id" (or "id"), "ticket_url" (or "url") and "status"; Firstline
// shows them to the employee. 408, 425, 429 and 5xx are retried (honouring
// Retry-After), 401 and 403 flag the secret and URL for IT to check, any
// other status stops delivery to this destination until IT looks.
//
// # Slack and Teams
//
// Format "slack" posts Block Kit JSON ({"text": ..., "blocks": [...]}) and
// "teams" an Adaptive Card message ({"type": "message", "attachments":
// [{"contentType": "application/vnd.microsoft.card.adaptive", ...}]}), which
// both Teams Workflows webhooks and the older connectors accept. Both carry
// the subject, the employee's words, the fields and the summary, but no
// attachments (incoming webhooks cannot take files); the message says how
// many were left out and quotes the reference so IT can find the full
// report.
package webhook
