package rt_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// fakeRT enforces the REST2 request shapes that a real RT 5 accepts
// (documented in the project's RT recipe), and nothing more lenient: the
// token header; a creation either as JSON with base64 attachments or as a
// multipart form with a JSON part and file parts; known members only;
// attachments that are not empty; a queue the token may create in. It
// also copies RT 5.0.3's mangling of non-ASCII file names in the JSON form.
type fakeRT struct {
	t     testing.TB
	token string
	queue string // the only queue creation is allowed in

	mu      sync.Mutex
	tickets []*fakeTicket
	creates int
	// loseNextReply makes the next creation succeed but cut the
	// connection before the reply, as a crashed proxy or a dropped
	// network would.
	loseNextReply bool
	// failSearch answers searches with this status when non-zero.
	failSearch int
}

type fakeTicket struct {
	ID           int
	Queue        string
	Subject      string
	Status       string
	Requestor    string
	Content      string
	ContentType  string
	Attachments  []fakeFile
	CustomFields map[string]string
}

type fakeFile struct {
	Name, Type string
	Data       []byte
}

func newFakeRT(t testing.TB) (*fakeRT, *httptest.Server) {
	f := &fakeRT{t: t, token: "1-14-0123456789abcdef", queue: "General"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /REST/2.0/ticket", f.create)
	mux.HandleFunc("GET /REST/2.0/ticket/{id}", f.get)
	mux.HandleFunc("GET /REST/2.0/tickets", f.search)
	srv := httptest.NewServer(f.authenticate(mux))
	t.Cleanup(srv.Close)
	return f, srv
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeRT) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "token "+f.token {
			reply(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// createFields is the ticket object of a creation, in either form.
type createFields struct {
	Queue       string
	Subject     string
	Requestor   any
	Content     string
	ContentType string
	Attachments []struct {
		FileName    string
		FileType    string
		FileContent string
	}
	CustomFields map[string]string
}

func (f *fakeRT) create(w http.ResponseWriter, r *http.Request) {
	var (
		req   createFields
		files []fakeFile
		bad   string
	)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		req, files, bad = readForm(r)
	case "application/json":
		req, files, bad = readJSON(r.Body)
	default:
		reply(w, http.StatusUnsupportedMediaType, map[string]string{"message": "Unsupported Media Type"})
		return
	}
	if bad == "wide" {
		reply(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
		return
	}
	if bad != "" {
		reply(w, http.StatusBadRequest, map[string]string{"message": bad})
		return
	}
	if req.Queue != f.queue {
		reply(w, http.StatusForbidden, map[string]string{"message": fmt.Sprintf("No permission to create tickets in the queue '%s'", req.Queue)})
		return
	}
	if req.Subject == "" || req.Content == "" || req.ContentType != "text/plain" {
		reply(w, http.StatusBadRequest, map[string]string{"message": "Subject, Content and ContentType text/plain expected"})
		return
	}
	t := &fakeTicket{Queue: req.Queue, Subject: req.Subject, Status: "new", Content: req.Content,
		ContentType: req.ContentType, CustomFields: req.CustomFields, Attachments: files}
	if s, ok := req.Requestor.(string); ok {
		t.Requestor = s
	}

	f.mu.Lock()
	t.ID = len(f.tickets) + 1
	f.tickets = append(f.tickets, t)
	f.creates++
	lose := f.loseNextReply
	f.loseNextReply = false
	f.mu.Unlock()

	if lose {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			f.t.Errorf("fake RT: hijack: %v", err)
			return
		}
		conn.Close()
		return
	}
	id := strconv.Itoa(t.ID)
	w.Header().Set("Location", "/REST/2.0/ticket/"+id)
	reply(w, http.StatusCreated, map[string]string{"type": "ticket", "id": id, "_url": "http://" + r.Host + "/REST/2.0/ticket/" + id})
}

// readJSON reads the JSON form, base64 attachments inside. Like RT 5.0.3
// it mangles non-ASCII file names: beyond Latin-1 the request fails
// ("Wide character"), Latin-1 letters become U+FFFD.
func readJSON(body io.Reader) (createFields, []fakeFile, string) {
	var req createFields
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields() // a misspelt member would be silently ignored by RT: catch it here
	if err := dec.Decode(&req); err != nil {
		return req, nil, "JSON parse error: " + err.Error()
	}
	var files []fakeFile
	for _, a := range req.Attachments {
		if a.FileContent == "" {
			return req, nil, "Field FileContent is required for each attachment in Attachments"
		}
		data, err := base64.StdEncoding.DecodeString(a.FileContent)
		if err != nil || a.FileName == "" || a.FileType == "" {
			return req, nil, "bad attachment " + a.FileName
		}
		name := []rune(a.FileName)
		for i, c := range name {
			if c > 0xff {
				return req, nil, "wide"
			}
			if c > 0x7f {
				name[i] = utf8.RuneError
			}
		}
		files = append(files, fakeFile{string(name), a.FileType, data})
	}
	return req, files, ""
}

// readForm reads the multipart form: a "JSON" part (which must not carry
// Attachments: RT would drop them for the file parts) and "Attachments"
// file parts with a name, a type and content.
func readForm(r *http.Request) (createFields, []fakeFile, string) {
	var req createFields
	mr, err := r.MultipartReader()
	if err != nil {
		return req, nil, "bad multipart: " + err.Error()
	}
	var files []fakeFile
	sawJSON := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return req, nil, "bad multipart: " + err.Error()
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return req, nil, "bad multipart: " + err.Error()
		}
		switch p.FormName() {
		case "JSON":
			var files2 []fakeFile
			var bad string
			req, files2, bad = readJSON(bytes.NewReader(data))
			if bad != "" {
				return req, nil, bad
			}
			if len(files2) > 0 {
				return req, nil, "Attachments in the JSON part are dropped when file parts are sent"
			}
			sawJSON = true
		case "Attachments":
			if p.FileName() == "" || p.Header.Get("Content-Type") == "" || len(data) == 0 {
				return req, nil, "file part without name, type or content"
			}
			files = append(files, fakeFile{p.FileName(), p.Header.Get("Content-Type"), data})
		default:
			return req, nil, "unknown form field " + p.FormName()
		}
	}
	if !sawJSON {
		return req, nil, "no JSON part"
	}
	return req, files, ""
}

func (f *fakeRT) ticket(id string) *fakeTicket {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 || n > len(f.tickets) {
		return nil
	}
	return f.tickets[n-1]
}

func (f *fakeRT) get(w http.ResponseWriter, r *http.Request) {
	t := f.ticket(r.PathValue("id"))
	if t == nil {
		reply(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// As RT does: the id of a fetched record is a number.
	reply(w, http.StatusOK, map[string]any{"id": t.ID, "Subject": t.Subject, "Status": t.Status,
		"Queue": map[string]string{"id": "1", "type": "queue"}})
}

var (
	subjectLike = regexp.MustCompile(`^Subject LIKE '([^'\\]*)'$`)
	cfEquals    = regexp.MustCompile(`^CF\.\{([^}]+)\} = '([^'\\]*)'$`)
)

func (f *fakeRT) search(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failSearch != 0 {
		reply(w, f.failSearch, map[string]string{"message": "search failed"})
		return
	}
	q := r.URL.Query()
	if q.Get("fields") != "Subject,Status" {
		f.t.Errorf("fake RT: search asks for fields %q", q.Get("fields"))
	}
	var match func(*fakeTicket) bool
	if m := subjectLike.FindStringSubmatch(q.Get("query")); m != nil {
		match = func(t *fakeTicket) bool { return strings.Contains(strings.ToLower(t.Subject), strings.ToLower(m[1])) }
	} else if m := cfEquals.FindStringSubmatch(q.Get("query")); m != nil {
		match = func(t *fakeTicket) bool { return t.CustomFields[m[1]] == m[2] }
	} else {
		reply(w, http.StatusBadRequest, map[string]string{"message": "Invalid query: " + q.Get("query")})
		return
	}
	items := []map[string]string{}
	for _, t := range f.tickets {
		if match(t) {
			id := strconv.Itoa(t.ID)
			items = append(items, map[string]string{"id": id, "type": "ticket", "_url": "http://" + r.Host + "/REST/2.0/ticket/" + id,
				"Subject": t.Subject, "Status": t.Status})
		}
	}
	reply(w, http.StatusOK, map[string]any{"total": len(items), "count": len(items), "page": 1, "per_page": 20, "pages": 1, "items": items})
}

func (f *fakeRT) snapshot() (creates int, tickets []fakeTicket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.tickets {
		tickets = append(tickets, *t)
	}
	return f.creates, tickets
}

func (f *fakeRT) setStatus(id int, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickets[id-1].Status = status
}
