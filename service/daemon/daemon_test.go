package daemon

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/firstline-it/firstline/internal/config"
	"github.com/firstline-it/firstline/internal/localapi"
)

func TestStartServesAndStopCleansUp(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Defaults()
	cfg.Service.StateDir = filepath.Join(dir, "state")
	cfg.Support.Organization = "Acme IT"
	d := New(Options{Config: cfg, SocketPath: filepath.Join(dir, "run", "local.sock"), Version: "9.9"})
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	st, err := localapi.NewClient(d.SocketPath()).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != "9.9" || st.Support.Organization != "Acme IT" {
		t.Errorf("status = %+v", st)
	}
	fi, err := os.Stat(cfg.Service.StateDir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir: %v %v", fi, err)
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-d.Done()
	if _, err := os.Stat(d.SocketPath()); !os.IsNotExist(err) {
		t.Errorf("socket left behind after stop: %v", err)
	}
	if d.Err() != nil {
		t.Errorf("Err after clean stop = %v", d.Err())
	}
}
