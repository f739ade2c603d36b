package fixespage

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/firstline-it/firstline/internal/fixes"
	"github.com/firstline-it/firstline/internal/fixes/catalog"
	"github.com/firstline-it/firstline/internal/fixes/runner"
	"github.com/firstline-it/firstline/internal/localapi"
)

// recordingService is the service: it answers system fixes from a script
// and records the user runs handed to it.
type recordingService struct {
	mu       sync.Mutex
	list     *localapi.FixList
	listErr  error
	calls    []string
	recorded []localapi.FixUserRun
}

func (s *recordingService) call(c string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

func (s *recordingService) Fixes(context.Context) (*localapi.FixList, error) {
	s.call("fixes")
	return s.list, s.listErr
}

func (s *recordingService) FixPlan(_ context.Context, id string, params map[string]string) (*localapi.FixPlan, error) {
	s.call("plan " + id)
	return &localapi.FixPlan{FixID: id, RunsAs: "system"}, nil
}

func (s *recordingService) RunFix(_ context.Context, id string, params map[string]string, progress func(localapi.FixProgress)) (*localapi.FixResult, error) {
	s.call("run " + id)
	progress(localapi.FixProgress{Event: "step-started", Step: 1, Steps: 1})
	return &localapi.FixResult{FixID: id, Outcome: "success"}, nil
}

func (s *recordingService) FixHistory(_ context.Context, all bool) (*localapi.FixHistory, error) {
	s.call(fmt.Sprintf("history all=%v", all))
	return &localapi.FixHistory{}, nil
}

func (s *recordingService) RecordUserRun(ctx context.Context, run localapi.FixUserRun) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	s.call("record " + run.Result.FixID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recorded = append(s.recorded, run)
	return nil
}

func (s *recordingService) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// userFix greets through echo: a real program, run by the real runner.
func userFix() fixes.Fix {
	return fixes.Fix{
		ID: "say-hello", Title: "Say hello", Description: "Prints a greeting.", Group: fixes.GroupSlow,
		OS: []string{fixes.Linux}, RunsAs: fixes.RunsAsUser,
		Params: []fixes.Param{{Name: "times", Label: "Times", Kind: fixes.ParamInt, Min: 1, Max: 3, Default: "1"}},
		Steps:  []fixes.Step{fixes.Exec{Path: "/bin/echo", Args: []string{"hello", "{{times}}"}}},
	}
}

func newRouter(t *testing.T, svc *recordingService) *Router {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the user fix runs /bin/echo")
	}
	missing := userFix()
	missing.ID, missing.Title, missing.Requires = "needs-agent", "Needs an agent", []string{"/nonexistent/agent"}
	cat, err := catalog.New([]fixes.Fix{userFix(), missing})
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.New(runner.Options{Catalog: cat, RunsAs: fixes.RunsAsUser,
		UserDirs: fixes.UserDirs{Home: t.TempDir(), Env: func(string) string { return "" }}})
	if err != nil {
		t.Fatal(err)
	}
	return &Router{Service: svc, Local: run, Catalog: cat, Caller: runner.Caller{UID: "1000", Name: "alice"}, GOOS: fixes.Linux}
}

func TestUserFixRunsHereAndIsRecordedByTheService(t *testing.T) {
	svc := &recordingService{}
	r := newRouter(t, svc)
	info := localapi.NewFixInfo(ptr(userFix()), true)

	plan, err := r.Plan(context.Background(), info, map[string]string{"times": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Steps) != 1 || len(plan.Steps[0].Commands) != 1 || plan.Steps[0].Commands[0] != "/bin/echo hello 2" {
		t.Errorf("local dry run %+v", plan.Steps)
	}
	var lines []string
	res, err := r.Run(context.Background(), info, map[string]string{"times": "2"}, func(p localapi.FixProgress) {
		if p.Event == "output" {
			lines = append(lines, p.Line)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != "success" || !slices.Equal(lines, []string{"hello 2"}) || !strings.Contains(res.Log, "hello 2") {
		t.Errorf("result %+v, output %q", res, lines)
	}
	if got := svc.log(); !slices.Equal(got, []string{"record say-hello"}) {
		t.Errorf("service calls %q: a user fix must not ask the service to run or plan it", got)
	}
	rec := svc.recorded[0]
	if rec.Params["times"] != "2" || rec.Result.Outcome != "success" || rec.Result.Log == "" {
		t.Errorf("recorded %+v", rec)
	}
}

func TestRefusedUserFixIsNotRecordedAsARun(t *testing.T) {
	svc := &recordingService{}
	r := newRouter(t, svc)
	info := localapi.NewFixInfo(ptr(userFix()), true)
	_, err := r.Run(context.Background(), info, map[string]string{"times": "$(reboot)"}, nil)
	var refused *runner.RefusedError
	if !errors.As(err, &refused) || refused.Code != runner.CodeBadParams {
		t.Fatalf("err %v, want a bad-params refusal", err)
	}
	if len(svc.log()) != 0 {
		t.Errorf("service calls %q", svc.log())
	}
	if !strings.Contains(runTrouble(err), "options were not accepted") {
		t.Errorf("refusal worded %q", runTrouble(err))
	}
}

func TestSystemFixGoesToTheService(t *testing.T) {
	svc := &recordingService{}
	r := newRouter(t, svc)
	info := localapi.FixInfo{ID: "flush-dns", RunsAs: "system", Available: true}
	if _, err := r.Plan(context.Background(), info, nil); err != nil {
		t.Fatal(err)
	}
	steps := 0
	if _, err := r.Run(context.Background(), info, nil, func(localapi.FixProgress) { steps++ }); err != nil {
		t.Fatal(err)
	}
	if _, err := r.History(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := svc.log(), []string{"plan flush-dns", "run flush-dns", "history all=false"}; !slices.Equal(got, want) || steps != 1 {
		t.Errorf("service calls %q (want %q), %d progress", got, want, steps)
	}
}

func TestListMarksUserFixesByWhatThisAppCanRun(t *testing.T) {
	svc := &recordingService{list: &localapi.FixList{Groups: []string{"Slow computer"}, Items: []localapi.FixInfo{
		{ID: "flush-dns", RunsAs: "system", Available: true},
		// The service's runner never finds a user fix available.
		{ID: "say-hello", RunsAs: "user", Available: false},
		{ID: "needs-agent", RunsAs: "user", Available: false},
		{ID: "gone-here", RunsAs: "user", Available: true},
	}}}
	r := newRouter(t, svc)
	list, err := r.Fixes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, it := range list.Items {
		got[it.ID] = it.Available
	}
	want := map[string]bool{"flush-dns": true, "say-hello": true, "needs-agent": false, "gone-here": false}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s available %v, want %v", id, got[id], w)
		}
	}
	if svc.list.Items[1].Available {
		t.Error("the service's list was changed in place")
	}

	svc.listErr = fmt.Errorf("dial: %w", localapi.ErrUnreachable)
	list, err = r.Fixes(context.Background())
	if !errors.Is(err, localapi.ErrUnreachable) || list == nil {
		t.Fatalf("without the service: %v, %v", list, err)
	}
	var ids []string
	for _, it := range list.Items {
		ids = append(ids, fmt.Sprintf("%s:%v", it.ID, it.Available))
	}
	if !slices.Equal(ids, []string{"needs-agent:false", "say-hello:true"}) {
		t.Errorf("local list %q", ids)
	}
}

func ptr[T any](v T) *T { return &v }
