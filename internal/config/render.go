package config

import (
	"bytes"
	_ "embed" // for the example file
	"fmt"

	"github.com/pelletier/go-toml/v2"
)

// Render returns the effective configuration as TOML, every key included
// (defaults too), for "firstline-service config check". Secrets show as
// "<redacted>": Secret's MarshalText never returns the value, so this holds
// for any Secret field added later without changes here.
func Render(c *Config) ([]byte, error) {
	return render(c)
}

// render encodes any value the way Render does; the tests use it with
// structs holding Secrets, which Config does not have yet.
func render(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(v); err != nil {
		return nil, fmt.Errorf("rendering the configuration as TOML: %w", err)
	}
	return buf.Bytes(), nil
}

//go:embed firstline.example.toml
var exampleFile string

// Example returns the documented example configuration file: every key,
// commented out, with its default and valid values. Installers can ship it
// next to the main file; the tests keep it in step with Defaults and the
// schema.
func Example() []byte { return []byte(exampleFile) }
