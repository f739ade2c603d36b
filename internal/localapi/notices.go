package localapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// NoticeView answers GET /v1/notices: the caller's notices.
type NoticeView struct {
	// Items are the notices to show, most urgent and newest first.
	Items []NoticeItem `json:"items"`
	// Dismissed are active notices the caller dismissed.
	Dismissed []NoticeItem `json:"dismissed"`
	// Unread and Critical are the counts of the watch stream's Notices.
	Unread   int `json:"unread"`
	Critical int `json:"critical"`
	// PopupsPerHour is IT's cap on desktop popups per hour (0: none);
	// absent from a service that predates it, and the app keeps its own.
	PopupsPerHour *int `json:"popups_per_hour,omitempty"`
}

// NoticeItem is one notice as the caller sees it. Title, Body and link
// titles are plain text, never markup.
type NoticeItem struct {
	ID         string       `json:"id"`
	Severity   string       `json:"severity"`
	Title      string       `json:"title"`
	Body       string       `json:"body,omitempty"`
	Links      []NoticeLink `json:"links,omitempty"`
	Created    time.Time    `json:"created"`
	Expires    time.Time    `json:"expires,omitzero"`
	RequireAck bool         `json:"require_ack,omitempty"`
	Incident   bool         `json:"incident,omitempty"`
	// What the caller did, and when; zero: not yet.
	Seen      time.Time `json:"seen,omitzero"`
	Acked     time.Time `json:"acked,omitzero"`
	Dismissed time.Time `json:"dismissed,omitzero"`
	MeToo     time.Time `json:"me_too,omitzero"`
}

// NoticeLink is a link of a notice. When Clickable is false its host is
// not allow-listed: show "Title (URL)" as text and open nothing.
type NoticeLink struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Clickable bool   `json:"clickable"`
}

// Notice actions of PathNoticeAction.
const (
	NoticeSeen    = "seen"
	NoticeAck     = "ack"
	NoticeDismiss = "dismiss"
	NoticeMeToo   = "metoo"
)

// NoticeStatus answers GET /v1/notices/status: what this machine accepted
// and why it refused anything.
type NoticeStatus struct {
	// Enabled is false when no key is configured.
	Enabled bool   `json:"enabled"`
	FeedURL string `json:"feed_url,omitempty"`
	// The accepted feed.
	Sequence    uint64    `json:"sequence"`
	KeyID       string    `json:"key_id,omitempty"`
	AcceptedAt  time.Time `json:"accepted_at,omitzero"`
	FeedNotices int       `json:"feed_notices"`
	// The last poll.
	LastPoll    time.Time `json:"last_poll,omitzero"`
	LastOutcome string    `json:"last_outcome,omitempty"`
	// LastError is the last failure or refusal, with its reason; it stays
	// until a poll succeeds.
	LastError string `json:"last_error,omitempty"`
	Failures  int    `json:"failures"`
	// The drop folder.
	DropDir   string           `json:"drop_dir"`
	DropError string           `json:"drop_error,omitempty"`
	DropFiles []NoticeDropFile `json:"drop_files,omitempty"`
	// Active counts the notices in force for this machine now.
	Active int `json:"active"`
	// Responses count, per notice in force, what this machine's users
	// did: the local record of acknowledgements and "me too" until they
	// travel to IT.
	Responses []NoticeResponses `json:"responses,omitempty"`
}

// NoticeResponses counts the users of this machine who did each action.
type NoticeResponses struct {
	ID        string `json:"id"`
	Seen      int    `json:"seen"`
	Acked     int    `json:"acked"`
	MeToo     int    `json:"me_too"`
	Dismissed int    `json:"dismissed"`
	// Sent counts the acknowledgements and "me too" already reported to
	// IT through the report pipeline.
	Sent int `json:"sent"`
}

// NoticeDropFile is the outcome for one drop-folder file.
type NoticeDropFile struct {
	Name     string `json:"name"`
	Sequence uint64 `json:"sequence,omitempty"`
	KeyID    string `json:"key_id,omitempty"`
	Notices  int    `json:"notices"`
	// Error says why the file was refused; "" when accepted.
	Error string `json:"error,omitempty"`
}

// Notices returns the caller's notices.
func (c *Client) Notices(ctx context.Context) (*NoticeView, error) {
	var v NoticeView
	if err := c.getJSON(ctx, PathNotices, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// NoticeAction records action (NoticeSeen, NoticeAck, NoticeDismiss,
// NoticeMeToo) on the notice id and returns the caller's new view.
func (c *Client) NoticeAction(ctx context.Context, id, action string) (*NoticeView, error) {
	q := url.Values{"id": {id}, "action": {action}}
	resp, err := c.do(ctx, http.MethodPost, PathNoticeAction+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var v NoticeView
	if err := decodeJSON(resp.Body, &v); err != nil {
		return nil, fmt.Errorf("decoding %s response: %w", PathNoticeAction, err)
	}
	return &v, nil
}

// CheckNotices asks the service to poll the feed now; the outcome comes
// through the watch stream and NoticeStatus.
func (c *Client) CheckNotices(ctx context.Context) error {
	resp, err := c.do(ctx, http.MethodPost, PathNoticeCheck, nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// NoticeStatus returns what this machine accepted and refused.
func (c *Client) NoticeStatus(ctx context.Context) (*NoticeStatus, error) {
	var st NoticeStatus
	if err := c.getJSON(ctx, PathNoticeStatus, &st); err != nil {
		return nil, err
	}
	return &st, nil
}
