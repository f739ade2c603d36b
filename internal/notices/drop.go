package notices

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/firstline-it/firstline/internal/notices/minisign"
	"github.com/firstline-it/firstline/internal/trust"
)

// DropOptions say where the drop folder is and whom to trust.
type DropOptions struct {
	// Dir is the drop folder. It must be owned by root (Administrators or
	// SYSTEM on Windows) and writable by nobody else; so must each file.
	Dir string
	// Keys are the trusted public keys, the same as the feed's.
	Keys []minisign.PublicKey
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// Drop is what the drop folder holds.
type Drop struct {
	// Notices are the notices of every accepted file.
	Notices []Notice
	// Files is the outcome for each *.json file, in name order.
	Files []DropFile
}

// DropFile is the outcome for one file.
type DropFile struct {
	Name     string
	Sequence uint64
	KeyID    string
	Notices  int
	// Err says why the file was refused; nil when it was accepted.
	Err error
}

// maxDropFiles bounds the work of one read.
const maxDropFiles = 200

// dropSuffix and signatureSuffix name the files of a pair.
const (
	dropSuffix      = ".json"
	signatureSuffix = ".minisig"
)

// ReadDropFolder reads the signed notice files of the drop folder, for
// machines managed by MDM or GPO, or with no network path to the feed.
// Each NAME.json is a feed document (same schema) signed by NAME.json.minisig
// and verified like the feed; a file that fails is refused on its own and
// logged, the others still count. Sequence numbers are not compared between
// files or reads: only an administrator can write the folder.
//
// The folder itself is refused (an error, and no notices) when someone
// other than root or the administrators can write it; so is a file, or a
// symbolic link in place of a file. A missing folder is not an error.
func ReadDropFolder(opts DropOptions, now time.Time) (Drop, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir, err := os.Open(opts.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return Drop{}, nil
	}
	if err != nil {
		return Drop{}, fmt.Errorf("opening the notice drop folder: %w", err)
	}
	defer dir.Close()
	if err := trust.Check(opts.Dir, dir); err != nil {
		log.Warn("notice drop folder refused", "error", err)
		return Drop{}, fmt.Errorf("notice drop folder: %w", err)
	}
	entries, err := dir.ReadDir(-1)
	if err != nil {
		return Drop{}, fmt.Errorf("listing the notice drop folder %s: %w", opts.Dir, err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), dropSuffix) && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if len(names) > maxDropFiles {
		log.Warn("notice drop folder has too many files; reading the first ones", "dir", opts.Dir, "files", len(names), "read", maxDropFiles)
		names = names[:maxDropFiles]
	}

	var d Drop
	for _, name := range names {
		df := DropFile{Name: name}
		st, err := readDropPair(filepath.Join(opts.Dir, name), opts.Keys, now)
		if err != nil {
			df.Err = err
			log.Warn("notice drop file refused", "file", filepath.Join(opts.Dir, name), "error", err)
		} else {
			df.Sequence, df.KeyID, df.Notices = st.Sequence, st.KeyID, len(st.Feed.Notices)
			d.Notices = append(d.Notices, st.Feed.Notices...)
		}
		d.Files = append(d.Files, df)
	}
	return d, nil
}

func readDropPair(path string, keys []minisign.PublicKey, now time.Time) (State, error) {
	data, err := readTrustedFile(path, MaxFeedBytes)
	if err != nil {
		return State{}, err
	}
	sig, err := readTrustedFile(path+signatureSuffix, MaxSignatureBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, refuse(ReasonUnsigned, fmt.Errorf("no %s next to it", filepath.Base(path)+signatureSuffix))
	}
	if err != nil {
		return State{}, err
	}
	return Accept(State{}, data, sig, keys, now)
}

// readTrustedFile reads a regular file that only administrators can write,
// refusing symbolic links and anything over limit bytes.
func readTrustedFile(path string, limit int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: refused: not a regular file (%s)", path, fi.Mode().Type())
	}
	f, err := trust.OpenNoFollow(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	if err := trust.Check(path, f); err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: refused: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: refused: larger than %d bytes", path, limit)
	}
	return data, nil
}

// UntrustedError is why a drop folder or file was refused: someone other
// than root (or the user running the process) owns it or may write it.
type UntrustedError = trust.UntrustedError
