package instance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// endpoint returns a pipe name unique to this user and logon session: the
// pipe namespace is shared by all sessions, and a user signed in at the
// console and over RDP wants a tray app in each.
func endpoint(name string) (string, error) {
	sid, err := currentSID()
	if err != nil {
		return "", err
	}
	var session uint32
	if err := windows.ProcessIdToSessionId(windows.GetCurrentProcessId(), &session); err != nil {
		return "", fmt.Errorf("reading the logon session: %w", err)
	}
	return fmt.Sprintf(`\\.\pipe\firstline-%s-%d-%s`, sid, session, name), nil
}

// listen creates the pipe. Only this user may open it. Windows removes a
// pipe with its last handle, so there is no stale endpoint to clean up: if
// it exists, its owner is alive.
func listen(pipe string) (net.Listener, io.Closer, error) {
	sid, err := currentSID()
	if err != nil {
		return nil, nil, err
	}
	ln, err := winio.ListenPipe(pipe, &winio.PipeConfig{
		SecurityDescriptor: "D:P(A;;GA;;;" + sid + ")",
	})
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) || errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_PIPE_BUSY) {
		return nil, nil, errBusy
	}
	if err != nil {
		return nil, nil, fmt.Errorf("listening on %s: %w", pipe, err)
	}
	return ln, nothingToRelease{}, nil
}

// nothingToRelease: the pipe itself is the lock, gone with the listener.
type nothingToRelease struct{}

func (nothingToRelease) Close() error { return nil }

func dial(ctx context.Context, pipe string) (net.Conn, error) {
	return winio.DialPipeContext(ctx, pipe)
}

func currentSID() (string, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("reading the current user: %w", err)
	}
	return user.User.Sid.String(), nil
}
