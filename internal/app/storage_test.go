package app_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/tmpdir"
)

// TestStartUpRemovesLeftoverTemporaryFiles: what a server killed while
// working left behind (in its own folder of the temporary folder, and, from
// versions before it, in the files folder and the system's temporary
// folder) is gone once a server has started; files that may be in use by
// another server are kept.
func TestStartUpRemovesLeftoverTemporaryFiles(t *testing.T) {
	data, system := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", system)
	files, tmp := filepath.Join(data, "files"), filepath.Join(data, "tmp")
	long := time.Now().Add(-tmpdir.StaleAfter - time.Minute)
	write := func(p string, old bool) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
		if old {
			if err := os.Chtimes(p, long, long); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	gone := []string{
		// The folder of a killed server: its lock is free.
		write(filepath.Join(tmp, "p-0123456789abcdef", ".lock"), false),
		write(filepath.Join(tmp, "p-0123456789abcdef", "upload-1"), false),
		write(filepath.Join(tmp, "p-0123456789abcdef", "excelize-2"), false),
		write(filepath.Join(tmp, "pactum-report-3"), true),
		write(filepath.Join(files, "upload-4"), true),
		write(filepath.Join(system, "pactum-report-5"), true),
	}
	kept := []string{
		// Recent: maybe another server's (of an older version), at work.
		write(filepath.Join(files, "upload-6"), false),
		write(filepath.Join(system, "pactum-report-7"), false),
		// Not Pactum's.
		write(filepath.Join(system, "upload-8"), true),
	}

	var logged strings.Builder
	st, err := app.OpenStorage(files, tmp, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("left behind: %s", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("removed: %s", p)
		}
	}
	if !strings.Contains(logged.String(), "p-0123456789abcdef") {
		t.Errorf("the removals are not logged:\n%s", logged.String())
	}

	// New uploads are written in this server's own temporary folder.
	own := st.Temp.Path()
	if filepath.Dir(own) != tmp {
		t.Fatalf("temporary folder %s, want one in %s", own, tmp)
	}
	var during []string
	r := readerFunc(func(b []byte) (int, error) {
		during, _ = filepath.Glob(filepath.Join(own, "upload-*"))
		return 0, io.EOF
	})
	if _, _, err := st.Blobs.Put(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(during) != 1 {
		t.Fatalf("while uploading, %v in %s; want one upload-*", during, own)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(own); err == nil {
		t.Fatal("the server's temporary folder outlives its shutdown")
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }
