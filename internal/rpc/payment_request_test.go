package rpc_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/gen/pactum/v1/pactumv1connect"
	"github.com/pactum-dev/pactum/internal/rpc"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// exportPaymentRequest runs the payment request's stream to its end and
// returns the file's metadata and content.
func exportPaymentRequest(t *testing.T, client pactumv1connect.ReportServiceClient, req *pactumv1.ExportPaymentRequestRequest) (*pactumv1.ReportFile, []byte, error) {
	t.Helper()
	stream, err := client.ExportPaymentRequest(context.Background(), connect.NewRequest(req))
	if err != nil {
		return nil, nil, err
	}
	defer stream.Close()
	var file *pactumv1.ReportFile
	var content []byte
	for stream.Receive() {
		m := stream.Msg()
		switch {
		case m.GetProgress() != nil:
			if file != nil {
				t.Errorf("progress after the file's metadata")
			}
		case m.GetFile() != nil:
			file = m.GetFile()
		default:
			if file == nil {
				t.Errorf("a chunk before the file's metadata")
			}
			if n := len(m.GetChunk()); n == 0 || n > rpc.ReportChunkBytes {
				t.Errorf("a chunk of %d bytes", n)
			}
			content = append(content, m.GetChunk()...)
		}
	}
	if err := stream.Err(); err != nil {
		return nil, nil, err
	}
	if file == nil {
		t.Fatal("the stream ended without a file")
	}
	if int64(len(content)) != file.GetSizeBytes() {
		t.Errorf("%d bytes received, the file says %d", len(content), file.GetSizeBytes())
	}
	return file, content, nil
}

// pdfPlainText is pdftotext's text of a PDF with every kind of space made
// one plain space.
func pdfPlainText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return regexp.MustCompile(`[\s\x{00a0}\x{202f}]+`).ReplaceAllString(string(out), " ")
}

// pdfPages renders the pages of a PDF as PNG images at 60 dpi (pdftoppm)
// into dir and returns their paths. PACTUM_PAYREQ_PNG names a folder to
// keep them in, for a person to look at.
func pdfPages(t *testing.T, pdf []byte, name string) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm is not installed")
	}
	dir := os.Getenv("PACTUM_PAYREQ_PNG")
	if dir == "" {
		dir = t.TempDir()
	}
	in := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", in, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, name+"*.png"))
	return pages
}

// The request for payment of G1 (co-financing 90%, maximum contribution
// 900,000.00): instalments 100,000.00 and 200,000.00 received, 200,000.00
// foreseen for the third; costs accepted 266,644.44 (a draft of 50,000.00
// does not count). Hand-computed: EU part 266,644.44 x 0.9 = 239,979.996
// -> 239,980.00; required 70% x 200,000.00 + 100,000.00 = 240,000.00;
// shortfall 20.00; cap 90% x 900,000.00 = 810,000.00, room 510,000.00;
// requested 200,000.00 - 20.00 = 199,980.00.
func TestExportPaymentRequest(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		for _, p := range []struct{ date, amount string }{{"2025-01-20", "100000.00"}, {"2025-12-15", "200000.00"}} {
			must(e.Finance.CreatePrefinancingPayment(ctx, connect.NewRequest(&pactumv1.CreatePrefinancingPaymentRequest{
				Parent: f.g1, PrefinancingPayment: &pactumv1.PrefinancingPayment{ReceivedDate: p.date, Amount: p.amount}})))
		}
		plan := f.g1 + "/prefinancingPlan"
		fin := f.roles["finance"]
		up := must(fin.Finance.UpdatePrefinancingPlan(ctx, connect.NewRequest(&pactumv1.UpdatePrefinancingPlanRequest{
			PrefinancingPlan: &pactumv1.PrefinancingPlan{Name: plan, Etag: fin.ETag(plan), Instalments: []*pactumv1.PlannedInstalment{
				{Date: "2025-01-15", Amount: "100000.00"}, {Date: "2025-12-15", Amount: "200000.00"}, {Date: "2026-12-15", Amount: "200000.00"}}}})))
		if got := up.GetPrefinancingPlan(); got.GetTotal() != "500000.00" || got.GetCap() != "810000.00" || len(got.GetReceived()) != 2 || !got.GetCallerCanUpdate() {
			t.Fatalf("plan: %v", got)
		}
		finExp(t, e, f.g1, "L1", "1", "", f.a, "2026-02-01", "verified", 200000_00)
		finExp(t, e, f.g1, "L1", "1", "", f.a, "2026-03-01", "submitted", 66644_44)
		finExp(t, e, f.g1, "L1", "1", "", f.a, "2026-03-02", "draft", 50000_00)

		// The compliance check says the same.
		c := must(fin.Finance.CheckCompliance(ctx, connect.NewRequest(&pactumv1.CheckComplianceRequest{Grant: f.g1, AsOf: "2026-06-30"}))).GetPrefinancing()
		if c.GetEuPart() != "239980.00" || c.GetRequired() != "240000.00" || c.GetShortfall() != "20.00" || c.GetRequestable() != "199980.00" ||
			c.GetCap() != "810000.00" || c.GetCapRoom() != "510000.00" || c.GetNextPlanned() != "200000.00" || c.GetCoFinancingRate() != "90.00" || c.GetMayRequest() {
			t.Errorf("status: %v", c)
		}

		client := reportsAs(e, fin)
		file, pdf, err := exportPaymentRequest(t, client, &pactumv1.ExportPaymentRequestRequest{Grant: f.g1, AsOf: "2026-06-30",
			SignatoryName: "Amina Diallo", SignatoryFunction: "Finance director"})
		if err != nil {
			t.Fatal(err)
		}
		if file.GetFileName() != "payment-request-G-1-3.pdf" || file.GetContentType() != "application/pdf" {
			t.Errorf("file: %v", file)
		}
		text := pdfPlainText(t, pdf)
		for _, want := range []string{"Request for payment", "Payment request no. 3", "G/1", "Grant G/1",
			"Global Alliance for Decent Work (Belgium)", "European Commission",
			"900,000.00 EUR", "300,000.00 EUR", "266,644.44 EUR", "EU co-financing rate 90%", "239,980.00 EUR", "240,000.00 EUR", "20.00 EUR",
			"810,000.00 EUR", "510,000.00 EUR", "Amount requested (8 − 7, at most 10) 199,980.00 EUR",
			"Amina Diallo", "Finance director", "Pactum keeps no bank details"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		if pages := pdfPages(t, pdf, "payment-request-en"); len(pages) == 0 {
			t.Errorf("no page rendered")
		}

		// In French, by reporting period 2 (2026-01-01 to 2026-12-31): the
		// same costs (all dated in 2026).
		_, fr, err := exportPaymentRequest(t, client, &pactumv1.ExportPaymentRequestRequest{Grant: f.g1, ReportingPeriod: 2, Language: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		text = pdfPlainText(t, fr)
		for _, want := range []string{"Demande de paiement", "Demande de paiement n° 3", "Global Alliance for Decent Work (Belgique)",
			"Montant demandé (8 − 7, au plus 10) 199 980,00 EUR", "239 980,00 EUR", "Taux de cofinancement de l'UE 90 %", "Période de rapport 2 : 1er janvier 2026 – 31 décembre 2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("the French PDF lacks %q:\n%s", want, text)
			}
		}
		pdfPages(t, fr, "payment-request-fr")

		// A partner of the grant is refused; an unknown grant is not found;
		// a period and a date together are invalid.
		_, _, err = exportPaymentRequest(t, reportsAs(e, f.roles["editorA"]), &pactumv1.ExportPaymentRequestRequest{Grant: f.g1})
		rpctest.ExpectCode(t, err, connect.CodePermissionDenied)
		_, _, err = exportPaymentRequest(t, client, &pactumv1.ExportPaymentRequestRequest{Grant: "grants/nope"})
		rpctest.ExpectCode(t, err, connect.CodeNotFound)
		_, _, err = exportPaymentRequest(t, client, &pactumv1.ExportPaymentRequestRequest{Grant: f.g1, ReportingPeriod: 1, AsOf: "2025-06-30"})
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
	})
}

// The plan: dates in order and before the grant ends, amounts above zero,
// at most 90% of the maximum contribution, each refusal naming its field;
// a stale etag is ABORTED.
func TestUpdatePrefinancingPlanRules(t *testing.T) {
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		ctx := context.Background()
		f := newFixture(t, e)
		plan := f.g1 + "/prefinancingPlan"
		fin := f.roles["finance"]
		update := func(etag string, xs ...*pactumv1.PlannedInstalment) (*pactumv1.PrefinancingPlan, error) {
			r, err := fin.Finance.UpdatePrefinancingPlan(ctx, connect.NewRequest(&pactumv1.UpdatePrefinancingPlanRequest{
				PrefinancingPlan: &pactumv1.PrefinancingPlan{Name: plan, Etag: etag, Instalments: xs}}))
			if err != nil {
				return nil, err
			}
			return r.Msg.GetPrefinancingPlan(), nil
		}
		pi := func(date, amount string) *pactumv1.PlannedInstalment {
			return &pactumv1.PlannedInstalment{Date: date, Amount: amount}
		}
		etag := fin.ETag(plan)
		_, err := update(etag, pi("2025-03-01", "100000.00"), pi("2025-02-01", "0"))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		rpctest.ExpectViolation(t, err, "prefinancing_plan.instalments[1].date")
		rpctest.ExpectViolation(t, err, "prefinancing_plan.instalments[1].amount")
		_, err = update(etag, pi("2028-01-01", "100.00"))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		// 810,000.01 is a cent above 90% of 900,000.00.
		_, err = update(etag, pi("2025-02-01", "810000.01"))
		rpctest.ExpectCode(t, err, connect.CodeInvalidArgument)
		p, err := update(etag, pi("2025-02-01", "810000.00"))
		if err != nil {
			t.Fatal(err)
		}
		if p.GetEtag() == etag || len(p.GetInstalments()) != 1 || p.GetInstalments()[0].GetNumber() != 1 || p.GetUpdatedBy() == "" {
			t.Errorf("updated: %v", p)
		}
		_, err = update(etag, pi("2025-02-01", "1.00")) // the etag read before
		rpctest.ExpectCode(t, err, connect.CodeAborted)
		// Clearing the plan.
		if p, err = update(p.GetEtag()); err != nil || len(p.GetInstalments()) != 0 || p.GetTotal() != "0.00" {
			t.Errorf("cleared: %v %v", p, err)
		}
	})
}
