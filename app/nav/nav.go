// Package nav names the places of the main window, so the tray menu, the
// sidebar and a "show" request from a second launch all agree on where a
// click leads.
package nav

// Section is one page of the main window.
type Section int

// Sections, in sidebar order.
const (
	Home Section = iota
	GetHelp
	Fixes
	Computer
	Notices
	Reports
	About
)

// Sections returns every section in the order the sidebar lists them.
func Sections() []Section {
	return []Section{Home, GetHelp, Fixes, Computer, Notices, Reports, About}
}

// Title is the section's name as the employee sees it in the sidebar and as
// the page heading.
func (s Section) Title() string {
	switch s {
	case Home:
		return "Home"
	case GetHelp:
		return "Get help"
	case Fixes:
		return "Fixes"
	case Computer:
		return "This computer"
	case Notices:
		return "Notices"
	case Reports:
		return "My reports"
	case About:
		return "About"
	}
	return "Home"
}

// String returns the title, so sections read well in logs.
func (s Section) String() string { return s.Title() }

// Name is the section's name on the command line ("computer", "get-help").
func (s Section) Name() string {
	switch s {
	case GetHelp:
		return "get-help"
	case Fixes:
		return "fixes"
	case Computer:
		return "computer"
	case Notices:
		return "notices"
	case Reports:
		return "reports"
	case About:
		return "about"
	}
	return "home"
}

// Parse finds a section by its Name.
func Parse(name string) (Section, bool) {
	for _, s := range Sections() {
		if s.Name() == name {
			return s, true
		}
	}
	return Home, false
}
