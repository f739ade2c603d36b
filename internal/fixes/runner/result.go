package runner

import (
	"fmt"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// Outcome is how a run ended.
type Outcome string

// The outcomes of a run that was not refused.
const (
	Success Outcome = "success"
	Failed  Outcome = "failed"
)

// StepStatus is how a step ended.
type StepStatus string

// The step statuses.
const (
	StepOK      StepStatus = "ok"
	StepFailed  StepStatus = "failed"
	StepSkipped StepStatus = "skipped"
)

// Result is a finished run.
type Result struct {
	FixID   string
	Title   string
	Outcome Outcome
	// FailedStep is the 1-based step that failed, 0 on success.
	FailedStep int
	// Message is one line for the employee: what worked or what failed.
	Message string
	// NextSteps is what to try when the fix failed.
	NextSteps string
	// Steps are the steps that ran, of Planned in the plan.
	Steps   []StepResult
	Planned int
	// Reclaimed is the disk space freed by clean-up steps, in bytes.
	Reclaimed  int64
	Start, End time.Time
}

// StepResult is one step of a run.
type StepResult struct {
	N       int
	Kind    fixes.StepKind
	Summary string
	Status  StepStatus
	// Exit is the exit code of the step's last command: nil when the step
	// ran no program, -1 when the program was killed.
	Exit *int
	// Err says why the step failed or was skipped.
	Err string
	// Output is what the step's programs printed (stdout and stderr in
	// order), capped; Truncated says the cap was reached.
	Output    string
	Truncated bool
	// Removed and Reclaimed count what a clean-up step deleted.
	Removed   int
	Reclaimed int64
}

// Log renders the run for a help request ("Still broken? Get help"):
// every step, its status and output, and the outcome.
func (r *Result) Log() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Fix %q (%s) started %s, ended %s: %s\n", r.Title, r.FixID,
		r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), r.Outcome)
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "\nStep %d of %d: %s — %s", s.N, r.Planned, s.Summary, s.Status)
		if s.Exit != nil {
			fmt.Fprintf(&b, " (exit %d)", *s.Exit)
		}
		if s.Err != "" {
			b.WriteString(": " + s.Err)
		}
		b.WriteString("\n")
		if s.Output != "" {
			for line := range strings.Lines(s.Output) {
				b.WriteString("    " + line)
			}
			if !strings.HasSuffix(s.Output, "\n") {
				b.WriteString("\n")
			}
		}
	}
	fmt.Fprintf(&b, "\n%s\n", r.Message)
	return b.String()
}

// Event is the kind of a progress report.
type Event string

// The progress events, in the order a step produces them.
const (
	EventStepStarted Event = "step-started"
	EventOutput      Event = "output"
	EventStepDone    Event = "step-done"
)

// Progress is one report while a fix runs, for the live view: "step 2 of
// 4: Restart the service cups", then its output line by line.
type Progress struct {
	FixID string
	Event Event
	// Step is 1-based, of Steps.
	Step, Steps int
	// Summary is set for EventStepStarted.
	Summary string
	// Line is one line of output, for EventOutput.
	Line string
	// Status is set for EventStepDone.
	Status StepStatus
}
