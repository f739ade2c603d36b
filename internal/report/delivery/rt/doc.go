// Package rt delivers reports to Request Tracker (RT 5) through its REST2
// API: each report becomes a ticket with the summary and the employee's
// words as its first message and the attachments as files, and the
// ticket's status can be read back for the employee's "My reports".
//
// # Configuration
//
// TOML, keys relative to the backend's table:
//
//	url       = "https://rt.example.com"  # RT's base URL; REST2 is at <url>/REST/2.0
//	token     = "…"                       # an RT auth token (Settings > Auth Tokens)
//	queue     = "General"                 # default "General"
//	key_field = "Firstline-Key"           # optional ticket custom field for the report key
//	requestor = "reporter"                # "reporter" (default): the employee is the
//	                                      # requestor and gets RT's replies; "none"
//	timeout   = "30s"                     # per request, 1s to 5m
//	ca_file   = ""                        # PEM file with an extra CA for an internal RT
//
//	[<table>.custom_fields]               # optional: RT custom field = report field
//	"Category" = "category"
//	"Hostname" = "hostname"
//
// The token's user needs CreateTicket and ShowTicket in the queue (and
// SeeCustomField/ModifyCustomField on the custom fields used).
//
// # Requests
//
// All requests carry "Authorization: token <token>". A delivery first
// looks for a ticket made from this report already (a reply lost after
// RT created the ticket must not make a second one):
//
//	GET /REST/2.0/tickets?query=<TicketSQL>&fields=Subject,Status&orderby=id&order=ASC
//
// with the TicketSQL CF.{<key_field>} = '<key>' when key_field is set,
// otherwise Subject LIKE '<reference>' (the reference is in every subject;
// matches are then checked to carry it as a whole word). When it finds
// one, that ticket is the receipt. Otherwise:
//
//	POST /REST/2.0/ticket
//	Content-Type: multipart/form-data
//	  part "JSON" (application/json):
//	    {"Queue": "General", "Subject": "[FL-7K3Q2] ...", "Requestor": "jane.doe@example.com",
//	     "Content": "<summary, words, fields, reference and key>", "ContentType": "text/plain",
//	     "CustomFields": {"Firstline-Key": "<key>", "Category": "printer"}}
//	  one part "Attachments" per file: filename="screen.png", Content-Type: image/png, raw bytes
//
// The form is used rather than JSON with base64 "Attachments": RT 5.0.3
// mangles non-ASCII file names given in JSON (é becomes U+FFFD, and an
// en dash fails the whole request with HTTP 500), file parts keep them
// intact, and the base64 third is saved. Checked against RT 5.0.3 from
// Debian bookworm, including the key_field search and byte-identical
// attachments (TestRealRT).
//
// After creating, GET /REST/2.0/ticket/<id> reads its status back. RT refuses empty
// files, so zero-byte attachments are left out (and logged). The receipt
// is the ticket number, its page (<url>/Ticket/Display.html?id=<id>) and
// its status word (new, open, stalled, resolved, ...).
//
// Errors: 401 names token; 403 (RT's "No permission to create tickets in
// the queue") names token and queue; other 4xx are permanent; 5xx, 429 and
// network failures are retried.
package rt
