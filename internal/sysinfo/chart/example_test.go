package chart

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/sysinfo/metrics"
)

var (
	writePNG = flag.String("write", "", "write the realistic example chart to this file, to look at it")
	update   = flag.Bool("update", false, "regenerate testdata/realistic-hour.json")
)

const realisticFixture = "realistic-hour.json"

// realisticHour loads testdata/realistic-hour.json: an hour of 10 s
// samples ending at 11:00 UTC.
func realisticHour() ([]metrics.Sample, time.Time) {
	b, err := os.ReadFile(filepath.Join("testdata", realisticFixture))
	if err != nil {
		panic(err)
	}
	var samples []metrics.Sample
	if err := json.Unmarshal(b, &samples); err != nil {
		panic(err)
	}
	return samples, time.Date(2025, 3, 4, 11, 0, 0, 0, time.UTC)
}

func TestUpdateRealisticFixture(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate")
	}
	// One sample per line: compact, and a change shows as a readable diff.
	var b []byte
	for i, s := range generateHour() {
		line, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		b = append(append(b, "[,"[min(i, 1)]), line...)
		b = append(b, '\n')
	}
	b = append(b, "]\n"...)
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", realisticFixture), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// generateHour makes the fixture: a quiet machine, a backup writing at
// 10:12, a laptop asleep from 10:21 to 10:25, a download at 10:31 and
// Firefox pegging the CPU around 10:40.
func generateHour() []metrics.Sample {
	end := time.Date(2025, 3, 4, 11, 0, 0, 0, time.UTC)
	var out []metrics.Sample
	for i := 1; i <= 360; i++ {
		at := end.Add(-time.Hour + time.Duration(i)*10*time.Second)
		m := at.Sub(end.Add(-time.Hour)).Minutes()
		if m > 21 && m < 25 {
			continue
		}
		noise := math.Sin(float64(i)*1.7)*2.5 + math.Sin(float64(i)*0.31)*2
		s := metrics.Sample{
			At:             at,
			CPUPercent:     9 + noise,
			MemUsedPercent: 52 + m*0.25 + math.Sin(float64(i)*0.05),
			DiskReadBps:    40e3 + 30e3*math.Abs(math.Sin(float64(i)*0.9)),
			DiskWriteBps:   90e3,
			NetRxBps:       15e3 + 10e3*math.Abs(math.Sin(float64(i)*0.4)),
			NetTxBps:       5e3,
			TopProcess:     "gnome-shell",
			TopProcessCPU:  4,
		}
		if m >= 12 && m < 15 {
			s.DiskWriteBps, s.CPUPercent, s.TopProcess = 38e6+4e6*math.Sin(float64(i)), s.CPUPercent+15, "restic"
		}
		if m >= 31 && m < 34.5 {
			s.NetRxBps = 11e6 + 1.5e6*math.Sin(float64(i)*0.7)
		}
		if m >= 38 && m < 43 {
			s.CPUPercent = 78 + 12*math.Sin((m-38)/5*math.Pi) + noise
			s.MemUsedPercent += 9 * (m - 38) / 5
			s.TopProcess, s.TopProcessCPU = "firefox", 170
		}
		s.CPUPercent = math.Round(s.CPUPercent*100) / 100
		s.MemUsedPercent = math.Round(s.MemUsedPercent*100) / 100
		s.MemUsedBytes = uint64(s.MemUsedPercent / 100 * 16e9)
		for _, v := range []*float64{&s.DiskReadBps, &s.DiskWriteBps, &s.NetRxBps, &s.NetTxBps} {
			*v = math.Round(*v)
		}
		out = append(out, s)
	}
	return out
}

// TestWriteExample renders the realistic hour, writing it out when asked
// with -write, so that a person can look at the chart.
func TestWriteExample(t *testing.T) {
	samples, end := realisticHour()
	png, err := Render(samples, Options{Now: end, Title: "Anna's laptop (ANNA-T14)", Location: time.FixedZone("CET", 3600)})
	if err != nil {
		t.Fatal(err)
	}
	if *writePNG != "" {
		if err := os.WriteFile(*writePNG, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
