// Package report is the model of a "Get help" report, shared by the tray app,
// the service and its CLI: what the app submits ([Submission]), what the
// service keeps ([Report], [Record]) and how far delivery got ([State]).
//
// A report is identified by a [Key], a UUIDv7 the app creates when the
// employee presses Send. The same key travels with every copy of the report
// (the app's own spool while the service is down, the service's spool, the
// helpdesk's idempotency header), which is what makes a handover or a retry
// idempotent. Employees quote the short [Reference] derived from it.
//
// Everything in a Submission comes from an unprivileged process and is
// decoded by a root service, so [DecodeSubmission] is strict: unknown or
// duplicate fields, trailing data and oversize documents are refused with
// the name of the field at fault, and an attachment is always content, never
// a path the service would open. Who sent a report ([Owner]) is never part
// of a submission: the service fills it in from the kernel's word.
package report
