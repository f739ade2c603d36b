package localapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// serveFlaky serves watch streams that send one state event and hang up,
// counting the connections.
func serveFlaky(t *testing.T) (sock string, attempts *atomic.Int64) {
	t.Helper()
	sock = filepath.Join(t.TempDir(), "s.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	attempts = &atomic.Int64{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		fmt.Fprintf(w, "{\"type\":\"state\",\"seq\":1,\"state\":{}}\n")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sock, attempts
}

func TestFollowBacksOffFromAServiceThatDropsEveryStream(t *testing.T) {
	sock, attempts := serveFlaky(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	events := 0
	NewClient(sock).Follow(ctx, FollowOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond},
		func(Event) { events++ })
	// Doubling from 10 ms to 200 ms spends a second in about 9 attempts; a
	// backoff reset on every event would make about 130.
	if n := attempts.Load(); n > 15 || n < 3 {
		t.Fatalf("%d connections in 1 s, want between 3 and 15", n)
	}
	if events == 0 {
		t.Fatal("no events delivered")
	}
}

func TestWatchReportsUnreachable(t *testing.T) {
	err := NewClient(filepath.Join(t.TempDir(), "nobody-here.sock")).Watch(context.Background(),
		func(Event) error { return nil })
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
}
