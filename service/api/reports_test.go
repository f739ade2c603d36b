package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
	"github.com/firstline-it/firstline/internal/report"
	"github.com/firstline-it/firstline/internal/report/delivery"
	"github.com/firstline-it/firstline/service/events"
	"github.com/firstline-it/firstline/service/reports"
)

// parkedBackend accepts nothing and is never called: the handler tests do
// not run the delivery loop.
type parkedBackend struct{}

func (parkedBackend) Name() string { return "parked" }

func (parkedBackend) Deliver(context.Context, delivery.Message) (delivery.Receipt, error) {
	return delivery.Receipt{}, errors.New("parked: not delivering in this test")
}

type reportsHarness struct {
	*harness
	p     *reports.Pipeline
	spool string
}

// startReports runs a server with a real pipeline (its spool in a fresh
// folder, no delivery loop).
func startReports(t testing.TB, opts Options) *reportsHarness {
	return startReportsMax(t, opts, 100_000)
}

// startReportsMax is startReports with a spool of at most maxReports.
func startReportsMax(t testing.TB, opts Options, maxReports int) *reportsHarness {
	t.Helper()
	dir := t.TempDir()
	hub := events.NewHub(localapi.State{ServiceVersion: "test"})
	p, err := reports.Open(reports.Options{
		Dir: dir, Hub: hub, MaxBytes: 8 << 30, MaxReports: maxReports,
		Chain: delivery.Chain{{Destination: "parked"}}, Backends: []delivery.Backend{parkedBackend{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() }) // after the server's own cleanup
	opts.Reports, opts.Hub = p, hub
	return &reportsHarness{harness: start(t, opts), p: p, spool: dir}
}

// spoolFiles lists the report files in the spool (not the lock or the
// quarantine folder).
func (h *reportsHarness) spoolFiles(t testing.TB) []string {
	t.Helper()
	des, err := os.ReadDir(h.spool)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		if n := de.Name(); n != "lock" && n != "quarantine" {
			names = append(names, n)
		}
	}
	return names
}

// newSubmission returns a valid submission with an attachment of size
// bytes.
func newSubmission(size int) report.Submission {
	now := time.Now()
	s := report.Submission{
		Key: report.NewKey(now), CreatedAt: now, Severity: report.SeverityBlocked,
		Text: "The VPN drops every few minutes", Category: "vpn",
	}
	if size > 0 {
		s.Attachments = []report.Attachment{{Name: "screen-1.png", ContentType: "image/png", Kind: report.KindScreenshot,
			Data: bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, size/4)}}
	}
	return s
}

// rawClient sends requests the typed client would never build.
func rawClient(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
		DisableKeepAlives: true,
	}}
}

// answer is a reply's status and error code.
type answer struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func post(t testing.TB, c *http.Client, path, contentType string, body io.Reader, length int64) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+localapi.Host+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	return readAnswer(resp)
}

func readAnswer(resp *http.Response) answer {
	a := answer{Status: resp.StatusCode}
	var env localapi.ErrorBody
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&env) == nil && env.Error != nil {
		a.Code, a.Message = string(env.Error.Code), env.Error.Message
	}
	return a
}

func TestReportSubmitListGet(t *testing.T) {
	h := startReports(t, Options{})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	ctx := context.Background()

	st, err := c.Status(ctx)
	if err != nil || !st.Has(localapi.CapReports) {
		t.Fatalf("status does not offer reports: %v %v", st, err)
	}
	sub := newSubmission(1000)
	res, err := c.SubmitReport(ctx, &sub)
	if err != nil {
		t.Fatal(err)
	}
	me := strconv.Itoa(os.Getuid())
	if res.Existing || res.Record.Key != sub.Key || res.Record.Owner.UID != me || res.Record.Reference != sub.Key.Reference() ||
		len(res.Record.Attachments) != 1 || res.Record.Attachments[0].Size != 1000 {
		t.Errorf("submit result %+v", res)
	}
	again, err := c.SubmitReport(ctx, &sub)
	if err != nil || !again.Existing || again.Record.Key != sub.Key {
		t.Errorf("second submit of the same key: %+v %v", again, err)
	}
	second := newSubmission(0)
	if _, err := c.SubmitReport(ctx, &second); err != nil {
		t.Fatal(err)
	}
	list, err := c.Reports(ctx, false)
	if err != nil || len(list) != 2 || list[0].Key != second.Key || list[1].Key != sub.Key {
		t.Errorf("list (newest first) = %+v, %v", list, err)
	}
	one, err := c.Report(ctx, sub.Key)
	if err != nil || one.Key != sub.Key || one.Phrase() != report.PhraseSaved {
		t.Errorf("one report: %+v %v", one, err)
	}
	all, err := c.Reports(ctx, true) // root is an administrator
	if err != nil || len(all) != 2 {
		t.Errorf("all reports: %d %v", len(all), err)
	}
	_, err = c.Report(ctx, report.NewKey(time.Now()))
	if !localapi.IsCode(err, localapi.CodeNotFound) {
		t.Errorf("missing report: %v", err)
	}
	rec, err := c.RetryReport(ctx, sub.Key)
	if err != nil || rec.Key != sub.Key {
		t.Errorf("retry: %+v %v", rec, err)
	}
	if _, err := c.RetryReport(ctx, report.NewKey(time.Now())); !localapi.IsCode(err, localapi.CodeNotFound) {
		t.Errorf("retry of a missing report: %v", err)
	}
}

// TestReportRefusals: hostile or broken submissions are refused with the
// field named, logged, and nothing reaches the spool.
func TestReportRefusals(t *testing.T) {
	h := startReports(t, Options{})
	c := rawClient(h.sock)
	limit := report.DefaultLimits().MaxRequestBytes()
	valid, _ := json.Marshal(newSubmission(10))
	withField := func(field string) string {
		return strings.Replace(string(valid), `"text":`, field+`,"text":`, 1)
	}
	pathAttachment := strings.Replace(string(valid), `"data":`, `"path":"/etc/shadow","data":`, 1)
	bigAttachment, _ := json.Marshal(newSubmission(11 << 20))

	tests := []struct {
		name, contentType, body string
		status                  int
		code, message           string
	}{
		{"malformed JSON", "application/json", `{"key": "x",`, 400, "bad_request", "key: "},
		{"truncated", "application/json", string(valid[:len(valid)/2]), 400, "bad_request", "the report ends too early"},
		{"not an object", "application/json", `[1,2]`, 400, "bad_request", "the report must be a JSON object"},
		{"a path instead of content", "application/json", pathAttachment, 400, "bad_request",
			"attachments[0].path: refused: attachments and reports carry their content; the service never opens a file a request names"},
		{"an owner", "application/json", withField(`"owner":{"uid":"0"}`), 400, "bad_request", "owner: is set by the service, never by the app"},
		{"unknown field", "application/json", withField(`"priority":1`), 400, "bad_request", "priority: is not a field of a report"},
		{"duplicate field", "application/json", withField(`"text":"a"`), 400, "bad_request", "text: is given twice"},
		{"a form", "application/x-www-form-urlencoded", "text=hello", 400, "bad_request", "send the report as application/json"},
		{"an attachment over its limit", "application/json", string(bigAttachment), 413, "body_too_large",
			"attachments[0].data: is 11.0 MiB; an attachment may be at most 10.0 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := post(t, c, localapi.PathReports, tt.contentType, strings.NewReader(tt.body), int64(len(tt.body)))
			if a.Status != tt.status || a.Code != tt.code || !strings.Contains(a.Message, tt.message) {
				t.Errorf("got %+v\nwant %d %s containing %q", a, tt.status, tt.code, tt.message)
			}
		})
	}

	// 100 MB, announced: refused before a byte of the body is read.
	a := hugePost(t, h.sock, true)
	if a.Status != 413 || a.Code != "body_too_large" {
		t.Errorf("100 MB with Content-Length: %+v", a)
	}
	// 100 MB, chunked: cut off at the limit while reading.
	a = hugePost(t, h.sock, false)
	if a.Status != 413 || a.Code != "body_too_large" || a.Message != fmt.Sprintf("the report is larger than %d bytes", limit) {
		t.Errorf("100 MB chunked: %+v", a)
	}

	if files := h.spoolFiles(t); len(files) != 0 {
		t.Errorf("refused reports left files in the spool: %v", files)
	}
	if n := len(h.p.List("")); n != 0 {
		t.Errorf("%d refused reports were stored", n)
	}
	logs := h.logs.String()
	for _, code := range []string{"code=bad_request", "code=body_too_large"} {
		if !strings.Contains(logs, "refused LocalAPI request") || !strings.Contains(logs, code) {
			t.Errorf("refusal %s not logged:\n%s", code, logs)
		}
	}
}

// hugePost sends a 100 MB report, with its length announced or chunked,
// and reads the answer while still writing: the service answers without
// reading it all, and an HTTP client would stop at the broken pipe.
func hugePost(t testing.TB, sock string, announced bool) answer {
	t.Helper()
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const size = 100 << 20
	head := "POST " + localapi.PathReports + " HTTP/1.1\r\nHost: " + localapi.Host + "\r\nContent-Type: application/json\r\n"
	body := io.MultiReader(strings.NewReader(`{"text":"`), io.LimitReader(zeros{}, size))
	if announced {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", size+9)
	} else {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	}
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		w := io.Writer(conn)
		if _, err := io.WriteString(w, head); err != nil {
			return
		}
		if !announced {
			cw := httputil.NewChunkedWriter(conn)
			defer cw.Close()
			w = cw
		}
		_, _ = io.Copy(w, body) // stops at the closed connection
	}()
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer to 100 MB: %v", err)
	}
	a := readAnswer(resp)
	resp.Body.Close()
	conn.Close()
	<-wrote
	return a
}

// zeros is an endless reader of '0' bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func TestReportQueryRefusals(t *testing.T) {
	h := startReports(t, Options{})
	c := rawClient(h.sock)
	get := func(path string) answer {
		resp, err := c.Get("http://" + localapi.Host + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return readAnswer(resp)
	}
	tests := []struct {
		path    string
		status  int
		code    string
		message string
	}{
		{localapi.PathReports + "?key=nonsense", 400, "bad_request", "key: "},
		{localapi.PathReports + "?key=" + report.NewKey(time.Now()).String(), 404, "not_found", noSuchReport},
		{localapi.PathReports + "?all=maybe", 400, "bad_request", "all must be 1 or 0"},
		{localapi.PathReports, 200, "", ""},
	}
	for _, tt := range tests {
		if a := get(tt.path); a.Status != tt.status || a.Code != tt.code || !strings.Contains(a.Message, tt.message) {
			t.Errorf("GET %s: %+v, want %d %s %q", tt.path, a, tt.status, tt.code, tt.message)
		}
	}
	if a := post(t, c, localapi.PathReportRetry+"?key=x", "", nil, 0); a.Status != 400 {
		t.Errorf("retry with a bad key: %+v", a)
	}
}

// TestWatchShowsOwnReportCounts: the watch stream carries the caller's
// own counts, and another user's report moving sends nothing.
func TestWatchShowsOwnReportCounts(t *testing.T) {
	h := startReports(t, Options{})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	events := make(chan localapi.Event, 16)
	ctx, cancel := context.WithCancel(context.Background())
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		_ = c.Watch(ctx, func(ev localapi.Event) error {
			events <- ev
			return nil
		})
	}()
	defer func() { cancel(); <-watching }()
	next := func() localapi.Event {
		select {
		case ev := <-events:
			return ev
		case <-time.After(5 * time.Second):
			t.Fatal("no watch event")
			return localapi.Event{}
		}
	}
	if ev := next(); ev.State == nil || ev.State.Reports != (localapi.ReportSummary{}) {
		t.Fatalf("first event %+v", ev)
	}
	// Another user's report: the hub's totals move, this stream stays
	// quiet.
	other := localapi.Identity{UID: "4242", Username: "someone"}
	if _, err := h.p.Submit(context.Background(), other, newSubmission(0)); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		t.Fatalf("another user's report was announced: %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}
	sub := newSubmission(0)
	if _, err := c.SubmitReport(context.Background(), &sub); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.State == nil || ev.State.Reports.Pending != 1 {
		t.Fatalf("after my report: %+v", ev)
	}
}

// TestSubmitsAreBounded: submissions decoded at once are capped; the rest
// wait, and all are stored.
func TestSubmitsAreBounded(t *testing.T) {
	h := startReports(t, Options{MaxConnections: 256})
	c := localapi.NewClient(h.sock)
	defer c.Close()
	errs := make(chan error, 12)
	for range 12 {
		go func() {
			sub := newSubmission(256 << 10)
			_, err := c.SubmitReport(context.Background(), &sub)
			errs <- err
		}()
	}
	for range 12 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := len(h.p.List("")); n != 12 {
		t.Errorf("%d of 12 stored", n)
	}
	if len(h.srv.submits) != 0 {
		t.Errorf("%d submit slots still taken", len(h.srv.submits))
	}
}

// encodeSubmission is the request body the typed client would send.
func encodeSubmission(t testing.TB, s report.Submission) []byte {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReportSpoolFull: a full spool says so, in the employee's words, and
// keeps what it has.
func TestReportSpoolFull(t *testing.T) {
	h := startReportsMax(t, Options{}, 1)
	c := localapi.NewClient(h.sock)
	defer c.Close()
	first, second := newSubmission(0), newSubmission(0)
	if _, err := c.SubmitReport(context.Background(), &first); err != nil {
		t.Fatal(err)
	}
	_, err := c.SubmitReport(context.Background(), &second)
	var le *localapi.Error
	if !errors.As(err, &le) || le.Status != http.StatusInsufficientStorage || le.Code != localapi.CodeSpoolFull ||
		!strings.Contains(le.Message, "the report could not be saved") || !strings.Contains(le.Message, "tell IT another way") {
		t.Fatalf("full spool: %v", err)
	}
	if n := len(h.p.List("")); n != 1 {
		t.Errorf("%d reports stored", n)
	}
	// The first one again is still "saved", not "full".
	if res, err := c.SubmitReport(context.Background(), &first); err != nil || !res.Existing {
		t.Errorf("handing the stored report over again: %+v %v", res, err)
	}
}
