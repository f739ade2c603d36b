package software

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// parseDpkgStatus returns the version of every wanted package that dpkg's
// status file (/var/lib/dpkg/status) says is installed. Stanzas are
// separated by blank lines; a package whose Status is not "… installed"
// (removed with its config left, half-installed) does not count. Scanning
// the bytes once keeps this to about a millisecond for a 700 kB file.
func parseDpkgStatus(data []byte, wanted map[string]bool) map[string]string {
	found := map[string]string{}
	var pkg, version string
	var installed bool
	flush := func() {
		if pkg != "" && installed && wanted[pkg] {
			found[pkg] = version
		}
		pkg, version, installed = "", "", false
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(bytes.TrimSpace(line)) == 0:
			flush()
		case line[0] == ' ' || line[0] == '\t':
			// Continuation of a multi-line field (Description, Conffiles).
		case bytes.HasPrefix(line, []byte("Package:")):
			pkg = string(bytes.TrimSpace(line[len("Package:"):]))
		case bytes.HasPrefix(line, []byte("Version:")):
			version = string(bytes.TrimSpace(line[len("Version:"):]))
		case bytes.HasPrefix(line, []byte("Status:")):
			words := bytes.Fields(line[len("Status:"):])
			installed = len(words) == 3 && string(words[2]) == "installed"
		}
	}
	flush()
	return found
}

// rpmQueryFormat makes `rpm -q` print "name<TAB>version-release" per
// installed package; missing ones print "package X is not installed".
const rpmQueryFormat = "%{NAME}\t%{VERSION}-%{RELEASE}\n"

// parseRPMQuery reads the output of rpm -q --queryformat rpmQueryFormat.
func parseRPMQuery(out []byte) map[string]string {
	found := map[string]string{}
	for line := range bytes.Lines(out) {
		name, version, ok := strings.Cut(strings.TrimSpace(string(line)), "\t")
		if !ok || name == "" || strings.ContainsAny(name, " ") {
			continue
		}
		found[name] = strings.TrimSpace(version)
	}
	return found
}

// parseSnapVersion reads the version from a snap's meta/snap.yaml. The
// file is YAML, but version is always a top-level scalar, so a line scan
// avoids a YAML parser.
func parseSnapVersion(data []byte) string {
	for line := range bytes.Lines(data) {
		s := string(bytes.TrimRight(line, "\r\n"))
		v, ok := strings.CutPrefix(s, "version:")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		return v
	}
	return ""
}

// parseMetainfoVersion reads the newest release from an AppStream
// metainfo file (how flatpaks describe themselves): the first
// <release version="…"> inside <releases>, which the format lists newest
// first.
func parseMetainfoVersion(data []byte) string {
	d := xml.NewDecoder(limitedXML(data, maxConfigFile))
	d.Strict = false
	inReleases := false
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "releases":
				inReleases = true
			case "release":
				if !inReleases {
					continue
				}
				for _, a := range t.Attr {
					if a.Name.Local == "version" {
						return strings.TrimSpace(a.Value)
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "releases" {
				inReleases = false
			}
		}
	}
}

// limitedXML guards the XML decoders against huge inputs.
func limitedXML(data []byte, limit int) io.Reader {
	return io.LimitReader(bytes.NewReader(data), int64(limit))
}
