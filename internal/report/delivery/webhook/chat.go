package webhook

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

// Slack Block Kit limits (characters) that make Slack refuse a message
// with invalid_blocks when exceeded.
const (
	slackHeaderMax  = 150
	slackSectionMax = 3000
	slackFieldMax   = 2000
	slackFieldsMax  = 10
	// chatTextMax keeps Teams cards readable too; the full text is in the
	// helpdesk or the inbox.
	chatTextMax = 3000
)

// slackMessage is m as a Slack incoming-webhook message: a header with the
// subject, the employee's words, the fields, the summary, and a context
// line with the reference and what was left out.
func slackMessage(m *delivery.Message) map[string]any {
	subject := delivery.HeaderText(m.Subject)
	blocks := []map[string]any{
		{"type": "header", "text": plain(truncate(subject, slackHeaderMax))},
	}
	if text := strings.TrimSpace(delivery.PlainText(m.Text)); text != "" {
		blocks = append(blocks, map[string]any{"type": "section", "text": mrkdwn(slackText(text, slackSectionMax))})
	}
	keys := fieldKeys(m)
	if len(keys) > 0 {
		var fields []map[string]any
		for _, k := range keys[:min(len(keys), slackFieldsMax)] {
			v := "*" + slackText(k, 100) + "*\n" + slackText(delivery.HeaderText(m.Fields[k]), slackFieldMax-110)
			fields = append(fields, mrkdwn(v))
		}
		blocks = append(blocks, map[string]any{"type": "section", "fields": fields})
	}
	if summary := strings.TrimSpace(delivery.PlainText(m.Summary)); summary != "" {
		blocks = append(blocks, map[string]any{"type": "section", "text": mrkdwn(slackText(summary, slackSectionMax))})
	}
	blocks = append(blocks, map[string]any{
		"type":     "context",
		"elements": []map[string]any{mrkdwn(slackEscape(footer(m)))},
	})
	return map[string]any{"text": truncate(subject, chatTextMax), "blocks": blocks}
}

func plain(s string) map[string]any  { return map[string]any{"type": "plain_text", "text": s} }
func mrkdwn(s string) map[string]any { return map[string]any{"type": "mrkdwn", "text": s} }

// slackEscape escapes the three characters Slack's mrkdwn gives meaning
// to: an employee's "<https://evil|your password>" must stay text.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// slackText escapes s and cuts it to at most n characters as Slack counts
// them, after escaping, without cutting an escape in half.
func slackText(s string, n int) string {
	k := n
	for {
		e := slackEscape(truncate(s, k))
		over := utf8.RuneCountInString(e) - n
		if over <= 0 {
			return e
		}
		k -= over
	}
}

// teamsMessage is m as an Adaptive Card message, the format Teams
// Workflows webhooks and the older Office 365 connectors both accept.
func teamsMessage(m *delivery.Message) map[string]any {
	body := []map[string]any{
		{"type": "TextBlock", "text": delivery.HeaderText(m.Subject), "weight": "Bolder", "size": "Medium", "wrap": true},
	}
	if text := strings.TrimSpace(delivery.PlainText(m.Text)); text != "" {
		body = append(body, map[string]any{"type": "TextBlock", "text": truncate(text, chatTextMax), "wrap": true})
	}
	if keys := fieldKeys(m); len(keys) > 0 {
		var facts []map[string]any
		for _, k := range keys {
			facts = append(facts, map[string]any{"title": k, "value": delivery.HeaderText(m.Fields[k])})
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": facts})
	}
	if summary := strings.TrimSpace(delivery.PlainText(m.Summary)); summary != "" {
		body = append(body, map[string]any{"type": "TextBlock", "text": truncate(summary, chatTextMax), "wrap": true, "isSubtle": true})
	}
	body = append(body, map[string]any{"type": "TextBlock", "text": footer(m), "wrap": true, "isSubtle": true, "size": "Small"})
	return map[string]any{
		"type": "message",
		"attachments": []map[string]any{{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"content": map[string]any{
				"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
				"type":    "AdaptiveCard",
				"version": "1.4",
				"body":    body,
			},
		}},
	}
}

// footer names the reference, the reporter and what a chat message cannot
// carry.
func footer(m *delivery.Message) string {
	parts := []string{m.Reference}
	if r := delivery.HeaderText(m.Reporter.Name); r != "" {
		parts = append(parts, r)
	}
	if e := delivery.HeaderText(m.Reporter.Email); e != "" {
		parts = append(parts, e)
	}
	switch n := len(m.Attachments); n {
	case 0:
	case 1:
		parts = append(parts, "1 attachment not shown")
	default:
		parts = append(parts, fmt.Sprintf("%d attachments not shown", n))
	}
	return strings.Join(parts, " · ")
}

func fieldKeys(m *delivery.Message) []string {
	var keys []string
	for k, v := range m.Fields {
		if delivery.HeaderText(k) != "" && delivery.HeaderText(v) != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// truncate cuts s to at most n characters, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
