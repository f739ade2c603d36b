package logging

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
)

// systemHandler formats records as text and hands them to the OS service
// logger at the matching severity (Event Log types, syslog priorities).
type systemHandler struct {
	sys   SystemLogger
	level slog.Level
	mu    *sync.Mutex
	buf   *bytes.Buffer
	text  slog.Handler // writes into buf; carries WithAttrs/WithGroup state
}

func newSystemHandler(sys SystemLogger, level slog.Level) *systemHandler {
	buf := &bytes.Buffer{}
	return &systemHandler{
		sys: sys, level: level, mu: &sync.Mutex{}, buf: buf,
		text: slog.NewTextHandler(buf, &slog.HandlerOptions{
			Level: level,
			// The OS logger stamps its own time.
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if len(groups) == 0 && a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			},
		}),
	}
}

func (h *systemHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *systemHandler) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf.Reset()
	if err := h.text.Handle(ctx, r); err != nil {
		return err
	}
	line := string(bytes.TrimRight(h.buf.Bytes(), "\n"))
	switch {
	case r.Level >= slog.LevelError:
		return h.sys.Error(line)
	case r.Level >= slog.LevelWarn:
		return h.sys.Warning(line)
	default:
		return h.sys.Info(line)
	}
}

func (h *systemHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.text = h.text.WithAttrs(attrs)
	return &c
}

func (h *systemHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.text = h.text.WithGroup(name)
	return &c
}
