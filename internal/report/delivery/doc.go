// Package delivery carries a "Get help" report from the service's spool to
// the helpdesk. It defines what every backend receives ([Message]) and
// returns ([Receipt]), the one small interface a backend implements
// ([Backend], plus [StatusReader] where the helpdesk can say what became of
// a ticket), and the pure decisions around it: how a failure is classified
// ([Permanent], [Transient], [Classify]), how long to wait before the next
// try ([Backoff]), and which destination of a [Chain] to try now
// ([Chain.Plan]).
//
// # Contract
//
// Delivery is at-least-once. The spool may call Deliver again for a report
// that already reached the helpdesk (the reply was lost, the service
// restarted mid-request), so every backend sends [Message.Key] wherever the
// peer can take one, and where the peer's API allows it, looks for a ticket
// carrying that key before creating another.
//
// A backend's error says what the spool should do next:
//
//   - a [*PermanentError] (HTTP 4xx, an SMTP 5xx reply, refused credentials,
//     a malformed message): retrying cannot help, the destination needs
//     attention from IT. Credential problems are an [*AuthError] that names
//     the configuration key to fix, never the secret.
//   - a [*TransientError] (network down, timeouts, HTTP 5xx, 429, SMTP 4xx):
//     try again later, no earlier than its RetryAfter when the server said
//     so.
//   - context.Canceled: the service is stopping; not a failure of the
//     destination at all.
//
// Any other error is treated as transient: for a report that must not be
// lost, retrying too long is the lesser evil, and the backoff bounds the
// cost.
//
// # Chains
//
// A [Chain] is an ordered list of destinations of which one must receive
// the report: the first is tried alone, and the next one is engaged too
// once the previous has failed a configured number of times or needs
// attention ("helpdesk first, email after 3 failures"). The first to accept
// the report ends the chain. Reaching several independent destinations is
// several chains. The spool persists a [State] per destination and asks
// [Chain.Plan] what to do; [State.Record] folds an attempt's outcome into
// the state.
//
// Backends live in subpackages (email, webhook, rt, inbox), each with a
// Config that decodes from the service's TOML configuration. A new helpdesk
// is a new subpackage implementing [Backend]; nothing here changes.
package delivery
