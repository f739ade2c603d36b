package api

import (
	"strconv"
	"testing"

	"github.com/firstline-it/firstline/internal/localapi/transport"
)

func TestQuotaIsFairAndKeepsSlotsForAdmins(t *testing.T) {
	q := newQuota(16) // 2 per user, 2 reserved for admins
	alice := transport.Creds{UID: "1000"}
	var releases []func()
	for i := range 2 {
		rel, refused := q.acquire(alice)
		if refused != "" {
			t.Fatalf("alice's connection %d refused: %s", i, refused)
		}
		releases = append(releases, rel)
	}
	if _, refused := q.acquire(alice); refused != "per-user connection limit" {
		t.Fatalf("alice's third connection: %q", refused)
	}
	// Other users fill the rest short of the reserve.
	for uid := 2000; q.total < q.max-q.reserved; uid++ {
		if _, refused := q.acquire(transport.Creds{UID: strconv.Itoa(uid)}); refused != "" {
			t.Fatalf("uid %d refused at %d/%d: %s", uid, q.total, q.max, refused)
		}
	}
	if _, refused := q.acquire(transport.Creds{UID: "9999"}); refused == "" {
		t.Fatal("an ordinary user got a reserved slot")
	}
	root := transport.Creds{UID: "0", Admin: true}
	for i := range q.reserved {
		if _, refused := q.acquire(root); refused != "" {
			t.Fatalf("admin connection %d refused: %s", i, refused)
		}
	}
	if _, refused := q.acquire(root); refused != "connection limit" {
		t.Fatalf("admin over the hard limit: %q", refused)
	}
	// Releasing (even twice) frees exactly one slot.
	total := q.total
	releases[0]()
	releases[0]()
	if q.total != total-1 || q.byUID["1000"] != 1 {
		t.Fatalf("after a double release: total %d (was %d), alice %d", q.total, total, q.byUID["1000"])
	}
}
