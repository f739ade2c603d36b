// Package servicetest runs the real firstline-service binary for crash
// tests: start it, wait until it answers, kill it, stop it. Only tests
// import it; it is Linux-only, where the crash tests run.
package servicetest
