package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

// watch streams newline-delimited JSON events: the whole state at once, then
// again on every change, and a keep-alive after KeepAlive of silence. It
// ends when the client leaves or the server shuts down.
func (s *Server) watch(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	// The stream outlives the request timeouts by design; lift both
	// deadlines (a read deadline would cancel the request's context).
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})

	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)

	enc := json.NewEncoder(w)
	send := func(ev localapi.Event) bool {
		ev.Time = time.Now().UTC()
		// A stalled reader must not pin a goroutine forever.
		_ = rc.SetWriteDeadline(time.Now().Add(s.opts.RequestTimeout))
		if err := enc.Encode(ev); err != nil {
			return false
		}
		return rc.Flush() == nil
	}

	s.log.Debug("watch stream opened", "uid", id.UID, "pid", id.PID)
	defer s.log.Debug("watch stream closed", "uid", id.UID, "pid", id.PID)

	keepAlive := time.NewTimer(s.opts.KeepAlive)
	defer keepAlive.Stop()
	var lastSeq uint64
	var lastSent *localapi.State
	for {
		seq, st, changed := s.opts.Hub.Snapshot()
		if seq != lastSeq {
			if s.opts.Personalize != nil {
				s.opts.Personalize(id, &st)
			}
			// A change that leaves this caller's view as it was (another
			// user's report moved) is not sent: nothing to show, and
			// nothing to learn about other users from its timing.
			if lastSent == nil || st != *lastSent {
				if !send(localapi.Event{Type: localapi.EventState, Seq: seq, State: &st}) {
					return
				}
				lastSent = &st
				keepAlive.Reset(s.opts.KeepAlive)
			}
			lastSeq = seq
		}
		select {
		case <-changed:
		case <-keepAlive.C:
			if !send(localapi.Event{Type: localapi.EventKeepAlive, Seq: lastSeq}) {
				return
			}
			keepAlive.Reset(s.opts.KeepAlive)
		case <-r.Context().Done():
			return
		case <-s.stopping:
			return
		}
	}
}
