//go:build !linux && !windows && !darwin

package sysinfo

import "context"

func osProblems(context.Context, *Options, *Problems) error { return nil }
