package report

// Category is one choice of the form's "What is it about?".
type Category struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// DefaultCategories is the list offered unless IT configured its own in
// [reports] categories.
func DefaultCategories() []Category {
	return []Category{
		{"computer-slow", "Computer slow"},
		{"network", "Internet/Wi-Fi"},
		{"email-calendar", "Email & calendar"},
		{"printer", "Printer"},
		{"app", "An app"},
		{"account", "Account & password"},
		{"other", "Other"},
	}
}
