// Package health turns a few measurements of the machine into checks an
// employee understands, each ok, warning or critical, with the fix that
// would help; and prints them in the Nagios plugin format so the same
// checks plug into existing monitoring.
//
// The checks are pure functions of an [Input] and [Thresholds]: gathering
// the input (disk, clock, updates, antivirus) is the caller's job, so the
// checks are table-tested and cost microseconds.
//
// # Monitoring systems
//
// `firstline-service check NAME` prints one check, `check --all` all of
// them, in the plugin format (a status line, performance data after "|",
// exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Configuration lines:
//
// Nagios or Icinga through NRPE, in nrpe.cfg on the desktop:
//
//	command[firstline]=/usr/bin/firstline-service check --all
//	command[firstline_disk]=/usr/bin/firstline-service check disk
//
// and on the monitoring server: check_nrpe -H $HOSTADDRESS$ -c firstline.
//
// Zabbix agent, in zabbix_agentd.conf (the key returns the exit code, 0
// to 3, for a trigger; the text goes to the second key):
//
//	UserParameter=firstline.check[*],/usr/bin/firstline-service check $1 >/dev/null; echo $?
//	UserParameter=firstline.text[*],/usr/bin/firstline-service check $1
//
// SolarWinds SAM, a Linux/Unix (or Windows) script monitor whose script
// body is
//
//	/usr/bin/firstline-service check --all
//
// SolarWinds reads the exit code as the status and "name=value" pairs
// after "|" as statistics. On Windows use
// "C:\Program Files\Firstline\firstline-service.exe" check --all.
package health
