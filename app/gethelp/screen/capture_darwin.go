package screen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/firstline-it/firstline/internal/command"
)

// screencapture is macOS's own tool; it writes one file per display in the
// order given and ignores names beyond the number of displays. Without
// the Screen Recording permission macOS gives it only the wallpaper and
// the menu bar.
const screencapture = "/usr/sbin/screencapture"

const captureTimeout = 10 * time.Second

// maxCaptureFile caps one picture file read back.
const maxCaptureFile = 256 << 20

func capture(ctx context.Context) ([]Shot, error) {
	if _, err := os.Stat(screencapture); err != nil {
		return nil, fmt.Errorf("%w: %s is missing", ErrUnsupported, screencapture)
	}
	dir, err := os.MkdirTemp("", "firstline-screen-")
	if err != nil {
		return nil, fmt.Errorf("making a folder for the screenshot: %w", err)
	}
	defer os.RemoveAll(dir)
	args := []string{"-x", "-t", "png"} // -x: no camera sound
	files := make([]string, maxShots)
	for i := range files {
		files[i] = filepath.Join(dir, "screen-"+strconv.Itoa(i+1)+".png")
	}
	if _, err := command.Runner(captureTimeout)(ctx, screencapture, append(args, files...)...); err != nil {
		return nil, err
	}
	var shots []Shot
	for i, f := range files {
		data, err := readCapped(f)
		if errors.Is(err, os.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		img, err := decodePNG(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", screenName(i), err)
		}
		shots = append(shots, Shot{Name: screenName(i), Image: img})
	}
	if len(shots) == 0 {
		return nil, errors.New("screencapture saved no picture")
	}
	return shots, nil
}

func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxCaptureFile))
}
