//go:build !linux && !windows && !darwin

package sysinfo

import "context"

func osRelease(context.Context, *Options) (release, error) { return release{}, nil }

func machine(context.Context, *Options) (machineInfo, error) { return machineInfo{}, nil }
