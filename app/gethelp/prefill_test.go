package gethelp

import (
	"testing"
)

// TestPrefillStartsTheDescription: "Still broken? Get help" on the Fixes
// page hands over the fix's log; what the employee wrote stays first, and
// a result on screen gives way to a fresh form.
func TestPrefillStartsTheDescription(t *testing.T) {
	src := &fakeSource{snap: testSnapshot()}
	p, q := shown(t, Options{Source: src})

	p.Prefill("I tried the fix \"Flush the DNS cache\".\n1. ok")
	if got := p.f.text.Text; got != "I tried the fix \"Flush the DNS cache\".\n1. ok" {
		t.Errorf("empty form prefilled with %q", got)
	}
	p.f.text.SetText("Websites do not open.\n")
	p.Prefill("log")
	if got, want := p.f.text.Text, "Websites do not open.\n\nlog"; got != want || p.State().Form.Text != want {
		t.Errorf("prefilled after the employee's words: widget %q, state %q, want %q", got, p.State().Form.Text, want)
	}

	fill(p, "Cannot print")
	send(t, p, q)
	if p.State().Result == nil {
		t.Fatal("no result after sending")
	}
	key := p.State().Key
	p.Prefill("second log")
	if p.State().Result != nil || p.State().Key == key {
		t.Error("the result of the last report stayed instead of a fresh form")
	}
	if got := p.f.text.Text; got != "second log" {
		t.Errorf("fresh form prefilled with %q", got)
	}
}
