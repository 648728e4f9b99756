package tmpdir

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// childEnv makes the test binary act as a Pactum process that opens the
// temporary folder, starts writing a temporary file and waits to be killed.
const childEnv = "PACTUM_TMPDIR_TEST_CHILD"

func TestMain(m *testing.M) {
	if root := os.Getenv(childEnv); root != "" {
		d, _, err := Open(root)
		if err != nil {
			panic(err)
		}
		f, err := d.CreateTemp("upload-*")
		if err != nil {
			panic(err)
		}
		_, _ = f.WriteString("half an upload")
		_, _ = os.Stdout.WriteString(f.Name() + "\n")
		select {} // until killed
	}
	os.Exit(m.Run())
}

// startChild runs a process holding a temporary file in root and returns
// the file and a function that kills it with SIGKILL (no clean-up).
func startChild(t *testing.T, root string) (file string, kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	t.Cleanup(kill)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	return strings.TrimSpace(line), kill
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestLeftoversOfAKilledProcessAreRemovedAtStartUp(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no flock: other processes' folders are removed after StaleAfter only")
	}
	root := filepath.Join(t.TempDir(), "tmp")
	file, kill := startChild(t, root)
	if !exists(file) || filepath.Dir(filepath.Dir(file)) != root {
		t.Fatalf("the child's temporary file %s is not in a folder of %s", file, root)
	}

	// While it runs, another process starting leaves its files alone.
	d, removed, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 0 || !exists(file) {
		t.Fatalf("a live process's temporary files were removed: %v", removed)
	}
	_ = d.Close()

	kill() // kill -9: no deferred clean-up runs
	if !exists(file) {
		t.Fatal("the killed process removed its file: the test shows nothing")
	}
	d, removed, err = Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if exists(file) || !slices.Equal(removed, []string{filepath.Dir(file)}) {
		t.Fatalf("after the crash: file still there %v, removed %v; want %s removed", exists(file), removed, filepath.Dir(file))
	}
	// New temporary files go to the new process's own folder.
	f, err := d.CreateTemp("pactum-report-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if filepath.Dir(f.Name()) != d.Path() || filepath.Dir(d.Path()) != root {
		t.Fatalf("temporary file %s, want it in %s under %s", f.Name(), d.Path(), root)
	}
}

func TestOnlyClearlyStaleLooseFilesAreRemoved(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	old := filepath.Join(root, "excelize-123")
	fresh := filepath.Join(root, "excelize-456")
	oldNew := filepath.Join(root, newPrefix+"abc") // a process that died while starting
	freshNew := filepath.Join(root, newPrefix+"def")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{oldNew, freshNew} {
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-StaleAfter - time.Minute)
	for _, p := range []string{old, oldNew} {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	d, removed, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if want := []string{oldNew, old}; !slices.Equal(removed, want) || exists(old) || exists(oldNew) {
		t.Fatalf("removed %v, want %v", removed, want)
	}
	if !exists(fresh) || !exists(freshNew) {
		t.Fatal("a recent file was removed: it may be another process's, in use")
	}
	own := d.Path()
	if err := d.Close(); err != nil || exists(own) {
		t.Fatalf("Close: %v; own folder still there: %v", err, exists(own))
	}
}

func TestNilDirIsTheSystemTemporaryFolder(t *testing.T) {
	t.Parallel()
	var d *Dir
	if d.Path() != "" || d.Close() != nil {
		t.Fatal("a nil Dir is the system's temporary folder")
	}
}

func TestRemoveOldLeavesRecentFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, recent, other := filepath.Join(dir, "upload-1"), filepath.Join(dir, "upload-2"), filepath.Join(dir, "ab")
	for _, p := range []string{old, recent, other} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{old, other} {
		_ = os.Chtimes(p, long, long)
	}
	removed, err := RemoveOld(dir, "upload-*", time.Hour)
	if err != nil || !slices.Equal(removed, []string{old}) || exists(old) || !exists(recent) || !exists(other) {
		t.Fatalf("RemoveOld = %v, %v", removed, err)
	}
}
