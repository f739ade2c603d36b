package localapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/firstline-it/firstline/internal/sysinfo"
	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
	"github.com/firstline-it/firstline/internal/sysinfo/probes"
)

// SysInfo asks for a system snapshot, as the service redacts it for
// reports. No sections means all that IT lets the service collect.
func (c *Client) SysInfo(ctx context.Context, sections ...sysinfo.Section) (*sysinfo.Snapshot, error) {
	var snap sysinfo.Snapshot
	if err := c.getJSON(ctx, PathSysInfo+sectionsQuery(sections, ""), &snap); err != nil {
		return nil, err
	}
	return &snap, nil
}

// SysInfoText asks for the snapshot as the service renders it: the summary
// a helpdesk agent reads first, then every detail.
func (c *Client) SysInfoText(ctx context.Context, sections ...sysinfo.Section) (string, error) {
	b, err := c.getBytes(ctx, http.MethodGet, PathSysInfo+sectionsQuery(sections, "text"))
	return string(b), err
}

// History asks for the metrics of the last hour.
func (c *Client) History(ctx context.Context) (*metrics.History, error) {
	var h metrics.History
	if err := c.getJSON(ctx, PathHistory, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// Chart asks for the metrics history drawn as a PNG of the given size.
func (c *Client) Chart(ctx context.Context, width, height int) ([]byte, error) {
	return c.getBytes(ctx, http.MethodGet, fmt.Sprintf("%s?width=%d&height=%d", PathChart, width, height))
}

// Probes runs the connectivity checks and returns their report. It takes
// up to the probe budget IT configured (at most 5 s).
func (c *Client) Probes(ctx context.Context) (*probes.Report, error) {
	resp, err := c.do(ctx, http.MethodPost, PathProbes, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r probes.Report
	if err := decodeJSON(resp.Body, &r); err != nil {
		return nil, fmt.Errorf("decoding %s response: %w", PathProbes, err)
	}
	return &r, nil
}

func (c *Client) getBytes(ctx context.Context, method, path string) ([]byte, error) {
	resp, err := c.do(ctx, method, path, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("reading %s response: %w", path, err)
	}
	return b, nil
}

func sectionsQuery(sections []sysinfo.Section, format string) string {
	q := url.Values{}
	if len(sections) > 0 {
		names := make([]string, len(sections))
		for i, s := range sections {
			names[i] = string(s)
		}
		q.Set("sections", strings.Join(names, ","))
	}
	if format != "" {
		q.Set("format", format)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}
