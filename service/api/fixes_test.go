package api

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/fixes/audit"
	"github.com/firstline-it/firstline/internal/fixes/health"
	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/service/fixes"
)

func TestFixRoutesAbsentWithoutFixes(t *testing.T) {
	h := start(t, Options{})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Has(localapi.CapFixes) {
		t.Error("fixes capability without fixes")
	}
	if _, err := c.Fixes(context.Background()); !localapi.IsCode(err, localapi.CodeNotFound) {
		t.Errorf("fix list without fixes: %v", err)
	}
}

func TestFixListPlanAndHealth(t *testing.T) {
	h, _ := startFixes(t, func(o *fixes.Options) {
		o.Checks = []string{"disk", "firewall"}
		o.Health = func(context.Context) health.Input {
			return health.Input{DiskFreePct: health.Known(40.0), DiskPath: "/", FirewallOn: health.Known(false)}
		}
	})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()
	st, err := c.Status(ctx)
	if err != nil || !st.Has(localapi.CapFixes) {
		t.Fatalf("status %+v %v", st, err)
	}
	list, err := c.Fixes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range list.Items {
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"record", "slow", "true", "user-cache"}) {
		t.Errorf("listed %v", ids)
	}
	plan, err := c.FixPlan(ctx, "record", map[string]string{"mode": "slow"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Steps) != 1 || !strings.HasSuffix(plan.Steps[0].Commands[0], "record.sh slow 1") || plan.Params["mode"] != "slow" {
		t.Errorf("plan %+v", plan)
	}
	if _, err := c.FixPlan(ctx, "user-cache", nil); !localapi.IsCode(err, localapi.CodeFixWrongRunner) {
		t.Errorf("plan of a user fix: %v", err)
	}
	rep, err := c.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checks) != 2 || rep.Worst != "critical" || rep.Checks[1].Name != "firewall" || rep.Summary().Critical != 1 {
		t.Errorf("health %+v", rep)
	}
	one, err := c.Health(ctx, "disk")
	if err != nil || len(one.Checks) != 1 || one.Checks[0].Status != "ok" {
		t.Errorf("disk only: %+v %v", one, err)
	}
	for _, bad := range []string{"battery", "x'; DROP", strings.Repeat("d", 5000)} {
		if _, err := c.Health(ctx, bad); !localapi.IsCode(err, localapi.CodeBadRequest) {
			t.Errorf("health %.20q: %v, want bad_request", bad, err)
		}
	}
}

// TestFixRunStreamsLive: progress lines arrive while the fix still runs,
// then the result; the run is in the caller's history.
func TestFixRunStreamsLive(t *testing.T) {
	h, l := startFixes(t, nil)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	var lines []string
	res, err := c.RunFix(context.Background(), "slow", nil, func(p localapi.FixProgress) {
		lines = append(lines, p.Event+":"+p.Line)
		if p.Line == "started" {
			// Seen before the fix can finish: the gate is still shut.
			if _, err := os.Stat(l.done); err == nil {
				t.Error("progress arrived only after the fix finished")
			}
			l.openGate()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"step-started:", "output:started", "output:finished", "step-done:"}
	if !slices.Equal(lines, want) {
		t.Errorf("progress %q, want %q", lines, want)
	}
	if res.Outcome != "success" || res.FixID != "slow" || !strings.Contains(res.Log, "finished") {
		t.Errorf("result %+v", res)
	}
	hist, err := c.FixHistory(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Items) != 1 || hist.Items[0].FixID != "slow" || hist.Items[0].UID != fmt.Sprint(os.Getuid()) {
		t.Errorf("history %+v", hist.Items)
	}
}

func TestFixRunRefusals(t *testing.T) {
	h, l := startFixes(t, nil)
	c := rawClient(h.sock)
	body := func(s string) (io.Reader, int64) { return strings.NewReader(s), int64(len(s)) }
	tests := []struct {
		name, path, body string
		status           int
		code             localapi.Code
	}{
		{"unknown id", "/v1/fixes/run?id=nope", "", 404, localapi.CodeFixUnknown},
		{"no id", "/v1/fixes/run", "", 404, localapi.CodeFixUnknown},
		{"user fix", "/v1/fixes/run?id=user-cache", "", 400, localapi.CodeFixWrongRunner},
		{"injected enum", "/v1/fixes/run?id=record", `{"params":{"mode":"fast; id"}}`, 400, localapi.CodeFixBadParams},
		{"unknown param", "/v1/fixes/run?id=record", `{"params":{"path":"/etc"}}`, 400, localapi.CodeFixBadParams},
		{"not JSON", "/v1/fixes/run?id=record", `mode=fast`, 400, localapi.CodeBadRequest},
		{"unknown field", "/v1/fixes/run?id=record", `{"uid":"0"}`, 400, localapi.CodeBadRequest},
		{"trailing data", "/v1/fixes/run?id=record", `{} {}`, 400, localapi.CodeBadRequest},
		{"too large", "/v1/fixes/run?id=record", `{"params":{"mode":"` + strings.Repeat("a", 20<<10) + `"}}`, 413, localapi.CodeBodyTooLarge},
		{"too large, chunked", "/v1/fixes/run?id=record", `{"params":{"mode":"` + strings.Repeat("b", 20<<10) + `"}}`, 413, localapi.CodeBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, n := body(tt.body)
			if strings.HasSuffix(tt.name, "chunked") {
				n = -1 // no Content-Length: the limit is met while reading
			}
			a := post(t, c, tt.path, "application/json", b, n)
			if a.Status != tt.status || a.Code != string(tt.code) {
				t.Errorf("got %+v, want %d %s", a, tt.status, tt.code)
			}
		})
	}
	if l.ran() {
		t.Error("a refused request ran the fix")
	}
	if !strings.Contains(h.logs.String(), "code=fix_bad_params") {
		t.Errorf("refusals not in the server's log:\n%s", h.logs)
	}
}

// TestFixBusy: a second run of a fix that is running is refused.
func TestFixBusy(t *testing.T) {
	h, l := startFixes(t, nil)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	started := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		_, err := c.RunFix(context.Background(), "slow", nil, func(p localapi.FixProgress) {
			if p.Line == "started" {
				close(started)
			}
		})
		errc <- err
	}()
	<-started
	c2 := localapi.NewClient(h.sock)
	defer c2.Close()
	if _, err := c2.RunFix(context.Background(), "slow", nil, nil); !localapi.IsCode(err, localapi.CodeFixBusy) {
		t.Errorf("second run: %v, want fix_busy", err)
	}
	l.openGate()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestFixRunCompletesAfterClientHangsUp: the client reads the first
// progress line and disconnects; the fix finishes and is audited anyway.
func TestFixRunCompletesAfterClientHangsUp(t *testing.T) {
	h, l := startFixes(t, nil)
	conn, err := net.Dial("unix", h.sock)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST %s?id=slow HTTP/1.1\r\nHost: %s\r\nContent-Length: 0\r\n\r\n", localapi.PathFixRun, localapi.Host)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("reply %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && !strings.Contains(sc.Text(), `"line":"started"`) {
	}
	conn.Close()
	if _, err := os.Stat(l.done); err == nil {
		t.Fatal("the fix finished before the client left; the test proves nothing")
	}
	l.openGate()
	waitUntil(t, "the audit record of the abandoned run", func() bool {
		recs := l.records()
		return len(recs) == 1 && recs[0].Result == audit.ResultSuccess
	})
	if _, err := os.Stat(l.done); err != nil {
		t.Errorf("the fix did not finish: %v", err)
	}
}

// TestShutdownEndsRunStreams: a stopping server does not wait for a long
// fix; the run itself is the fixes service's to end.
func TestShutdownEndsRunStreams(t *testing.T) {
	h, l := startFixes(t, nil)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	started := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		_, err := c.RunFix(context.Background(), "slow", nil, func(p localapi.FixProgress) {
			if p.Line == "started" {
				close(started)
			}
		})
		errc <- err
	}()
	<-started
	t0 := time.Now()
	h.stop(t)
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("shutdown took %s while a fix ran", d)
	}
	if err := <-errc; err == nil {
		t.Error("the client got a result from a stream the server ended")
	}
	l.openGate()
}

func TestUserRunRoute(t *testing.T) {
	h, l := startFixes(t, nil)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()
	run := localapi.FixUserRun{Result: localapi.FixResult{FixID: "user-cache", Outcome: "success",
		Steps: []localapi.FixStepResult{{N: 1, Kind: "remove-old", Status: "ok"}}}}
	if err := c.RecordUserRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	run.Result.FixID = "record"
	if err := c.RecordUserRun(ctx, run); !localapi.IsCode(err, localapi.CodeFixWrongRunner) {
		t.Errorf("a system fix recorded as a user run: %v", err)
	}
	run.Result.FixID, run.Result.Outcome = "user-cache", "maybe"
	if err := c.RecordUserRun(ctx, run); !localapi.IsCode(err, localapi.CodeBadRequest) {
		t.Errorf("a nonsense outcome: %v", err)
	}
	recs := l.records()
	if len(recs) != 2 || recs[0].Runner != "user" || recs[0].Result != audit.ResultSuccess ||
		recs[1].Result != audit.ResultRefused || recs[1].Code != "wrong-runner" {
		t.Errorf("records %+v", recs)
	}
}
