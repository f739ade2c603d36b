package rt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// createRequest is the JSON part of POST /REST/2.0/ticket. Attachments
// travel as file parts beside it (see RT.create for why).
type createRequest struct {
	Queue        string            `json:"Queue"`
	Subject      string            `json:"Subject"`
	Requestor    string            `json:"Requestor,omitempty"`
	Content      string            `json:"Content"`
	ContentType  string            `json:"ContentType"`
	CustomFields map[string]string `json:"CustomFields,omitempty"`
}

// ticketID is a ticket id as RT writes it: a string in create replies and
// search items, a number in a fetched ticket.
type ticketID string

func (id *ticketID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*id = ticketID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("ticket id %s is neither a string nor a number", b)
	}
	*id = ticketID(n.String())
	return nil
}

// valid reports whether id is a ticket number, which is what goes back
// into URLs.
func (id ticketID) valid() bool {
	n, err := strconv.ParseUint(string(id), 10, 63)
	return err == nil && n > 0 && string(id) == strconv.FormatUint(n, 10)
}

// ticket is what the backend reads of a ticket, fetched or found.
type ticket struct {
	ID      ticketID `json:"id"`
	Subject string   `json:"Subject"`
	Status  string   `json:"Status"`
}

// searchResult is a page of GET /REST/2.0/tickets.
type searchResult struct {
	Total *int     `json:"total"`
	Items []ticket `json:"items"`
}

// decodeCreated reads the reply to a ticket creation.
func decodeCreated(body []byte) (ticketID, error) {
	var r struct {
		ID ticketID `json:"id"`
	}
	if err := decodeStrict(body, &r); err != nil {
		return "", fmt.Errorf("reading the created ticket: %w", err)
	}
	if !r.ID.valid() {
		return "", fmt.Errorf("RT answered the creation without a ticket id: %.200s", body)
	}
	return r.ID, nil
}

// decodeTicket reads a fetched ticket.
func decodeTicket(body []byte) (ticket, error) {
	var t ticket
	if err := decodeStrict(body, &t); err != nil {
		return ticket{}, fmt.Errorf("reading the ticket: %w", err)
	}
	if !t.ID.valid() {
		return ticket{}, fmt.Errorf("RT sent a ticket without an id: %.200s", body)
	}
	return t, nil
}

// decodeSearch reads a search result page; every item must have an id.
func decodeSearch(body []byte) ([]ticket, error) {
	var r searchResult
	if err := decodeStrict(body, &r); err != nil {
		return nil, fmt.Errorf("reading the search result: %w", err)
	}
	if r.Total == nil {
		return nil, errors.New("reading the search result: no total, this is not a REST2 ticket search")
	}
	for _, t := range r.Items {
		if !t.ID.valid() {
			return nil, fmt.Errorf("reading the search result: item id %q is not a ticket number", t.ID)
		}
	}
	return r.Items, nil
}

// decodeStrict decodes one JSON object (unknown members are fine: RT adds
// many), refusing trailing data and non-objects.
func decodeStrict(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return fmt.Errorf("not a JSON object: %.80q", body)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// hasReference reports whether subject carries ref as a whole token, so
// that FL-7K3Q2 does not match a ticket about FL-7K3Q2X.
func hasReference(subject, ref string) bool {
	// RT's LIKE ignores case; so does this check.
	subject, ref = strings.ToUpper(subject), strings.ToUpper(ref)
	if ref == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(subject[i:], ref)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(ref)
		if (start == 0 || !isRefChar(subject[start-1])) && (end == len(subject) || !isRefChar(subject[end])) {
			return true
		}
		i = start + 1
	}
}

func isRefChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

// quoteSQL quotes s for TicketSQL. Keys and references are validated to
// need no escaping; this is the second line of defence.
func quoteSQL(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
