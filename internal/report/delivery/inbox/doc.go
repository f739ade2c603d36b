// Package inbox is the embedded default destination: each report becomes
// two files in a folder, REFERENCE.eml (the very message the email backend
// would send) and REFERENCE.json (the machine-readable report). Dev mode
// uses it, so that `make run` shows what IT would receive; a site without a
// helpdesk can point it at a folder IT collects from.
//
// Configuration (TOML; keys relative to the backend's table):
//
//	dir  = "/var/lib/firstline/inbox"       # absolute; created 0700 if missing
//	from = "Firstline <firstline@localhost>" # From of the .eml (this default)
//	to   = ["IT <helpdesk@localhost>"]       # To of the .eml (this default)
//
// Files are written atomically (temporary file, fsync, rename, fsync of the
// folder), the JSON first, so an existing .eml means both are complete.
// Delivering the same report again finds REFERENCE.eml carrying the same
// X-Firstline-Key and writes nothing. A different report that happens to
// carry the same reference is stored as REFERENCE-KEYPREFIX.* instead of
// overwriting it.
//
// The receipt's TicketID is the file name without extension and its
// TicketURL the file:// URL of the .eml.
package inbox
