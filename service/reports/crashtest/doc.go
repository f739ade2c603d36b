// Package crashtest holds the crash-safety harness of the report pipeline
// (Linux only, in its tests): it runs the real firstline-service binary,
// submits reports over the LocalAPI while killing the service with SIGKILL
// at random moments and starting it again, and checks at the end that
// every report the service said it had saved was delivered, none was lost,
// and every duplicate delivery carried the same key.
//
//	go test ./service/reports/crashtest/                           # 20 kills
//	FIRSTLINE_CRASH_KILLS=200 go test -v ./service/reports/crashtest/
package crashtest
