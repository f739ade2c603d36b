//go:build !windows

package sysinfo

// commandEnv is the fixed environment of external commands: the C locale
// (so "1,5" never means one and a half) and a PATH of system folders only.
func commandEnv() []string {
	return []string{"LANG=C", "LC_ALL=C", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
}
