package software

import (
	"bytes"
	"strconv"
	"strings"
)

// teamViewerConf is what global.conf tells about TeamViewer.
type teamViewerConf struct {
	ClientID string // digits only, "" when not yet assigned
	Version  string
}

// parseTeamViewerConf reads TeamViewer's global.conf (Linux). After a
// title line, each setting is "[type ] Name = value": "[int32] ClientID =
// 1234567890", "[strng] Version = "15.51.5"" (strings quoted, sometimes
// several), "[bin  ] Key = 01 02 …". A ClientID of 0 means TeamViewer has
// not registered yet.
func parseTeamViewerConf(data []byte) teamViewerConf {
	var c teamViewerConf
	for line := range bytes.Lines(data) {
		typ, name, value, ok := teamViewerLine(string(line))
		if !ok {
			continue
		}
		switch {
		case name == "ClientID" && typ == "int32":
			if id := digitsOnly(value); id != "" && strings.Trim(id, "0") != "" {
				c.ClientID = strings.TrimLeft(id, "0")
			}
		case name == "Version" && typ == "strng":
			c.Version = firstQuoted(value)
		}
	}
	return c
}

// teamViewerLine splits "[type ] Name = value".
func teamViewerLine(line string) (typ, name, value string, ok bool) {
	line = strings.TrimSpace(line)
	rest, found := strings.CutPrefix(line, "[")
	if !found {
		return "", "", "", false
	}
	typ, rest, found = strings.Cut(rest, "]")
	if !found {
		return "", "", "", false
	}
	name, value, found = strings.Cut(rest, "=")
	if !found {
		return "", "", "", false
	}
	return strings.TrimSpace(typ), strings.TrimSpace(name), strings.TrimSpace(value), true
}

// firstQuoted is the first "…" string of a value, or the value itself
// when it is not quoted.
func firstQuoted(v string) string {
	rest, ok := strings.CutPrefix(v, `"`)
	if !ok {
		return v
	}
	s, _, _ := strings.Cut(rest, `"`)
	return s
}

// digitsOnly returns s when it is a non-empty run of ASCII digits of a
// plausible ID length, "" otherwise.
func digitsOnly(s string) string {
	if s == "" || len(s) > 20 {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return s
}

// parseProperties reads AnyDesk's system.conf (and service.conf): one
// key=value per line, the value running to the end of the line. Lines
// without "=" and comments are skipped; the last occurrence of a key wins,
// as it does for AnyDesk.
func parseProperties(data []byte) map[string]string {
	m := map[string]string{}
	// A lone CR ends a line too, so no value can carry one into a report.
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	for line := range bytes.Lines(data) {
		s := strings.TrimSpace(string(line))
		if s == "" || s[0] == '#' || s[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			continue
		}
		if k = strings.TrimSpace(k); k != "" {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// anyDeskConf is what system.conf tells about AnyDesk.
type anyDeskConf struct {
	ID    string // digits only
	Alias string // "name@ad", shown next to the ID by AnyDesk
}

func parseAnyDeskConf(data []byte) anyDeskConf {
	p := parseProperties(data)
	c := anyDeskConf{ID: digitsOnly(p["ad.anynet.id"]), Alias: p["ad.anynet.alias"]}
	if strings.Trim(c.ID, "0") == "" {
		c.ID = ""
	}
	return c
}

// shellValue returns the value of NAME=value in a shell-style file
// (tvw_config's TV_VERSION='15.51.5', ufw.conf's ENABLED=yes), unquoted.
// The last assignment wins, as in the shell.
func shellValue(data []byte, name string) (string, bool) {
	var val string
	var found bool
	for line := range bytes.Lines(data) {
		s := strings.TrimSpace(string(line))
		s = strings.TrimPrefix(s, "export ")
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) != name {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') {
			if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
				v = v[1 : end+1]
			}
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		val, found = v, true
	}
	return val, found
}

// groupDigits formats an ID the way TeamViewer and AnyDesk show it, in
// groups of three from the right: "1 234 567 890".
func groupDigits(id string) string {
	if len(id) <= 3 {
		return id
	}
	var b strings.Builder
	head := len(id) % 3
	if head > 0 {
		b.WriteString(id[:head])
	}
	for i := head; i < len(id); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(id[i : i+3])
	}
	return b.String()
}

// parseDefaultsInt reads the output of `defaults read <domain> <key>` for
// an integer key (TeamViewer's ClientID on macOS): the number on one line.
func parseDefaultsInt(out []byte) (string, bool) {
	s := strings.TrimSpace(string(out))
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}

// anyDeskID reads the ID and alias from AnyDesk's system.conf.
func (s *scan) anyDeskID(it *Item, confPath string) {
	data, err := s.fs.readFile(confPath, maxConfigFile)
	if notFound(err) {
		return
	}
	if err != nil {
		it.addError(err)
		return
	}
	c := parseAnyDeskConf(data)
	it.ID = groupDigits(c.ID)
	if c.Alias != "" {
		it.Detail = "alias " + c.Alias
	}
}
