// Package sheettest writes decompression bombs and other hostile workbooks,
// for the tests of file imports and for measuring the server with them
// (internal/tools/xlsxbomb).
package sheettest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// Kind is what a bomb's big part holds.
type Kind string

// The kinds of bombs.
const (
	// SharedStrings: xl/sharedStrings.xml holds millions of one-letter
	// texts (as the workbook of issue 12 did).
	SharedStrings Kind = "shared-strings"
	// LongString: xl/sharedStrings.xml holds one text of Size bytes, in
	// cell A1.
	LongString Kind = "long-string"
	// Rows: the sheet holds millions of rows of one cell.
	Rows Kind = "rows"
	// Columns: the sheet's first row holds millions of cells.
	Columns Kind = "columns"
	// Cell: the sheet's cell A1 holds Size bytes of text.
	Cell Kind = "cell"
)

// Kinds are all the kinds, in the order above.
var Kinds = []Kind{SharedStrings, LongString, Rows, Columns, Cell}

// Bomb describes a small, valid XLSX workbook whose one big part (the
// shared strings or the sheet) unpacks to Size bytes.
type Bomb struct {
	Kind Kind
	Size int64 // unpacked bytes of the big part
	// Declared, when above 0, is the unpacked size the ZIP declares for the
	// big part, a lie when it differs from Size.
	Declared int64
}

const (
	mainNS  = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	inline  = `<c t="inlineStr"><is><t>x</t></is></c>`
)

// part is an XML part as a prefix, a unit repeated up to the wanted size,
// and a suffix.
type part struct{ prefix, unit, suffix string }

// parts returns the big part's name and shape, and the sheet's XML when the
// big part is the shared strings.
func (b Bomb) parts() (name string, big part, sheet string, err error) {
	sst := func(p part) (string, part, string, error) {
		return "xl/sharedStrings.xml", p, xmlDecl + `<worksheet ` + mainNS + `><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`, nil
	}
	ws := func(p part) (string, part, string, error) { return "xl/worksheets/sheet1.xml", p, "", nil }
	switch b.Kind {
	case SharedStrings:
		return sst(part{xmlDecl + `<sst ` + mainNS + `>`, `<si><t>x</t></si>`, `</sst>`})
	case LongString:
		return sst(part{xmlDecl + `<sst ` + mainNS + ` count="1" uniqueCount="1"><si><t>`, `x`, `</t></si></sst>`})
	case Rows:
		return ws(part{xmlDecl + `<worksheet ` + mainNS + `><sheetData>`, `<row>` + inline + `</row>`, `</sheetData></worksheet>`})
	case Columns:
		return ws(part{xmlDecl + `<worksheet ` + mainNS + `><sheetData><row r="1">`, inline, `</row></sheetData></worksheet>`})
	case Cell:
		return ws(part{xmlDecl + `<worksheet ` + mainNS + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`, `x`, `</t></is></c></row></sheetData></worksheet>`})
	}
	return "", part{}, "", fmt.Errorf("unknown kind of bomb %q (want one of %v)", b.Kind, Kinds)
}

// Write writes the bomb as an XLSX file. It takes well under a second for
// hundreds of megabytes: the big part is compressed in two chunks of about
// 1 MiB, the second repeated (deflate reaches about 1000:1 on them).
func Write(w io.Writer, b Bomb) error {
	name, big, sheet, err := b.parts()
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	small := func(name, content string) error {
		fw, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(fw, content)
		}
		return err
	}
	files := []struct{ name, content string }{
		{"[Content_Types].xml", xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`},
		{"_rels/.rels", xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", xmlDecl + `<workbook ` + mainNS + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
			`</Relationships>`},
	}
	for _, f := range files {
		if err := small(f.name, f.content); err != nil {
			return err
		}
	}
	if sheet != "" {
		if err := small("xl/worksheets/sheet1.xml", sheet); err != nil {
			return err
		}
	}
	raw, crc, size, err := deflateRepeated(big, b.Size)
	if err != nil {
		return err
	}
	declared := size
	if b.Declared > 0 {
		declared = b.Declared
	}
	fw, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(declared)})
	if err != nil {
		return err
	}
	if _, err := fw.Write(raw); err != nil {
		return err
	}
	return zw.Close()
}

// Bytes returns the bomb as an XLSX file.
func Bytes(b Bomb) ([]byte, error) {
	var buf bytes.Buffer
	err := Write(&buf, b)
	return buf.Bytes(), err
}

// MustBytes is Bytes for tests and fuzz seeds: it stops tb on an error.
func MustBytes(tb testing.TB, b Bomb) []byte {
	tb.Helper()
	content, err := Bytes(b)
	if err != nil {
		tb.Fatal(err)
	}
	return content
}

// deflateRepeated returns the raw deflate stream of p.prefix, p.unit
// repeated to about size bytes in all, and p.suffix, with its CRC-32 and
// unpacked size. The repeats are chunks of whole units, each compressed
// after a sync flush: a chunk compressed after another identical chunk may
// follow any number of them, since deflate looks back 32 KiB at most.
func deflateRepeated(p part, size int64) ([]byte, uint32, int64, error) {
	chunk := []byte(strings.Repeat(p.unit, max(1, (1<<20)/len(p.unit))))
	body := size - int64(len(p.prefix)+len(p.suffix))
	n := max(2, (body+int64(len(chunk))-1)/int64(len(chunk)))
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return nil, 0, 0, err
	}
	segment := func(data []byte) ([]byte, error) {
		buf.Reset()
		if _, err := fw.Write(data); err != nil {
			return nil, err
		}
		if err := fw.Flush(); err != nil {
			return nil, err
		}
		return bytes.Clone(buf.Bytes()), nil
	}
	head, err := segment([]byte(p.prefix))
	if err != nil {
		return nil, 0, 0, err
	}
	first, err := segment(chunk)
	if err != nil {
		return nil, 0, 0, err
	}
	again, err := segment(chunk)
	if err != nil {
		return nil, 0, 0, err
	}
	buf.Reset()
	if _, err := fw.Write([]byte(p.suffix)); err != nil {
		return nil, 0, 0, err
	}
	if err := fw.Close(); err != nil {
		return nil, 0, 0, err
	}
	tail := bytes.Clone(buf.Bytes())

	out := make([]byte, 0, len(head)+len(first)+int(n-1)*len(again)+len(tail))
	out = append(append(out, head...), first...)
	crc := crc32.Update(crc32.ChecksumIEEE([]byte(p.prefix)), crc32.IEEETable, chunk)
	for range n - 1 {
		out = append(out, again...)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	out = append(out, tail...)
	crc = crc32.Update(crc, crc32.IEEETable, []byte(p.suffix))
	return out, crc, int64(len(p.prefix)) + n*int64(len(chunk)) + int64(len(p.suffix)), nil
}
