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
	ctx := context.Background()
	dir := t.TempDir()
	s, err := NewFS(dir)
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
	if left, _ := filepath.Glob(filepath.Join(dir, "upload-*")); len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
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
func TestLimitReaderFailsOnlyPastTheLimit(t *testing.T) {
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
