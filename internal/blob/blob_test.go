package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFSStoresByContentOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, tmp := t.TempDir(), t.TempDir()
	s, err := NewFS(dir, tmp)
	if err != nil {
		t.Fatal(err)
	}
	content := "%PDF-1.4 receipt 42"
	sum := sha256.Sum256([]byte(content))
	want := hex.EncodeToString(sum[:])
	for range 2 {
		sha, n, err := s.Put(ctx, strings.NewReader(content))
		if err != nil || sha != want || n != int64(len(content)) {
			t.Fatalf("Put = %s, %d, %v; want %s, %d", sha, n, err, want, len(content))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	if len(files) != 1 {
		t.Fatalf("stored %d files, want 1: %v", len(files), files)
	}
	for _, d := range []string{dir, tmp} {
		if left, _ := filepath.Glob(filepath.Join(d, "*-*")); len(left) != 0 {
			t.Fatalf("temporary files left behind: %v", left)
		}
	}
	r, err := s.Open(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != content {
		t.Fatalf("read %q", b)
	}
	for _, bad := range []string{"../../etc/passwd", strings.Repeat("0", 64), "ABC"} {
		if _, err := s.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, want[:2], want)); err != nil {
		t.Fatal(err)
	}
}

// peek calls look at the first read, while Put is writing.
type peek struct {
	r    io.Reader
	look func()
}

func (p *peek) Read(b []byte) (int, error) {
	if p.look != nil {
		p.look()
		p.look = nil
	}
	return p.r.Read(b)
}

func TestFSWritesUploadsInTheTemporaryFolder(t *testing.T) {
	t.Parallel()
	dir, tmp := t.TempDir(), t.TempDir()
	s, err := NewFS(dir, tmp)
	if err != nil {
		t.Fatal(err)
	}
	var inTmp, inDir []string
	r := &peek{r: strings.NewReader("receipt"), look: func() {
		inTmp, _ = filepath.Glob(filepath.Join(tmp, "upload-*"))
		inDir, _ = filepath.Glob(filepath.Join(dir, "*"))
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the upload is abandoned: nothing may stay behind
	if _, _, err := s.Put(ctx, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want cancelled", err)
	}
	if len(inTmp) != 1 || len(inDir) != 0 {
		t.Fatalf("while writing: %v in the temporary folder, %v in the store; want one upload-* in the first only", inTmp, inDir)
	}
	for _, d := range []string{dir, tmp} {
		if left, _ := os.ReadDir(d); len(left) != 0 {
			t.Fatalf("left in %s: %v", d, left)
		}
	}
}

func TestLimitReaderFailsOnlyPastTheLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size    int
		wantErr bool
	}{{0, false}, {9, false}, {10, false}, {11, true}, {1000, true}} {
		n, err := io.Copy(io.Discard, LimitReader(bytes.NewReader(make([]byte, tc.size)), 10))
		if gotErr := errors.Is(err, ErrTooLarge); gotErr != tc.wantErr || (!tc.wantErr && (err != nil || n != int64(tc.size))) {
			t.Errorf("%d bytes with limit 10: copied %d, err %v", tc.size, n, err)
		}
	}
}
