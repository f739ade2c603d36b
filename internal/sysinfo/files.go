package sysinfo

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
)

// maxFileBytes caps what is read of any one system file: the files read are
// small (os-release, DMI, power_supply) and a huge one is not what we think.
const maxFileBytes = 1 << 20

// joinRoot places an absolute system path under root.
func joinRoot(root string, elem ...string) string {
	return filepath.Join(append([]string{root}, elem...)...)
}

// readFile reads a system file under root, capped.
func readFile(root string, elem ...string) ([]byte, error) {
	f, err := os.Open(joinRoot(root, elem...))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFileBytes))
}

// readTrimmed reads a one-line file such as /sys/class/dmi/id/sys_vendor.
func readTrimmed(root string, elem ...string) string {
	b, err := readFile(root, elem...)
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(b))
}
