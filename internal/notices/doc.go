// Package notices is the core of IT notices: the signed feed format, its
// verification and acceptance, targeting, link allow-listing, expiry, the
// HTTPS poller, the drop folder, and each employee's state.
//
// A notice on a desktop is a phishing vector, so a feed is treated like
// code: it must be signed by a key in the service's configuration, its
// text is plain text, and its links are clickable only to hosts the
// administrator allow-listed.
//
// # Feed document, version 1
//
// A feed is one JSON document (UTF-8, at most 1 MiB) next to a detached
// minisign signature of its exact bytes, NAME.minisig:
//
//	{
//	  "version": 1,
//	  "sequence": 42,
//	  "published": "2025-03-01T09:05:00Z",
//	  "notices": [
//	    {
//	      "id": "mail-outage-0301",
//	      "severity": "critical",
//	      "title": "Email is down",
//	      "body": "We are on it. Next update at 11:30.",
//	      "links": [{"title": "Status page", "url": "https://status.example.com/"}],
//	      "created": "2025-03-01T09:00:00Z",
//	      "expires": "2025-03-01T18:00:00Z",
//	      "target": {"os": ["windows", "macos"], "hostnames": ["lab-*"], "groups": ["finance"]},
//	      "require_ack": true,
//	      "incident": true
//	    }
//	  ]
//	}
//
// Fields (all names lower case and exact; an unknown or misspelt field, a
// field given twice, or null is an error):
//
//   - version (required): 1. A reader refuses versions it does not know.
//   - sequence (required): a whole number from 1, raised with every
//     publication. A feed below the last accepted sequence is a rollback
//     and refused; the same sequence with different bytes is refused too.
//   - published (required): when the feed was written, RFC 3339.
//   - notices: at most 200. Removing a notice withdraws it.
//
// A notice:
//
//   - id (required): 1–64 letters, digits, '.', '_', '-', starting with a
//     letter or digit; unique in the feed. Employees' state is kept by id,
//     so an updated notice keeps its id and a new one takes a new id.
//   - severity (required): "info" (waits in the list), "warning", or
//     "critical" (must be seen; stays on top until acknowledged or expired).
//   - title (required): one line, at most 120 characters.
//   - body: at most 4000 characters; line breaks and tabs allowed.
//   - links: at most 5, each {"title" (one line, ≤ 80 characters), "url"
//     (absolute https, ASCII — punycode for international host names — no
//     user name or password, ≤ 2048 bytes)}.
//   - created (required): RFC 3339; orders notices, newest first.
//   - expires: RFC 3339, after created. The notice disappears at that time
//     (by the desktop's clock). Without it, the notice stays until removed.
//   - target: which machines show it; every non-empty list must match, and
//     any entry of a list matches. "os": "linux", "windows", "macos" (or
//     "darwin"). "hostnames": patterns with '*' and '?', matched without
//     regard to case against the full host name and its first label.
//     "groups": names the service configuration assigns to the machine,
//     without regard to case. No target: every machine.
//   - require_ack: the employee is asked to confirm they read it.
//   - incident: the employee can say "this affects me too".
//
// Title, body and link titles are plain text: never markup. Control
// characters (other than line breaks and tabs in the body) and the
// invisible bidirectional controls that make text display in another order
// than it was written (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C) are refused.
//
// # Signatures
//
// The signature is minisign's, made with the standard tool
//
//	minisign -S -s it-notices.key -m feed.json
//
// or with firstline-service. The service trusts the public keys in its
// configuration; listing two lets IT move to a new key without a gap.
// A feed that is unsigned, badly signed (data or trusted comment changed),
// signed by another key, malformed, rolled back, or reusing a sequence is
// refused with a *RefusedError and logged; the last accepted feed stays.
//
// # Getting it to desktops
//
// Poller fetches the feed from any static HTTPS server with conditional
// requests (a 304 costs a few hundred bytes), jitter and backoff; the drop
// folder (ReadDropFolder) takes signed files of the same format from MDM or
// GPO. Store keeps the accepted feed and each employee's state across
// restarts, and ComputeView turns them into what one employee sees.
package notices
