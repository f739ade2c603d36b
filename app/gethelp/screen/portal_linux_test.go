package screen

import (
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

func TestPortalURI(t *testing.T) {
	ok := map[string]dbus.Variant{"uri": dbus.MakeVariant("file:///home/ann/Pictures/Screenshot.png")}
	tests := []struct {
		name string
		body []any
		want string // the URI, or a piece of the error
		fail bool
	}{
		{"success", []any{uint32(0), ok}, "file:///home/ann/Pictures/Screenshot.png", false},
		{"cancelled", []any{uint32(1), ok}, "not allowed", true},
		{"failed", []any{uint32(2), map[string]dbus.Variant{}}, "code 2", true},
		{"no uri", []any{uint32(0), map[string]dbus.Variant{}}, "did not say where", true},
		{"uri of the wrong type", []any{uint32(0), map[string]dbus.Variant{"uri": dbus.MakeVariant(42)}}, "did not say where", true},
		{"no code", []any{"0", ok}, "without a response code", true},
		{"short", []any{uint32(0)}, "1 values", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := portalURI(tt.body)
			switch {
			case tt.fail && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %q, %v; want an error with %q", got, err, tt.want)
			case !tt.fail && (err != nil || got != tt.want):
				t.Errorf("got %q, %v", got, err)
			}
		})
	}
}

func TestReadPortalFileRefusesOtherSchemes(t *testing.T) {
	for _, uri := range []string{"https://example.com/x.png", "file://", "::"} {
		if _, err := readPortalFile(uri); err == nil {
			t.Errorf("%q accepted", uri)
		}
	}
}

func TestIsWayland(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"XDG_SESSION_TYPE": "wayland"}, true},
		{map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, true},
		{map[string]string{"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, false},
		{map[string]string{}, false},
	}
	for _, tt := range tests {
		if got := isWayland(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %v", tt.env, got)
		}
	}
}
