package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/godbus/dbus/v5"
)

// printer writes one JSON object per line; exported D-Bus methods run on
// their own goroutines, so writes are serialised.
type printer struct {
	mu  sync.Mutex
	enc *json.Encoder
}

var out = newPrinter()

func newPrinter() *printer {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	return &printer{enc: enc}
}

func (p *printer) event(v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.enc.Encode(v)
}

func (p *printer) text(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Print(s)
}

// plain converts D-Bus values into something encoding/json prints readably.
func plain(v any) any {
	switch x := v.(type) {
	case dbus.Variant:
		return plain(x.Value())
	case []byte:
		return fmt.Sprintf("<%d bytes>", len(x))
	case []any:
		s := make([]any, len(x))
		for i := range x {
			s[i] = plain(x[i])
		}
		return s
	case [][]any:
		s := make([]any, len(x))
		for i := range x {
			s[i] = plain(x[i])
		}
		return s
	case map[string]dbus.Variant:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[k] = plain(val)
		}
		return m
	case string, bool, int16, uint16, int32, uint32, int64, uint64, float64, uint8, []string, dbus.ObjectPath:
		return x
	default:
		return fmt.Sprint(x)
	}
}
