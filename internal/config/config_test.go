package config

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"testing"
)

func TestLayoutFor(t *testing.T) {
	env := func(programData string) func(string) string {
		return func(name string) string {
			if name == "ProgramData" {
				return programData
			}
			return ""
		}
	}
	tests := []struct {
		name string
		goos string
		env  func(string) string
		want layout
	}{
		{"linux", "linux", env(""), layout{
			configFile: "/etc/firstline/firstline.toml",
			stateDir:   "/var/lib/firstline",
		}},
		{"darwin", "darwin", env(""), layout{
			configFile: "/Library/Application Support/Firstline/firstline.toml",
			logFile:    "/Library/Logs/Firstline/service.log",
			stateDir:   "/Library/Application Support/Firstline/state",
		}},
		{"windows without ProgramData", "windows", env(""), layout{
			configFile: `C:\ProgramData\Firstline\firstline.toml`,
			logFile:    `C:\ProgramData\Firstline\logs\service.log`,
			stateDir:   `C:\ProgramData\Firstline\state`,
		}},
		{"windows with ProgramData", "windows", env(`D:\Data`), layout{
			configFile: `D:\Data\Firstline\firstline.toml`,
			logFile:    `D:\Data\Firstline\logs\service.log`,
			stateDir:   `D:\Data\Firstline\state`,
		}},
	}
	for _, tt := range tests {
		if got := layoutFor(tt.goos, tt.env); got != tt.want {
			t.Errorf("%s: layoutFor = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDefaultsAreValidAndFresh(t *testing.T) {
	d := Defaults()
	if err := d.Validate(); err != nil {
		t.Fatalf("Defaults() does not validate: %v", err)
	}
	if d.Service.StateDir != currentLayout().stateDir || DefaultPath() != currentLayout().configFile {
		t.Errorf("Defaults/DefaultPath do not follow this OS's layout")
	}
	d.Service.LogLevel = LogError
	if Defaults().Service.LogLevel != LogInfo {
		t.Error("Defaults() returned shared state")
	}
}

// TestValidateKeysAreSchemaKeys: Validate names keys by hand, so check each
// name it uses exists; a zero Config breaks nearly every rule.
func TestValidateKeysAreSchemaKeys(t *testing.T) {
	s := schemaFor(&Config{})
	var c Config
	c.Support.Email, c.Support.URL, c.Service.LogFile = "x", "x", "x"
	err := c.Validate()
	ps := problemsOf(t, err)
	seen := map[string]bool{}
	for _, p := range ps {
		if kind, ok := s[p.Key]; !ok || kind == kindTable {
			t.Errorf("Validate reports key %q, which is not a key of the schema", p.Key)
		}
		seen[p.Key] = true
	}
	if len(seen) < 10 {
		t.Errorf("a zero Config gave problems for only %d keys: %v", len(seen), err)
	}
}

func TestLogLevelSlog(t *testing.T) {
	for _, l := range logLevels() {
		if got := l.Slog().String(); got != map[LogLevel]string{LogDebug: "DEBUG", LogInfo: "INFO", LogWarn: "WARN", LogError: "ERROR"}[l] {
			t.Errorf("%s.Slog() = %s", l, got)
		}
	}
}

func TestSuggest(t *testing.T) {
	s := schemaFor(&Config{})
	tests := []struct {
		key     string
		isTable bool
		want    string
	}{
		{"service.log_levl", false, `; did you mean "log_level"?`},
		{"service.loglevel", false, `; did you mean "log_level"?`},
		{"localapi.state_dir", false, `; did you mean "state_dir" in [service]?`},
		{"service.max_conections", false, `; did you mean "max_connections" in [localapi]?`},
		{"local_api", true, `; did you mean [localapi]?`},
		{"service.completely_different", false, ""},
		{"x", true, ""},
	}
	for _, tt := range tests {
		if got := s.suggest(tt.key, tt.isTable); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// TestEveryFieldIsDocumented: each field of the configuration structs has
// a doc comment (the example file documents the keys for administrators;
// this is for the code's readers).
func TestEveryFieldIsDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	structs := map[string]bool{}
	for _, typ := range []reflect.Type{reflect.TypeFor[Config](), reflect.TypeFor[Service](), reflect.TypeFor[LocalAPI](), reflect.TypeFor[Support]()} {
		structs[typ.Name()] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || !structs[ts.Name.Name] {
			return true
		}
		delete(structs, ts.Name.Name)
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			if field.Doc == nil {
				t.Errorf("%s.%s has no doc comment", ts.Name.Name, field.Names[0].Name)
			}
		}
		return false
	})
	for name := range structs {
		t.Errorf("struct %s is not declared in config.go", name)
	}
}
