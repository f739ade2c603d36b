package report

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Owner is the account a report belongs to. The service sets it from the
// identity the kernel gives for the connection, never from the request.
type Owner struct {
	// UID is the numeric user id on Unix and the user's SID on Windows.
	UID string `json:"uid"`
	// Name is the account name, for display; may be empty.
	Name string `json:"name,omitempty"`
}

// Report is a submission as the service keeps it.
type Report struct {
	Submission
	Owner      Owner     `json:"owner"`
	Reference  Reference `json:"reference"`
	ReceivedAt time.Time `json:"received_at"`
	State      State     `json:"state"`
}

// NewReport makes the report the service stores for a submission received
// from owner at receivedAt.
func NewReport(s Submission, owner Owner, receivedAt time.Time) Report {
	return Report{Submission: s, Owner: owner, Reference: s.Key.Reference(), ReceivedAt: receivedAt}
}

// Phrase is what the employee reads about the report's state.
func (r Report) Phrase() string { return r.State.Phrase() }

// Validate checks the submission against l and what the service adds.
func (r *Report) Validate(l Limits) error {
	if err := r.Submission.Validate(l); err != nil {
		return err
	}
	return r.checkService()
}

// checkService checks the fields the service sets.
func (r *Report) checkService() error {
	switch {
	case r.Owner.UID == "":
		return errors.New("the report has no owner")
	case r.Reference != r.Key.Reference():
		return fmt.Errorf("reference %q does not belong to key %s", r.Reference, r.Key)
	case r.ReceivedAt.IsZero():
		return errors.New("the report has no received time")
	}
	return nil
}

// Record is the light form of a report: everything a list shows and the
// delivery loop needs to schedule it, without text, snapshot or
// attachment content. It is what "My reports" and "spool list" show and
// what the spool keeps in memory, so a large backlog costs little.
type Record struct {
	Key        Key       `json:"key"`
	Reference  Reference `json:"reference"`
	Owner      Owner     `json:"owner"`
	CreatedAt  time.Time `json:"created_at"`
	ReceivedAt time.Time `json:"received_at"`
	Severity   Severity  `json:"severity"`
	Category   string    `json:"category,omitempty"`
	// Title is the first line of the text (Submission.Title).
	Title       string           `json:"title"`
	Callback    Callback         `json:"callback,omitzero"`
	Attachments []AttachmentInfo `json:"attachments,omitempty"`
	// Size is the content size of the report (Submission.Size).
	Size  int64 `json:"size"`
	State State `json:"state"`
	// ArchivedAt is when the report's content was dropped after
	// delivery; the record stays for a while so "My reports" still
	// lists it. Zero while the content is kept.
	ArchivedAt time.Time `json:"archived_at,omitzero"`
}

// AttachmentInfo describes an attachment without its content.
type AttachmentInfo struct {
	Name        string         `json:"name"`
	ContentType string         `json:"content_type,omitempty"`
	Kind        AttachmentKind `json:"kind"`
	Size        int64          `json:"size"`
}

// Record returns the light form of r.
func (r *Report) Record() Record {
	rec := Record{
		Key:        r.Key,
		Reference:  r.Reference,
		Owner:      r.Owner,
		CreatedAt:  r.CreatedAt,
		ReceivedAt: r.ReceivedAt,
		Severity:   r.Severity,
		Category:   r.Category,
		Title:      r.Title(),
		Callback:   r.Callback,
		Size:       r.Size(),
		State:      r.State.Clone(),
	}
	for _, a := range r.Attachments {
		rec.Attachments = append(rec.Attachments, AttachmentInfo{
			Name: a.Name, ContentType: a.ContentType, Kind: a.Kind, Size: int64(len(a.Data)),
		})
	}
	return rec
}

// Phrase is what the employee reads about the report's state.
func (r Record) Phrase() string { return r.State.Phrase() }

// Clone returns a copy that shares no slices with r.
func (r Record) Clone() Record {
	r.Attachments = slices.Clone(r.Attachments)
	r.State = r.State.Clone()
	return r
}

// Check reports the first thing in r that no record written by this
// package could have: the spool runs it on every record it reads from
// disk, where a damaged file may still be valid JSON.
func (r *Record) Check() error {
	if err := r.Key.check(); err != nil {
		return err
	}
	switch {
	case r.Reference != r.Key.Reference():
		return fmt.Errorf("reference %q does not belong to key %s", r.Reference, r.Key)
	case r.Owner.UID == "":
		return errors.New("the record has no owner")
	case r.ReceivedAt.IsZero():
		return errors.New("the record has no received time")
	case !slices.Contains(Severities(), r.Severity):
		return fmt.Errorf("unknown severity %q", clip(string(r.Severity), 40))
	case r.Size < 0:
		return fmt.Errorf("negative size %d", r.Size)
	}
	for _, a := range r.Attachments {
		if a.Size < 0 {
			return fmt.Errorf("attachment %q has a negative size", clip(a.Name, 40))
		}
	}
	for _, d := range r.State.Destinations {
		if !slices.Contains(DeliveryStates(), d.State) {
			return fmt.Errorf("destination %q has unknown state %q", clip(d.Name, 40), clip(string(d.State), 40))
		}
		if d.Name == "" || d.Attempts < 0 {
			return fmt.Errorf("destination %q is malformed", clip(d.Name, 40))
		}
	}
	return nil
}
