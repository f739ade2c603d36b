package events

import (
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/localapi"
)

func TestUpdateWakesWatchersOnlyOnChange(t *testing.T) {
	h := NewHub(localapi.State{ServiceVersion: "1"})
	seq, st, changed := h.Snapshot()
	if seq != 1 || st.ServiceVersion != "1" {
		t.Fatalf("initial snapshot = %d %+v", seq, st)
	}

	if h.Update(func(s *localapi.State) { s.ServiceVersion = "1" }) {
		t.Fatal("Update with no difference reported a change")
	}
	select {
	case <-changed:
		t.Fatal("watchers woken without a change")
	default:
	}

	if !h.Update(func(s *localapi.State) { s.Notices.Unread = 2 }) {
		t.Fatal("Update with a difference reported no change")
	}
	select {
	case <-changed:
	case <-time.After(time.Second):
		t.Fatal("watchers not woken by a change")
	}
	seq, st, _ = h.Snapshot()
	if seq != 2 || st.Notices.Unread != 2 {
		t.Fatalf("after change: seq %d state %+v", seq, st)
	}
}

func TestManyWatchersSeeLatestState(t *testing.T) {
	h := NewHub(localapi.State{})
	const watchers = 50
	var wg sync.WaitGroup
	results := make(chan int, watchers)
	for range watchers {
		_, _, changed := h.Snapshot()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-changed
			_, st, _ := h.Snapshot()
			results <- st.Notices.Unread
		}()
	}
	h.Update(func(s *localapi.State) { s.Notices.Unread = 7 })
	wg.Wait()
	close(results)
	for got := range results {
		if got != 7 {
			t.Fatalf("watcher saw unread=%d, want 7", got)
		}
	}
}
