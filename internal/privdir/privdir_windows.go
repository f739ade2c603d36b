package privdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// folderSDDL: SYSTEM and Administrators full control, inherited by what is
// created inside; P blocks the parent's entries (ProgramData lets Users
// create files).
const folderSDDL = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"

func mkdirAll(path string) error {
	path = filepath.Clean(path)
	if fi, err := os.Stat(path); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a folder", path)
		}
		return nil
	}
	if parent := filepath.Dir(path); parent != path {
		if err := mkdirAll(parent); err != nil {
			return err
		}
	}
	sd, err := windows.SecurityDescriptorFromString(folderSDDL)
	if err != nil {
		return fmt.Errorf("building the folder's security descriptor: %w", err)
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if err := windows.CreateDirectory(p, sa); err != nil && !errors.Is(err, windows.ERROR_ALREADY_EXISTS) {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	return nil
}
