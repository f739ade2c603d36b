//go:build !windows

package reports

import (
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

func TestIsOfflineErrno(t *testing.T) {
	dial := func(errno error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	tests := []struct {
		err  error
		want bool
	}{
		{delivery.Transient(fmt.Errorf("webhook: %w", dial(syscall.ENETUNREACH)), 0), true},
		{dial(syscall.EHOSTUNREACH), true},
		{dial(syscall.ENETDOWN), true},
		{dial(syscall.ECONNREFUSED), false},
		{dial(syscall.ETIMEDOUT), false},
	}
	for _, tt := range tests {
		if got := isOffline(tt.err); got != tt.want {
			t.Errorf("isOffline(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
