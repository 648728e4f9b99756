// Package blob stores files (receipts) content-addressed: a file's address
// is the hex SHA-256 of its bytes, so the same receipt uploaded twice is
// kept once. Store is small on purpose, so that an S3-compatible store can
// follow the file-system one.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// ErrNotFound: no blob has this address.
var ErrNotFound = errors.New("blob not found")

// Store keeps blobs by the hex SHA-256 of their content.
type Store interface {
	// Put stores r's bytes and returns their address and size. Storing
	// bytes that are already there is not an error.
	Put(ctx context.Context, r io.Reader) (sha string, size int64, err error)
	// Open returns the blob's bytes. Errors: ErrNotFound.
	Open(ctx context.Context, sha string) (io.ReadCloser, error)
}

// FS is a Store in a directory: blobs at dir/ab/abcdef... (first two hex
// digits as a fan-out directory), written to a temporary file in the
// temporary folder and renamed into place, so a reader never sees half a
// blob and a crash leaves nothing in dir.
type FS struct{ dir, tmp string }

// NewFS returns a Store in dir, creating it if needed, that writes its
// temporary files in tmp (internal/tmpdir). tmp must be on dir's file
// system, as the files are renamed from one to the other: NewFS checks it.
func NewFS(dir, tmp string) (*FS, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", dir, err)
	}
	if tmp == "" {
		return nil, errors.New("blob store: no temporary folder")
	}
	if err := renameProbe(tmp, dir); err != nil {
		return nil, fmt.Errorf("blob store %s: the temporary folder %s must be on the same file system "+
			"(files are renamed from it into the store): %w", dir, tmp, err)
	}
	return &FS{dir: dir, tmp: tmp}, nil
}

// renameProbe renames an empty file from tmp into dir, and removes it.
func renameProbe(tmp, dir string) error {
	f, err := os.CreateTemp(tmp, "probe-*")
	if err != nil {
		return err
	}
	_ = f.Close()
	defer os.Remove(f.Name()) //nolint:errcheck // gone already when the rename succeeded
	dst := filepath.Join(dir, "."+filepath.Base(f.Name()))
	if err := os.Rename(f.Name(), dst); err != nil {
		return err
	}
	return os.Remove(dst)
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *FS) path(sha string) string { return filepath.Join(s.dir, sha[:2], sha) }

// Put implements Store.
func (s *FS) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(s.tmp, "upload-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name()) //nolint:errcheck // after a successful rename this fails harmlessly
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	dst := s.path(sha)
	if _, err := os.Stat(dst); err == nil {
		return sha, n, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, err
	}
	return sha, n, nil
}

// Check reports whether the store's directory takes a new file: it writes,
// syncs and removes a small one.
func (s *FS) Check(context.Context) error {
	f, err := os.CreateTemp(s.dir, "ready-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) //nolint:errcheck // a probe file left behind does no harm; the Write and Sync errors are what Check reports
	_, err = f.Write([]byte("ok"))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Open implements Store.
func (s *FS) Open(_ context.Context, sha string) (io.ReadCloser, error) {
	if !shaPattern.MatchString(sha) {
		return nil, ErrNotFound
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// ErrTooLarge ends a read of a LimitReader past its limit.
var ErrTooLarge = errors.New("file larger than the limit")

// LimitReader reads at most n bytes of r and fails with ErrTooLarge
// (rather than stopping quietly, as io.LimitReader does) when there are
// more: an upload over the limit is refused, not cut short.
func LimitReader(r io.Reader, n int64) io.Reader { return &limitReader{r: r, n: n} }

type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return 0, ErrTooLarge
	}
	return n, err
}
