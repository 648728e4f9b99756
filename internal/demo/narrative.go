package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/blob"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/resource"
)

// seedNarrative gives the grants what their narrative reports need beyond
// the activity log and the updates: a reporting language (the second
// grant reports in French) and procurement contracts of the first grant,
// one above the EUR 60,000 the final report lists and one below.
func seedNarrative(ctx context.Context, d *bun.DB, data *Data) error {
	if len(data.Grants) < 2 {
		return nil
	}
	if _, err := d.NewUpdate().Table("grants").Set("reporting_language = ?", "fr").Where("id = ?", data.Grants[1].ID).Exec(ctx); err != nil {
		return fmt.Errorf("reporting language: %w", err)
	}
	g := data.Grants[0]
	now := time.Now().UTC().Truncate(time.Microsecond)
	type contract struct {
		Reference, Title, Contractor, Procedure, Org string
		Award                                        calendar.Date
		Amount                                       int64
	}
	for _, c := range []contract{
		{"GADW/PROC/2025-03", "Printing and distribution of know-your-rights handbooks in five languages", "Imprimerie Solidaire SCRL",
			"local open tender", "GADW", g.StartDate.AddMonths(14), 8450000},
		{"HMWF/PROC/2025-01", "Translation of pre-departure orientation material into Nepali", "Kathmandu Language Services Pvt. Ltd.",
			"negotiated procedure with a single tender", "HMWF", g.StartDate.AddMonths(9), 1230000},
	} {
		org := data.Organisations[c.Org]
		if org == nil {
			continue
		}
		row := map[string]any{"id": resource.NewID(), "grant_id": g.ID, "organisation_id": org.ID, "reference": c.Reference,
			"title": c.Title, "contractor": c.Contractor, "award_procedure": c.Procedure, "award_date": c.Award.String(),
			"amount": c.Amount, "version": 1, "create_time": now, "update_time": now}
		if _, err := d.NewInsert().Model(&row).TableExpr("procurement_contracts").Exec(ctx); err != nil {
			return fmt.Errorf("procurement contract %s: %w", c.Reference, err)
		}
	}
	return nil
}

// demoPhoto is a photo the demo attaches.
type demoPhoto struct {
	project, activity string // the activity's project and title, or
	update            bool   // the project's approved update
	caption, credit   string
	consent           bool
	jpeg              bool
	tint              color.RGBA
}

var demoPhotos = []demoPhoto{
	{project: "NP-01", activity: "Know-your-rights training", caption: "Pre-departure orientation in Kathmandu", credit: "HMWF / Sita Gurung",
		consent: true, jpeg: true, tint: color.RGBA{200, 90, 60, 255}},
	{project: "PH-01", activity: "Awareness campaign in markets and bus stations", caption: "Seafarers' rights stall at the port of Manila",
		credit: "BSSC", consent: true, tint: color.RGBA{40, 110, 170, 255}},
	{project: "NP-01", update: true, caption: "Returnee support group, Biratnagar", credit: "HMWF", consent: true, jpeg: true,
		tint: color.RGBA{70, 150, 90, 255}},
	// The people shown did not consent to publication: it stays out of
	// every export.
	{project: "PH-01", activity: "Workshop on documenting rights violations", caption: "Seafarers documenting unpaid wages",
		credit: "BSSC", consent: false, tint: color.RGBA{150, 60, 140, 255}},
}

// SeedPhotos attaches the demo's photos, with caption, credit and consent,
// to activities and an approved progress update of the first grant,
// keeping their bytes in blobs. It does nothing when data is nil (the demo
// was not seeded). Errors: internal.
func SeedPhotos(ctx context.Context, d *bun.DB, blobs blob.Store, data *Data) error {
	if data == nil || len(data.Grants) == 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	for k, p := range demoPhotos {
		proj := data.Projects[p.project]
		if proj == nil {
			continue
		}
		var owner string
		if p.update {
			var ids []string
			if err := d.NewSelect().Table("progress_updates").Column("id").Where("project_id = ? AND state = ?", proj.ID, progress.StateApproved).
				OrderExpr("approve_time, id").Limit(1).Scan(ctx, &ids); err != nil {
				return err
			}
			if len(ids) == 0 {
				continue
			}
			owner = progress.Name(ids[0])
		} else {
			var ids []string
			if err := d.NewSelect().Table("activities").Column("id").Where("project_id = ? AND title = ?", proj.ID, p.activity).
				OrderExpr("start_date, id").Limit(1).Scan(ctx, &ids); err != nil {
				return err
			}
			if len(ids) == 0 {
				continue
			}
			owner = resource.Name(resource.Projects, proj.ID) + "/" + resource.Name(resource.Activities, ids[0])
		}
		content, ctype, name := photoBytes(p, k)
		sha, size, err := blobs.Put(ctx, bytes.NewReader(content))
		if err != nil {
			return fmt.Errorf("demo photo %q: %w", p.caption, err)
		}
		row := map[string]any{"id": resource.NewID(), "owner": owner, "grant_id": proj.GrantID, "sha256": sha, "file_name": name,
			"content_type": ctype, "size_bytes": size, "created_by": "system", "create_time": now.Add(time.Duration(k) * time.Second),
			"caption": p.caption, "credit": p.credit, "consent": p.consent}
		if _, err := d.NewInsert().Model(&row).TableExpr("attachments").Exec(ctx); err != nil {
			return fmt.Errorf("demo photo %q: %w", p.caption, err)
		}
	}
	return nil
}

// photoBytes draws a small picture for a demo photo: a tinted field with
// a lighter band, as PNG or JPEG.
func photoBytes(p demoPhoto, k int) ([]byte, string, string) {
	img := image.NewRGBA(image.Rect(0, 0, 480, 320))
	for y := 0; y < 320; y++ {
		for x := 0; x < 480; x++ {
			c := p.tint
			if y > 200 && y < 240+k*10 {
				c = color.RGBA{uint8(min(255, int(c.R)+70)), uint8(min(255, int(c.G)+70)), uint8(min(255, int(c.B)+70)), 255}
			}
			if (x/40+y/40)%2 == 0 {
				c.R, c.G, c.B = c.R/2+60, c.G/2+60, c.B/2+60
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if p.jpeg {
		_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
		return buf.Bytes(), "image/jpeg", fmt.Sprintf("photo-%d.jpg", k+1)
	}
	_ = png.Encode(&buf, img)
	return buf.Bytes(), "image/png", fmt.Sprintf("photo-%d.png", k+1)
}
