package window

import (
	"net/mail"
	"net/url"
	"strings"

	"github.com/firstline-it/firstline/internal/localapi"
)

// contactLine is one way to reach IT.
type contactLine struct {
	kind string // "Phone", "Email", "Web"
	text string
	// link opens the mail program or browser; nil when the value is not a
	// safe mailto: or http(s) address, in which case it is shown as text.
	link *url.URL
}

// contactLines lists IT's contact details in the order an employee in
// trouble would use them: phone first (works when the computer does not),
// then email, then the web.
func contactLines(sup localapi.Support) []contactLine {
	var lines []contactLine
	if p := strings.TrimSpace(sup.Phone); p != "" {
		lines = append(lines, contactLine{kind: "Phone", text: p})
	}
	if e := strings.TrimSpace(sup.Email); e != "" {
		lines = append(lines, contactLine{kind: "Email", text: e, link: mailto(e)})
	}
	if u := strings.TrimSpace(sup.URL); u != "" {
		lines = append(lines, contactLine{kind: "Web", text: u, link: webLink(u)})
	}
	return lines
}

// knownContact reports whether sup tells the employee anything at all.
func knownContact(sup localapi.Support) bool {
	return strings.TrimSpace(sup.Organization) != "" || len(contactLines(sup)) > 0
}

func mailto(addr string) *url.URL {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" {
		return nil
	}
	return &url.URL{Scheme: "mailto", Opaque: a.Address}
}

// webLink accepts only http and https: the address comes from the service's
// configuration, and a link must not launch anything but a browser.
func webLink(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}
