package link

import (
	"errors"
	"fmt"
	"testing"

	"github.com/firstline-it/firstline/internal/localapi"
)

func TestZeroSnapshotIsConnecting(t *testing.T) {
	var s Snapshot
	if s.State != Connecting || s.ServiceVersion() != "" || s.Support() != (localapi.Support{}) {
		t.Errorf("zero snapshot = %+v, want connecting with nothing known", s)
	}
}

func TestConnectionTransitions(t *testing.T) {
	unreachable := fmt.Errorf("%w at /run/x.sock: connect: no such file", localapi.ErrUnreachable)
	silent := errors.New("watch stream silent for too long")

	s := Snapshot{}.WithConnection(localapi.Connection{Connected: true})
	if s.State != Up {
		t.Fatalf("after connect: %v, want up", s.State)
	}
	s = s.WithEvent(localapi.Event{Type: localapi.EventState, State: &localapi.State{
		ServiceVersion: "1.2.3", Notices: localapi.NoticeSummary{Unread: 2}}})
	if s.Live == nil || s.Live.Notices.Unread != 2 || s.ServiceVersion() != "1.2.3" {
		t.Fatalf("after state event: %+v", s)
	}

	down := s.WithConnection(localapi.Connection{Err: unreachable})
	if down.State != Down || down.Live != nil || !errors.Is(down.Err, localapi.ErrUnreachable) {
		t.Errorf("after unreachable: %+v, want down without live counts", down)
	}
	stuck := s.WithConnection(localapi.Connection{Err: silent})
	if stuck.State != NotResponding {
		t.Errorf("after a silent stream: %v, want not responding", stuck.State)
	}
	back := down.WithConnection(localapi.Connection{Connected: true})
	if back.State != Up || back.Err != nil {
		t.Errorf("after reconnect: %+v, want up with no error", back)
	}
}

func TestStatusSurvivesDisconnect(t *testing.T) {
	st := &localapi.Status{Version: "2.0.0", Support: localapi.Support{Organization: "ACME IT", Phone: "+1 555"}}
	s := Snapshot{}.WithConnection(localapi.Connection{Connected: true}).WithStatus(st)
	s = s.WithConnection(localapi.Connection{Err: localapi.ErrUnreachable})
	if s.Support().Organization != "ACME IT" {
		t.Errorf("support lost on disconnect: %+v", s.Support())
	}
	if s.ServiceVersion() != "2.0.0" {
		t.Errorf("version = %q, want the last known 2.0.0", s.ServiceVersion())
	}
	if s.WithStatus(nil).Status != st {
		t.Error("a nil status replaced the known one")
	}
}

func TestKeepAliveChangesNothing(t *testing.T) {
	s := Snapshot{}.WithConnection(localapi.Connection{Connected: true})
	s = s.WithEvent(localapi.Event{Type: localapi.EventState, State: &localapi.State{Notices: localapi.NoticeSummary{Unread: 1}}})
	after := s.WithEvent(localapi.Event{Type: localapi.EventKeepAlive})
	if after.Live != s.Live {
		t.Error("a keep-alive replaced the live state")
	}
	if got := s.WithEvent(localapi.Event{Type: "future"}); got.Live != s.Live {
		t.Error("an unknown event type changed the state")
	}
}
