//go:build !linux && !windows && !darwin

package builtin

// goos is empty on systems without built-in fixes: For returns none.
const goos = ""
