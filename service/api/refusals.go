package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/firstline-it/firstline/internal/ratelimit"
)

// refusalLog logs refusals, at most a burst and then one a minute per uid,
// with the number suppressed in between.
type refusalLog struct {
	log      *slog.Logger
	throttle *ratelimit.PerKey
}

func newRefusalLog(log *slog.Logger) *refusalLog {
	return &refusalLog{log: log, throttle: ratelimit.New(20, time.Minute, time.Now)}
}

func (r *refusalLog) refused(ctx context.Context, level slog.Level, uid, msg string, attrs ...any) {
	d := r.throttle.Allow(uid)
	if !d.OK {
		return
	}
	if d.Suppressed > 0 {
		attrs = append(attrs, "suppressed_before", d.Suppressed)
	}
	r.log.Log(ctx, level, msg, attrs...)
}
