//go:build windows

package runner

import (
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// processTree puts a program into a Job Object, so that the program and
// every process it starts can be terminated together, and so that nothing
// it started survives the job's handle being closed.
type processTree struct {
	mu  sync.Mutex
	job windows.Handle
}

func newProcessTree(cmd *exec.Cmd) *processTree {
	t := &processTree{}
	// No console window flashes up in the user's session.
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: windows.CREATE_NO_WINDOW}
	cmd.Cancel = func() error {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.job != 0 {
			return windows.TerminateJobObject(t.job, 1)
		}
		return cmd.Process.Kill()
	}
	return t
}

// started assigns the running program to a new job that kills everything
// in it when closed. A process the program starts in its first instants,
// before the assignment, escapes the job; the programs of the catalog do
// not start children that fast.
func (t *processTree) started(cmd *exec.Cmd) error {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return fmt.Errorf("creating a job object: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{
		BasicLimitInformation: windows.JOBOBJECT_BASIC_LIMIT_INFORMATION{
			LimitFlags: windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
		},
	}
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return fmt.Errorf("setting up the job object: %w", err)
	}
	proc, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(cmd.Process.Pid))
	if err != nil {
		windows.CloseHandle(job)
		return fmt.Errorf("opening the process: %w", err)
	}
	defer windows.CloseHandle(proc)
	if err := windows.AssignProcessToJobObject(job, proc); err != nil {
		windows.CloseHandle(job)
		return fmt.Errorf("assigning the process to its job: %w", err)
	}
	t.mu.Lock()
	t.job = job
	t.mu.Unlock()
	return nil
}

func (t *processTree) kill(*exec.Cmd) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job != 0 {
		_ = windows.TerminateJobObject(t.job, 1)
	}
}

// close closes the job, which kills whatever is still in it.
func (t *processTree) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job != 0 {
		windows.CloseHandle(t.job)
		t.job = 0
	}
}

// rootDir is empty: programs start in the service's folder (System32).
func rootDir() string { return "" }
