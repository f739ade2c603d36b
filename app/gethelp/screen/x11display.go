package screen

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// x11Display is where a DISPLAY value says the X server is.
type x11Display struct {
	network, address string
	// host is the machine named in DISPLAY, "" for this one: what the
	// Xauthority file is searched for.
	host string
	// number is the display number as written ("0" in ":0.1").
	number string
	screen int
}

// parseDisplay reads DISPLAY: ":0", ":0.1", "unix:0", "host:10.0",
// "tcp/host:0" or a socket path followed by ":0" (macOS's launchd form).
func parseDisplay(s string) (x11Display, error) {
	bad := func() (x11Display, error) {
		return x11Display{}, fmt.Errorf("DISPLAY %q is not an X11 display name like \":0\"", s)
	}
	colon := strings.LastIndexByte(s, ':')
	if s == "" || colon < 0 {
		return bad()
	}
	var d x11Display
	rest := s[colon+1:]
	d.number, _, _ = strings.Cut(rest, ".")
	if scr, ok := strings.CutPrefix(rest, d.number+"."); ok {
		n, err := strconv.Atoi(scr)
		if err != nil || n < 0 || n > 255 {
			return bad()
		}
		d.screen = n
	}
	num, err := strconv.Atoi(d.number)
	if err != nil || num < 0 || num > 65535-6000 {
		return bad()
	}
	head := s[:colon]
	protocol := ""
	switch {
	case strings.HasPrefix(head, "/"):
		d.network, d.address = "unix", head+":"+d.number
		return d, nil
	case strings.Contains(head, "/"):
		protocol, head, _ = strings.Cut(head, "/")
	}
	if head == "" || head == "unix" {
		if protocol != "" && protocol != "unix" {
			return bad()
		}
		d.network, d.address = "unix", "/tmp/.X11-unix/X"+d.number
		return d, nil
	}
	if protocol != "" && protocol != "tcp" && protocol != "inet" && protocol != "inet6" {
		return bad()
	}
	d.host = strings.Trim(head, "[]")
	d.network = "tcp"
	d.address = joinHostPort(d.host, 6000+num)
	return d, nil
}

func joinHostPort(host string, port int) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]:" + strconv.Itoa(port)
	}
	return host + ":" + strconv.Itoa(port)
}

// Xauthority families that matter for a display on this machine.
const (
	familyLocal = 256
	familyWild  = 65535
)

// xauthEntry is one record of an Xauthority file.
type xauthEntry struct {
	family  uint16
	address string
	number  string
	name    string
	data    []byte
}

// maxXauthEntries stops a huge or looping file from costing more than a
// glance.
const maxXauthEntries = 4096

// parseXauth reads an Xauthority file: records of a big-endian family and
// four counted strings (address, display number, name, data).
func parseXauth(b []byte) ([]xauthEntry, error) {
	var out []xauthEntry
	for len(b) > 0 {
		if len(out) == maxXauthEntries {
			return out, errors.New("Xauthority file: too many entries")
		}
		if len(b) < 2 {
			return out, fmt.Errorf("Xauthority file: %w", errShort)
		}
		e := xauthEntry{family: binary.BigEndian.Uint16(b)}
		b = b[2:]
		var fields [4][]byte
		for i := range fields {
			if len(b) < 2 {
				return out, fmt.Errorf("Xauthority file: %w", errShort)
			}
			n := int(binary.BigEndian.Uint16(b))
			if len(b) < 2+n {
				return out, fmt.Errorf("Xauthority file: %w", errShort)
			}
			fields[i], b = b[2:2+n], b[2+n:]
		}
		e.address, e.number, e.name = string(fields[0]), string(fields[1]), string(fields[2])
		e.data = append([]byte(nil), fields[3]...)
		out = append(out, e)
	}
	return out, nil
}

// cookieFor picks the MIT-MAGIC-COOKIE-1 for a display on host (this
// machine's name for a local display), the way Xlib does: the first entry
// for this host or any host, for this display number or any.
func cookieFor(entries []xauthEntry, host, number string) ([]byte, bool) {
	for _, e := range entries {
		hostOK := e.family == familyWild || e.family == familyLocal && e.address == host
		numberOK := e.number == "" || e.number == number
		if hostOK && numberOK && e.name == "MIT-MAGIC-COOKIE-1" && len(e.data) == 16 {
			return e.data, true
		}
	}
	return nil, false
}
