package fixespage

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// maxHelpChars bounds the text handed to Get help, well under what a
// report takes, so the employee has room to add their own words.
const maxHelpChars = 6000

// helpText is the description "Still broken? Get help" starts a report
// with: what was tried and the run's log, so IT does not ask again.
func helpText(f localapi.FixInfo, r *Run) string {
	var b strings.Builder
	b.WriteString("I tried the fix \"" + f.Title + "\" (" + f.ID + ") and the problem is still there.\n\n")
	switch {
	case r == nil:
	case r.Result != nil:
		b.WriteString("What the fix did:\n")
		b.WriteString(shorten(strings.TrimSpace(r.Result.Log), maxHelpChars))
		b.WriteString("\n")
	case r.Err != nil:
		b.WriteString("The fix did not run: " + r.Err.Error() + "\n")
	}
	return b.String()
}

// shorten keeps the start of s within limit characters: a log says first
// what was done, and the step that failed ends the run.
func shorten(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	const cut = "\n… (the rest of the log was left out)"
	runes := []rune(s)
	return string(runes[:limit-utf8.RuneCountInString(cut)]) + cut
}

// runTrouble explains why a fix did not run or could not be planned, in
// the employee's words.
func runTrouble(err error) string {
	if err == nil {
		return "The fix did not run."
	}
	var refused *runner.RefusedError
	if errors.As(err, &refused) {
		return refusedText(string(refused.Code), refused.Reason)
	}
	var apiErr *localapi.Error
	if errors.As(err, &apiErr) {
		return refusedText(string(apiErr.Code), apiErr.Message)
	}
	if errors.Is(err, localapi.ErrUnreachable) {
		return "The Firstline service is not answering, so this fix cannot run right now. " +
			"Try again in a minute, or choose Get help."
	}
	return "The fix could not be run: " + err.Error()
}

// refusedText words a refusal by its code, the runner's or the LocalAPI's.
func refusedText(code, reason string) string {
	switch code {
	case string(runner.CodeBusy), string(localapi.CodeFixBusy):
		return "This fix is running already. Wait for it to finish, then try again."
	case string(runner.CodeRateLimited), string(localapi.CodeRateLimited):
		return "You ran several fixes in a short time. Please wait a minute, then try again."
	case string(runner.CodeDisabled), string(localapi.CodeFixDisabled):
		return "IT has turned this fix off. Choose Get help if you need it."
	case string(runner.CodeUnavailable), string(runner.CodeWrongOS), string(localapi.CodeFixUnavailable):
		return "This fix cannot run on this computer: " + reason
	case string(runner.CodeUnknownFix), string(localapi.CodeFixUnknown):
		return "This fix is no longer offered. Open the list again to see what is."
	case string(runner.CodeBadParams), string(localapi.CodeFixBadParams):
		return "The options were not accepted: " + reason
	}
	if reason == "" {
		return "The fix was refused."
	}
	return "The fix was refused: " + reason
}
