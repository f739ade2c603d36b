package audit

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// capture keeps the messages logged through it, to check warnings.
type capture struct {
	mu   sync.Mutex
	msgs []string
}

func newCapture() (*capture, *slog.Logger) {
	c := &capture{}
	return c, slog.New(c)
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *capture) WithGroup(string) slog.Handler            { return c }
func (c *capture) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, r.Message)
	return nil
}

func (c *capture) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

func (c *capture) has(sub string) bool {
	for _, m := range c.all() {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}
