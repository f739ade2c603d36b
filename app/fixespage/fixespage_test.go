package fixespage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/internal/uitest"
	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/localapi"
)

var now = time.Date(2026, 3, 4, 10, 0, 0, 0, time.Local)

// fakeSource is where fixes come from and run. A run waits for the test
// to feed it progress and its result through steps.
type fakeSource struct {
	mu      sync.Mutex
	list    *localapi.FixList
	listErr error
	planErr error
	plans   []string // "id key=value ..." per dry run asked
	runs    []string
	history *localapi.FixHistory
	// steps feeds a run; nil answers a run at once with result.
	steps  chan func(progress func(localapi.FixProgress)) (*localapi.FixResult, error)
	result *localapi.FixResult
	runErr error
}

func (f *fakeSource) Fixes(context.Context) (*localapi.FixList, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.list, f.listErr
}

func (f *fakeSource) Plan(_ context.Context, fix localapi.FixInfo, params map[string]string) (*localapi.FixPlan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.plans = append(f.plans, describe(fix.ID, params))
	if f.planErr != nil {
		return nil, f.planErr
	}
	plan := &localapi.FixPlan{FixID: fix.ID, Title: fix.Title, RunsAs: fix.RunsAs, Params: params, TimeoutSeconds: 120}
	for i := 1; i <= 3; i++ {
		st := localapi.FixPlanStep{N: i, Kind: "exec", Summary: fmt.Sprintf("Step %c of %s", 'A'+i-1, fix.ID)}
		if i == 2 {
			st.Commands = []string{"/usr/bin/resolvectl flush-caches --days " + params["days"]}
		}
		plan.Steps = append(plan.Steps, st)
	}
	return plan, nil
}

func (f *fakeSource) Run(ctx context.Context, fix localapi.FixInfo, params map[string]string, progress func(localapi.FixProgress)) (*localapi.FixResult, error) {
	f.mu.Lock()
	f.runs = append(f.runs, describe(fix.ID, params))
	steps, res, err := f.steps, f.result, f.runErr
	f.mu.Unlock()
	if steps == nil {
		return res, err
	}
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case step := <-steps:
			if res, err := step(progress); res != nil || err != nil {
				return res, err
			}
		}
	}
}

func (f *fakeSource) History(context.Context) (*localapi.FixHistory, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.history == nil {
		return &localapi.FixHistory{}, nil
	}
	return f.history, nil
}

func (f *fakeSource) planned() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.plans)
}

func (f *fakeSource) ran() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.runs)
}

func describe(id string, params map[string]string) string {
	var kv []string
	for k, v := range params {
		kv = append(kv, k+"="+v)
	}
	slices.Sort(kv)
	return strings.TrimSpace(id + " " + strings.Join(kv, " "))
}

type uiQueue struct{ ch chan func() }

func (q *uiQueue) do(fn func()) { q.ch <- fn }

func (q *uiQueue) drain(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		select {
		case fn := <-q.ch:
			fn()
		case <-time.After(5 * time.Second):
			t.Fatalf("waited for %d UI updates, got %d", n, i)
		}
	}
}

func sampleList() *localapi.FixList {
	return &localapi.FixList{
		Groups: []string{"Internet", "Printing", "Meetings & chat", "Slow computer", "Security"},
		Items: []localapi.FixInfo{
			{ID: "backup-now", Title: "Back up now", Group: "Security", RunsAs: "system",
				Description: "Starts a backup. Needs the backup agent.", Available: false},
			{ID: "flush-dns", Title: "Flush the DNS cache", Group: "Internet", RunsAs: "system", Available: true,
				Description: "Forgets the addresses of websites. Helps when a site does not open.", TimeoutSeconds: 60},
			{ID: "clear-print-queue", Title: "Clear stuck print jobs", Group: "Printing", RunsAs: "system", Available: true,
				Description: "Cancels every print job and restarts printing.", NextSteps: "Switch the printer off and on."},
			{ID: "free-disk-space", Title: "Free disk space", Group: "Slow computer", RunsAs: "system", Available: true,
				Description: "Deletes old temporary files.",
				Params: []localapi.FixParam{
					{Name: "days", Label: "Older than (days)", Kind: "int", Min: 1, Max: 90, Default: "7"},
					{Name: "keep_logs", Label: "Keep logs of", Kind: "enum", Enum: []string{"2d", "7d"}, Default: "7d"},
					{Name: "deep", Label: "Also old logs", Kind: "bool"},
				}},
			{ID: "restart-audio", Title: "Restart sound", Group: "Meetings & chat", RunsAs: "user", Available: true,
				Description: "Restarts the sound system. Sound stops for a second."},
		},
	}
}

func newPage(t *testing.T, src Source, getHelp func(string)) (*Page, *uiQueue) {
	t.Helper()
	test.NewTempApp(t)
	q := &uiQueue{ch: make(chan func(), 64)}
	p := New(Options{Source: src, GetHelp: getHelp, Do: q.do, Now: func() time.Time { return now }})
	t.Cleanup(func() {
		go func() {
			for range q.ch {
			}
		}()
		p.Close()
	})
	return p, q
}

// loaded shows the page with the list and the history read.
func loaded(t *testing.T, src *fakeSource, getHelp func(string)) (*Page, *uiQueue) {
	t.Helper()
	p, q := newPage(t, src, getHelp)
	p.Show()
	q.drain(t, 2)
	return p, q
}

// subheadings are the group names on the list, in order.
func subheadings(p *Page) []string {
	var out []string
	for _, l := range uitest.Find[*widget.Label](p.Object()) {
		if l.SizeName == "subHeadingText" && l.Text != PhraseHistory {
			out = append(out, l.Text)
		}
	}
	return out
}

func button(t *testing.T, p *Page, text string) *widget.Button {
	t.Helper()
	for _, b := range uitest.Find[*widget.Button](p.Object()) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q button on %q", text, uitest.Texts(p.Object()))
	return nil
}

func TestListIsGroupedByProblemAndSearchable(t *testing.T) {
	src := &fakeSource{list: sampleList()}
	p, _ := loaded(t, src, nil)

	want := []string{"Internet", "Printing", "Meetings & chat", "Slow computer", "Security"}
	if got := subheadings(p); !slices.Equal(got, want) {
		t.Errorf("groups %q, want %q", got, want)
	}
	for _, s := range []string{"Flush the DNS cache", "Forgets the addresses of websites.", PhraseUnavailable} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("list lacks %q", s)
		}
	}
	if uitest.Has(p.Object(), "Helps when a site does not open.") {
		t.Error("the row shows more than the description's first sentence")
	}

	cases := []struct {
		query  string
		groups []string
	}{
		{"print", []string{"Printing"}},
		{"SOUND system", []string{"Meetings & chat"}}, // words in the description, any case
		{"slow", []string{"Slow computer"}},           // the group's name
		{"restarts", []string{"Printing", "Meetings & chat"}},
		{"nothing like this", nil},
		{"", want},
	}
	for _, c := range cases {
		p.w.search.SetText(c.query) // as typed
		if got := subheadings(p); !slices.Equal(got, c.groups) {
			t.Errorf("search %q: groups %q, want %q", c.query, got, c.groups)
		}
		if noMatch := uitest.Has(p.Object(), PhraseNoMatch); noMatch != (c.groups == nil) {
			t.Errorf("search %q: no-match sentence shown %v", c.query, noMatch)
		}
	}
}

func TestSelectingAFixShowsItsDryRun(t *testing.T) {
	src := &fakeSource{list: sampleList()}
	p, q := loaded(t, src, nil)
	// The row is a button under the title: tap the one of flush-dns.
	tapRow(t, p, "Flush the DNS cache")
	if p.State().Selected != "flush-dns" {
		t.Fatalf("selected %q", p.State().Selected)
	}
	if b := button(t, p, ButtonRun); !b.Disabled() {
		t.Error("Run is enabled before the dry run is shown")
	}
	q.drain(t, 1)
	if got := src.planned(); !slices.Equal(got, []string{"flush-dns"}) {
		t.Errorf("dry runs asked %q", got)
	}
	for _, s := range []string{PhraseDryRun, "1. Step A of flush-dns", "2. Step B of flush-dns", "3. Step C of flush-dns",
		"/usr/bin/resolvectl flush-caches --days", "Helps when a site does not open.", "2 minutes"} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("detail lacks %q: %q", s, uitest.Texts(p.Object()))
		}
	}
	if button(t, p, ButtonRun).Disabled() {
		t.Error("Run is disabled with the dry run on screen")
	}
	test.Tap(button(t, p, ButtonBack))
	if p.State().Selected != "" || len(subheadings(p)) != 5 {
		t.Errorf("back did not return to the list")
	}
}

// tapRow taps the list row whose title is title.
func tapRow(t *testing.T, p *Page, title string) {
	t.Helper()
	for _, o := range uitest.Find[*fyne.Container](p.Object()) {
		if len(o.Objects) != 2 {
			continue
		}
		b, ok := o.Objects[0].(*widget.Button)
		if ok && b.Text == "" && uitest.Has(o.Objects[1], title) {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no row %q", title)
}

func TestUnavailableFixCannotRun(t *testing.T) {
	src := &fakeSource{list: sampleList()}
	p, q := loaded(t, src, nil)
	p.Select("backup-now")
	q.drain(t, 1)
	if !button(t, p, ButtonRun).Disabled() || !uitest.Has(p.Object(), "not installed on this computer") {
		t.Errorf("an unavailable fix offers Run: %q", uitest.Texts(p.Object()))
	}
	p.Run()
	if len(src.ran()) != 0 {
		t.Error("an unavailable fix ran")
	}
}

func TestParametersAreValidatedBeforeAnythingRuns(t *testing.T) {
	src := &fakeSource{list: sampleList()}
	p, q := loaded(t, src, nil)
	p.Select("free-disk-space")
	q.drain(t, 1)
	if got := src.planned(); !slices.Equal(got, []string{"free-disk-space days=7 deep=false keep_logs=7d"}) {
		t.Fatalf("first dry run %q, want the defaults", got)
	}
	entries := uitest.Find[*widget.Entry](p.Object())
	var days *widget.Entry
	for _, e := range entries {
		if e.Text == "7" {
			days = e
		}
	}
	if days == nil {
		t.Fatalf("no entry holding the default 7")
	}
	cases := []struct {
		typed   string
		problem bool
	}{
		{"91", true}, {"0", true}, {"seven", true}, {"7; rm -rf /", true}, {"", true}, {"30", false}, {" 90 ", false},
	}
	for _, c := range cases {
		before := len(src.planned())
		test.Type(days, "")
		days.SetText(c.typed)
		msg := uitest.Has(p.Object(), "Enter a whole number from 1 to 90.")
		if msg != c.problem {
			t.Errorf("typed %q: problem shown %v, want %v", c.typed, msg, c.problem)
		}
		if got := button(t, p, ButtonRun).Disabled(); got != c.problem {
			// A valid value still waits for its dry run.
			if !c.problem {
				q.drain(t, 1)
				got = button(t, p, ButtonRun).Disabled()
			}
			if got != c.problem {
				t.Errorf("typed %q: Run disabled %v, want %v", c.typed, got, c.problem)
			}
		} else if !c.problem {
			t.Errorf("typed %q: Run enabled before the dry run", c.typed)
		}
		if c.problem {
			p.Run()
			if len(src.ran()) != 0 || len(src.planned()) != before {
				t.Errorf("typed %q: ran %q, planned %q", c.typed, src.ran(), src.planned())
			}
		}
	}
	// The enum and the box are part of what is sent.
	for _, s := range uitest.Find[*widget.Select](p.Object()) {
		s.SetSelected("2d")
	}
	q.drain(t, 1)
	for _, c := range uitest.Find[*widget.Check](p.Object()) {
		test.Tap(c)
	}
	q.drain(t, 1)
	want := "free-disk-space days=90 deep=true keep_logs=2d"
	if got := src.planned(); got[len(got)-1] != want {
		t.Errorf("last dry run %q, want %q", got[len(got)-1], want)
	}
	test.Tap(button(t, p, ButtonRun))
	q.drain(t, 2) // the result, then the history
	if got := src.ran(); !slices.Equal(got, []string{want}) {
		t.Errorf("ran %q, want %q", got, want)
	}
}

func TestARunStreamsProgressThenShowsSuccess(t *testing.T) {
	steps := make(chan func(func(localapi.FixProgress)) (*localapi.FixResult, error))
	src := &fakeSource{list: sampleList(), steps: steps}
	p, q := loaded(t, src, nil)
	p.Select("flush-dns")
	q.drain(t, 1)
	test.Tap(button(t, p, ButtonRun))
	if b := button(t, p, ButtonRun); !b.Disabled() {
		t.Error("Run enabled while the fix runs")
	}
	if !uitest.Has(p.Object(), "Starting…") {
		t.Errorf("no sign the run started: %q", uitest.Texts(p.Object()))
	}
	send := func(events ...localapi.FixProgress) {
		steps <- func(progress func(localapi.FixProgress)) (*localapi.FixResult, error) {
			for _, ev := range events {
				progress(ev)
			}
			return nil, nil
		}
		q.drain(t, len(events))
	}
	send(localapi.FixProgress{Event: "step-started", Step: 1, Steps: 3, Summary: "Flush resolved"},
		localapi.FixProgress{Event: "output", Step: 1, Steps: 3, Line: "flushed 12 entries"},
		localapi.FixProgress{Event: "step-done", Step: 1, Steps: 3, Status: "ok"},
		localapi.FixProgress{Event: "step-started", Step: 2, Steps: 3, Summary: "Flush nscd"})
	if !uitest.Has(p.Object(), "Step 2 of 3: Flush nscd") {
		t.Errorf("progress not shown: %q", uitest.Texts(p.Object()))
	}
	if p.w.output.Text != "flushed 12 entries" {
		t.Errorf("output area %q", p.w.output.Text)
	}
	bars := uitest.Find[*widget.ProgressBar](p.Object())
	if len(bars) != 1 || bars[0].Value != 1.5 || bars[0].Max != 3 {
		t.Errorf("progress bars %+v", bars)
	}
	// The employee goes back to the list (or closes the window): the run
	// goes on and its row says so.
	p.Back()
	if !uitest.Has(p.Object(), "running…") {
		t.Error("the list does not show the fix running")
	}
	p.Run() // nothing selected: nothing happens
	steps <- func(func(localapi.FixProgress)) (*localapi.FixResult, error) {
		return &localapi.FixResult{FixID: "flush-dns", Outcome: "success", Message: "The DNS cache was flushed.",
			ReclaimedBytes: 3_400_000, Log: "step 1 ok"}, nil
	}
	q.drain(t, 2)         // the result, then the history
	p.Select("flush-dns") // its dry run is still on hand
	for _, s := range []string{PhraseWorked, "The DNS cache was flushed.", "Space freed: 3.2 MB.", ButtonRunAgain} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("result lacks %q: %q", s, uitest.Texts(p.Object()))
		}
	}
	if uitest.Has(p.Object(), PhraseFailed) || button(t, p, ButtonRunAgain).Disabled() {
		t.Error("a successful run looks failed or cannot run again")
	}
	if got := src.ran(); len(got) != 1 {
		t.Errorf("runs %q", got)
	}
}

func TestAFailedRunOffersGetHelpWithTheLog(t *testing.T) {
	src := &fakeSource{list: sampleList(), result: &localapi.FixResult{
		FixID: "clear-print-queue", Outcome: "failed", FailedStep: 2, Message: "Step 2 failed: cupsenable exited with 1.",
		NextSteps: "Switch the printer off and on.", Log: "1. Cancel jobs: ok\n2. Enable printer: failed (exit 1)",
	}}
	var got []string
	p, q := loaded(t, src, func(text string) { got = append(got, text) })
	p.Select("clear-print-queue")
	q.drain(t, 1)
	test.Tap(button(t, p, ButtonRun))
	q.drain(t, 2)
	for _, s := range []string{PhraseFailed, "Step 2 failed: cupsenable exited with 1.", "What to try next", "Switch the printer off and on."} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("result lacks %q: %q", s, uitest.Texts(p.Object()))
		}
	}
	test.Tap(button(t, p, ButtonGetHelp))
	if len(got) != 1 {
		t.Fatalf("Get help asked %d times", len(got))
	}
	for _, s := range []string{`"Clear stuck print jobs"`, "still there", "2. Enable printer: failed (exit 1)"} {
		if !strings.Contains(got[0], s) {
			t.Errorf("Get help text lacks %q:\n%s", s, got[0])
		}
	}
}

func TestRefusalsAreExplained(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&localapi.Error{Code: localapi.CodeRateLimited, Message: "slow down"}, "wait a minute"},
		{&localapi.Error{Code: localapi.CodeFixBusy, Message: "busy"}, "running already"},
		{&localapi.Error{Code: localapi.CodeFixDisabled, Message: "off"}, "IT has turned this fix off"},
		{fmt.Errorf("dial: %w", localapi.ErrUnreachable), "not answering"},
		{errors.New("boom"), "could not be run: boom"},
	}
	for _, c := range cases {
		src := &fakeSource{list: sampleList(), runErr: c.err}
		p, q := loaded(t, src, func(string) {})
		p.Select("flush-dns")
		q.drain(t, 1)
		p.Run()
		q.drain(t, 2)
		if !uitest.Has(p.Object(), c.want) || !uitest.Has(p.Object(), "The fix did not run") {
			t.Errorf("%v: page %q lacks %q", c.err, uitest.Texts(p.Object()), c.want)
		}
	}
}

func TestOpenBeforeTheListLoadedOpensItAfterwards(t *testing.T) {
	src := &fakeSource{list: sampleList()}
	p, q := newPage(t, src, nil)
	p.Open("clear-print-queue")
	p.Show()
	q.drain(t, 3) // list, history, dry run
	if p.State().Selected != "clear-print-queue" || !uitest.Has(p.Object(), "1. Step A of clear-print-queue") {
		t.Errorf("selected %q: %q", p.State().Selected, uitest.Texts(p.Object()))
	}
}

func TestAFailedDryRunKeepsRunDisabledAndIsAskedAgain(t *testing.T) {
	src := &fakeSource{list: sampleList(), planErr: fmt.Errorf("dial: %w", localapi.ErrUnreachable)}
	p, q := loaded(t, src, nil)
	p.Select("flush-dns")
	q.drain(t, 1)
	if !button(t, p, ButtonRun).Disabled() || !uitest.Has(p.Object(), "could not be worked out") ||
		!uitest.Has(p.Object(), "not answering") {
		t.Errorf("after a failed dry run: %q", uitest.Texts(p.Object()))
	}
	src.mu.Lock()
	src.planErr = nil
	src.mu.Unlock()
	p.Back()
	p.Select("flush-dns")
	q.drain(t, 1)
	if button(t, p, ButtonRun).Disabled() || len(src.planned()) != 2 {
		t.Errorf("the dry run was not asked again: %q", src.planned())
	}
}

func TestOpenAFixNotOfferedSaysSo(t *testing.T) {
	for _, early := range []bool{true, false} {
		src := &fakeSource{list: sampleList()}
		p, q := newPage(t, src, nil)
		if early {
			p.Open("update-antivirus")
		}
		p.Show()
		q.drain(t, 2)
		if !early {
			p.Open("update-antivirus")
		}
		if p.State().Selected != "" || !uitest.Has(p.Object(), "(update-antivirus) is not offered on this computer") {
			t.Errorf("open before the list %v: %q", early, uitest.Texts(p.Object()))
		}
		p.Select("flush-dns")
		q.drain(t, 1)
		p.Back()
		if uitest.Has(p.Object(), "is not offered") {
			t.Errorf("the note stays after the employee moved on")
		}
	}
}

func TestHistoryIsListed(t *testing.T) {
	src := &fakeSource{list: sampleList(), history: &localapi.FixHistory{Items: []audit.Record{
		{FixID: "free-disk-space", Start: now.Add(-time.Hour), Result: audit.ResultSuccess, ReclaimedBytes: 2_000_000_000},
		{FixID: "flush-dns", Start: now.Add(-25 * time.Hour), Result: audit.ResultRefused, Reason: "rate limited"},
	}}}
	p, q := loaded(t, src, nil)
	for _, s := range []string{"09:00 · Free disk space · worked · freed 1.9 GB", "yesterday 09:00 · Flush the DNS cache · not run (rate limited)"} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("history lacks %q: %q", s, uitest.Texts(p.Object()))
		}
	}
	p.Select("flush-dns")
	q.drain(t, 1)
	if !uitest.Has(p.Object(), "yesterday 09:00 · not run") || uitest.Has(p.Object(), "freed 1.9 GB") {
		t.Errorf("a fix's history shows other fixes: %q", uitest.Texts(p.Object()))
	}
}

func TestListErrorKeepsTheUserFixes(t *testing.T) {
	partial := &localapi.FixList{Items: sampleList().Items[4:]}
	src := &fakeSource{list: partial, listErr: fmt.Errorf("dial: %w", localapi.ErrUnreachable)}
	p, _ := loaded(t, src, nil)
	for _, s := range []string{"not answering", "Only the fixes this app runs itself", "Restart sound"} {
		if !uitest.Has(p.Object(), s) {
			t.Errorf("page lacks %q: %q", s, uitest.Texts(p.Object()))
		}
	}
}

func TestBytesAndDurations(t *testing.T) {
	for n, want := range map[int64]string{1: "1 byte", 1023: "1023 bytes", 1024: "1.0 KB", 3_400_000: "3.2 MB", 12_300_000_000: "11.5 GB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{30 * time.Second: "30 seconds", time.Minute: "1 minute", 15 * time.Minute: "15 minutes", 2 * time.Hour: "2 hours"} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestHelpTextIsShortened(t *testing.T) {
	long := strings.Repeat("x", 3*maxHelpChars)
	text := helpText(localapi.FixInfo{ID: "a", Title: "A"}, &Run{Result: &localapi.FixResult{Log: long}})
	if n := len([]rune(text)); n > maxHelpChars+200 || !strings.Contains(text, "left out") {
		t.Errorf("help text of %d characters", n)
	}
}

func TestNothingRanIsNotCalledWorked(t *testing.T) {
	skipped := localapi.FixStepResult{Status: "skipped"}
	for _, tc := range []struct {
		steps []localapi.FixStepResult
		want  bool
	}{
		{nil, false},
		{[]localapi.FixStepResult{skipped, skipped}, true},
		{[]localapi.FixStepResult{skipped, {Status: "ok"}}, false},
	} {
		if got := nothingRan(&localapi.FixResult{Outcome: "success", Steps: tc.steps}); got != tc.want {
			t.Errorf("nothingRan(%+v) = %v, want %v", tc.steps, got, tc.want)
		}
	}
}
