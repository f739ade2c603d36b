package localapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/firstline-it/firstline/internal/localapi/transport"
)

// maxResponseBytes bounds what the client reads from one response: a
// confused or hostile peer on the socket must not exhaust the app's memory.
const maxResponseBytes = 8 << 20

// Client talks to the service over its local socket. It is safe for
// concurrent use.
type Client struct {
	socketPath string
	hc         *http.Client
}

// NewClient returns a client for the service listening at socketPath
// (transport.DefaultPath for the installed service).
func NewClient(socketPath string) *Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return transport.Dial(ctx, socketPath)
		},
		MaxIdleConns:          2,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		DisableCompression:    true,
	}
	return &Client{socketPath: socketPath, hc: &http.Client{Transport: tr}}
}

// SocketPath is the socket or pipe the client connects to.
func (c *Client) SocketPath() string { return c.socketPath }

// Close releases idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// Status asks the service for its version, uptime and the caller's identity
// as the service sees it.
func (c *Client) Status(ctx context.Context) (*Status, error) {
	var st Status
	if err := c.getJSON(ctx, PathStatus, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

func (c *Client) getJSON(ctx context.Context, path string, out any) error {
	resp, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := decodeJSON(resp.Body, out); err != nil {
		return fmt.Errorf("decoding %s response: %w", path, err)
	}
	return nil
}

func decodeJSON(r io.Reader, out any) error {
	return json.NewDecoder(io.LimitReader(r, maxResponseBytes)).Decode(out)
}

// do sends one request and turns transport failures into ErrUnreachable and
// non-2xx answers into *Error. On success the caller owns resp.Body.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+Host+path, body)
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil && transport.IsUnreachable(err) {
			return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, c.socketPath, err)
		}
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, decodeError(resp)
	}
	return resp, nil
}

// decodeError reads the JSON error envelope; a body that is not one (a
// proxy, a crash mid-write) still yields an *Error with the HTTP status.
func decodeError(resp *http.Response) error {
	var env ErrorBody
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(data, &env) == nil && env.Error != nil && env.Error.Code != "" {
		env.Error.Status = resp.StatusCode
		return env.Error
	}
	return &Error{Status: resp.StatusCode, Code: CodeInternal,
		Message: fmt.Sprintf("unexpected response %s", resp.Status)}
}
