package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

// Version is the schema version of [Payload].
const Version = 1

// Payload is the body of a "firstline" format request; the package
// documentation describes it field by field.
type Payload struct {
	Version     int               `json:"version"`
	Key         string            `json:"key"`
	Reference   string            `json:"reference"`
	Subject     string            `json:"subject"`
	Text        string            `json:"text"`
	Summary     string            `json:"summary"`
	Body        string            `json:"body"`
	Fields      map[string]string `json:"fields"`
	Reporter    Reporter          `json:"reporter"`
	Attachments []Attachment      `json:"attachments"`
	CreatedAt   time.Time         `json:"created_at"`
	Report      json.RawMessage   `json:"report,omitempty"`
}

// Reporter is who sent the report.
type Reporter struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Attachment is one file, its content in base64.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
	Data        []byte `json:"data"`
}

// NewPayload returns m in the "firstline" schema.
func NewPayload(m *delivery.Message) Payload {
	p := Payload{
		Version:     Version,
		Key:         m.Key,
		Reference:   m.Reference,
		Subject:     delivery.HeaderText(m.Subject),
		Text:        delivery.PlainText(m.Text),
		Summary:     delivery.PlainText(m.Summary),
		Body:        m.Body(),
		Fields:      m.Fields,
		Reporter:    Reporter{Name: delivery.HeaderText(m.Reporter.Name), Email: delivery.HeaderText(m.Reporter.Email)},
		Attachments: make([]Attachment, len(m.Attachments)),
		CreatedAt:   m.CreatedAt.UTC(),
		Report:      m.JSON,
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	for i, a := range m.Attachments {
		sum := sha256.Sum256(a.Data)
		p.Attachments[i] = Attachment{
			Name:        a.FileName(i),
			ContentType: a.MediaType(),
			Size:        len(a.Data),
			SHA256:      hex.EncodeToString(sum[:]),
			Data:        a.Data,
		}
	}
	return p
}

// encode returns the request body of m in format.
func encode(format string, m *delivery.Message) ([]byte, error) {
	var v any
	switch format {
	case FormatSlack:
		v = slackMessage(m)
	case FormatTeams:
		v = teamsMessage(m)
	default:
		v = NewPayload(m)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding the %s payload: %w", format, err)
	}
	return b, nil
}
