package report

// Limits bound what a submission may carry. The service enforces them on
// every request, so they protect its memory and disk from a runaway or
// hostile client; the app checks them too, to tell the employee before
// sending rather than after.
type Limits struct {
	// TextChars caps Text, in characters (runes).
	TextChars int
	// CategoryBytes caps Category.
	CategoryBytes int
	// CallbackChars caps Callback.Number and Callback.When, each.
	CallbackChars int
	// SnapshotBytes caps the system snapshot JSON.
	SnapshotBytes int
	// Attachments caps how many attachments a report has.
	Attachments int
	// NameBytes caps an attachment's name (255: what file systems allow).
	NameBytes int
	// ContentTypeBytes caps an attachment's MIME type.
	ContentTypeBytes int
	// AttachmentBytes caps one attachment's content.
	AttachmentBytes int64
	// TotalBytes caps text, snapshot and attachment content together.
	TotalBytes int64
}

// DefaultLimits returns the limits the service applies unless configured
// otherwise: enough for a few full-screen screenshots and logs, small
// enough that a report still goes through a slow VPN.
func DefaultLimits() Limits {
	return Limits{
		TextChars:        10_000,
		CategoryBytes:    64,
		CallbackChars:    200,
		SnapshotBytes:    1 << 20,
		Attachments:      10,
		NameBytes:        255,
		ContentTypeBytes: 127,
		AttachmentBytes:  10 << 20,
		TotalBytes:       25 << 20,
	}
}

// MaxRequestBytes is the largest JSON document a submission within these
// limits can be: base64 grows content by a third, and escaping can make
// each character of the text six bytes long ("\u0001"). A request body
// larger than this is refused before it is decoded.
func (l Limits) MaxRequestBytes() int64 {
	const envelope = 64 << 10 // field names, callback, names, punctuation
	content := (l.TotalBytes + 2) / 3 * 4
	text := int64(l.TextChars) * 6
	return content + text + int64(l.Attachments)*int64(l.NameBytes+l.ContentTypeBytes) + envelope
}
