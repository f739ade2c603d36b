package config

import (
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// exampleKeyLine matches a commented-out setting: "# key = value".
func exampleKeyLine() *regexp.Regexp { return regexp.MustCompile(`^# ([a-z0-9_]+) = (.+)$`) }

// uncommentExample turns every "# key = value" line into "key = value".
// replace, when it has the dotted key, gives the value to write instead.
func uncommentExample(t *testing.T, replace map[string]string) []byte {
	t.Helper()
	var out []string
	table := ""
	keyLine := exampleKeyLine()
	for _, line := range strings.Split(string(Example()), "\n") {
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(line, "[]")
		}
		if m := keyLine.FindStringSubmatch(line); m != nil {
			value := m[2]
			if r, ok := replace[table+"."+m[1]]; ok {
				value = r
			}
			line = m[1] + " = " + value
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

// osDependent are the keys whose example value is the Linux default; the
// comments above them give the other OSes'.
func osDependent() map[string]func(layout) string {
	return map[string]func(layout) string{
		"service.log_file":  func(l layout) string { return l.logFile },
		"service.state_dir": func(l layout) string { return l.stateDir },
	}
}

// TestExampleMatchesDefaults: the example, uncommented, is exactly the
// defaults, and it sets every key of the schema, so a new key without
// documentation (or a default changed in one place only) fails here.
func TestExampleMatchesDefaults(t *testing.T) {
	replace := map[string]string{}
	for key, get := range osDependent() {
		// toml's basic strings escape backslashes as Go's do, which
		// Windows paths need.
		replace[key] = strconv.Quote(get(currentLayout()))
	}
	m := newMerger()
	m.apply("example", uncommentExample(t, replace))
	if len(m.problems) > 0 {
		t.Fatalf("uncommented example does not load: %v", &Error{Problems: m.problems})
	}
	if !reflect.DeepEqual(m.cfg, Defaults()) {
		t.Errorf("uncommented example gives\n%+v\nDefaults() is\n%+v", m.cfg, Defaults())
	}

	var set, missing []string
	for key := range m.origins {
		set = append(set, key)
	}
	sort.Strings(set)
	for _, key := range m.schema.leaves() {
		if _, ok := m.origins[key]; !ok {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		t.Errorf("example does not document %q (it sets %q)", missing, set)
	}
}

// TestExampleDocumentsEveryOS checks the example's values for the
// OS-dependent keys are the Linux defaults and that its comments give the
// Windows and macOS ones.
func TestExampleDocumentsEveryOS(t *testing.T) {
	var fromExample Config
	if err := toml.Unmarshal(uncommentExample(t, nil), &fromExample); err != nil {
		t.Fatal(err)
	}
	linux := layoutFor("linux", func(string) string { return "" })
	if fromExample.Service.LogFile != linux.logFile || fromExample.Service.StateDir != linux.stateDir {
		t.Errorf("example sets log_file %q, state_dir %q; want the Linux defaults %q, %q",
			fromExample.Service.LogFile, fromExample.Service.StateDir, linux.logFile, linux.stateDir)
	}
	for _, goos := range []string{"linux", "windows", "darwin"} {
		l := layoutFor(goos, func(string) string { return "" })
		for key, get := range osDependent() {
			if v := get(l); v != "" && !strings.Contains(string(Example()), v) {
				t.Errorf("example does not give the %s default of %s (%s)", goos, key, v)
			}
		}
		if !strings.Contains(string(Example()), strings.Replace(l.configFile, defaultProgramData, "%ProgramData%", 1)) {
			t.Errorf("example does not name the %s main file %s", goos, l.configFile)
		}
	}
}

// TestExampleAsShippedIsDefaults: installing the example unchanged changes
// nothing.
func TestExampleAsShippedIsDefaults(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": string(Example())})
	l := mustLoad(t, main)
	if !reflect.DeepEqual(l.Config, Defaults()) {
		t.Errorf("example as shipped gives %+v, want Defaults()", l.Config)
	}
}

// TestExampleExplainsEveryKey: each setting has a comment above it.
func TestExampleExplainsEveryKey(t *testing.T) {
	keyLine := exampleKeyLine()
	lines := strings.Split(string(Example()), "\n")
	for i, line := range lines {
		if !keyLine.MatchString(line) {
			continue
		}
		if i == 0 || !strings.HasPrefix(lines[i-1], "#") || keyLine.MatchString(lines[i-1]) {
			t.Errorf("example line %d (%s) has no explanation above it", i+1, line)
		}
	}
}
