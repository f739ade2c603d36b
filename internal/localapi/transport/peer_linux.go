package transport

import (
	"fmt"
	"net"
	"strconv"

	"golang.org/x/sys/unix"
)

func peerCreds(c net.Conn) (Creds, error) {
	raw, err := rawConn(c)
	if err != nil {
		return Creds{}, err
	}
	var cred *unix.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return Creds{}, fmt.Errorf("%w: %w", ErrNoCreds, err)
	}
	if credErr != nil {
		return Creds{}, fmt.Errorf("%w: SO_PEERCRED: %w", ErrNoCreds, credErr)
	}
	return Creds{
		UID:   strconv.FormatUint(uint64(cred.Uid), 10),
		GID:   strconv.FormatUint(uint64(cred.Gid), 10),
		PID:   int(cred.Pid),
		Admin: cred.Uid == 0,
	}, nil
}
