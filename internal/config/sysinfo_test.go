package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoadSysInfoAndProbes(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": `
[sysinfo]
sections = ["host", "network"]
redact = []
sample_interval = "5s"

[probes]
builtin = ["slack"]
targets = [
  { name = "Intranet", url = "https://intranet.example.com/" },
  { name = "ERP", url = "https://erp.example.com/health" },
]
`})
	l, err := Load(Options{Path: main})
	if err != nil {
		t.Fatal(err)
	}
	c := l.Config
	if strings.Join(c.SysInfo.Sections, ",") != "host,network" || len(c.SysInfo.Redact) != 0 || c.SysInfo.SampleInterval.Duration() != 5*time.Second {
		t.Errorf("sysinfo: %+v", c.SysInfo)
	}
	if c.SysInfo.History.Duration() != time.Hour {
		t.Errorf("history default lost: %v", c.SysInfo.History)
	}
	if len(c.Probes.Targets) != 2 || c.Probes.Targets[1].URL != "https://erp.example.com/health" || c.Probes.Builtin[0] != "slack" {
		t.Errorf("probes: %+v", c.Probes)
	}
}

func TestLoadSysInfoProblems(t *testing.T) {
	tests := []struct{ content, key, message string }{
		{"[sysinfo]\nsections = [\"host\", \"gpu\"]\n", "sysinfo.sections", `"gpu" is not one of host, hardware, network, processes, problems, software`},
		{"[sysinfo]\nredact = [\"macs\", \"macs\"]\n", "sysinfo.redact", `"macs" is listed twice`},
		{"[sysinfo]\nsample_interval = \"100ms\"\n", "sysinfo.sample_interval", `"100ms" is outside the allowed range 1s..5m`},
		{"[probes]\nbuiltin = [\"teams\"]\n", "probes.builtin", `"teams" is not one of microsoft-365, google-workspace, slack, zoom`},
		{"[probes]\ntargets = [{ name = \"Intranet\", url = \"http://intranet/\" }]\n", "probes.targets[0].url", `"http://intranet/" uses http://, which is refused; use https://`},
		{"[probes]\ntargets = [{ url = \"https://x.example/\" }]\n", "probes.targets[0]", "has no name"},
		{"[probes]\nbudget = \"30s\"\n", "probes.budget", `"30s" is outside the allowed range 1s..5s`},
	}
	for _, tt := range tests {
		_, main := writeConfig(t, map[string]string{"firstline.toml": tt.content})
		_, err := Load(Options{Path: main})
		ps := problemsOf(t, err)
		if len(ps) != 1 || ps[0].Key != tt.key || ps[0].Message != tt.message || ps[0].Line == 0 {
			t.Errorf("%q:\n got %+v\nwant key %s message %s with a line", tt.content, ps, tt.key, tt.message)
		}
	}
}

func TestLoadProbeTargetUnknownField(t *testing.T) {
	_, main := writeConfig(t, map[string]string{"firstline.toml": "[probes]\ntargets = [{ name = \"A\", url = \"https://a.example/\", method = \"POST\" }]\n"})
	_, err := Load(Options{Path: main})
	if err == nil || !strings.Contains(err.Error(), "method") || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("unknown field inside a target: %v", err)
	}
}
