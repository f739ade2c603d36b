package software

import (
	"bytes"
	"regexp"
	"strings"
	"time"
)

// veeamSession is one line of `veeamconfig session list`.
type veeamSession struct {
	Job      string
	Type     string
	State    string
	Started  time.Time
	Finished time.Time // zero while running
}

// veeamIDPattern is a session ID: a GUID, braced in every version seen.
var veeamIDPattern = regexp.MustCompile(`^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$`)

// veeamTimePattern finds a date and time: ISO in the C locale, but the
// tool's own locale handling has printed dd.mm.yyyy and m/d/yyyy h:mm PM.
var veeamTimePattern = regexp.MustCompile(`\d{1,4}[-./]\d{1,2}[-./]\d{1,4} \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?`)

// veeamTimeLayouts are tried in order.
func veeamTimeLayouts() []string {
	return []string{
		"2006-01-02 15:04:05", "2006-01-02 15:04",
		"02.01.2006 15:04:05", "02.01.2006 15:04",
		"1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006 3:04:05PM", "1/2/2006 3:04PM",
		"1/2/2006 15:04:05", "1/2/2006 15:04",
	}
}

// parseVeeamSessions parses the table `veeamconfig session list` prints:
//
//	Job name     Type    ID                                      State    Started at        Finished at
//	Daily home   Backup  {6b0a27a5-2d2f-4c8d-9c42-7b8a43c8e1a0}  Success  2024-05-02 01:00  2024-05-02 01:07
//	Total amount: 1
//
// Job names may contain spaces, so a line is anchored on its session ID:
// the word before it is the type, the words before that the job name, the
// word after it the state, then the start and (when done) finish times in
// the machine's local zone loc. Lines without an ID are skipped.
func parseVeeamSessions(out []byte, loc *time.Location) []veeamSession {
	var sessions []veeamSession
	layouts := veeamTimeLayouts()
	for line := range bytes.Lines(out) {
		fields := strings.Fields(string(line))
		idAt := -1
		for i, f := range fields {
			if veeamIDPattern.MatchString(f) {
				idAt = i
				break
			}
		}
		if idAt < 1 || idAt+1 >= len(fields) {
			continue
		}
		s := veeamSession{
			Job:   strings.Join(fields[:idAt-1], " "),
			Type:  fields[idAt-1],
			State: fields[idAt+1],
		}
		times := veeamTimePattern.FindAllString(strings.Join(fields[idAt+2:], " "), 2)
		if len(times) > 0 {
			s.Started = parseLocalTime(times[0], layouts, loc)
		}
		if len(times) > 1 {
			s.Finished = parseLocalTime(times[1], layouts, loc)
		}
		sessions = append(sessions, s)
	}
	return sessions
}

// parseLocalTime tries each layout; the zero time when none fits.
func parseLocalTime(s string, layouts []string, loc *time.Location) time.Time {
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t
		}
	}
	return time.Time{}
}

// veeamSummary is what a session list says about backups.
type veeamSummary struct {
	LastSuccess *time.Time    // finish of the newest backup that produced a restore point
	Latest      *veeamSession // the newest backup session, whatever its state
}

// summarizeVeeam picks the newest successful backup and the newest backup
// session. "Warning" counts as successful: the restore point was created,
// only some files were skipped.
func summarizeVeeam(sessions []veeamSession) veeamSummary {
	var sum veeamSummary
	for i := range sessions {
		s := &sessions[i]
		if !strings.EqualFold(s.Type, "Backup") {
			continue
		}
		if sum.Latest == nil || s.Started.After(sum.Latest.Started) {
			sum.Latest = s
		}
		ok := strings.EqualFold(s.State, "Success") || strings.EqualFold(s.State, "Warning")
		if ok && !s.Finished.IsZero() && (sum.LastSuccess == nil || s.Finished.After(*sum.LastSuccess)) {
			sum.LastSuccess = ptr(s.Finished)
		}
	}
	return sum
}
