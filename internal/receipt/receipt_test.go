package receipt

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/errs"
)

func encoded(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniffAllowsDocumentsAndImagesByTheirBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what    string
		content []byte
		want    string
	}{
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "application/pdf"},
		{"PNG", encoded(t, png.Encode), "image/png"},
		{"JPEG", encoded(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }), "image/jpeg"},
		{"GIF", encoded(t, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }), "image/gif"},
		{"WebP", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), "image/webp"},
	} {
		got, err := Sniff(tc.content)
		if err != nil || got != tc.want {
			t.Errorf("%s: Sniff = %q, %v; want %q", tc.what, got, err, tc.want)
		}
	}
}

func TestSniffRefusesOtherContentNamingWhatIsAllowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what    string
		content []byte
		says    string
	}{
		{"Windows executable", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 100)...), "not a recognised document or image"},
		{"HTML", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "text/html"},
		{"plain text", []byte("Invoice 42: 100 EUR"), "text/plain"},
		{"ZIP", []byte("PK\x03\x04\x14\x00\x00\x00"), "application/zip"},
		{"PDF magic after other bytes", append([]byte("MZ\x90\x00 padding "), []byte("%PDF-1.4")...), "not a recognised"},
		{"SVG (script-capable image)", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "text/plain"},
	} {
		_, err := Sniff(tc.content)
		var de *errs.Error
		if !errors.As(err, &de) || de.Reason != ReasonType {
			t.Errorf("%s: Sniff error = %v, want reason %s", tc.what, err, ReasonType)
			continue
		}
		msg := de.Error()
		if !strings.Contains(msg, "application/pdf, image/jpeg, image/png, image/webp, image/gif") || !strings.Contains(msg, tc.says) {
			t.Errorf("%s: message %q should name the allowed types and %q", tc.what, msg, tc.says)
		}
		if len(de.Violations) != 1 || de.Violations[0].Field != "file" {
			t.Errorf("%s: violations %v, want one on file", tc.what, de.Violations)
		}
	}
	if _, err := Sniff(nil); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("empty file: %v, want invalid", err)
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 200) + ".pdf" // 404 bytes
	for _, tc := range []struct{ in, ct, want string }{
		{"facture-42.pdf", "application/pdf", "facture-42.pdf"},
		{`C:\Users\amina\Desktop\reçu café.png`, "image/png", "reçu café.png"},
		{"../../etc/passwd", "application/pdf", "passwd.pdf"},
		{"invoice\u202efdp.exe", "application/pdf", "invoicefdp.pdf"},
		{"photo.jpg", "image/png", "photo.png"},
		{"..", "application/pdf", "receipt.pdf"},
		{"", "image/jpeg", "receipt.jpg"},
		{".hidden.gif", "image/gif", "hidden.gif"},
		{"a\x00b\r\nc\u202e.pdf", "application/pdf", "abc.pdf"},
		{"bad\xffutf8.pdf", "application/pdf", "bad_utf8.pdf"},
		{"  spaced  .pdf ", "application/pdf", "spaced.pdf"},
	} {
		if got := FileName(tc.in, tc.ct); got != tc.want {
			t.Errorf("FileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	got := FileName(long, "application/pdf")
	if len(got) > 255 || !strings.HasSuffix(got, ".pdf") || !strings.HasPrefix(got, "éé") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("long name became %q (%d bytes)", got, len(got))
	}
}

func TestParseName(t *testing.T) {
	t.Parallel()
	g, e, r, err := ParseName("grants/g1/expenditures/e1/receipts/r1", "name")
	if err != nil || g != "g1" || e != "e1" || r != "r1" {
		t.Fatalf("ParseName = %q %q %q %v", g, e, r, err)
	}
	if Name(g, e, r) != "grants/g1/expenditures/e1/receipts/r1" {
		t.Fatalf("Name = %q", Name(g, e, r))
	}
	for _, bad := range []string{"", "grants/g1/expenditures/e1", "grants/g1/expenditures/e1/receipts/", "grants//expenditures/e1/receipts/r1",
		"grants/g1/projects/e1/receipts/r1", "grants/g1/expenditures/e1/receipts/r1/x"} {
		if _, _, _, err := ParseName(bad, "name"); !errs.Is(err, errs.KindInvalid) {
			t.Errorf("ParseName(%q) = %v, want invalid", bad, err)
		}
	}
}
