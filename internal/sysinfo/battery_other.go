//go:build !linux && !windows && !darwin

package sysinfo

import "context"

func batteries(context.Context, *Options) ([]Battery, error) { return nil, nil }
