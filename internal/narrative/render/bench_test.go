package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/pactum-dev/pactum/internal/narrative"
)

// noisyJPEG is a photo-like JPEG (a gradient with noise, which compresses
// as a photo does) of about 200 KB.
func noisyJPEG() []byte {
	const w, h = 1000, 680
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			n := uint8(rng.IntN(48))
			img.Set(x, y, color.RGBA{uint8(x*200/w) + n, uint8(y*200/h) + n, 90 + n, 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes()
}

// BenchmarkRender writes the report of a grant with 20 partners × 8
// quarterly updates, a photo of about 200 KB to each (160 photos), as DOCX
// and as PDF, and reports the bytes allocated, the peak heap (sampled
// every 2 ms) and the document's size.
//
//	go test -run '^$' -bench Render -benchtime 3x ./internal/narrative/render/
func BenchmarkRender(b *testing.B) {
	r := benchReport()
	pic := noisyJPEG()
	for i := range r.Photos {
		// Each photo its own bytes (a few after the JPEG's end, which
		// readers ignore), so that no format stores one picture for many.
		data := append(append([]byte{}, pic...), fmt.Sprintf("photo %d", i)...)
		p := &r.Photos[i]
		p.SizeBytes = int64(len(data))
		p.Open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	b.Logf("%d photos of %d KB, %d sections", len(r.Photos), len(pic)/1024, len(r.Sections))
	for _, f := range []struct {
		name   string
		render func(context.Context, io.Writer, *narrative.Report, Options) error
	}{{"docx", DOCX}, {"pdf", PDF}} {
		b.Run(f.name, func(b *testing.B) {
			var size int
			var peak uint64
			b.ReportAllocs()
			for b.Loop() {
				var out bytes.Buffer
				p := newPeakHeap()
				if err := f.render(context.Background(), &out, r, Options{Language: "fr", GeneratedBy: "Bench"}); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, p.stop())
				size = out.Len()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(size)/(1<<20), "file-MB")
		})
	}
}

// peakHeap samples the heap's live and unswept objects until stopped (as
// internal/report's benchmarks do).
type peakHeap struct {
	peak uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func newPeakHeap() *peakHeap {
	p := &peakHeap{done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > p.peak {
			p.peak = v
		}
	}
	read()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return p
}

func (p *peakHeap) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	return p.peak
}
