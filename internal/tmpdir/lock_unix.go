//go:build unix

package tmpdir

import (
	"errors"
	"os"
	"syscall"
)

var (
	errLocked      = errors.New("locked by another process")
	errUnsupported = errors.New("file locks not supported here")
)

// lockFile takes an exclusive lock on f without waiting, held until f is
// closed or the process ends (however it ends). Errors: errLocked,
// errUnsupported (a file system without locks).
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		return errLocked
	case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.ENOSYS):
		return errUnsupported
	}
	return err
}
