// Package metrics keeps a short, memory-bounded history of how busy the
// machine was: CPU, memory, disk and network throughput, and the process
// that used the most CPU, sampled every few seconds into a fixed-size ring
// covering the last hour. Nothing is written to disk.
//
// The history exists so that a report can show what "it was slow at 10:40"
// looked like. The service samples for ever while idle, so reading the
// counters has to stay cheap: on Linux the package reads /proc directly
// (one pass over /proc/[pid]/stat for the top process), on Windows it uses
// a handful of Win32/NT calls (one NtQuerySystemInformation for all
// processes), and on macOS gopsutil for the Mach and IOKit counters plus a
// routing-socket sysctl for network bytes.
//
// A [Source] returns cumulative counters; the [Sampler] turns two
// consecutive readings into the rates of one [Sample] and adds it to a
// [Ring]. Counters that go backwards or jump implausibly (a disk removed, a
// NIC reset) yield a rate of 0 for that sample rather than a negative or
// absurd value.
package metrics
