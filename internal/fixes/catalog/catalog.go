// Package catalog is the set of fixes a machine offers: the built-ins,
// changed by the admin files in the fixes.d folder next to the service's
// configuration (turn a built-in off, change a parameter's bounds, add a
// company fix), which are read only when root (Administrators on Windows)
// owns them and nobody else can write them.
package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/firstline-it/firstline/internal/fixes"
)

// Catalog is an immutable set of validated fixes. It implements the
// runner's Catalog.
type Catalog struct {
	fixes    []fixes.Fix
	disabled map[string]bool
}

// New validates list and returns a catalog of it, in its order.
func New(list []fixes.Fix) (*Catalog, error) {
	c := &Catalog{disabled: map[string]bool{}}
	seen := map[string]bool{}
	for _, f := range list {
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("building the fix catalog: %w", err)
		}
		if seen[f.ID] {
			return nil, fmt.Errorf("building the fix catalog: fix %s is defined twice", f.ID)
		}
		seen[f.ID] = true
		c.fixes = append(c.fixes, f.Clone())
	}
	return c, nil
}

// Lookup returns a copy of the fix id. A fix IT turned off is reported
// with fixes.ErrDisabled, an unknown one with fixes.ErrUnknownFix.
func (c *Catalog) Lookup(id string) (fixes.Fix, error) {
	for _, f := range c.fixes {
		if f.ID != id {
			continue
		}
		if c.disabled[id] {
			return fixes.Fix{}, fmt.Errorf("fix %s: %w", id, fixes.ErrDisabled)
		}
		return f.Clone(), nil
	}
	return fixes.Fix{}, fmt.Errorf("fix %q: %w", shortID(id), fixes.ErrUnknownFix)
}

// List returns copies of the enabled fixes for goos (all OSes when goos
// is empty), grouped in the app's order of groups, by title within a
// group.
func (c *Catalog) List(goos string) []fixes.Fix {
	var out []fixes.Fix
	for _, f := range c.fixes {
		if !c.disabled[f.ID] && (goos == "" || f.AppliesTo(goos)) {
			out = append(out, f.Clone())
		}
	}
	order := fixes.Groups()
	slices.SortStableFunc(out, func(a, b fixes.Fix) int {
		if d := slices.Index(order, a.Group) - slices.Index(order, b.Group); d != 0 {
			return d
		}
		return strings.Compare(a.Title, b.Title)
	})
	return out
}

// Search returns the enabled fixes for goos whose title, description,
// group or id contain every word of query, case-insensitively.
func (c *Catalog) Search(goos, query string) []fixes.Fix {
	words := strings.Fields(strings.ToLower(query))
	var out []fixes.Fix
	for _, f := range c.List(goos) {
		text := strings.ToLower(f.ID + " " + f.Title + " " + f.Description + " " + string(f.Group))
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			out = append(out, f)
		}
	}
	return out
}

// Disabled lists the fixes IT turned off, sorted.
func (c *Catalog) Disabled() []string {
	var out []string
	for id := range c.disabled {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func shortID(id string) string {
	if len(id) > 64 {
		return id[:64] + "…"
	}
	return id
}
