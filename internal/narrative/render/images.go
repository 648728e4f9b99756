package render

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/pactum-dev/pactum/internal/narrative"
)

// The bounds of the work a photo may cost.
const (
	maxPhotoBytes  = 10 << 20
	maxPhotoPixels = 40_000_000
)

// picture is a photo read and checked: its bytes and format ("jpeg",
// "png") and its size in pixels.
type picture struct {
	data   []byte
	format string
	w, h   int
}

// skip is why a photo was left out: the last part of its message's ID
// ("narrative.doc.skip.tooLarge").
type skip string

func (s skip) Error() string { return string(s) }

const (
	skipTooLarge  skip = "tooLarge"
	skipPixels    skip = "tooManyPixels"
	skipNotImage  skip = "notImage"
	skipType      skip = "type"
	skipUnreadble skip = "unreadable"
)

// load reads p, bounded: a photo of another type than JPEG or PNG, larger
// than 10 MB, of more than 40 megapixels, or whose header does not decode
// is refused with the reason (a skip). Only the header is decoded here.
func load(p *narrative.Photo) (*picture, error) {
	switch p.ContentType {
	case "image/jpeg", "image/png":
	default:
		return nil, skipType
	}
	if p.SizeBytes > maxPhotoBytes {
		return nil, skipTooLarge
	}
	if p.Open == nil {
		return nil, skipUnreadble
	}
	rc, err := p.Open()
	if err != nil {
		return nil, skipUnreadble
	}
	defer func() { _ = rc.Close() }()
	data, err := readBounded(rc, p.SizeBytes)
	if err != nil {
		return nil, skipUnreadble
	}
	if len(data) > maxPhotoBytes {
		return nil, skipTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, skipNotImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPhotoPixels {
		return nil, skipPixels
	}
	return &picture{data: data, format: format, w: cfg.Width, h: cfg.Height}, nil
}

// readBounded reads at most maxPhotoBytes+1 bytes of r, into a buffer of
// the declared size when it is known (one allocation for the usual photo,
// where io.ReadAll would grow its buffer again and again).
func readBounded(r io.Reader, declared int64) ([]byte, error) {
	r = io.LimitReader(r, maxPhotoBytes+1)
	if declared <= 0 || declared > maxPhotoBytes {
		return io.ReadAll(r)
	}
	data := make([]byte, declared+1)
	n, err := io.ReadFull(r, data)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return data[:n], nil
	case err != nil:
		return nil, err
	}
	// More than declared: read on, within the bound.
	rest, err := io.ReadAll(r)
	return append(data, rest...), err
}

// forPDF returns the picture's bytes in a form fpdf reads: a PNG that is
// interlaced or of 16 bits a channel (which fpdf refuses) is decoded and
// written again as a plain PNG. A picture that does not decode is a skip.
func (p *picture) forPDF() ([]byte, error) {
	if p.format != "png" || len(p.data) < 29 {
		return p.data, nil
	}
	// IHDR: bit depth at byte 24, interlace method at byte 28.
	if p.data[24] <= 8 && p.data[28] == 0 {
		return p.data, nil
	}
	img, err := png.Decode(bytes.NewReader(p.data))
	if err != nil {
		return nil, skipNotImage
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 88}); err != nil {
		return nil, skipNotImage
	}
	p.format = "jpeg"
	return b.Bytes(), nil
}

// reason writes why a photo was left out.
func (w words) reason(err error) string {
	s := skipNotImage
	errors.As(err, &s)
	return w.T("narrative.doc.skip." + string(s))
}

// skipped writes the note that replaces a photo left out.
func (w words) skipped(p *narrative.Photo, err error) string {
	return w.T("narrative.doc.photoSkipped", "Caption", or(p.Caption, w.T("narrative.doc.untitledPhoto")), "Reason", w.reason(err))
}
