package transport

// DefaultPath is where the installed service listens.
const DefaultPath = "/run/firstline/local.sock"
