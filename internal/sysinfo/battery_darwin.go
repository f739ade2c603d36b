package sysinfo

import (
	"context"
	"fmt"
)

// batteries asks pmset, which every Mac has.
func batteries(ctx context.Context, o *Options) ([]Battery, error) {
	out, err := o.Run(ctx, "/usr/bin/pmset", "-g", "batt")
	if err != nil {
		return nil, fmt.Errorf("pmset: %w", err)
	}
	return parsePmset(out), nil
}
