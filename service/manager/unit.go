package manager

// systemdUnit is the systemd unit, in kardianos/service v1.3's own template
// language ({{Path | cmdEscape}}, {{range Arguments}}; no dotted fields).
//
//   - RestartSec=2: a crashed service is back within seconds (the built-in
//     template waits 120 s, during which kardianos even reports "running").
//   - RuntimeDirectory makes /run/firstline 0755 root for the socket and
//     removes it on stop; StateDirectory makes /var/lib/firstline 0700.
//   - KillMode=mixed: SIGTERM to the service for a graceful stop, SIGKILL to
//     whatever a fix left behind.
const systemdUnit = `[Unit]
Description={{Description}}
Documentation=https://github.com/firstline-it/firstline
ConditionFileIsExecutable={{Path | cmdEscape}}
StartLimitIntervalSec=60
StartLimitBurst=10
{{range Dependencies}}{{.}}
{{end}}
[Service]
Type=simple
ExecStart={{Path | cmdEscape}}{{range Arguments}} {{. | cmd}}{{end}}
Restart=always
RestartSec=2
RuntimeDirectory=firstline
RuntimeDirectoryMode=0755
StateDirectory=firstline
StateDirectoryMode=0700
KillMode=mixed
TimeoutStopSec=15
{{range EnvVars}}{{.}}
{{end}}
[Install]
WantedBy=multi-user.target
`
