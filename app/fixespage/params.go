package fixespage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/firstline-it/firstline/internal/localapi"
)

// The parameter checks below run as the employee types, so the Run button
// can say what is wrong before anything is sent. The runner checks again:
// these only spare the employee a refusal.

// initialValue is what a parameter's input shows before the employee
// changes it: the fix's default, else the first choice or the minimum.
func initialValue(p localapi.FixParam) string {
	if p.Default != "" {
		return p.Default
	}
	switch p.Kind {
	case "enum":
		if len(p.Enum) > 0 {
			return p.Enum[0]
		}
	case "int":
		return strconv.Itoa(p.Min)
	case "bool":
		return "false"
	}
	return ""
}

// checkParam returns the value to send for what the employee entered, or
// a sentence saying what is wrong with it.
func checkParam(p localapi.FixParam, raw string) (value, problem string) {
	raw = strings.TrimSpace(raw)
	name := paramName(p)
	switch p.Kind {
	case "int":
		n, err := strconv.Atoi(raw)
		if err != nil || n < p.Min || n > p.Max {
			return "", fmt.Sprintf("Enter a whole number from %d to %d.", p.Min, p.Max)
		}
		return strconv.Itoa(n), ""
	case "enum":
		if !slices.Contains(p.Enum, raw) {
			return "", fmt.Sprintf("Please choose one of the values offered for %q.", name)
		}
		return raw, ""
	case "bool":
		if raw != "true" && raw != "false" {
			return "", fmt.Sprintf("%s must be on or off.", name)
		}
		return raw, ""
	}
	return "", fmt.Sprintf("%s cannot be set in this version of Firstline.", name)
}

// checkParams checks every parameter of fix against raw (the inputs by
// name; a missing one counts as its initial value). It returns the values
// to send, and the problems by parameter name.
func checkParams(fix localapi.FixInfo, raw map[string]string) (map[string]string, map[string]string) {
	values := make(map[string]string, len(fix.Params))
	var problems map[string]string
	for _, p := range fix.Params {
		in, ok := raw[p.Name]
		if !ok {
			in = initialValue(p)
		}
		v, problem := checkParam(p, in)
		if problem != "" {
			if problems == nil {
				problems = map[string]string{}
			}
			problems[p.Name] = problem
			continue
		}
		values[p.Name] = v
	}
	return values, problems
}

// paramName is how the page names a parameter in a sentence.
func paramName(p localapi.FixParam) string {
	if p.Label != "" {
		return p.Label
	}
	return p.Name
}

// paramsKey is a canonical text of values, so a dry run can be matched to
// the inputs it was made for.
func paramsKey(id string, values map[string]string) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(id)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + values[k])
	}
	return b.String()
}
