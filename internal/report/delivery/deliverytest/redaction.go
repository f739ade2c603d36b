package deliverytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// NoLeak fails t if any of the secrets shows up when the values are
// printed the ways a log line or a diagnostics dump would: %v, %+v, %#v,
// JSON, and slog's text and JSON handlers.
func NoLeak(t testing.TB, secrets []string, values ...any) {
	t.Helper()
	for i, v := range values {
		var outs []string
		outs = append(outs, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v))
		if b, err := json.Marshal(v); err == nil {
			outs = append(outs, string(b))
		}
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "value", v)
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "value", v)
		outs = append(outs, buf.String())
		for _, out := range outs {
			for _, s := range secrets {
				if s != "" && strings.Contains(out, s) {
					t.Errorf("value %d (%T) prints a secret: %s", i, v, out)
				}
			}
		}
	}
}
