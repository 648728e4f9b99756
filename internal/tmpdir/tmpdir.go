// Package tmpdir owns Pactum's temporary files: uploads on their way into
// the file store, reports being made before they are sent, the spreadsheet
// library's scratch files. They are kept in one folder under the data
// directory (./pactum-data/tmp by default), not in the system's, so that
// what a crash (kill -9, power loss) leaves behind is found and removed at
// the next start.
//
// Several servers may share the folder (PostgreSQL installs with a shared
// files folder): each process works in a folder of its own, p-<random>,
// holding a lock on it (flock) for as long as it runs. At start-up a
// process removes the folders whose lock it can take, as the process that
// held it is gone; a live process's folder is never touched.
package tmpdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	// procPrefix names the folder of one process.
	procPrefix = "p-"
	// newPrefix names a process's folder until it is locked.
	newPrefix = ".new-"
	// lockName is the file a process keeps locked in its folder.
	lockName = ".lock"
	// StaleAfter is the age past which a file or folder in the temporary
	// folder that belongs to no process (a file of an older Pactum, a
	// folder whose lock cannot be checked) counts as left behind. Nothing
	// Pactum makes lives that long: the longest, a report, is made and sent
	// within 30 minutes.
	StaleAfter = 2 * time.Hour
)

// Dir is this process's temporary folder. A nil *Dir stands for the
// system's temporary folder (commands that run briefly, tests).
type Dir struct {
	root string // the temporary folder, shared by processes
	path string // this process's folder in it
	lock *os.File
}

// Open prepares the temporary folder root for this process: it creates it
// if need be, removes what processes that are gone left in it, and makes
// this process's own folder. Close removes that folder again.
//
// removed lists what was removed (for the log).
func Open(root string) (d *Dir, removed []string, err error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, nil, fmt.Errorf("temporary folder %s: %w", root, err)
	}
	d, err = create(root)
	if err != nil {
		return nil, nil, fmt.Errorf("temporary folder %s: %w", root, err)
	}
	removed, err = d.sweep(time.Now())
	if err != nil {
		_ = d.Close()
		return nil, nil, fmt.Errorf("temporary folder %s: removing what crashed processes left: %w", root, err)
	}
	return d, removed, nil
}

// create makes and locks this process's folder under a name the sweep of
// another process leaves alone, then gives it its final name: a folder
// named p-* is always locked by its process while the process lives.
func create(root string) (*Dir, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(b)
	fresh := filepath.Join(root, newPrefix+id)
	if err := os.Mkdir(fresh, 0o700); err != nil {
		return nil, err
	}
	d, err := lockAndName(root, fresh, id)
	if err != nil {
		_ = os.RemoveAll(fresh)
	}
	return d, err
}

func lockAndName(root, fresh, id string) (*Dir, error) {
	lock, err := os.OpenFile(filepath.Join(fresh, lockName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	// Without file locks the folder is still this process's; only the
	// sweeps of other processes wait for StaleAfter before removing it.
	if err := lockFile(lock); err != nil && !errors.Is(err, errUnsupported) {
		_ = lock.Close()
		return nil, err
	}
	final := filepath.Join(root, procPrefix+id)
	if err := os.Rename(fresh, final); err != nil {
		_ = lock.Close()
		return nil, err
	}
	return &Dir{root: root, path: final, lock: lock}, nil
}

// sweep removes what is left in the temporary folder by processes that are
// gone: the folders of processes whose lock it can take, and, past
// StaleAfter, anything else but live processes' folders.
func (d *Dir) sweep(now time.Time) ([]string, error) {
	entries, err := os.ReadDir(d.root)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		p := filepath.Join(d.root, e.Name())
		if p == d.path {
			continue
		}
		gone, lock, err := leftBehind(p, e, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if gone {
			if err := os.RemoveAll(p); err != nil {
				errs = append(errs, err)
			} else {
				removed = append(removed, p)
			}
		}
		if lock != nil {
			// Held until the folder is gone: another process sweeping
			// meanwhile finds it locked and leaves it alone.
			_ = lock.Close()
		}
	}
	return removed, errors.Join(errs...)
}

// leftBehind reports whether the entry p of the temporary folder belongs to
// no live process. For a process's folder it returns the lock it took; the
// caller closes it after removing the folder.
func leftBehind(p string, e fs.DirEntry, now time.Time) (bool, *os.File, error) {
	old := func() (bool, *os.File, error) {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil, nil // removed meanwhile (by another process's sweep)
		}
		if err != nil {
			return false, nil, err
		}
		return now.Sub(info.ModTime()) > StaleAfter, nil, nil
	}
	if !e.IsDir() || !strings.HasPrefix(e.Name(), procPrefix) {
		return old()
	}
	lock, err := os.OpenFile(filepath.Join(p, lockName), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return old()
	}
	if err != nil {
		return false, nil, err
	}
	err = lockFile(lock)
	switch {
	case err == nil: // the process that held it is gone
		return true, lock, nil
	case errors.Is(err, errLocked):
		_ = lock.Close()
		return false, nil, nil
	case errors.Is(err, errUnsupported):
		_ = lock.Close()
		return old()
	default:
		_ = lock.Close()
		return false, nil, err
	}
}

// Path is this process's temporary folder, "" for the system's (nil d).
// Give it to libraries that make temporary files (excelize's
// Options.TmpDir).
func (d *Dir) Path() string {
	if d == nil {
		return ""
	}
	return d.path
}

// CreateTemp creates a new temporary file in d (see os.CreateTemp). The
// caller removes it when done.
func (d *Dir) CreateTemp(pattern string) (*os.File, error) {
	return os.CreateTemp(d.Path(), pattern)
}

// Close removes this process's folder and everything in it.
func (d *Dir) Close() error {
	if d == nil {
		return nil
	}
	err := os.RemoveAll(d.path)
	if d.lock != nil {
		_ = d.lock.Close()
	}
	return err
}

// RemoveOld removes the files in dir matching pattern (filepath.Match)
// last written more than age ago, and returns their paths: the temporary
// files earlier versions of Pactum kept elsewhere (upload-* in the files
// folder, pactum-report-* in the system's temporary folder).
func RemoveOld(dir, pattern string, age time.Duration) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, p := range matches {
		info, err := os.Lstat(p)
		if err != nil || !info.Mode().IsRegular() || time.Since(info.ModTime()) <= age {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}
