package api

import (
	"errors"
	"net/http"

	"github.com/firstline-it/firstline/internal/localapi"
	core "github.com/firstline-it/firstline/internal/notices"
	"github.com/firstline-it/firstline/service/notices"
)

// Notices is what the notice routes need from the service's notices
// (service/notices). State is keyed by the uid the kernel reported for the
// connection, never by anything in the request, so no user can read or
// change another's.
type Notices interface {
	// View is uid's notices now.
	View(uid string) (localapi.NoticeView, error)
	// Act records uid's action on a notice; errors wrap
	// notices.ErrNoSuchNotice or core.ErrActionRefused for a request
	// that should not have been made.
	Act(uid, id string, action core.Action) (localapi.NoticeView, error)
	// CheckNow asks for a poll; the poller ignores it right after one.
	CheckNow()
	// Status is what this machine accepted and refused.
	Status() localapi.NoticeStatus
	// Counts are uid's unread and unacknowledged critical notices.
	Counts(uid string) localapi.NoticeSummary
}

// listNotices answers GET /v1/notices with the caller's view.
func (s *Server) listNotices(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	v, err := s.opts.Notices.View(id.UID)
	if err != nil {
		s.log.Error("reading notices", "uid", id.UID, "err", err)
		s.refuse(w, r, &id, localapi.CodeInternal, "the notice state could not be read")
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// noticeAction records POST /v1/notices/action?id=&action= for the
// caller and answers their new view.
func (s *Server) noticeAction(w http.ResponseWriter, r *http.Request, id localapi.Identity) {
	q := r.URL.Query()
	action, ok := notices.ParseAction(q.Get("action"))
	if !ok {
		s.refuse(w, r, &id, localapi.CodeBadRequest, "action must be seen, ack, dismiss or metoo")
		return
	}
	v, err := s.opts.Notices.Act(id.UID, q.Get("id"), action)
	switch {
	case errors.Is(err, notices.ErrNoSuchNotice):
		s.refuse(w, r, &id, localapi.CodeNotFound, "no such notice")
	case errors.Is(err, core.ErrActionRefused):
		s.refuse(w, r, &id, localapi.CodeBadRequest, err.Error())
	case err != nil:
		s.log.Error("recording a notice action", "uid", id.UID, "err", err)
		s.refuse(w, r, &id, localapi.CodeInternal, "the notice state could not be saved")
	default:
		writeJSON(w, http.StatusOK, v)
	}
}

// checkNotices asks for a poll now (POST /v1/notices/check). Any user may:
// the poller ignores a check moments after a poll, so clicking costs
// nothing.
func (s *Server) checkNotices(w http.ResponseWriter, _ *http.Request, _ localapi.Identity) {
	s.opts.Notices.CheckNow()
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusAccepted)
}

// noticeStatus answers GET /v1/notices/status. Any user: it says what the
// machine shows everybody and why a feed was refused, nothing personal.
func (s *Server) noticeStatus(w http.ResponseWriter, _ *http.Request, _ localapi.Identity) {
	writeJSON(w, http.StatusOK, s.opts.Notices.Status())
}
