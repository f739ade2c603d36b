//go:build windows

package trust

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// fileDeleteChild is FILE_DELETE_CHILD, which x/sys/windows does not define:
// on a folder it lets the holder delete (and so replace) any file in it.
const fileDeleteChild = 0x40

// writeRights let their holder change a file's content or a folder's
// entries, or take control of either.
const writeRights = windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA | fileDeleteChild |
	windows.DELETE | windows.WRITE_DAC | windows.WRITE_OWNER |
	windows.GENERIC_WRITE | windows.GENERIC_ALL | windows.MAXIMUM_ALLOWED

// Check refuses path unless SYSTEM, Administrators or the user running
// the process owns it and its DACL grants write rights to none but those.
// Deny entries are ignored, which can only make the check stricter than
// Windows itself. The security descriptor is read by path: only SYSTEM and
// Administrators can change a trusted folder, so the path cannot be
// swapped between the check and the read.
func Check(path string, f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("reading the security descriptor of %s: %w", path, err)
	}
	trusted, err := trustedSIDs()
	if err != nil {
		return fmt.Errorf("checking the permissions of %s: %w", path, err)
	}
	isTrusted := func(sid *windows.SID) bool {
		for _, t := range trusted {
			if sid.Equals(t) {
				return true
			}
		}
		return false
	}

	var why []string
	owner, _, err := sd.Owner()
	if err != nil {
		return fmt.Errorf("reading the owner of %s: %w", path, err)
	}
	if owner == nil || !isTrusted(owner) {
		why = append(why, "owned by "+accountName(owner))
	}
	dacl, _, err := sd.DACL()
	switch {
	case errors.Is(err, windows.ERROR_OBJECT_NOT_FOUND) || (err == nil && dacl == nil):
		why = append(why, "it has no access control list, so everyone can write it")
	case err != nil:
		return fmt.Errorf("reading the access control list of %s: %w", path, err)
	default:
		for i := uint32(0); i < uint32(dacl.AceCount); i++ {
			var ace *windows.ACCESS_ALLOWED_ACE
			if err := windows.GetAce(dacl, i, &ace); err != nil {
				return fmt.Errorf("reading access control entry %d of %s: %w", i, path, err)
			}
			if ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 {
				continue // applies to what is created inside, not to path
			}
			switch ace.Header.AceType {
			case windows.ACCESS_DENIED_ACE_TYPE:
				continue
			case windows.ACCESS_ALLOWED_ACE_TYPE:
			default:
				why = append(why, fmt.Sprintf("it has an access control entry of type %d this check cannot read", ace.Header.AceType))
				continue
			}
			sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
			if ace.Mask&writeRights != 0 && !isTrusted(sid) {
				why = append(why, accountName(sid)+" can write it")
			}
		}
	}
	if len(why) == 0 {
		return nil
	}
	return &UntrustedError{Path: path, Reason: strings.Join(why, ", "), Fix: windowsFix(path, fi.IsDir())}
}

func trustedSIDs() ([]*windows.SID, error) {
	system, err := windows.CreateWellKnownSid(windows.WinLocalSystemSid)
	if err != nil {
		return nil, fmt.Errorf("building the SYSTEM SID: %w", err)
	}
	admins, err := windows.CreateWellKnownSid(windows.WinBuiltinAdministratorsSid)
	if err != nil {
		return nil, fmt.Errorf("building the Administrators SID: %w", err)
	}
	// The pseudo-handle of the current process token needs no closing.
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("reading the current user: %w", err)
	}
	return []*windows.SID{system, admins, user.User.Sid}, nil
}

func accountName(sid *windows.SID) string {
	if sid == nil {
		return "nobody"
	}
	account, domain, _, err := sid.LookupAccount("")
	if err != nil {
		return sid.String()
	}
	if domain != "" {
		return domain + `\` + account + " (" + sid.String() + ")"
	}
	return account + " (" + sid.String() + ")"
}

// windowsFix is a PowerShell command giving path to Administrators with a
// protected DACL: SYSTEM and Administrators full control, Users read.
func windowsFix(path string, isDir bool) string {
	sddl := "O:BAD:PAI(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x1200a9;;;BU)"
	if isDir {
		sddl = "O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
	}
	p := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	return fmt.Sprintf(`powershell -Command "$a = Get-Acl -LiteralPath %s; $a.SetSecurityDescriptorSddlForm('%s'); Set-Acl -LiteralPath %s -AclObject $a"`, p, sddl, p)
}

// OpenNoFollow opens path itself even when it is a reparse point (a
// symbolic link or junction swapped in after the Lstat), so the regular-file
// check on the handle refuses it instead of following it.
func OpenNoFollow(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, windows.FILE_SHARE_READ|windows.FILE_SHARE_DELETE, nil,
		windows.OPEN_EXISTING, windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
