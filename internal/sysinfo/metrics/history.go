package metrics

import (
	"encoding/json"
	"time"
)

// History is the sampler's ring as the LocalAPI sends it: the samples,
// oldest first, and the interval that tells a gap from a normal pause.
type History struct {
	Interval time.Duration `json:"-"`
	Samples  []Sample      `json:"samples"`
}

type historyJSON History

// MarshalJSON writes Interval as interval_ms.
func (h History) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		historyJSON
		IntervalMS int64 `json:"interval_ms"`
	}{historyJSON(h), h.Interval.Milliseconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (h *History) UnmarshalJSON(data []byte) error {
	var v struct {
		historyJSON
		IntervalMS int64 `json:"interval_ms"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*h = History(v.historyJSON)
	h.Interval = time.Duration(v.IntervalMS) * time.Millisecond
	return nil
}
