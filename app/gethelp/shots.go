package gethelp

import (
	"context"
	"image"
	"time"

	"github.com/firstline-it/firstline/app/gethelp/screen"
)

// Sizes of the pictures the page shows; what is sent is full size.
const (
	thumbW, thumbH     = 200, 125
	previewW, previewH = 2 * redactorWidth, 2 * redactorWidth * 10 / 16 // sharp on a HiDPI screen
	// minBlackOut is the smallest rectangle, in pixels, that a drag
	// blacks out: anything less was meant as a click.
	minBlackOut = 3
)

// Capture takes the pictures of the screen for the form, then calls ready
// on the UI goroutine: the window calls it before it shows itself, so the
// pictures show the screen as the employee saw it. A screenshot the
// employee has already chosen to send is kept, not replaced.
func (p *Page) Capture(ready func()) {
	if p.state.Result != nil && p.state.leftResult {
		p.reset() // a new report: the last one's result was seen
	}
	sh := &p.state.Shot
	if p.opts.Capture == nil || sh.Include || sh.Capturing {
		ready()
		return
	}
	sh.Capturing = true
	p.render()
	p.work.Load(settle+captureTimeout, func(ctx context.Context) func() {
		t := time.NewTimer(settle)
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
		shots, err := p.opts.Capture(ctx)
		thumbs := make([]image.Image, len(shots))
		for i, s := range shots {
			thumbs[i] = screen.Thumbnail(s.Image, thumbW, thumbH)
		}
		return func() {
			p.setShots(shots, thumbs, err)
			ready()
		}
	})
}

// setShots replaces the pictures with a new capture.
func (p *Page) setShots(shots []screen.Shot, thumbs []image.Image, err error) {
	sh := &p.state.Shot
	sh.Capturing = false
	if err != nil {
		p.log.Info("no screenshot for the report", "err", err)
	}
	if sh.Include {
		return // the employee chose one meanwhile
	}
	include := sh.retaking && len(shots) > 0
	*sh = ShotState{Shots: shots, Err: err, TakenAt: p.opts.Now(), thumbs: thumbs, Include: include}
	p.updatePreview()
	p.render()
}

// IncludeShot is the employee's opt-in.
func (p *Page) IncludeShot(on bool) {
	if p.state.Shot.Include == on {
		return
	}
	p.state.Shot.Include = on
	p.render()
}

// ChooseShot picks the monitor to send; black-outs start over, since they
// were drawn on another picture.
func (p *Page) ChooseShot(i int) {
	sh := &p.state.Shot
	if i < 0 || i >= len(sh.Shots) || i == sh.Chosen {
		return
	}
	sh.Chosen, sh.BlackOuts = i, nil
	p.updatePreview()
	p.render()
}

// BlackOutRect blacks out r (in the chosen picture's pixels).
func (p *Page) BlackOutRect(r image.Rectangle) {
	sh := &p.state.Shot
	if len(sh.Shots) == 0 {
		return
	}
	r = r.Canon().Intersect(sh.Shots[sh.Chosen].Image.Bounds())
	if r.Dx() < minBlackOut || r.Dy() < minBlackOut {
		return
	}
	sh.BlackOuts = append(sh.BlackOuts, r)
	p.updatePreview()
	p.render()
}

// UndoBlackOut takes the last black-out away.
func (p *Page) UndoBlackOut() {
	sh := &p.state.Shot
	if len(sh.BlackOuts) == 0 {
		return
	}
	sh.BlackOuts = sh.BlackOuts[:len(sh.BlackOuts)-1]
	p.updatePreview()
	p.render()
}

// updatePreview redraws the chosen picture with its black-outs.
func (p *Page) updatePreview() {
	sh := &p.state.Shot
	sh.preview = nil
	if len(sh.Shots) == 0 {
		return
	}
	sh.Chosen = min(max(sh.Chosen, 0), len(sh.Shots)-1)
	redacted := screen.Redact(sh.Shots[sh.Chosen].Image, sh.BlackOuts)
	sh.preview = screen.Thumbnail(redacted, previewW, previewH)
}

// retake hides the window and takes the pictures again; asking for a new
// screenshot is asking to send one.
func (p *Page) retake() {
	p.state.Shot.Include = false
	p.state.Shot.retaking = true
	p.opts.Retake()
}
