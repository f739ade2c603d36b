// Package reports is the service's "Get help" pipeline: it takes a report
// from the LocalAPI, makes it durable in the spool before anyone is told
// it was sent, and delivers it to the destinations IT configured, retrying
// until one of them accepts it.
//
// # Submit
//
// The LocalAPI handler decodes the request strictly (report.DecodeSubmission)
// and hands the submission over with the caller's kernel-reported identity,
// which becomes the report's owner. Submit returns once spool.Put has
// synced the report to disk; a key the spool already holds for the same
// owner returns the stored record (a handover from the app's own spool,
// never a second report).
//
// # Delivery
//
// Run is the delivery loop. It walks the spool's due reports oldest first
// and hands them to a few workers. A worker plans the report's chain
// (delivery.Chain.Plan), renders it once ([Message]) and delivers it to each
// destination the plan names, with a time limit per attempt. Every outcome
// is written to the report's state file before the next step (at least
// once: a crash between a delivery and its record delivers the report again,
// with the same key); a report some destination accepted is archived (its
// content removed, its record kept for "My reports").
//
// Transient failures are retried with the backoff and jitter of
// delivery.Backoff, honouring Retry-After. While a destination is failing
// it is not asked again for every report in the queue: the other reports
// waiting for it are recorded as failed with the same error and wait until
// the same time, so a helpdesk that is down, or a laptop that is offline,
// costs one request per backoff step, and when it returns the queue resumes
// oldest first (in exactly the order received with one worker; with
// several, attempts start in that order). Permanent failures mark the
// destination "needs attention" until IT runs Retry.
//
// Every attempt is logged with the report's key, reference, destination,
// outcome and, for a failure, when the next try is due; secrets never are.
//
// # Messages
//
// A report becomes a delivery.Message: the subject "[FL-XXXXX] category:
// title (user, hostname)", the system snapshot's summary at the top, the
// employee's words, the structured fields (category, severity, callback,
// user, uid, hostname, os: what rt's custom_fields can name) and the
// attachments, followed by the snapshot itself as sysinfo.json and its full
// text as summary.txt.
//
// # Read-back and housekeeping
//
// Destinations that can say what became of a ticket (delivery.StatusReader,
// rt) are asked every few minutes for the tickets of delivered reports that
// are not closed yet; the status is shown in "My reports". Records of
// reports delivered longer ago than keep_delivered are pruned.
//
// # Counts
//
// The watch stream shows each user how many of their reports are pending
// and how many need attention. The pipeline keeps those counts per user as
// reports change state and publishes the totals to the events hub, which
// wakes every watcher; the LocalAPI replaces them with the caller's own
// ([Pipeline.Counts]) before sending.
package reports
