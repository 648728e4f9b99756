package rpc_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/demo"
	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/narrative/export"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// narrativeDemo loads the demo data set and returns the name of the first
// grant's report of the period of its approved update, with clients acting
// as the lead's coordinator and the grant's auditor.
func narrativeDemo(t *testing.T, e *rpctest.Env) (data *demo.Data, report string, coordinator, auditor *rpctest.Clients) {
	t.Helper()
	ctx := actor.SystemContext(context.Background())
	data, err := demo.Seed(ctx, e.DB, calendar.Today())
	if err != nil || data == nil {
		t.Fatalf("demo seed: %v", err)
	}
	g := data.Grants[0]
	coordinator = e.As(t, rpctest.Member(actor.RoleCoordinator, data.Organisations["GADW"].ID))
	auditor = e.As(t, rpctest.Member(actor.RoleAuditor, data.Organisations["GADW"].ID, g.ID))
	var ids []string
	if err := e.DB.NewSelect().Table("progress_updates").Column("id").Where("grant_id = ? AND state = ?", g.ID, progress.StateApproved).
		Scan(ctx, &ids); err != nil || len(ids) == 0 {
		t.Fatalf("no approved update in the demo's first grant (%v)", err)
	}
	u, err := e.Services.Progress.Get(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return data, g.Name() + "/narrativeReports/" + strconv.Itoa(u.ReportingPeriod), coordinator, auditor
}

func TestNarrativeReportOverConnect(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		data, name, coord, auditor := narrativeDemo(t, e)
		ctx := context.Background()
		_, err := coord.Narrative.GetNarrativeReport(ctx, connect.NewRequest(&pactumv1.GetNarrativeReportRequest{Name: name}))
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, err = coord.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{Name: data.Grants[0].Name() + "/narrativeReports/9"}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		_, err = coord.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{Name: "grants/x/narrative/1"}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)

		r := must(coord.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{Name: name}))).GetNarrativeReport()
		if r.GetName() != name || r.GetState() != pactumv1.NarrativeReportState_NARRATIVE_REPORT_STATE_DRAFT || !r.GetCallerCanEdit() ||
			r.GetLanguage() != "en" || r.GetDescription().GetContractNumber() != data.Grants[0].DonorReference || r.GetEtag() == "" {
			t.Fatalf("compiled report: %v", r)
		}
		if r.GetUpdatesIncluded() == 0 || r.GetUpdatesNotApproved() == 0 || len(r.GetLogframe()) == 0 || r.GetDescription().GetParticipantsPeriod().GetWomen() == 0 {
			t.Errorf("report counts: %d included, %d left out, %d logframe rows, %d women", r.GetUpdatesIncluded(), r.GetUpdatesNotApproved(),
				len(r.GetLogframe()), r.GetDescription().GetParticipantsPeriod().GetWomen())
		}
		var partner *pactumv1.NarrativeSection
		for _, s := range r.GetSections() {
			if !strings.HasPrefix(s.GetName(), name+"/sections/") || s.GetEtag() == "" || s.GetKind() == pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_UNSPECIFIED {
				t.Errorf("section %v", s)
			}
			if s.GetKind() == pactumv1.NarrativeSectionKind_NARRATIVE_SECTION_KIND_PARTNER {
				partner = s
			}
		}
		if partner == nil || partner.GetSubjectDisplayName() == "" || !strings.HasPrefix(partner.GetSubject(), "organisations/") ||
			len(partner.GetSources()) == 0 || partner.GetSources()[0].GetKind() != pactumv1.NarrativeSourceKind_NARRATIVE_SOURCE_KIND_PROGRESS_UPDATE {
			t.Fatalf("partner section %v", partner)
		}

		// The auditor reads but may not compile or edit.
		ar := must(auditor.Narrative.GetNarrativeReport(ctx, connect.NewRequest(&pactumv1.GetNarrativeReportRequest{Name: name}))).GetNarrativeReport()
		if ar.GetCallerCanEdit() || len(ar.GetSections()) != len(r.GetSections()) {
			t.Errorf("the auditor's report: can edit %v, %d sections", ar.GetCallerCanEdit(), len(ar.GetSections()))
		}
		_, err = auditor.Narrative.UpdateNarrativeSection(ctx, connect.NewRequest(&pactumv1.UpdateNarrativeSectionRequest{
			Name: partner.GetName(), Text: "x", Etag: partner.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)

		// Edits: a stale etag is ABORTED; an empty text names the field.
		_, err = coord.Narrative.UpdateNarrativeSection(ctx, connect.NewRequest(&pactumv1.UpdateNarrativeSectionRequest{
			Name: partner.GetName(), Text: "Edited", Etag: `"zz"`}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = coord.Narrative.UpdateNarrativeSection(ctx, connect.NewRequest(&pactumv1.UpdateNarrativeSectionRequest{
			Name: partner.GetName(), Text: " ", Etag: partner.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		if !strings.Contains(err.Error(), "text") {
			t.Errorf("the empty text's error does not name the field: %v", err)
		}
		edited := must(coord.Narrative.UpdateNarrativeSection(ctx, connect.NewRequest(&pactumv1.UpdateNarrativeSectionRequest{
			Name: partner.GetName(), Text: "The coordinator's account of this partner's work.", Etag: partner.GetEtag()}))).GetSection()
		if !edited.GetEdited() || edited.GetText() != "The coordinator's account of this partner's work." || edited.GetCompiledText() != partner.GetCompiledText() ||
			edited.GetEditBaseText() != partner.GetCompiledText() || edited.GetEditorDisplayName() == "" || edited.GetEditTime() == nil {
			t.Errorf("edited section %v", edited)
		}
		again := must(coord.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{Name: name}))).GetNarrativeReport()
		for _, s := range again.GetSections() {
			if s.GetName() == partner.GetName() && (s.GetText() != edited.GetText() || s.GetSourcesChanged()) {
				t.Errorf("after compiling again: %v", s)
			}
		}

		// Submit: the report's etag, a date not in the future nor before
		// the period's end.
		_, err = coord.Narrative.SubmitNarrativeReport(ctx, connect.NewRequest(&pactumv1.SubmitNarrativeReportRequest{Name: name, Etag: r.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		_, err = coord.Narrative.SubmitNarrativeReport(ctx, connect.NewRequest(&pactumv1.SubmitNarrativeReportRequest{Name: name, Etag: again.GetEtag(),
			SubmitDate: "2999-01-01"}))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		if !strings.Contains(err.Error(), "submit_date") {
			t.Errorf("the future date's error does not name the field: %v", err)
		}
	})
}

// docxPlainText is LibreOffice's text of a DOCX, every kind of space made
// one plain space.
func docxPlainText(t *testing.T, docx []byte) string {
	t.Helper()
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "txt:Text (encoded):UTF8",
		"--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`[\s\x{00a0}\x{202f}]+`).ReplaceAllString(string(out), " ")
}

func firstSentenceOf(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

// The documents of the demo grant's period report hold each approved
// update's achievements, each partner's indicator values and the numbers
// of women and men of the activity log, and no text of a returned or
// draft update. Skipped until internal/narrative/render writes them.
func TestExportNarrativeReportDocumentsHoldTheRecords(t *testing.T) {
	t.Parallel()
	if renderIsStub() {
		t.Skip("internal/narrative/render does not write documents yet")
	}
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		data, name, coord, _ := narrativeDemo(t, e)
		ctx := context.Background()
		r := must(coord.Narrative.CompileNarrativeReport(ctx, connect.NewRequest(&pactumv1.CompileNarrativeReportRequest{Name: name}))).GetNarrativeReport()
		var updates []*progress.Update
		if err := e.DB.NewSelect().Model(&updates).ColumnExpr("pu.*").Where("pu.grant_id = ?", data.Grants[0].ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			format     pactumv1.ReportFormat
			ext, ctype string
			text       func(*testing.T, []byte) string
		}{
			{pactumv1.ReportFormat_REPORT_FORMAT_DOCX, ".docx", export.ContentTypeDOCX, docxPlainText},
			{pactumv1.ReportFormat_REPORT_FORMAT_PDF, ".pdf", export.ContentTypePDF, pdfPlainText},
		} {
			d, err := exportNarrative(t, coord, &pactumv1.ExportNarrativeReportRequest{Name: name, Format: f.format})
			if err != nil {
				t.Fatalf("%s: %v", f.ext, err)
			}
			if !strings.HasPrefix(d.file.GetFileName(), "narrative-report-") || !strings.HasSuffix(d.file.GetFileName(), "-P"+strconv.Itoa(int(r.GetReportingPeriod()))+f.ext) ||
				d.file.GetContentType() != f.ctype || len(d.progress) == 0 {
				t.Errorf("%s: file %v, %d progress messages", f.ext, d.file, len(d.progress))
			}
			text := f.text(t, d.content)
			norm := func(s string) string { return regexp.MustCompile(`\s+`).ReplaceAllString(s, " ") }
			for _, u := range updates {
				sentence := norm(firstSentenceOf(u.Achievements))
				if sentence == "" {
					continue
				}
				if in := strings.Contains(text, sentence); in != (u.State == progress.StateApproved) {
					t.Errorf("%s: the %s update's achievements %q: in the document %v", f.ext, u.State, sentence, in)
				}
			}
			p := r.GetDescription().GetParticipantsPeriod()
			for _, n := range []int32{p.GetWomen(), p.GetMen()} {
				if !strings.Contains(text, strconv.Itoa(int(n))) {
					t.Errorf("%s: %d (women or men reached) is not in the document", f.ext, n)
				}
			}
			for _, row := range r.GetLogframe() {
				for _, pv := range row.GetPartnerValues() {
					if pv.GetAchieved() != "" && !strings.Contains(text, pv.GetAchieved()) {
						t.Errorf("%s: %s's value %s of %s is not in the document", f.ext, pv.GetOrganisationDisplayName(), pv.GetAchieved(), row.GetCode())
					}
				}
			}
			if bytes.Contains(d.content, []byte("narrative.compile.")) {
				t.Errorf("%s: a raw message key in the document", f.ext)
			}
		}
	})
}
