package computer

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/firstline-it/firstline/app/ui"
	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
	"github.com/firstline-it/firstline/internal/sysinfo/software"
)

// actions are what the page's buttons do.
type actions struct {
	reload, recheck func()
	copy            func(string)
	launch          func(name, path string) // nil: no Start buttons
}

// view is the page for a state.
func view(s State, a actions) fyne.CanvasObject {
	parts := []fyne.CanvasObject{
		ui.Para("What IT sees about this computer when you ask for help. Nothing here is sent until you send a report."),
	}
	if s.Snapshot != nil {
		if card := remoteHelpPanel(s.Snapshot.Software, a); card != nil {
			parts = append(parts, card)
		}
	}
	parts = append(parts, connectivityPanel(s, a), summaryPanel(s, a), chartPanel(s))
	return ui.Page("This computer", parts...)
}

// remoteHelpPanel shows the IDs IT asks for to connect, big enough to read
// out over the phone.
func remoteHelpPanel(r *software.Report, a actions) fyne.CanvasObject {
	if r == nil {
		return nil
	}
	var rows []fyne.CanvasObject
	for _, it := range r.Items {
		if it.Kind != software.KindRemoteHelp || !it.Installed || it.ID == "" {
			continue
		}
		id := widget.NewLabelWithStyle(it.ID, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		id.SizeName = theme.SizeNameHeadingText
		id.Selectable = true
		copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { a.copy(it.ID) })
		buttons := container.NewHBox(copyBtn)
		if a.launch != nil && it.Launch != "" {
			name, path := it.Name, it.Launch
			start := widget.NewButtonWithIcon("Start "+name, theme.MediaPlayIcon(), func() { a.launch(name, path) })
			start.Importance = widget.HighImportance
			buttons.Add(start)
		}
		rows = append(rows, container.NewVBox(ui.Key(it.Name+" ID"), container.NewBorder(nil, nil, nil, buttons, id)))
	}
	if len(rows) == 0 {
		return nil
	}
	rows = append(rows, ui.Note("IT may ask you to read this ID out so they can connect to your screen. Only share it with IT."))
	return ui.Panel("Remote help", theme.ComputerIcon(), rows...)
}

func connectivityPanel(s State, a actions) fyne.CanvasObject {
	btn := widget.NewButtonWithIcon("Re-check", theme.ViewRefreshIcon(), a.recheck)
	var parts []fyne.CanvasObject
	icon := theme.ViewRefreshIcon()
	switch {
	case s.Probing && s.Probes == nil:
		btn.Disable()
		parts = append(parts, ui.Para("Checking the network and the services you use…"), widget.NewProgressBarInfinite())
	case s.ProbesErr != nil && s.Probes == nil:
		parts = append(parts, ui.Para("The checks could not run: "+friendlyErr(s.ProbesErr)))
	case s.Probes != nil:
		if s.Probing {
			btn.Disable()
		}
		icon = verdictIcon(s.Probes)
		verdict := widget.NewLabelWithStyle(s.Probes.Verdict, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		verdict.Wrapping = fyne.TextWrapWord
		parts = append(parts, verdict, probeGrid(s.Probes))
		parts = append(parts, ui.Note(fmt.Sprintf("Checked at %s in %.1f s.", s.ProbedAt.Format("15:04:05"), s.Probes.Duration.Seconds())))
	}
	return ui.Panel("Network and services", icon, append(parts, container.NewHBox(btn))...)
}

// probeGrid lists the condensed checks, and every single check folded
// away for IT.
func probeGrid(r *probes.Report) fyne.CanvasObject {
	var cells []fyne.CanvasObject
	for _, rw := range condense(r) {
		cells = append(cells,
			container.NewHBox(widget.NewIcon(statusIcon(rw.status)), widget.NewLabel(rw.name)),
			widget.NewLabel(rw.text))
	}
	var all []fyne.CanvasObject
	for _, res := range r.Results {
		if res.Status != probes.StatusSkipped {
			all = append(all, widget.NewLabel(probeName(res)+": "+statusText(res)))
		}
	}
	every := widget.NewAccordion(widget.NewAccordionItem("Every check", container.NewVBox(all...)))
	return container.NewVBox(container.NewGridWithColumns(2, cells...), every)
}

func probeName(r probes.Result) string {
	switch r.Kind {
	case probes.KindDNS:
		return "Name lookup (" + r.Name + ")"
	case probes.KindGateway:
		return "Router " + r.Target
	case probes.KindCaptive:
		return "Wi-Fi login page"
	}
	return r.Name
}

func statusText(r probes.Result) string {
	ms := r.Latency.Milliseconds()
	switch r.Status {
	case probes.StatusOK:
		return fmt.Sprintf("OK · %d ms", ms)
	case probes.StatusSlow:
		return fmt.Sprintf("Slow · %d ms", ms)
	case probes.StatusTimeout:
		return "No answer"
	case probes.StatusCaptive:
		return "Login page in the way"
	}
	if r.Detail != "" {
		return "Failed · " + r.Detail
	}
	return "Failed"
}

func statusIcon(st probes.Status) fyne.Resource {
	switch st {
	case probes.StatusOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case probes.StatusSlow:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewErrorThemedResource(theme.CancelIcon())
}

func verdictIcon(r *probes.Report) fyne.Resource {
	worst := probes.StatusOK
	for _, res := range r.Results {
		switch res.Status {
		case probes.StatusFailed, probes.StatusTimeout, probes.StatusCaptive:
			return theme.NewErrorThemedResource(theme.WarningIcon())
		case probes.StatusSlow:
			worst = probes.StatusSlow
		}
	}
	if worst == probes.StatusSlow {
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewSuccessThemedResource(theme.ConfirmIcon())
}

func summaryPanel(s State, a actions) fyne.CanvasObject {
	reload := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), a.reload)
	switch {
	case s.Snapshot == nil && s.Loading:
		return ui.Panel("Summary", nil, ui.Para("Collecting details about this computer…"), widget.NewProgressBarInfinite())
	case s.Snapshot == nil && s.SnapshotErr != nil:
		return ui.Panel("Summary", nil, ui.Para("The details could not be read: "+friendlyErr(s.SnapshotErr)), container.NewHBox(reload))
	case s.Snapshot == nil:
		return ui.Panel("Summary", nil, container.NewHBox(reload))
	}
	if s.Loading {
		reload.Disable()
	}
	sum := s.Snapshot.Summary()
	summary := widget.NewLabelWithStyle(strings.TrimRight(sum, "\n"), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	summary.Selectable = true
	detail := widget.NewLabelWithStyle(s.Snapshot.Detail(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	detail.Selectable = true
	more := widget.NewAccordion(widget.NewAccordionItem("Every detail", detail))
	copyAll := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { a.copy(sum + "\n" + s.Snapshot.Detail()) })
	parts := []fyne.CanvasObject{summary, more}
	if len(s.Snapshot.Redacted) > 0 {
		parts = append(parts, ui.Note("Left out before anything is sent: "+redactedText(s.Snapshot.Redacted)+"."))
	}
	parts = append(parts, ui.Note("Collected at "+s.LoadedAt.Format("15:04:05")+"."), container.NewHBox(reload, copyAll))
	return ui.Panel("Summary", nil, parts...)
}

// redactedText names the redaction rules the way an employee understands
// them.
func redactedText(rules []string) string {
	words := map[string]string{
		string(sysinfo.RuleHomePaths):   "your user name in file paths",
		string(sysinfo.RuleSerials):     "serial numbers",
		string(sysinfo.RuleMACs):        "hardware addresses",
		string(sysinfo.RuleWiFiSSID):    "Wi-Fi network names",
		string(sysinfo.RuleCmdline):     "program arguments",
		string(sysinfo.RuleEnvironment): "settings that may hold passwords",
	}
	var out []string
	for _, r := range rules {
		if w, ok := words[r]; ok {
			out = append(out, w)
		}
	}
	return strings.Join(out, ", ")
}

func chartPanel(s State) fyne.CanvasObject {
	switch {
	case s.Chart != nil:
		img, err := png.Decode(bytes.NewReader(s.Chart))
		if err != nil {
			return ui.Panel("The last hour", nil, ui.Para("The chart could not be shown."))
		}
		return ui.Panel("The last hour", nil, chartImage(img),
			ui.Note("Processor, memory, disk and network use. A report includes this chart, so IT can see when the computer was busy."))
	case s.ChartErr != nil:
		return ui.Panel("The last hour", nil, ui.Para("The chart could not be drawn: "+friendlyErr(s.ChartErr)))
	}
	return ui.Panel("The last hour", nil, ui.Para("Loading…"))
}

// chartImage keeps the chart's aspect ratio at the page's width.
func chartImage(img image.Image) fyne.CanvasObject {
	c := canvas.NewImageFromImage(img)
	c.FillMode = canvas.ImageFillContain
	c.ScaleMode = canvas.ImageScaleSmooth
	b := img.Bounds()
	w := float32(620)
	c.SetMinSize(fyne.NewSize(w, w*float32(b.Dy())/float32(b.Dx())))
	return c
}

// friendlyErr keeps an error to its first clause: the page is for the
// employee, the log has the rest.
func friendlyErr(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "unreachable") || strings.Contains(msg, "connect") {
		return "the Firstline service is not answering."
	}
	if len(msg) > 120 {
		msg = msg[:119] + "…"
	}
	return msg
}
