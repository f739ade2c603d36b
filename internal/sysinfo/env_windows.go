package sysinfo

import "os"

// commandEnv is the fixed environment of external commands: the system
// folders Windows tools need and nothing a user could have set.
func commandEnv() []string {
	env := []string{"LANG=C"}
	for _, k := range []string{"SystemRoot", "windir", "ProgramData", "ProgramFiles", "ProgramFiles(x86)", "SystemDrive", "PATH", "PATHEXT", "COMSPEC"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
