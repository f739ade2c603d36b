package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os/user"

	"github.com/firstline-it/firstline/internal/localapi"
)

// guard runs before every handler: it refuses browser-shaped requests, bad
// Hosts and oversize bodies, then routes with a permission check. Every
// refusal is logged with the kernel's view of the caller.
func (s *Server) guard(w http.ResponseWriter, r *http.Request) {
	pc := connFrom(r.Context())
	if pc == nil {
		// Only reachable if the server were wired to a listener that is not
		// ours; never serve a request we cannot attribute.
		s.refuse(w, r, nil, localapi.CodeInternal, "connection has no identity")
		return
	}
	pc.requests.Add(1)
	id := pc.identity()

	switch {
	case r.Header.Get("Origin") != "" || r.Header.Get("Referer") != "":
		s.refuse(w, r, &id, localapi.CodeBrowserRefused, "requests from web pages are not accepted")
		return
	case r.Host != localapi.Host:
		s.refuse(w, r, &id, localapi.CodeBadHost, fmt.Sprintf("host must be %s", localapi.Host))
		return
	}

	ms, ok := s.routes[r.URL.Path]
	rt, allowed := ms[r.Method]
	limit := s.opts.MaxBodyBytes
	if rt.maxBody > 0 {
		limit = rt.maxBody
	}
	// An oversize body is refused before anything else looks at the
	// request, whatever it was meant for.
	switch {
	case r.ContentLength > limit:
		s.refuse(w, r, &id, localapi.CodeBodyTooLarge, fmt.Sprintf("request body is larger than %d bytes", limit))
		return
	case !ok:
		s.refuse(w, r, &id, localapi.CodeNotFound, "no such endpoint")
		return
	case !allowed:
		w.Header().Set("Allow", ms.allow())
		s.refuse(w, r, &id, localapi.CodeMethodNotAllowed, fmt.Sprintf("use %s", ms.allow()))
		return
	case rt.access == adminOnly && !id.Admin:
		s.refuse(w, r, &id, localapi.CodePermissionDenied, "this needs an administrator")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	rt.handle(w, r, id)
}

// refuse answers with the JSON error for code, closes the connection (so
// pipelining cannot repeat a refused request for free), and logs who tried
// what. Method and path are attacker-controlled text: logged quoted and
// capped, and the log is throttled per uid.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, id *localapi.Identity, code localapi.Code, msg string) {
	w.Header().Set("Connection", "close")
	writeError(w, code, msg)

	level := slog.LevelWarn
	if code == localapi.CodeNotFound || code == localapi.CodeMethodNotAllowed {
		level = slog.LevelDebug // clients of another version, not an attack
	}
	if !s.log.Enabled(r.Context(), level) {
		return
	}
	attrs := []any{"code", string(code), "method", capString(r.Method, 16), "path", capString(r.URL.Path, 200)}
	uid := ""
	if id != nil {
		uid = id.UID
		attrs = append(attrs, "uid", id.UID, "pid", id.PID)
	}
	s.refusals.refused(r.Context(), level, uid, "refused LocalAPI request", attrs...)
}

func writeError(w http.ResponseWriter, code localapi.Code, msg string) {
	writeJSON(w, localapi.StatusOf(code), localapi.ErrorBody{Error: &localapi.Error{Code: code, Message: msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the peer hanging up is not our error
}

// lookupUsername resolves uid for display and audit; failure is not fatal
// (a uid without a passwd entry still has an identity).
func lookupUsername(uid string) string {
	u, err := user.LookupId(uid)
	if err != nil {
		return ""
	}
	return u.Username
}

func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
