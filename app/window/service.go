package window

import (
	"github.com/firstline-it/firstline/app/link"
)

// tone is how a message should feel: fine, wait a moment, or act.
type tone int

const (
	toneOK tone = iota
	toneWaiting
	toneProblem
)

// serviceView is what the Home page says about the service.
type serviceView struct {
	tone  tone
	title string
	// lines are short paragraphs in reading order.
	lines []string
	// commandIntro and command tell how to get the service going; both
	// empty when there is nothing to run.
	commandIntro string
	command      string
	// detail is the technical reason, for IT on the phone.
	detail string
}

// describeService turns the link into words an employee understands, and
// into the one command that helps when the service is away.
func describeService(s link.Snapshot, info Info) serviceView {
	v := serviceView{title: s.State.Describe(), tone: toneOf(s.State)}
	switch s.State {
	case link.Connecting:
		v.lines = []string{"This takes a moment after you sign in."}
	case link.Up:
		v.lines = []string{upLine(s, info)}
	case link.Down:
		v.lines = []string{"Firstline needs its background service to send reports, run fixes and " +
			"receive notices from IT. It connects by itself as soon as the service runs."}
		if info.Dev {
			v.lines = append(v.lines, "You are running Firstline in dev mode, where the service runs "+
				"inside this app: look at the terminal you started it from for the error, then restart Firstline.")
		} else {
			v.commandIntro = "To start it, someone with administrator rights runs" + where(info.goos()) + ":"
			v.command = startCommand(info.goos(), "start")
		}
		v.detail = detail(s.Err)
	case link.NotResponding:
		v.lines = []string{"The service is running but did not answer properly. Firstline keeps trying."}
		if !info.Dev {
			v.commandIntro = "If this lasts, someone with administrator rights restarts it" + where(info.goos()) + ":"
			v.command = startCommand(info.goos(), "restart")
		}
		v.detail = detail(s.Err)
	}
	return v
}

func upLine(s link.Snapshot, info Info) string {
	line := "Reports, fixes and notices from IT go through it."
	if ver := s.ServiceVersion(); ver != "" {
		line = "Service version " + ver + ". " + line
	}
	if info.Dev || (s.Status != nil && s.Status.Dev) {
		line += " Dev mode: the service runs inside this app."
	}
	return line
}

// toneOf is how the link's state should feel.
func toneOf(s link.State) tone {
	switch s {
	case link.Up:
		return toneOK
	case link.Connecting:
		return toneWaiting
	}
	return toneProblem
}

// startCommand is how an administrator starts (or restarts) the installed
// service on goos. It is exactly what to paste: the Copy button copies it.
func startCommand(goos, verb string) string {
	switch goos {
	case "linux":
		return "sudo systemctl " + verb + " firstline"
	case "windows":
		return "firstline-service " + verb
	}
	return "sudo firstline-service " + verb
}

// where says where the command runs when that is not obvious: Windows has
// no sudo, so the terminal itself must be elevated.
func where(goos string) string {
	if goos == "windows" {
		return " in a terminal opened as administrator"
	}
	return ""
}

// detail is the technical reason, which an employee can read out to IT.
func detail(err error) string {
	if err == nil {
		return ""
	}
	return "Details for IT: " + err.Error()
}
