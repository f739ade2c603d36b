package spool

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report"
)

// crashDirEnv, when set, turns TestCrashChild into the child of
// TestPutSurvivesKill: it Puts reports into that folder until killed.
const crashDirEnv = "FIRSTLINE_SPOOL_CRASH_DIR"

// crashReport is the report the child stores as number n of round round.
// Its content is derived from the key, so the parent can check a report
// it reads back is intact without being told what was in it.
func crashReport(key report.Key) report.Report {
	sum := sha256.Sum256(key[:])
	size := int(sum[0])<<4 | int(sum[1]>>4) // 0..4095 bytes
	data := make([]byte, size)
	for i := range data {
		data[i] = sum[i%len(sum)] ^ byte(i)
	}
	sub := report.Submission{
		Key:       key,
		CreatedAt: key.Time(),
		Text:      "crash test " + key.String(),
		Severity:  report.SeverityQuestion,
		Attachments: []report.Attachment{
			{Name: "data.bin", Kind: report.KindFile, Data: data},
		},
	}
	return report.NewReport(sub, report.Owner{UID: fmt.Sprint(sum[2] % 3)}, key.Time())
}

func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestPutSurvivesKill")
	}
	s, err := Open(dir, Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var wg sync.WaitGroup
	// Two writers, as the service has several connections at once; each
	// also updates and archives some reports, so every kind of write can
	// be interrupted.
	for w := range 2 {
		wg.Go(func() {
			for i := 0; ; i++ {
				key := report.NewKey(time.Now())
				if _, err := s.Put(context.Background(), crashReport(key)); err != nil {
					fmt.Fprintln(os.Stderr, "put:", err)
					os.Exit(4)
				}
				mu.Lock()
				fmt.Fprintln(out, key)
				out.Flush() // the parent may count it from here on
				mu.Unlock()
				if i%3 == w {
					s.UpdateState(context.Background(), key, func(st *report.State) error {
						st.Destinations = []report.Destination{{Name: "email", State: report.FailedTransient, Attempts: 1}}
						return nil
					})
				}
				if i%5 == w {
					s.Archive(context.Background(), key)
				}
			}
		})
	}
	wg.Wait()
}

// TestPutSurvivesKill runs a child that Puts reports as fast as it can and
// kills it (SIGKILL on Unix) at random moments, again and again. After
// each kill the spool must open cleanly and hold, intact, every report
// whose Put returned (the child prints its key only then), and everything
// it lists must load or be archived: nothing corrupt is ever listed.
func TestPutSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "spool")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	acked := map[report.Key]bool{}
	const kills = 60
	for round := range kills {
		cmd := exec.Command(exe, "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		var readers sync.WaitGroup
		readers.Go(func() {
			defer close(lines)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
		})
		// Kill at a random moment. Most rounds wait for the child's
		// first Put, so kills land among Puts, updates and archives; one
		// in five counts from the start, so some land in Open's repairs.
		delay := time.Duration(rng.IntN(15_000)) * time.Microsecond
		var deadline <-chan time.Time
		if round%5 == 0 {
			deadline = time.After(delay)
		}
	wait:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break wait
				}
				key, err := report.ParseKey(line)
				if err != nil {
					t.Fatalf("round %d: child said %q", round, line)
				}
				acked[key] = true
				if deadline == nil {
					deadline = time.After(delay)
				}
			case <-deadline:
				break wait
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: the child stored nothing for 10 s", round)
			}
		}
		cmd.Process.Kill()
		for line := range lines { // what the child printed before it died
			if key, err := report.ParseKey(line); err == nil {
				acked[key] = true
			}
		}
		readers.Wait()
		cmd.Wait()
		checkAfterCrash(t, dir, acked, round)
	}
	if len(acked) < kills {
		t.Errorf("only %d Puts returned over %d rounds; the test is not exercising the spool", len(acked), kills)
	}
	t.Logf("%d rounds, %d reports acknowledged", kills, len(acked))
}

func checkAfterCrash(t *testing.T, dir string, acked map[report.Key]bool, round int) {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("round %d: Open after kill: %v", round, err)
	}
	defer s.Close()
	for key := range acked {
		rec, err := s.Get(key)
		if err != nil {
			t.Fatalf("round %d: acknowledged report %s is missing: %v", round, key, err)
		}
		if rec.State.Broken != "" {
			t.Fatalf("round %d: acknowledged report %s is broken", round, key)
		}
	}
	for rec := range s.All(Filter{}) {
		if !rec.ArchivedAt.IsZero() {
			continue
		}
		got, err := s.Load(context.Background(), rec.Key)
		if err != nil {
			t.Fatalf("round %d: listed report %s does not load: %v", round, rec.Key, err)
		}
		sameContent(t, got, crashReport(rec.Key))
	}
	if q := quarantined(t, dir); len(q) != 0 {
		t.Fatalf("round %d: a kill left damaged files: %v", round, q)
	}
}
