package transport

import (
	"fmt"
	"net"
	"strconv"

	"golang.org/x/sys/unix"
)

func peerCreds(c net.Conn) (Creds, error) {
	var cred *unix.Ucred
	err := withFD(c, func(fd int) (err error) {
		cred, err = unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
		if err != nil {
			return fmt.Errorf("SO_PEERCRED: %w", err)
		}
		return nil
	})
	if err != nil {
		return Creds{}, err
	}
	return Creds{
		UID:   strconv.FormatUint(uint64(cred.Uid), 10),
		GID:   strconv.FormatUint(uint64(cred.Gid), 10),
		PID:   int(cred.Pid),
		Admin: cred.Uid == 0,
	}, nil
}
