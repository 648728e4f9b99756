//go:build !unix

package tmpdir

import (
	"errors"
	"os"
)

var (
	errLocked      = errors.New("locked by another process")
	errUnsupported = errors.New("file locks not supported here")
)

// lockFile: without flock, the folders of other processes are removed only
// once StaleAfter has passed.
func lockFile(*os.File) error { return errUnsupported }
