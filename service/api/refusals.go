package api

import (
	"context"
	"log/slog"
	"time"
)

// refusalLog logs refusals, at most a burst and then one a minute per uid,
// with the number suppressed in between.
type refusalLog struct {
	log      *slog.Logger
	throttle *throttle
}

func newRefusalLog(log *slog.Logger) *refusalLog {
	return &refusalLog{log: log, throttle: newThrottle(20, time.Minute, time.Now)}
}

func (r *refusalLog) refused(ctx context.Context, level slog.Level, uid, msg string, attrs ...any) {
	ok, suppressed := r.throttle.allow(uid)
	if !ok {
		return
	}
	if suppressed > 0 {
		attrs = append(attrs, "suppressed_before", suppressed)
	}
	r.log.Log(ctx, level, msg, attrs...)
}
