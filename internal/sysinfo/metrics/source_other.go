//go:build !linux && !windows && !darwin

package metrics

import "context"

// unsupportedSource keeps the service building on other OSes; its sampler
// logs once that nothing can be sampled.
type unsupportedSource struct{}

func newOSSource(SourceOptions) Source { return unsupportedSource{} }

func (unsupportedSource) Read(context.Context) (Counters, error) {
	return Counters{}, ErrUnsupported
}
