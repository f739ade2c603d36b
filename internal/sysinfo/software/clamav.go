package software

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cvdHeaderSize is the size of the text header of a ClamAV database
// (.cvd, .cld).
const cvdHeaderSize = 512

// cvdHeader is the part of a ClamAV database header detection uses.
type cvdHeader struct {
	Built      time.Time
	Version    int
	Signatures int
}

// parseCVDHeader parses the 512-byte header of a ClamAV database:
//
//	ClamAV-VDB:<build time>:<version>:<signatures>:<f-level>:<md5>:<dsig>:<builder>:<build epoch>
//
// padded with spaces. The build time is written "%d %b %Y %H-%M %z" (the
// colon separates fields); the epoch in the last field is preferred when
// present because it needs no month names.
func parseCVDHeader(head []byte) (cvdHeader, error) {
	if len(head) > cvdHeaderSize {
		head = head[:cvdHeaderSize]
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		head = head[:i]
	}
	text, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ClamAV-VDB:")
	if !ok {
		return cvdHeader{}, errors.New("not a ClamAV database header")
	}
	fields := strings.Split(text, ":")
	if len(fields) < 3 {
		return cvdHeader{}, errors.New("ClamAV database header too short")
	}
	var h cvdHeader
	var err error
	if h.Version, err = strconv.Atoi(strings.TrimSpace(fields[1])); err != nil || h.Version < 0 {
		return cvdHeader{}, fmt.Errorf("ClamAV database version %q is not a number", fields[1])
	}
	if len(fields) > 2 {
		h.Signatures, _ = strconv.Atoi(strings.TrimSpace(fields[2]))
	}
	if len(fields) >= 8 {
		if sec, err := strconv.ParseInt(strings.TrimSpace(fields[7]), 10, 64); err == nil && sec > 0 && sec < 1<<40 {
			h.Built = time.Unix(sec, 0).UTC()
			return h, nil
		}
	}
	t, err := time.Parse("02 Jan 2006 15-04 -0700", strings.TrimSpace(fields[0]))
	if err != nil {
		return cvdHeader{}, fmt.Errorf("ClamAV database build time %q not understood", fields[0])
	}
	h.Built = t
	return h, nil
}
