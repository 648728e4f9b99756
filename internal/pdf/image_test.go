package pdf

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
)

// TestSpanRowAndImage: a spanning row's text runs across the table on
// one line; a picture is drawn, and bytes that are no picture are an
// error that leaves the document usable.
func TestSpanRowAndImage(t *testing.T) {
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	long := "Output 1.1 Domestic workers know and claim their rights in three countries"
	var out bytes.Buffer
	var good, bad error
	err := Write(&out, Options{Title: "Span"}, func(d *Doc) {
		d.Table(Table{Columns: []Column{{Title: "Indicator", Width: 3}, {Title: "Value", Width: 1, Align: Right}, {Title: "Other", Width: 6}},
			Rows: []Row{{Cells: []string{long}, Bold: true, Shade: true, Span: true}, {Cells: []string{"1.1.1", "12", "x"}}}})
		good = d.Image("ok", pic.Bytes(), "png", 40, 30)
		bad = d.Image("bad", []byte("no picture"), "png", 40, 30)
		d.Paragraph("After the pictures")
	})
	if err != nil {
		t.Fatal(err)
	}
	if good != nil || bad == nil {
		t.Errorf("image errors: good %v, bad %v", good, bad)
	}
	text := strings.Join(pdfText(t, out.Bytes()), "")
	if !strings.Contains(text, long) {
		t.Errorf("the spanning row is not on one line:\n%s", text)
	}
	if !strings.Contains(text, "After the pictures") {
		t.Error("the document stopped at the bad picture")
	}
	if !bytes.Contains(out.Bytes(), []byte("/Subtype /Image")) {
		t.Error("no picture in the PDF")
	}
}
