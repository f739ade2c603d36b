// Package privdir creates the service's own folders (state, logs) so that
// only the service and administrators can write in them. On Windows a plain
// MkdirAll under %ProgramData% would inherit "Users may create files", and a
// folder users can write is one the root service must not trust.
package privdir

// MkdirAll creates path and any missing parents. Folders it creates are
// private: 0700 on Unix; on Windows SYSTEM and Administrators only, not
// inheriting from the parent. Folders that already exist are left as they
// are.
func MkdirAll(path string) error {
	return mkdirAll(path)
}
