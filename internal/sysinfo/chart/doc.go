// Package chart renders the metrics history as a PNG for a helpdesk
// ticket: CPU and memory on a 0-100 % panel, disk and network throughput
// on a smaller auto-scaled panel, clock labels in the employee's time
// zone, and the CPU peak labelled with the process behind it, so that "it
// was slow at 10:40" can be seen rather than described.
//
// It is pure Go (image/png, golang.org/x/image for antialiased lines and
// the Go fonts), so the service renders it without cgo or a display.
package chart
