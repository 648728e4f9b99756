package render

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"time"

	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/narrative"
)

// photoBytes makes a w×h picture (a gradient with a band, so that a
// stretched one shows) as JPEG or PNG.
func photoBytes(format string, w, h int, seed uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), seed, 255}
			// A circle in the middle: stretched, it is an ellipse.
			dx, dy := x-w/2, y-h/2
			r := min(w, h) / 4
			if dx*dx+dy*dy < r*r {
				c = color.RGBA{250, 250, 250, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if format == "png" {
		_ = png.Encode(&b, img)
	} else {
		_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	}
	return b.Bytes()
}

func photo(name, caption, credit, section, contentType string, data []byte) narrative.Photo {
	return narrative.Photo{
		Name: name, Caption: caption, Credit: credit, ContentType: contentType,
		SizeBytes: int64(len(data)), SectionKey: section,
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
	}
}

// The fixture's texts, which the tests look for in the documents.
const (
	summaryText = "In the second year the action reached domestic workers in three countries.\n\n" +
		"The main results:\n- 412 domestic workers joined the union\n- two collective agreements signed"
	output1Text   = "Umoja trained 180 paralegals in Nairobi and Kiambu.\nThe training moved from March to May after the floods."
	output2Text   = "Dock workers' committees met the port authority four times."
	partnerUDWU   = "Umoja Domestic Workers Union organised 14 workshops on the new labour code."
	partnerMPWA   = "Mombasa Port and Dock Workers Association opened a legal aid desk at Gate 18."
	partnerRTT    = "Le Réseau des Travailleuses de Thiès a formé 65 travailleuses à la négociation."
	cooperationTx = "Regular meetings with the Ministry of Labour of Kenya."
	visibilityTx  = "The EU logo appears on all training material and the project's radio spots."
	recordsTx     = "Boulevard du Roi Albert II 5, 1210 Brussels\nArchive room 2, shelves 14-16"
	captionOut1   = "Paralegal training in Kiambu, May 2026"
	creditOut1    = "Wanjiku Kamau, UDWU"
	captionRTT    = "Atelier de négociation à Thiès"
	creditRTT     = "Awa Ndiaye, RTT"
	captionAnnex  = "Closing ceremony of the second year"
	creditAnnex   = "Hélène Dubois, GADW"
)

// fixture is a demo-like report: a grant of the Global Alliance for Decent
// Work with three partners in Kenya and Senegal, two outputs, a logframe
// disaggregated by sex and country with the partners' values, photos, and
// (final) procurement contracts.
func fixture(kind narrative.Kind) *narrative.Report {
	str := func(s string) *string { return &s }
	edit := str("Dock workers' committees met the port authority four times; the coordinator adds that the fifth meeting was cancelled.")
	r := &narrative.Report{
		ID: "grants/g1/narrativeReports/2", Grant: "grants/g1", Period: 2,
		PeriodStart: calendar.MustParse("2026-01-01"), PeriodEnd: calendar.MustParse("2026-12-31"),
		Kind: kind, State: narrative.StateDraft, Language: "en", Currency: "EUR",
		Description: narrative.Description{
			Title: "Decent work for domestic and port workers in East and West Africa", ContractNumber: "CSO-LA/2025/412-345",
			Coordinator: narrative.Party{Organisation: "organisations/gadw", DisplayName: "Global Alliance for Decent Work", CountryCode: "BE", Role: "coordinator"},
			ContactName: "Hélène Dubois", ContactEmail: "helene.dubois@gadw.example",
			Partners: []narrative.Party{
				{Organisation: "organisations/udwu", DisplayName: "Umoja Domestic Workers Union", CountryCode: "KE", Role: "co_beneficiary"},
				{Organisation: "organisations/mpwa", DisplayName: "Mombasa Port and Dock Workers Association", CountryCode: "KE", Role: "affiliated_entity"},
				{Organisation: "organisations/rtt", DisplayName: "Réseau des Travailleuses de Thiès", CountryCode: "SN", Role: "associate"},
			},
			TargetCountries: []string{"KE", "SN"}, CountriesOfActivity: []string{"KE", "SN", "BE"},
			ParticipantsPeriod: narrative.People{Women: 1234, Men: 567, Other: 8},
			ParticipantsToDate: narrative.People{Women: 2345, Men: 1098, Other: 12},
			ActivitiesPeriod:   37,
			Start:              calendar.MustParse("2025-01-01"), End: calendar.MustParse("2027-12-31"),
		},
		Sections: []*narrative.Section{
			{Key: "summary", Kind: narrative.SectionExecutiveSummary, CompiledText: summaryText},
			{Key: "outputs-r1", Kind: narrative.SectionOutput, Subject: "grants/g1/results/r1", SubjectDisplayName: "1.1 Domestic workers know and claim their rights", CompiledText: output1Text},
			{Key: "outputs-r2", Kind: narrative.SectionOutput, Subject: "grants/g1/results/r2", SubjectDisplayName: "1.2 Port workers negotiate with the port authority", CompiledText: output2Text, EditedText: edit, EditBaseText: str(output2Text)},
			{Key: "partners-udwu", Kind: narrative.SectionPartner, Subject: "organisations/udwu", SubjectDisplayName: "Umoja Domestic Workers Union", CompiledText: partnerUDWU},
			{Key: "partners-mpwa", Kind: narrative.SectionPartner, Subject: "organisations/mpwa", SubjectDisplayName: "Mombasa Port and Dock Workers Association", CompiledText: partnerMPWA},
			{Key: "partners-rtt", Kind: narrative.SectionPartner, Subject: "organisations/rtt", SubjectDisplayName: "Réseau des Travailleuses de Thiès", CompiledText: partnerRTT},
			{Key: "cooperation", Kind: narrative.SectionCooperation, CompiledText: cooperationTx},
			{Key: "visibility", Kind: narrative.SectionVisibility, CompiledText: visibilityTx},
			{Key: "records", Kind: narrative.SectionRecords, CompiledText: recordsTx},
		},
		Logframe: []narrative.Indicator{
			{ResultLevel: "specific_objective", ResultCode: "SO1", ResultTitle: "Workers in informal and port work organise and bargain collectively",
				Code: "SO1.1", Title: "Collective agreements signed", Unit: "agreements", Type: "number",
				Baseline: "0", TargetPeriod: "2", AchievedPeriod: "2", TargetToDate: "3", AchievedToDate: "2"},
			{ResultLevel: "output", ResultCode: "1.1", ResultTitle: "Domestic workers know and claim their rights",
				Code: "1.1.1", Title: "Domestic workers trained on labour rights", Unit: "people", Type: "number",
				Baseline: "0", TargetPeriod: "1500", AchievedPeriod: "1801", TargetToDate: "3000", AchievedToDate: "3443",
				Disaggregated: []narrative.Disaggregated{
					{Disaggregation: "sex", Category: "women", Value: "1234"}, {Disaggregation: "sex", Category: "men", Value: "567"},
					{Disaggregation: "country", Category: "KE", Value: "1401"}, {Disaggregation: "country", Category: "SN", Value: "400"},
				},
				PartnerValues: []narrative.PartnerValue{
					{OrganisationDisplayName: "Umoja Domestic Workers Union", ProjectDisplayName: "Domestic workers' rights in Kenya", Target: "1000", Achieved: "1101",
						Disaggregated: []narrative.Disaggregated{{Disaggregation: "sex", Category: "women", Value: "1011"}, {Disaggregation: "sex", Category: "men", Value: "90"}}},
					{OrganisationDisplayName: "Mombasa Port and Dock Workers Association", ProjectDisplayName: "Port workers' voice", Target: "300", Achieved: "300"},
					{OrganisationDisplayName: "Réseau des Travailleuses de Thiès", ProjectDisplayName: "Travailleuses de Thiès", Target: "200", Achieved: "400"},
				}},
			{ResultLevel: "output", ResultCode: "1.2", ResultTitle: "Port workers negotiate with the port authority",
				Code: "1.2.1", Title: "Share of members covered by a grievance procedure", Unit: "%", Type: "percentage",
				Baseline: "12.5", TargetPeriod: "40", AchievedPeriod: "37.5", TargetToDate: "60", AchievedToDate: "37.5"},
		},
		Photos: []narrative.Photo{
			photo("attachments/p1", captionOut1, creditOut1, "outputs-r1", "image/jpeg", photoBytes("jpeg", 640, 420, 40)),
			photo("attachments/p2", captionRTT, creditRTT, "partners-rtt", "image/png", photoBytes("png", 300, 400, 120)),
			photo("attachments/p3", captionAnnex, creditAnnex, "", "image/jpeg", photoBytes("jpeg", 800, 300, 200)),
		},
		PhotosWithoutConsent: 2,
		UpdatesIncluded:      6, UpdatesNotApproved: 2,
		CompileTime: time.Date(2027, 1, 20, 9, 30, 0, 0, time.UTC),
		Version:     3,
	}
	if kind == narrative.KindFinal {
		r.ProcurementContracts = []narrative.ProcurementContract{
			{Reference: "GADW/2026/07", Title: "Printing of training manuals", Contractor: "Nairobi Print Works Ltd", Procedure: "Competitive negotiated procedure",
				AwardDate: calendar.MustParse("2026-03-15"), Amount: "84500.00", OrganisationDisplayName: "Umoja Domestic Workers Union"},
			{Reference: "GADW/2026/11", Title: "External evaluation", Contractor: "Evalua Consulting SRL", Procedure: "Open tender",
				AwardDate: calendar.MustParse("2026-09-01"), Amount: "123456.78", OrganisationDisplayName: "Global Alliance for Decent Work"},
		}
	}
	return r
}

// hostilePhotos are photos that cannot go in: bytes that are no image, a
// file declared larger than 10 MB, a header claiming 100 megapixels, a
// type that is not JPEG or PNG, and one whose blob cannot be read.
func hostilePhotos() []narrative.Photo {
	// A PNG whose header says 10000×10000: only the header is read.
	huge := photoBytes("png", 4, 4, 0)
	copy(huge[16:24], []byte{0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10})
	binary.BigEndian.PutUint32(huge[29:33], crc32.ChecksumIEEE(huge[12:29]))
	bad := photo("attachments/bad", "Not a photo at all", "Nobody", "summary", "image/jpeg", []byte("this is a text file, not a JPEG"))
	big := photo("attachments/big", "Declared too large", "Nobody", "summary", "image/jpeg", photoBytes("jpeg", 8, 8, 0))
	big.SizeBytes = 11 << 20
	pixels := photo("attachments/px", "Far too many pixels", "Nobody", "summary", "image/png", huge)
	gif := photo("attachments/gif", "An animation", "Nobody", "summary", "image/gif", []byte("GIF89a"))
	broken := photo("attachments/gone", "Lost in the store", "Nobody", "summary", "image/jpeg", nil)
	broken.Open = func() (io.ReadCloser, error) { return nil, errors.New("blob missing") }
	return []narrative.Photo{bad, big, pixels, gif, broken}
}

// benchReport is a grant of 20 partners with 8 quarterly updates each, a
// photo of about 200 KB to each update.
func benchReport() *narrative.Report {
	r := fixture(narrative.KindFinal)
	r.Sections = r.Sections[:3]
	r.Photos = nil
	pic := photoBytes("jpeg", 900, 600, 77) // the benchmark gives it a photo's weight
	for p := range 20 {
		key := fmt.Sprintf("partners-%d", p)
		var text bytes.Buffer
		for q := range 8 {
			fmt.Fprintf(&text, "Quarter %d. Partner %d held %d workshops with domestic and port workers; %d women and %d men took part, and the union's paralegals handled %d cases.\n\n",
				q+1, p+1, 3+q, 40+p*q, 20+q, 5+p)
			r.Photos = append(r.Photos, photo(fmt.Sprintf("attachments/%d-%d", p, q), fmt.Sprintf("Workshop %d of partner %d", q+1, p+1), "Partner staff", key, "image/jpeg", pic))
		}
		r.Sections = append(r.Sections, &narrative.Section{Key: key, Kind: narrative.SectionPartner, SubjectDisplayName: fmt.Sprintf("Partner organisation %d", p+1), CompiledText: text.String()})
	}
	return r
}

// png16 is a PNG of 16 bits a channel.
func png16(w, h int) []byte {
	img := image.NewRGBA64(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA64{uint16(x * 65535 / w), uint16(y * 65535 / h), 30000, 65535})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
