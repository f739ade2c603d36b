// Package fixes is the schema of Firstline's one-click repairs: a [Fix] is a
// reviewed recipe of typed parameters and a short list of [Step]s drawn from
// a small fixed set of actions implemented in Go. Nothing in a fix is ever
// handed to a shell; parameters are validated against their declaration and
// only ever become whole argv elements.
//
// The package is OS-neutral on purpose: validation, parameter handling and
// the dry run ([Fix.Plan]) take the target OS as data, so the tests on Linux
// check the Windows and macOS fixes too. Running a plan is the runner
// subpackage's job; the built-in fixes live in builtin, admin files in
// catalog, the audit log in audit and the health checks in health.
package fixes
