package window

import (
	"fmt"
	"github.com/firstline-it/firstline/app/ui"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/link"
	"github.com/firstline-it/firstline/app/nav"
	"github.com/firstline-it/firstline/internal/localapi"
)

// env is what pages need besides the snapshot.
type env struct {
	Info
	clip fyne.Clipboard
	// errors shows a failure the employee caused and can act on.
	errors func(error)
}

// build returns the page for sec as it stands in s.
func build(sec nav.Section, s link.Snapshot, e env) fyne.CanvasObject {
	switch sec {
	case nav.About:
		return aboutPage(s, e)
	case nav.Computer, nav.GetHelp, nav.Reports, nav.Notices, nav.Fixes:
		if p := e.page(sec); p != nil {
			return p.Object()
		}
		return comingPage(sec, s)
	}
	return homePage(s, e)
}

func homePage(s link.Snapshot, e env) fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Para("Get help from IT, fix common problems yourself and read what IT wants you to know."),
	}
	if e.NoTrayHost {
		parts = append(parts, ui.Para(noTrayNote))
	}
	service := servicePanel(describeService(s, e.Info), e.clip)
	switch {
	case e.Health == nil:
		parts = append(parts, service)
	case s.State == link.Up:
		// The checks are what the employee came for; the service line
		// is only news when it is away.
		parts = append(parts, e.Health.Object(), service)
	default:
		parts = append(parts, service, e.Health.Object())
	}
	parts = append(parts, contactPanel("Contact IT", s.Support()))
	return ui.Page("Home", parts...)
}

// noTrayNote tells an employee whose desktop hides tray icons where
// Firstline lives, so closing the window does not lose it.
const noTrayNote = "Your desktop does not show tray icons, so Firstline has no icon in the top bar. " +
	"When you close this window, open Firstline again from your applications menu."

func servicePanel(v serviceView, clip fyne.Clipboard) fyne.CanvasObject {
	parts := make([]fyne.CanvasObject, 0, len(v.lines)+3)
	for _, l := range v.lines {
		parts = append(parts, ui.Para(l))
	}
	if v.command != "" {
		parts = append(parts, ui.Para(v.commandIntro), ui.CommandBlock(v.command, clip))
	}
	if v.detail != "" {
		parts = append(parts, ui.Note(v.detail))
	}
	return ui.Panel(v.title, toneIcon(v.tone), parts...)
}

// contactPanel shows how to reach IT. Without details from the service it
// still says what to do, so no page leaves an employee without a next step.
func contactPanel(title string, sup localapi.Support) fyne.CanvasObject {
	if !knownContact(sup) {
		return ui.Panel(title, nil,
			ui.Para("Contact IT the way you usually do. Their phone number and email address "+
				"appear here once the Firstline service has answered."))
	}
	var parts []fyne.CanvasObject
	if sup.Organization != "" {
		parts = append(parts, ui.Para(sup.Organization))
	}
	var rows []fyne.CanvasObject
	for _, c := range contactLines(sup) {
		rows = append(rows, ui.Key(c.kind), ui.Hyperlink(c.text, c.link))
	}
	if len(rows) > 0 {
		parts = append(parts, ui.Form(rows...))
	}
	return ui.Panel(title, nil, parts...)
}

// coming describes a feature that has not landed yet, in the words of what
// it will do for the employee.
type coming struct {
	lead string
	body string
}

func comingFor(sec nav.Section) coming {
	switch sec {
	case nav.GetHelp:
		return coming{
			lead: "Soon you can report a problem to IT from here.",
			body: "Describe the problem in your own words. Details about this computer and, " +
				"if you like, a screenshot are attached — and shown to you before anything is sent. " +
				"Your report reaches IT even if you are offline right now: it is kept safe and " +
				"sent as soon as you are back online.",
		}
	case nav.Fixes:
		return coming{
			lead: "Soon you can fix common problems yourself, in one click.",
			body: "IT prepares fixes for problems that come up often, such as a stuck print queue " +
				"or a network connection that needs a reset. Each fix tells you what it will do " +
				"before it runs, and whether it worked afterwards.",
		}
	case nav.Computer:
		return coming{
			lead: "Details about this computer appear here once the Firstline service answers.",
			body: "They are what IT sees when you ask for help: the computer's name and system, " +
				"the remote-help ID IT may ask you for, and whether the network works.",
		}
	case nav.Notices:
		return coming{
			lead: "Soon you can read messages from IT here.",
			body: "Planned maintenance, outages and security warnings will appear here, and the " +
				"tray icon shows a dot when there is something new.",
		}
	}
	return coming{
		lead: "Soon you can follow the problems you reported.",
		body: "Every report you send with Get help will be listed here with where it stands: " +
			"waiting to be sent, with IT, or needing something from you.",
	}
}

func comingPage(sec nav.Section, s link.Snapshot) fyne.CanvasObject {
	c := comingFor(sec)
	parts := []fyne.CanvasObject{ui.Subheading(c.lead), ui.Para(c.body)}
	if n := countsLine(sec, s.Live); n != "" {
		parts = append(parts, ui.Para(n))
	}
	parts = append(parts, contactPanel("Until then, contact IT", s.Support()))
	return ui.Page(sec.Title(), parts...)
}

// countsLine tells the employee what the service already knows for a page
// that cannot list it yet, so a badge in the tray is never unexplained.
func countsLine(sec nav.Section, live *localapi.State) string {
	if live == nil {
		return ""
	}
	const askIT = " Until you can read them here, please contact IT."
	switch n := live.Notices; {
	case sec == nav.Notices && n.Critical > 0 && n.Critical >= n.Unread:
		return "IT has sent you " + plural(n.Critical, "critical notice") + "." + askIT
	case sec == nav.Notices && n.Critical > 0:
		return fmt.Sprintf("IT has sent you %s, %d of them critical.", plural(n.Unread, "unread notice"), n.Critical) + askIT
	case sec == nav.Notices && n.Unread > 0:
		return "IT has sent you " + plural(n.Unread, "unread notice") + "."
	}
	if r := live.Reports; sec == nav.Reports && r.NeedsAttention > 0 {
		return fmt.Sprintf("%s %s your attention. Please contact IT about %s.",
			plural(r.NeedsAttention, "report"), pick(r.NeedsAttention, "needs", "need"),
			pick(r.NeedsAttention, "it", "them"))
	}
	return ""
}

func aboutPage(s link.Snapshot, e env) fyne.CanvasObject {
	info := e.Info
	service := "unknown until the service answers"
	if v := s.ServiceVersion(); v != "" {
		service = v
	}
	caller := "unknown until the service answers"
	if s.Status != nil {
		caller = callerText(s.Status.Caller)
	}
	mode := "installed service"
	if info.Dev {
		mode = "dev mode (the service runs inside this app)"
	}
	title := container.NewVBox(ui.Subheading("Firstline"), widget.NewLabel("IT self-service for your computer"))
	return ui.Page("About",
		container.NewHBox(container.NewCenter(appIcon(64)), title),
		ui.Panel("Versions and connection", nil, ui.Form(
			ui.Key("Firstline"), ui.Copyable(info.version(), false),
			ui.Key("Service"), ui.Copyable(service, false),
			ui.Key("Connection"), ui.Copyable(s.State.Describe(), false),
			ui.Key("You are"), ui.Copyable(caller, false),
			ui.Key("Socket"), ui.Copyable(info.SocketPath, true),
			ui.Key("Mode"), ui.Copyable(mode, false),
		), ui.Note("\"You are\" is who the service says you are. It decides what you may do from "+
			"that, never from anything the app claims.")),
		loginPanel(info.Login, e.errors),
	)
}

// loginPanel is the "start at login" switch. A failed change is shown and
// the box put back, so it never claims a state the system does not have.
func loginPanel(login LoginItem, showErr func(error)) fyne.CanvasObject {
	if login == nil {
		return container.NewVBox()
	}
	var check *widget.Check
	check = widget.NewCheck("Start Firstline when I log in", func(on bool) {
		if on == login.Enabled() {
			return
		}
		if err := login.Set(on); err != nil {
			showErr(err)
			check.SetChecked(login.Enabled())
		}
	})
	check.SetChecked(login.Enabled())
	return ui.Panel("Start-up", nil, check,
		ui.Note("Firstline then waits in the tray, without opening this window, so help is one click away."))
}

func callerText(id localapi.Identity) string {
	label := "uid"
	if strings.HasPrefix(id.UID, "S-") { // Windows names users by SID
		label = "SID"
	}
	if id.Username == "" {
		return fmt.Sprintf("%s %s", label, id.UID)
	}
	return fmt.Sprintf("%s (%s %s)", id.Username, label, id.UID)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
