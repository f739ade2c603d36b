package software

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
)

// errBinaryPlist says an Info.plist is in Apple's binary format, which
// this package does not decode: the app is reported without a version.
var errBinaryPlist = errors.New("binary property list")

// bundleInfo is what an app's Contents/Info.plist says about it.
type bundleInfo struct {
	ID         string // CFBundleIdentifier
	Version    string // CFBundleShortVersionString, else CFBundleVersion
	Executable string // CFBundleExecutable
	Name       string // CFBundleName
}

// parseInfoPlist reads the top-level string keys of an XML property list:
//
//	<plist version="1.0"><dict>
//	  <key>CFBundleShortVersionString</key><string>15.51.5</string> …
//
// Values nested in arrays or inner dicts are skipped.
func parseInfoPlist(data []byte) (bundleInfo, error) {
	if bytes.HasPrefix(data, []byte("bplist")) {
		return bundleInfo{}, errBinaryPlist
	}
	d := xml.NewDecoder(limitedXML(data, maxConfigFile))
	d.Strict = false
	values := map[string]string{}
	depth := 0 // dict/array nesting; top-level keys are at depth 1
	key, pendingKey := "", false
	sawDict := false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			if end, isEnd := tok.(xml.EndElement); isEnd && (end.Name.Local == "dict" || end.Name.Local == "array") {
				depth--
			}
			continue
		}
		switch start.Name.Local {
		case "plist":
			// The root element; its dict follows.
		case "dict", "array":
			if depth == 1 {
				pendingKey = false // the key's value is a container
			}
			depth++
			sawDict = sawDict || start.Name.Local == "dict"
		case "key":
			var k string
			if err := d.DecodeElement(&k, &start); err != nil {
				return bundleInfo{}, errors.New("malformed property list")
			}
			if depth == 1 {
				key, pendingKey = strings.TrimSpace(k), true
			}
		case "string":
			var v string
			if err := d.DecodeElement(&v, &start); err != nil {
				return bundleInfo{}, errors.New("malformed property list")
			}
			if depth == 1 && pendingKey {
				values[key] = strings.TrimSpace(v)
			}
			pendingKey = false
		default:
			if depth == 1 {
				pendingKey = false
			}
			if err := d.Skip(); err != nil {
				return bundleInfo{}, errors.New("malformed property list")
			}
		}
	}
	if !sawDict {
		return bundleInfo{}, errors.New("not a property list")
	}
	info := bundleInfo{
		ID:         values["CFBundleIdentifier"],
		Version:    values["CFBundleShortVersionString"],
		Executable: values["CFBundleExecutable"],
		Name:       values["CFBundleName"],
	}
	if info.Version == "" {
		info.Version = values["CFBundleVersion"]
	}
	return info, nil
}
