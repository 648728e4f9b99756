package attachment

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/text"
)

// zipWith returns a ZIP whose first entry is name holding content, stored
// with its sizes in the local header (raw) or after the data (a data
// descriptor, as streaming writers do).
func zipWith(t *testing.T, name, content string, raw bool) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	var err error
	if raw {
		var fw interface{ Write([]byte) (int, error) }
		fw, err = w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(content)),
			CompressedSize64: uint64(len(content)), UncompressedSize64: uint64(len(content))})
		if err == nil {
			_, err = fw.Write([]byte(content))
		}
	} else {
		fw, cerr := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		err = cerr
		if err == nil {
			_, err = fw.Write([]byte(content))
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	fw, err := w.Create("content.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(strings.Repeat("<p>text</p>", 100)))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	t.Parallel()
	docx := zipWith(t, "[Content_Types].xml", `<?xml version="1.0"?><Types/>`, false)
	for _, tc := range []struct {
		what, name string
		head       []byte
		want       string // "" for refused
	}{
		{"pdf", "x.bin", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"png", "x", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"jpeg", "x.png", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg"},
		{"gif", "", []byte("GIF89a\x01\x00"), "image/gif"},
		{"webp", "", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), "image/webp"},
		{"docx by name", "Report.DOCX", docx, TypeDOCX},
		{"xlsx by name", "budget.xlsx", docx, TypeXLSX},
		{"pptx by name", "slides.pptx", docx, TypePPTX},
		{"zip", "archive.zip", docx, ""},
		{"zip named pdf", "report.pdf", docx, ""},
		{"odt", "minutes.odt", zipWith(t, "mimetype", TypeODT, true), TypeODT},
		{"ods streamed", "sheet", zipWith(t, "mimetype", TypeODS, false), TypeODS},
		{"odp", "talk.odp", zipWith(t, "mimetype", "application/vnd.oasis.opendocument.presentation", true), ""},
		{"csv", "data.csv", []byte("name,women,men\nNairobi,12,3\n"), TypeCSV},
		{"text", "notes.txt", []byte("Minutes of the meeting\n"), TypeText},
		{"text named html", "notes.html", []byte("Minutes of the meeting\n"), TypeText},
		{"utf-16 text", "data.csv", []byte("\xff\xfen\x00a\x00"), ""},
		{"html", "page.txt", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), ""},
		{"exe", "setup.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), ""},
		{"pdf signature later", "x.pdf", []byte("GIF89a%PDF-1.4"), "image/gif"},
		{"svg", "logo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`), ""},
		{"markup", "notes.txt", []byte("\n  <div onclick=x>hello</div>"), ""},
	} {
		t.Run(tc.what, func(t *testing.T) {
			got, err := Sniff(tc.head, tc.name)
			if tc.want == "" {
				var e *errs.Error
				if err == nil || !errors.As(err, &e) || e.Reason != ReasonType {
					t.Fatalf("Sniff = %q, %v; want refused with %s", got, err, ReasonType)
				}
				if msg := e.Violations[0].Description; !strings.Contains(msg, "PDF, JPEG, PNG, WebP, GIF, Word (.docx)") || !strings.Contains(msg, "CSV (.csv)") {
					t.Errorf("message %q does not name the allowed types", msg)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Sniff = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := Sniff(nil, "x.pdf"); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("empty file: %v", err)
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, ct, want string }{
		{`C:\Photos\atelier Nairobi.JPG`, "image/jpeg", "atelier Nairobi.JPG"},
		{"notes.html", TypeText, "notes.txt"},
		{"invoice\u202efdp.exe", "application/pdf", "invoicefdp.pdf"},
		{"scan", "application/pdf", "scan.pdf"},
		{"", "image/png", "attachment.png"},
		{"../../.profile", TypeText, "profile.txt"},
		{"data.csv", TypeCSV, "data.csv"},
		{"rapport.docx", TypeDOCX, "rapport.docx"},
		{strings.Repeat("é", 200) + ".html", "application/pdf", strings.Repeat("é", 125) + ".pdf"},
	} {
		if got := fileName(tc.in, tc.ct); got != tc.want {
			t.Errorf("fileName(%q, %s) = %q, want %q", tc.in, tc.ct, got, tc.want)
		}
	}
	for _, ct := range AllowedTypes {
		if len(text.Extensions(ct)) == 0 {
			t.Errorf("%s, an allowed type, has no file name extension in internal/text", ct)
		}
	}
}
