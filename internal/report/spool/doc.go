// Package spool keeps reports on disk until they are delivered: the
// service's spool of every user's reports, and the app's own spool of one
// user's reports while the service cannot be reached.
//
// A report is durable when Put returns. Delivery changes only a small state
// file, so retries never rewrite megabytes, and the index kept in memory
// holds light records (report.Record), never content, so a backlog of ten
// thousand reports costs a few megabytes. Damaged files are moved to
// quarantine/ with a log line; they never stop the rest of the spool.
//
// # Layout
//
// Under the spool folder (created 0700; files 0600):
//
//	<key>.body          the report as received: immutable, written once
//	<key>.state         its record and delivery state: rewritten per attempt
//	.tmp-*              a write in progress, or left by a crash (removed by Open)
//	lock                held by the process that has the spool open
//	quarantine/         damaged files, renamed <name>.<unix-nanoseconds>
//
// <key> is the report's UUIDv7 in canonical lowercase form. Every file is
// written to a temporary file, synced, renamed into place and the folder
// synced (on Windows the rename is written through instead), so a file is
// either wholly there or not at all.
//
// Put writes the body, then the state, then syncs the folder. Archive
// rewrites the state (archived_at set) before removing the body; Remove
// archives, then removes the state. Open relies on that order:
//
//	state ok, body ok        indexed
//	state archived, no body  indexed (a record kept for "My reports")
//	state archived, body     body removed (an archive a crash cut short)
//	state ok, no body        indexed as broken: "Needs attention"
//	body ok, no state        recovered: a new state is written from the body
//	anything damaged         moved to quarantine/, then the rows above apply
//
// # File format, version 1
//
// Both kinds of file share one framing:
//
//	FLSPOOL 1 <kind> <header-length> <header-crc32c>\n
//	<header: header-length bytes of JSON>\n
//	<section 0><section 1>...
//
// <kind> is "body" or "state"; lengths are decimal, checksums CRC-32C
// (Castagnoli) as eight lowercase hex digits. The header is
//
//	{"key": "<uuid>", "sections": [{"name": "...", "size": N, "crc32c": "..."}, ...]}
//
// and the file is exactly as long as the first line, the header, its
// newline and the sections add up to, which Open checks with one stat and
// one small read per body: a truncated file is caught without reading it.
//
// A state file has one section, "record": a report.Record as JSON.
//
// A body file has a "report" section, a report.Report as JSON with no
// delivery state and with every attachment's "data" null, followed by one
// "attachment" section per attachment, in order, holding its raw bytes
// (not base64). Attachments can therefore be streamed (Spool.Body)
// without loading the report, and checked section by section.
//
// A reader refuses any other version, kind, section layout, size or
// checksum; such a file is damaged and quarantined. A future version 2
// must keep reading version 1 files: reports outlive upgrades.
//
// # Concurrency
//
// One process has a spool open at a time (the lock file; the kernel
// releases it if the process dies). Within it, Put, UpdateState, Archive,
// Remove, Load and the iterators may be called from any goroutine; writes
// to one report are serialised, writes to different reports are not.
package spool
