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
	var cred *unix.Xucred
	var pid int
	var credErr, pidErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		pid, pidErr = unix.GetsockoptInt(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERPID)
	}); err != nil {
		return Creds{}, fmt.Errorf("%w: %w", ErrNoCreds, err)
	}
	if credErr != nil {
		return Creds{}, fmt.Errorf("%w: LOCAL_PEERCRED: %w", ErrNoCreds, credErr)
	}
	if pidErr != nil {
		pid = 0 // older kernels: identity still comes from the credential
	}
	gid := ""
	if cred.Ngroups > 0 {
		gid = strconv.FormatUint(uint64(cred.Groups[0]), 10)
	}
	return Creds{
		UID:   strconv.FormatUint(uint64(cred.Uid), 10),
		GID:   gid,
		PID:   pid,
		Admin: cred.Uid == 0,
	}, nil
}
