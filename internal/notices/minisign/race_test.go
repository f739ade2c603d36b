//go:build race

package minisign

const raceEnabled = true
