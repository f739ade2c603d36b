package screen

import (
	"context"
	"fmt"

	"github.com/kbinani/screenshot"
)

// capture copies each monitor through GDI. The calls do not block on
// anything but the graphics driver, so the context is checked between
// monitors.
func capture(ctx context.Context) ([]Shot, error) {
	n := screenshot.NumActiveDisplays()
	if n == 0 {
		return nil, fmt.Errorf("%w: Windows reports no displays in this session", ErrUnsupported)
	}
	var shots []Shot
	for i := range min(n, maxShots) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := screenshot.GetDisplayBounds(i)
		if r.Empty() || r.Dx()*r.Dy() > maxPixels {
			continue
		}
		img, err := screenshot.CaptureRect(r)
		if err != nil {
			return nil, fmt.Errorf("capturing %s: %w", screenName(i), err)
		}
		shots = append(shots, Shot{Name: screenName(len(shots)), Image: toRGBA8(img)})
	}
	if len(shots) == 0 {
		return nil, fmt.Errorf("%w: no display could be captured", ErrUnsupported)
	}
	return shots, nil
}
