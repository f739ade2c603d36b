package config

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strings"
)

// secrets maps the dotted key of every Secret of cfg ("delivery.rt.token")
// to whether it holds a value.
func secrets(cfg *Config) map[string]bool {
	out := map[string]bool{}
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			switch {
			case f.Type == reflect.TypeFor[Secret]():
				out[prefix+name] = v.Field(i).Interface().(Secret).Reveal() != ""
			case f.Type.Kind() == reflect.Struct:
				walk(prefix+name+".", v.Field(i))
			}
		}
	}
	walk("", reflect.ValueOf(cfg).Elem())
	return out
}

// secretProblems refuses a file that sets a secret but that other users
// may read: a helpdesk token in a world-readable file is a token every
// local user has. (On Windows the folder's ACL, checked on load, decides.)
func secretProblems(cfg *Config, origins map[string]origin) []Problem {
	if runtime.GOOS == "windows" {
		return nil
	}
	var out []Problem
	set := secrets(cfg)
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		o, ok := origins[key]
		if !ok || !set[key] {
			continue
		}
		fi, err := os.Stat(o.file)
		if err != nil || fi.Mode().Perm()&0o044 == 0 {
			continue
		}
		out = append(out, Problem{File: o.file, Line: o.line, Key: key,
			Message: fmt.Sprintf("holds a secret, but other users can read this file (mode %04o); fix with: chmod 0600 %s", uint32(fi.Mode().Perm()), o.file)})
	}
	return out
}
