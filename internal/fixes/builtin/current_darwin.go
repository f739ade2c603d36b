package builtin

import "github.com/firstline-it/firstline/internal/fixes"

const goos = fixes.Darwin
