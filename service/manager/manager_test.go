package manager

import (
	"regexp"
	"strings"
	"testing"
)

func TestUnitRestartsQuickly(t *testing.T) {
	for _, want := range []string{"Restart=always", "RestartSec=2", "RuntimeDirectory=firstline",
		"RuntimeDirectoryMode=0755", "{{range Dependencies}}", "{{Path | cmdEscape}}", "WantedBy=multi-user.target"} {
		if !strings.Contains(systemdUnit, want) {
			t.Errorf("unit lacks %q", want)
		}
	}
	if strings.Contains(systemdUnit, "RestartSec=120") || regexp.MustCompile(`\{\{\s*\.[A-Za-z]`).MatchString(systemdUnit) {
		t.Error("unit has the slow restart or a dotted template key kardianos v1.3 cannot render")
	}
	cfg := Config()
	deps := strings.Join(cfg.Dependencies, "\n")
	if !strings.Contains(deps, "After=network-online.target") || cfg.Arguments[0] != "run" {
		t.Errorf("config = %+v", cfg)
	}
}
