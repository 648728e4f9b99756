package pdf

import (
	"bytes"
	"fmt"

	"github.com/go-pdf/fpdf"
)

// Image draws a picture, JPEG or PNG bytes (format "jpeg" or "png"),
// w by h millimetres, centred, from the current position; a new page
// comes first unless it fits on this one. name identifies the picture in
// the file (each picture its own). A picture fpdf cannot read is an
// error and leaves the document as it was, still usable.
func (d *Doc) Image(name string, data []byte, format string, w, h float64) error {
	typ := "JPG"
	if format == "png" {
		typ = "PNG"
	}
	opt := fpdf.ImageOptions{ImageType: typ}
	d.f.RegisterImageOptionsReader(name, opt, bytes.NewReader(data))
	if err := d.f.Error(); err != nil {
		d.f.ClearError()
		return fmt.Errorf("read the picture %s: %w", name, err)
	}
	w = min(w, d.ContentWidth())
	d.Need(h)
	y := d.f.GetY()
	d.f.ImageOptions(name, marginX+(d.ContentWidth()-w)/2, y, w, h, false, opt, 0, "")
	d.f.SetXY(marginX, y+h)
	return nil
}
