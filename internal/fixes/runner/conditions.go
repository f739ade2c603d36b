package runner

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/firstline-it/firstline/internal/fixes"
)

// builtinConditions answers conditions from the running system.
type builtinConditions struct {
	r *Runner
}

// conditionTimeout bounds one test of a condition (a DNS lookup, a
// systemctl call); WaitFor retries until its own timeout.
const conditionTimeout = 10 * time.Second

func (b *builtinConditions) Holds(ctx context.Context, c fixes.Condition) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, conditionTimeout)
	defer cancel()
	switch c.Kind {
	case fixes.CondNetworkUp:
		return networkUp()
	case fixes.CondDNSResolves:
		addrs, err := net.DefaultResolver.LookupHost(ctx, c.Arg)
		if err != nil {
			return false, nil // not resolving is the answer, not an error
		}
		return len(addrs) > 0, nil
	case fixes.CondProcessRunning:
		return b.r.apps.Running(ctx, c.Arg)
	case fixes.CondProcessGone:
		running, err := b.r.apps.Running(ctx, c.Arg)
		return !running, err
	}
	cmd, ok := fixes.ConditionCommand(b.r.platform, c)
	if !ok {
		return false, fmt.Errorf("unknown condition %q", c.Kind)
	}
	out := &outputLog{cap: 16 << 10, emit: func(string) {}}
	argv := append([]string{b.r.mapPath(cmd.Argv[0])}, cmd.Argv[1:]...)
	if _, err := os.Stat(argv[0]); err != nil {
		return false, fmt.Errorf("%s is not installed", cmd.Argv[0])
	}
	exit, err := runCommand(ctx, argv, commandEnv(b.r.platform.GOOS, b.r.as, os.Getenv, b.r.testEnv), out)
	if err != nil {
		return false, err
	}
	return fixes.ConditionHolds(b.r.platform.GOOS, c, exit, out.String()), nil
}

// networkUp reports whether an interface other than loopback is up with a
// routable address: what "the network came back" means after a renew.
func networkUp() (bool, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return false, fmt.Errorf("listing network interfaces: %w", err)
	}
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.IsGlobalUnicast() {
				return true, nil
			}
		}
	}
	return false, nil
}
