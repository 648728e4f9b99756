package report_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/organisation"
	"github.com/pactum-dev/pactum/internal/report"
)

// xlsxCover returns the text of the workbook's cover (its first sheet).
func xlsxCover(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, " | "))
	}
	return strings.Join(lines, "\n")
}

// TestReportCoverShowsTheAuditCheckpoint: making a report signs a
// checkpoint of the audit trail's head (when it moved), and the PDF's and
// the workbook's covers show it: event, time and fingerprint.
func TestReportCoverShowsTheAuditCheckpoint(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		kp := audit.NewKeeper(d, dbtest.AuditKey, filepath.Join(t.TempDir(), "audit-checkpoints.jsonl"))
		svc := report.NewService(d, report.WithCheckpoints(kp))
		head := func() int64 {
			var seq int64
			if err := d.NewRaw("SELECT seq FROM audit_head WHERE id = 1").Scan(context.Background(), &seq); err != nil {
				t.Fatal(err)
			}
			return seq
		}
		latest := func(n int) audit.Checkpoint {
			t.Helper()
			cps, err := kp.Checkpoints()
			if err != nil || len(cps) != n {
				t.Fatalf("%d checkpoints (%v), want %d", len(cps), err, n)
			}
			c := cps[n-1]
			if c.Seq != head() || !c.Valid(dbtest.AuditKey.PublicKey()) {
				t.Fatalf("checkpoint %+v, head at %d", c, head())
			}
			return c
		}

		var pdf bytes.Buffer
		if _, err := svc.PDF(f.finance, report.Request{GrantID: f.grant, Period: 1, Language: "fr"}, &pdf, nil); err != nil {
			t.Fatal(err)
		}
		c := latest(1)
		pdfKeep(t, "checkpoint-fr-"+d.Dialect().Name().String()+".pdf", pdf.Bytes())
		pages := pdfToText(t, pdf.Bytes())
		text := pdfCollapse(pages)
		for _, want := range []string{"Point de contrôle signé", fmt.Sprintf("événement %d, signé le", c.Seq), "empreinte " + c.Fingerprint()} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF's cover lacks %q: %q", want, pdfLineWith(pages, "contrôle"))
			}
		}

		// The head did not move: the same checkpoint, not a new one.
		var xlsx bytes.Buffer
		if _, err := svc.XLSX(f.finance, report.Request{GrantID: f.grant, Period: 1, Language: "en"}, &xlsx, nil); err != nil {
			t.Fatal(err)
		}
		latest(1)
		cover := xlsxCover(t, xlsx.Bytes())
		if want := fmt.Sprintf("Signed audit checkpoint | event %d, signed %s UTC, fingerprint %s", c.Seq, c.Time.Format("2006-01-02 15:04:05"), c.Fingerprint()); !strings.Contains(cover, want) {
			t.Errorf("the workbook's cover lacks %q:\n%s", want, cover)
		}

		// A change moves the head: the next report signs a new checkpoint.
		if _, err := organisation.NewService(d).Create(f.sys, &organisation.Organisation{DisplayName: "Nouvelle", CountryCode: "FR", Kind: organisation.KindLocalPartner}, ""); err != nil {
			t.Fatal(err)
		}
		xlsx.Reset()
		if _, err := svc.XLSX(f.finance, report.Request{GrantID: f.grant, Period: 1, Language: "es"}, &xlsx, nil); err != nil {
			t.Fatal(err)
		}
		c2 := latest(2)
		if c2.Seq <= c.Seq || !strings.Contains(xlsxCover(t, xlsx.Bytes()), fmt.Sprintf("evento %d, firmado el", c2.Seq)) {
			t.Errorf("the new checkpoint %+v is not on the cover", c2)
		}

		// Without an audit key for reports, the cover says so.
		xlsx.Reset()
		if _, err := report.NewService(d).XLSX(f.finance, report.Request{GrantID: f.grant, Period: 1, Language: "en"}, &xlsx, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(xlsxCover(t, xlsx.Bytes()), "none: no audit key configured for reports") {
			t.Error("the cover of a report without checkpoints does not say so")
		}
	})
}

// TestReportRefusesACutTrail: a report does not vouch for a trail whose
// head is behind its last checkpoint.
func TestReportRefusesACutTrail(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		kp := audit.NewKeeper(d, dbtest.AuditKey, filepath.Join(t.TempDir(), "audit-checkpoints.jsonl"))
		if _, err := kp.Checkpoint(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.exec(t, "UPDATE audit_head SET seq = seq - 1 WHERE id = 1")
		var buf bytes.Buffer
		_, err := report.NewService(d, report.WithCheckpoints(kp)).PDF(f.finance, report.Request{GrantID: f.grant, Period: 1}, &buf, nil)
		if err == nil || buf.Len() != 0 {
			t.Fatalf("a report of a cut trail: %v, %d bytes", err, buf.Len())
		}
	})
}
