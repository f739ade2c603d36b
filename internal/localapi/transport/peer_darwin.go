package transport

import (
	"fmt"
	"net"
	"strconv"

	"golang.org/x/sys/unix"
)

func peerCreds(c net.Conn) (Creds, error) {
	var cred *unix.Xucred
	pid := 0
	err := withFD(c, func(fd int) (err error) {
		cred, err = unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		if err != nil {
			return fmt.Errorf("LOCAL_PEERCRED: %w", err)
		}
		// Older kernels lack LOCAL_PEERPID; the credential alone still
		// identifies the user.
		if p, err := unix.GetsockoptInt(fd, unix.SOL_LOCAL, unix.LOCAL_PEERPID); err == nil {
			pid = p
		}
		return nil
	})
	if err != nil {
		return Creds{}, err
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
