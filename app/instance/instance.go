// Package instance keeps one tray app per user. The first launch becomes the
// primary and listens on a private endpoint (a Unix socket in a folder only
// the user can enter, or a named pipe only the user can open); a later
// launch — from the applications menu, say, because the tray icon is hidden —
// asks the primary to show its window and then exits with
// [ErrAlreadyRunning].
package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// ErrAlreadyRunning is returned by [Acquire] when another instance of the
// app runs for this user; it has been asked to bring its window forward.
var ErrAlreadyRunning = errors.New("firstline is already running for this user")

// errBusy is what the per-OS listen returns when another live instance owns
// the endpoint.
var errBusy = errors.New("endpoint owned by a running instance")

// The whole protocol: one request line, one reply line.
const (
	requestShow = "show"
	replyOK     = "ok"
)

// handshakeTimeout bounds one exchange on either side, so a stuck peer can
// delay a launch or the primary's next request only briefly.
const handshakeTimeout = 3 * time.Second

// Instance is the primary instance. It serves "show" requests until Close.
type Instance struct {
	ln      net.Listener
	release io.Closer
	show    chan struct{}
	served  chan struct{}
	once    sync.Once
	err     error
}

// Acquire makes this process the user's primary instance of the app called
// name (a plain word such as "firstline"), or, when another instance runs,
// asks it to show its window and returns [ErrAlreadyRunning]. A socket left
// behind by an instance that crashed does not count as running.
//
// ctx bounds the wait for the running instance's answer; the primary serves
// until [Instance.Close].
func Acquire(ctx context.Context, name string) (*Instance, error) {
	if name == "" || strings.ContainsAny(name, `/\:`) {
		return nil, fmt.Errorf("instance name %q must be a plain word", name)
	}
	ep, err := endpoint(name)
	if err != nil {
		return nil, err
	}
	ln, release, err := listen(ep)
	if errors.Is(err, errBusy) {
		if err := askToShow(ctx, ep); err != nil {
			return nil, fmt.Errorf("%w, but it did not answer: %w", ErrAlreadyRunning, err)
		}
		return nil, ErrAlreadyRunning
	}
	if err != nil {
		return nil, err
	}
	inst := &Instance{
		ln:      ln,
		release: release,
		show:    make(chan struct{}, 1),
		served:  make(chan struct{}),
	}
	go inst.serve()
	return inst, nil
}

// ShowRequests receives a value each time a later launch asked this
// instance to show its window. Requests that arrive while one is pending are
// merged: showing the window twice in a row is the same as once. Close
// closes the channel, so a loop over it ends with the instance.
func (i *Instance) ShowRequests() <-chan struct{} { return i.show }

// Close stops serving and gives the endpoint up, so the next launch becomes
// the primary. It is safe to call more than once.
func (i *Instance) Close() error {
	i.once.Do(func() {
		err := i.ln.Close()
		<-i.served // serve was the only sender
		close(i.show)
		i.err = errors.Join(err, i.release.Close())
	})
	return i.err
}

// serve answers requests one at a time: they come from the same user's own
// launches, a few a day, and serving them in line needs no further
// goroutines to own.
func (i *Instance) serve() {
	defer close(i.served)
	for {
		c, err := i.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			// Out of file descriptors or a similar passing condition; the
			// short pause keeps a persistent one from spinning.
			time.Sleep(100 * time.Millisecond)
			continue
		}
		i.answer(c)
	}
}

func (i *Instance) answer(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(handshakeTimeout))
	line, err := bufio.NewReader(io.LimitReader(c, 64)).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != requestShow {
		return
	}
	select {
	case i.show <- struct{}{}:
	default: // one is pending already
	}
	_, _ = io.WriteString(c, replyOK+"\n")
}

// askToShow sends the show request to the primary at ep. The primary may
// hold the endpoint a moment before it accepts (it is starting), so a failed
// dial is retried briefly.
func askToShow(ctx context.Context, ep string) error {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	c, err := dialRetrying(ctx, ep)
	if err != nil {
		return err
	}
	defer c.Close()
	deadline, _ := ctx.Deadline()
	_ = c.SetDeadline(deadline)
	if _, err := io.WriteString(c, requestShow+"\n"); err != nil {
		return fmt.Errorf("sending show request: %w", err)
	}
	line, err := bufio.NewReader(io.LimitReader(c, 64)).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the answer to the show request: %w", err)
	}
	if got := strings.TrimSpace(line); got != replyOK {
		return fmt.Errorf("unexpected answer %q to the show request", got)
	}
	return nil
}

func dialRetrying(ctx context.Context, ep string) (net.Conn, error) {
	const pause = 50 * time.Millisecond
	for {
		c, err := dial(ctx, ep)
		if err == nil {
			return c, nil
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("connecting to the running instance: %w", err)
		case <-t.C:
		}
	}
}
