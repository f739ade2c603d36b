package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// clientAccess is what a client needs to talk on the pipe: read, write
// data, and write attributes (pipe mode). It deliberately lacks
// FILE_APPEND_DATA, which on a pipe is the right to create another server
// instance: a user who had it could answer other users' apps as the
// service.
const clientAccess = windows.FILE_GENERIC_READ | windows.FILE_WRITE_DATA | windows.FILE_WRITE_ATTRIBUTES

// pipeSDDL: SYSTEM and Administrators full control, Authenticated Users
// clientAccess (0x12018B), nobody else. P protects it from inherited
// entries.
const pipeSDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;0x12018B;;;AU)"

// Listen creates the named pipe at path (for example
// `\\.\pipe\ProtectedPrefix\Administrators\Firstline\localapi`; only
// administrators can create pipes under that prefix, so no user can squat
// the name before the service starts).
func Listen(path string) (net.Listener, error) {
	ln, err := winio.ListenPipe(path, &winio.PipeConfig{
		SecurityDescriptor: pipeSDDL,
		InputBufferSize:    64 << 10,
		OutputBufferSize:   64 << 10,
	})
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	return ln, nil
}

// Dial connects to the named pipe at path.
func Dial(ctx context.Context, path string) (net.Conn, error) {
	return winio.DialPipeAccess(ctx, path, clientAccess)
}

// IsUnreachable reports whether a Dial error means nobody is serving the
// pipe.
func IsUnreachable(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) ||
		errors.Is(err, windows.ERROR_PIPE_BUSY) || errors.Is(err, os.ErrPermission)
}

// peerCreds reads the pipe client's process token: its user and primary
// group SIDs and whether it is elevated.
func peerCreds(c net.Conn) (Creds, error) {
	fc, ok := c.(interface{ Fd() uintptr })
	if !ok {
		return Creds{}, fmt.Errorf("%w: %T is not a named pipe", ErrNoCreds, c)
	}
	var pid uint32
	if err := windows.GetNamedPipeClientProcessId(windows.Handle(fc.Fd()), &pid); err != nil {
		return Creds{}, fmt.Errorf("%w: GetNamedPipeClientProcessId: %w", ErrNoCreds, err)
	}
	proc, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return Creds{}, fmt.Errorf("%w: opening client process %d: %w", ErrNoCreds, pid, err)
	}
	defer windows.CloseHandle(proc)
	var token windows.Token
	if err := windows.OpenProcessToken(proc, windows.TOKEN_QUERY, &token); err != nil {
		return Creds{}, fmt.Errorf("%w: opening token of process %d: %w", ErrNoCreds, pid, err)
	}
	defer token.Close()
	user, err := token.GetTokenUser()
	if err != nil {
		return Creds{}, fmt.Errorf("%w: reading token user: %w", ErrNoCreds, err)
	}
	group, err := token.GetTokenPrimaryGroup()
	if err != nil {
		return Creds{}, fmt.Errorf("%w: reading token group: %w", ErrNoCreds, err)
	}
	return Creds{
		UID:   user.User.Sid.String(),
		GID:   group.PrimaryGroup.String(),
		PID:   int(pid),
		Admin: token.IsElevated() || user.User.Sid.IsWellKnown(windows.WinLocalSystemSid),
	}, nil
}
