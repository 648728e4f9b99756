// Command xlsxbomb writes a small XLSX file that unpacks to hundreds of
// megabytes (a decompression bomb), to measure what reading it costs:
//
//	go run ./internal/tools/xlsxbomb -o /tmp/bomb.xlsx
//	go run ./internal/tools/xlsxbomb -kind rows -size 200 -o /tmp/rows.xlsx
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/pactum-dev/pactum/internal/sheet/sheettest"
)

func main() {
	out := flag.String("o", "bomb.xlsx", "the file to write")
	kind := flag.String("kind", string(sheettest.SharedStrings), fmt.Sprintf("what the big part holds: one of %v", sheettest.Kinds))
	size := flag.Int64("size", 512, "unpacked size of the big part, in MiB")
	declared := flag.Int64("declared", 0, "unpacked size the ZIP declares for the big part, in bytes (0: the true one)")
	flag.Parse()
	if err := write(*out, sheettest.Bomb{Kind: sheettest.Kind(*kind), Size: *size << 20, Declared: *declared}); err != nil {
		fmt.Fprintln(os.Stderr, "xlsxbomb:", err)
		os.Exit(1)
	}
}

func write(name string, b sheettest.Bomb) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := sheettest.Write(w, b); err != nil {
		_ = f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, err := os.Stat(name)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d bytes, a %s part of %d MiB unpacked\n", name, st.Size(), b.Kind, b.Size>>20)
	return nil
}
