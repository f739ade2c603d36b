// Package config is the configuration of firstline-service: the schema, its
// per-OS defaults, and the loader that reads the main file and its conf.d
// drop-ins.
//
// The service runs as root (LocalSystem on Windows) and its configuration
// decides what it does on the machine, so the loader is deliberately strict:
//
//   - a file or directory that anyone but root (or the user running the
//     process) can write is refused, not just warned about;
//   - unknown keys are errors, so a typo never silently falls back to a
//     default;
//   - every problem names the file and line it comes from, and all problems
//     of a load are reported together, so an administrator fixes them in
//     one pass.
//
// A missing main file or conf.d directory is not an error: the embedded
// defaults ([Defaults]) apply, which keeps a fresh install working.
//
// The documented example file ([Example]) is embedded and tested against
// [Defaults] and the schema, so documentation and behaviour cannot drift.
package config
