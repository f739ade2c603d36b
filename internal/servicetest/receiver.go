//go:build linux

package servicetest

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery/webhook"
)

// Receiver is a webhook destination for crash tests: it verifies each
// signature, counts deliveries by key, and remembers what each copy
// carried so duplicates can be compared.
type Receiver struct {
	Secret string

	mu       sync.Mutex
	copies   map[string][]string // key -> digest of each copy's content
	total    int
	badSig   int
	mismatch int // Idempotency-Key not the body's key
}

// Deliveries is what a Receiver saw.
type Deliveries struct {
	// Copies holds, per report key, a digest of each delivered copy.
	Copies   map[string][]string
	BadSig   int // deliveries whose signature did not verify
	Mismatch int // deliveries whose Idempotency-Key was not the body's key
}

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if webhook.Verify([]byte(r.Secret), req.Header.Get(webhook.HeaderTimestamp), req.Header.Get(webhook.HeaderSignature), body, time.Now(), 0) != nil {
		r.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if p.Key != req.Header.Get(webhook.HeaderKey) {
		r.mismatch++
	}
	// What the employee sent: the same for every copy of one report.
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.Reference, p.Text, p.Subject)
	for _, a := range p.Attachments {
		fmt.Fprintf(h, "%s\x00%s\x00", a.Name, a.SHA256)
	}
	if r.copies == nil {
		r.copies = map[string][]string{}
	}
	r.copies[p.Key] = append(r.copies[p.Key], fmt.Sprintf("%x", h.Sum(nil)))
	r.total++
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"ticket_id": %d}`, r.total)
}

// Delivered reports whether the report with key arrived.
func (r *Receiver) Delivered(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.copies[key]) > 0
}

// Result is a copy of what arrived so far.
func (r *Receiver) Result() Deliveries {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Deliveries{Copies: maps.Clone(r.copies), BadSig: r.badSig, Mismatch: r.mismatch}
}
