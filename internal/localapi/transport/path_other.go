//go:build unix && !linux && !darwin

package transport

// DefaultPath is where the installed service listens.
const DefaultPath = "/var/run/firstline/local.sock"
