package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/demo"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/i18n"
	"github.com/pactum-dev/pactum/internal/report"
)

// pdfToText runs pdftotext -layout on a PDF and returns its pages.
func pdfToText(t *testing.T, doc []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	in := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	// pdftotext writes no-break spaces (the French digit groups) as spaces.
	text := strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(string(out))
	pages := strings.Split(text, "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// pdfKeep writes a generated PDF to $PACTUM_TEST_PDF_DIR, when set, to
// look at (pdftoppm -r 60 -png FILE /tmp/pages/p).
func pdfKeep(t *testing.T, name string, doc []byte) {
	if dir := os.Getenv("PACTUM_TEST_PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), doc, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPDFOfTheDemoGrant makes the report of the demo's first grant, its
// second reporting period, in every language, and checks that the totals
// of finance's budget versus actual and every partner are in it.
func TestPDFOfTheDemoGrant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		today := calendar.MustParse("2026-11-23")
		data, err := demo.Seed(context.Background(), d, today)
		if err != nil {
			t.Fatal(err)
		}
		ctx := actor.SystemContext(context.Background())
		g := data.Grants[0]
		svc := report.NewService(d)
		fin := finance.NewService(d)
		bva, err := fin.BudgetVsActual(ctx, finance.Query{GrantID: g.ID, GroupBy: finance.ByPartner, AsOf: g.StartDate.AddMonths(24).AddDays(-1).String()})
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range i18n.Languages {
			var buf bytes.Buffer
			name, err := svc.PDF(ctx, report.Request{GrantID: g.ID, Period: 2, Language: lang}, &buf, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(name, "-P2.pdf") {
				t.Errorf("file name %q", name)
			}
			pdfKeep(t, "demo-"+lang+"-"+d.Dialect().Name().String()+".pdf", buf.Bytes())
			text := strings.Join(pdfToText(t, buf.Bytes()), "\n")
			for _, r := range bva.Rows {
				if r.Key != "" && !strings.Contains(text, r.Label) {
					t.Errorf("%s: partner %q is not in the PDF", lang, r.Label)
				}
			}
			if want := pdfFormat(lang, bva.Total.Spent); !strings.Contains(text, want) {
				t.Errorf("%s: the total spent to date %s is not in the PDF", lang, want)
			}
		}
	})
}

// pdfFormat formats cents as the report's languages write them, written
// apart from the package's own formatting on purpose.
func pdfFormat(lang string, cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	group, dec := map[string]string{"en": ",", "fr": " ", "es": ".", "pt": "."}[lang],
		map[string]string{"en": ".", "fr": ",", "es": ",", "pt": ","}[lang]
	units := cents / 100
	s := ""
	u := units
	for {
		part := u % 1000
		u /= 1000
		if u == 0 {
			s = pdfItoa(part) + s
			break
		}
		s = group + pdfPad3(part) + s
	}
	c := cents % 100
	s += dec + pdfPad2(c)
	if neg {
		s = "-" + s
	}
	return s
}

func pdfItoa(v int64) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for v > 0 {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
	}
	return string(b)
}

func pdfPad3(v int64) string { s := pdfItoa(v); return strings.Repeat("0", 3-len(s)) + s }
func pdfPad2(v int64) string { s := pdfItoa(v); return strings.Repeat("0", 2-len(s)) + s }

// pdfCollapse joins the pages and collapses runs of white space, so that
// wrapped sentences read as one line.
func pdfCollapse(pages []string) string {
	return strings.Join(strings.Fields(strings.Join(pages, "\n")), " ")
}

// pdfLineWith returns the first line of the pages that contains s.
func pdfLineWith(pages []string, s string) string {
	for _, p := range pages {
		for _, line := range strings.Split(p, "\n") {
			if strings.Contains(line, s) {
				return line
			}
		}
	}
	return ""
}

// pdfInOrder reports whether line holds each of want, left to right.
func pdfInOrder(line string, want ...string) bool {
	for _, w := range want {
		i := strings.Index(line, w)
		if i < 0 {
			return false
		}
		line = line[i+len(w):]
	}
	return true
}

// TestPDFFiguresNamesAndWords makes the report of the fixture's second
// reporting period in every language, as the grant's finance officer, and
// reads it back with pdftotext: the Unicode names, every heading's and
// partner's figures and the totals (added up here in SQL, formatted per
// language), the findings in the language, the page numbers.
func TestPDFFiguresNamesAndWords(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		f.standardSpending(t)
		byHeading := f.sums(t, "heading_code", "2026-01-01", "2026-12-31")
		byPartner := f.sums(t, "organisation_id", "2026-01-01", "2026-12-31")
		tot := byHeading[""]
		// The 100.00 EUR dated before the grant's start is not eligible: in
		// no figure.
		if tot.toDate != 1045678+234567+1234567+321099+800000+4500001+100000 || tot.period != 1234567+321099+800000+4500001+100000 {
			t.Fatalf("the fixture's sums are off: %+v", tot)
		}
		headings := map[string][]string{
			"en": {"1 Human resources", "2 Travel", "3 Equipment and supplies", "5 Other costs, services", "11 Total eligible costs"},
			"es": {"1 Recursos humanos", "2 Viajes", "3 Equipos y suministros", "5 Otros costes, servicios", "11 Total de costes subvencionables"},
		}
		svc := report.NewService(d)
		for _, lang := range i18n.Languages {
			var buf bytes.Buffer
			var stages []string
			name, err := svc.PDF(f.finance, report.Request{GrantID: f.grant, Period: 2, Language: lang}, &buf, func(stage string, done, total int64) {
				stages = append(stages, stage)
			})
			if err != nil {
				t.Fatal(err)
			}
			if name != "financial-report-CSO-LA-2024-777-001-P2.pdf" {
				t.Errorf("file name %q", name)
			}
			if len(stages) == 0 || stages[len(stages)-1] != "writing" {
				t.Errorf("progress stages %v", stages)
			}
			pdfKeep(t, "fixture-"+lang+"-"+d.Dialect().Name().String()+".pdf", buf.Bytes())
			pages := pdfToText(t, buf.Bytes())
			text := pdfCollapse(pages)
			for _, n := range append([]string{pdfLeadName, pdfOfficerName, "São Tomé", "Ñuñoa", "Đắk Lắk", "Бишкек"}, pdfValues(pdfPartnerNames)...) {
				if !strings.Contains(text, n) {
					t.Errorf("%s: %q is not in the PDF", lang, n)
				}
			}
			// The totals, on the cover and in the summary's last row.
			for _, v := range []int64{tot.budget, tot.period, tot.toDate, tot.budget - tot.toDate} {
				if !strings.Contains(text, pdfFormat(lang, v)) {
					t.Errorf("%s: %s is not in the PDF", lang, pdfFormat(lang, v))
				}
			}
			// Every heading's row, in the languages whose numbers hold no
			// spaces (pdftotext spaces columns apart).
			if hs, ok := headings[lang]; ok {
				for i, code := range []string{"1", "2", "3", "5", "11"} {
					s := byHeading[code]
					if code == "11" {
						s = tot
					}
					line := pdfLineWith(pages, hs[i])
					if !pdfInOrder(line, pdfFormat(lang, s.budget), pdfFormat(lang, s.period), pdfFormat(lang, s.toDate),
						pdfFormat(lang, s.budget-s.toDate), pdfFormat(lang, s.toDate-s.budget)) {
						t.Errorf("%s: heading %s: %+v not in the row %q", lang, code, s, line)
					}
				}
				for k, n := range pdfPartnerNames {
					s := byPartner[f.org[k]]
					line := pdfLineWith(pages, n[:12])
					if !pdfInOrder(line, pdfFormat(lang, s.budget), pdfFormat(lang, s.period), pdfFormat(lang, s.toDate), pdfFormat(lang, s.budget-s.toDate)) {
						t.Errorf("%s: partner %s: %+v not in the row %q", lang, n, s, line)
					}
				}
			}
			for i, p := range pages {
				want := map[string]string{"en": "Page %d of %d", "fr": "Page %d sur %d", "es": "Página %d de %d", "pt": "Página %d de %d"}[lang]
				if !strings.Contains(p, fmt.Sprintf(want, i+1, len(pages))) {
					t.Errorf("%s: page %d has no page number", lang, i+1)
				}
				if i > 0 && !strings.Contains(p, "CSO-LA/2024/777-001") {
					t.Errorf("%s: page %d has no running header", lang, i+1)
				}
			}
			// The findings, worded in the language.
			over := pdfFormat(lang, 4500001-4000000)
			for _, want := range map[string][]string{
				"en": {"Heading 3 Equipment and supplies has spent 45,000.01 EUR against a budget of 40,000.00 EUR: " + over + " EUR over.",
					"1 expenditure in KGS waits for an exchange rate and is not counted.",
					"1 expenditure is dated outside the implementation period (1 January 2025 – 31 December 2027)"},
				"fr": {"La rubrique 3 Équipements et fournitures a dépensé 45 000,01 EUR pour un budget de 40 000,00 EUR : dépassement de " + over + " EUR.",
					"1 dépense en KGS attend un taux de change", "(1er janvier 2025 – 31 décembre 2027)"},
				"es": {"La partida 3 Equipos y suministros ha gastado 45.000,01 EUR frente a un presupuesto de 40.000,00 EUR",
					"1 gasto en KGS espera un tipo de cambio", "(1 de enero de 2025 – 31 de diciembre de 2027)"},
				"pt": {"A rubrica 3 Equipamentos e material gastou 45.000,01 EUR para um orçamento de 40.000,00 EUR",
					"1 despesa em KGS aguarda uma taxa de câmbio", "(1 de janeiro de 2025 – 31 de dezembro de 2027)"},
			}[lang] {
				if !strings.Contains(text, want) {
					t.Errorf("%s: %q is not in the PDF", lang, want)
				}
			}
		}
	})
}

func pdfValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestPDFMatchesBudgetVsActual checks the PDF's figures against finance's
// budget versus actual for a free date range: spent in the range is the
// difference of two as-of figures.
func TestPDFMatchesBudgetVsActual(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		f.standardSpending(t)
		fin := finance.NewService(d)
		to, err := fin.BudgetVsActual(f.sys, finance.Query{GrantID: f.grant, AsOf: "2026-09-30"})
		if err != nil {
			t.Fatal(err)
		}
		before, err := fin.BudgetVsActual(f.sys, finance.Query{GrantID: f.grant, AsOf: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := report.NewService(d).PDF(f.sys, report.Request{GrantID: f.grant, From: "2026-04-01", To: "2026-09-30"}, &buf, nil); err != nil {
			t.Fatal(err)
		}
		pages := pdfToText(t, buf.Bytes())
		sums := f.sums(t, "heading_code", "2026-04-01", "2026-09-30")
		if to.Total.Spent-before.Total.Spent != sums[""].period || to.Total.Spent != sums[""].toDate {
			t.Fatalf("finance and SQL disagree: %d - %d vs %+v", to.Total.Spent, before.Total.Spent, sums[""])
		}
		line := pdfLineWith(pages, "11 Total eligible costs")
		if !pdfInOrder(line, pdfFormat("en", to.Total.Budget), pdfFormat("en", to.Total.Spent-before.Total.Spent), pdfFormat("en", to.Total.Spent)) {
			t.Errorf("total row %q, want %d %d %d", line, to.Total.Budget, to.Total.Spent-before.Total.Spent, to.Total.Spent)
		}
		if !strings.Contains(pdfCollapse(pages), "1 April 2026 – 30 September 2026") {
			t.Error("the date range is not in the PDF")
		}
	})
}

// TestPDFRefusesBeforeWriting: errors come back with nothing written.
func TestPDFRefusesBeforeWriting(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		partner := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "someone",
			Memberships: []actor.Membership{{OrganisationID: f.org["dl"], Role: actor.RolePartnerEditor}}})
		// The partner organisation takes part in a project of the grant.
		f.exec(t, `INSERT INTO projects (id, grant_id, code, title, version, create_time, update_time)
			VALUES ('p1', ?, 'P1', 'Project', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, f.grant)
		f.exec(t, `INSERT INTO project_participants (project_id, organisation_id, role, position) VALUES ('p1', ?, 'co_beneficiary', 1)`, f.org["dl"])
		stranger := actor.With(context.Background(), actor.Caller{Kind: actor.User, UserID: "stranger",
			Memberships: []actor.Membership{{OrganisationID: f.donor, Role: actor.RoleFinance}}})
		for _, c := range []struct {
			name string
			ctx  context.Context
			req  report.Request
			kind errs.Kind
		}{
			{"partner", partner, report.Request{GrantID: f.grant, Period: 1}, errs.KindPermission},
			{"stranger", stranger, report.Request{GrantID: f.grant, Period: 1}, errs.KindNotFound},
			{"no such grant", f.finance, report.Request{GrantID: "nope", Period: 1}, errs.KindNotFound},
			{"period beyond the grant", f.finance, report.Request{GrantID: f.grant, Period: 4}, errs.KindInvalid},
			{"language", f.finance, report.Request{GrantID: f.grant, Period: 1, Language: "de"}, errs.KindInvalid},
			{"backwards range", f.finance, report.Request{GrantID: f.grant, From: "2026-05-01", To: "2026-04-01"}, errs.KindInvalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				var buf bytes.Buffer
				_, err := report.NewService(d).PDF(c.ctx, c.req, &buf, nil)
				if errs.KindOf(err) != c.kind {
					t.Fatalf("error %v, want %s", err, c.kind)
				}
				if buf.Len() != 0 {
					t.Fatalf("%d bytes written before the error", buf.Len())
				}
			})
		}
	})
}

// TestPDFWithoutBudgetOrSpending: a grant with no adopted budget and no
// expenditures still makes a report, which says so.
func TestPDFWithoutBudgetOrSpending(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		f.exec(t, "UPDATE budget_versions SET state = 'draft' WHERE id = ?", f.version)
		var buf bytes.Buffer
		if _, err := report.NewService(d).PDF(f.finance, report.Request{GrantID: f.grant, Period: 1, Language: "pt"}, &buf, nil); err != nil {
			t.Fatal(err)
		}
		text := pdfCollapse(pdfToText(t, buf.Bytes()))
		for _, want := range []string{"Nenhum orçamento aprovado", "Ainda não foi aprovado nenhum orçamento"} {
			if !strings.Contains(text, want) {
				t.Errorf("%q is not in the PDF", want)
			}
		}
	})
}

// TestPDFFlagsFlexibility: a transfer that moves a heading beyond the
// flexibility threshold marks the heading in the summary and is worded
// among the findings.
func TestPDFFlagsFlexibility(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		f := pdfNewFixture(t, d)
		v1 := "v1-" + f.grant
		f.exec(t, `INSERT INTO budget_versions (id, grant_id, number, kind, label, state, adopt_time, version, create_time, update_time)
			VALUES (?, ?, 1, 'transfer', '', 'adopted', '2026-02-01 09:00:00', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, v1, f.grant)
		// Version 1: heading 2 up by half (25,500.50 -> 38,250.75), heading
		// 1 down by as much.
		f.exec(t, `INSERT INTO budget_lines (id, budget_version_id, grant_id, line_key, heading_code, code, description, unit, units,
				unit_cost, total, organisation_id, position, version, create_time, update_time)
			SELECT id || '-1', ?, grant_id, line_key, heading_code, code, description, unit, units,
				CASE line_key WHEN 'L21' THEN 3825075 WHEN 'L11' THEN 10724975 ELSE total END,
				CASE line_key WHEN 'L21' THEN 3825075 WHEN 'L11' THEN 10724975 ELSE total END,
				organisation_id, position, 1, create_time, update_time
			FROM budget_lines WHERE budget_version_id = ?`, v1, f.version)
		var buf bytes.Buffer
		if _, err := report.NewService(d).PDF(f.finance, report.Request{GrantID: f.grant, Period: 2}, &buf, nil); err != nil {
			t.Fatal(err)
		}
		pages := pdfToText(t, buf.Bytes())
		if line := pdfLineWith(pages, "2 Travel *"); !pdfInOrder(line, "38,250.75") {
			t.Errorf("heading 2 is not flagged with its new budget: %q", line)
		}
		text := pdfCollapse(pages)
		for _, want := range []string{
			"Version 1: transfer between headings",
			"* The heading's budget moved beyond the flexibility threshold of 25%",
			"Heading 2 Travel has moved by +50.00% (from 25,500.50 EUR to 38,250.75 EUR)",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%q is not in the PDF", want)
			}
		}
	})
}
