package api

import (
	"sync"

	"github.com/firstline-it/firstline/internal/localapi/transport"
)

// quota shares the connection limit fairly. Each ordinary user may hold a
// few connections (an app needs one watch stream and a request or two), and
// the last slots are kept for administrators: no user can lock IT, or the
// other people on a shared machine, out of the service.
type quota struct {
	max, perUser, reserved int

	mu    sync.Mutex
	total int
	byUID map[string]int
}

func newQuota(limit int) *quota {
	return &quota{
		max:      limit,
		perUser:  max(2, limit/8),
		reserved: limit / 8,
		byUID:    map[string]int{},
	}
}

// acquire takes a slot for c's peer, or says which limit refused it.
func (q *quota) acquire(c transport.Creds) (release func(), refused string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case c.Admin && q.total >= q.max:
		return nil, "connection limit"
	case !c.Admin && q.byUID[c.UID] >= q.perUser:
		return nil, "per-user connection limit"
	case !c.Admin && q.total >= q.max-q.reserved:
		return nil, "connection limit (the rest is kept for administrators)"
	}
	q.total++
	q.byUID[c.UID]++
	var once sync.Once
	return func() { once.Do(func() { q.release(c.UID) }) }, ""
}

func (q *quota) release(uid string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.total--
	if q.byUID[uid]--; q.byUID[uid] <= 0 {
		delete(q.byUID, uid)
	}
}
