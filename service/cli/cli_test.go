package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/firstline-it/firstline/service/manager"
)

func TestStatusExitOnlyHealthyWhenAnswering(t *testing.T) {
	for _, tc := range []struct {
		state     manager.State
		answering bool
		want      int
	}{
		{manager.StateRunning, true, ExitOK},
		{manager.StateNotInstalled, true, ExitOK}, // run by hand
		{manager.StateRunning, false, ExitDead},
		{manager.StateRestarting, false, ExitDead},
		{manager.StateFailed, false, ExitDead},
		{manager.StateStopped, false, ExitNotRunning},
		{manager.StateNotInstalled, false, ExitNotInstalled},
		{manager.StateUnknown, false, ExitNotInstalled},
	} {
		err := statusExit(tc.state, tc.answering)
		got := ExitOK
		var ee *exitError
		if errors.As(err, &ee) {
			got = ee.code
		} else if err != nil {
			got = ExitFailure
		}
		if got != tc.want {
			t.Errorf("%v answering=%v: exit %d, want %d", tc.state, tc.answering, got, tc.want)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		cmds := []*Command{c}
		prefix := []string{}
		if c.Sub != nil {
			cmds, prefix = c.Sub, []string{c.Name}
		}
		for _, sub := range cmds {
			var out, errOut bytes.Buffer
			args := append(append([]string{}, prefix...), sub.Name, "--help")
			code := Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errOut})
			if code != ExitOK || !strings.Contains(out.String(), "Usage: firstline-service") ||
				!strings.Contains(out.String(), sub.Summary) {
				t.Errorf("%v: exit %d\n%s%s", args, code, out.String(), errOut.String())
			}
		}
	}
}
