package render

import (
	"strconv"
	"strings"
	"time"

	"github.com/pactum-dev/pactum/internal/narrative"
)

// kind is what a block is.
type kind int

const (
	kTitle     kind = iota // the document's title
	kSubtitle              // the grant's title under it
	kHeading               // Level 1, 2 or 3
	kPara                  // body text; may hold line breaks
	kBullet                // a bullet-like paragraph
	kNote                  // small grey text
	kKV                    // a label/value list
	kTable                 // a table
	kPhoto                 // a photo with its caption and credit
	kPageBreak             // a new page
	kLabel                 // a small title kept with the table under it
)

type kv struct{ Key, Value string }

// column is a table's column: its title, its share of the width, and
// whether its figures are aligned right.
type column struct {
	Title string
	Width float64
	Right bool
}

// row is a table's row; a Group row spans the table (a result above its
// indicators).
type row struct {
	Cells []string
	Group bool
}

type table struct {
	Columns []column
	Rows    []row
	Small   bool // a wide table in a smaller font
}

type block struct {
	Kind  kind
	Level int
	Text  string
	KV    []kv
	Table *table
	Photo *narrative.Photo
}

// content is a document to write: its blocks and running texts.
type content struct {
	w            words
	title        string // metadata title
	header       string // running header, left
	headerRight  string
	footer       string // running footer, left
	blocks       []block
	photos       int // photos among the blocks
	author       string
	generatedFor string
	time         time.Time // of the generation
}

func (c *content) add(b block) { c.blocks = append(c.blocks, b) }
func (c *content) heading(level int, text string) {
	c.add(block{Kind: kHeading, Level: level, Text: text})
}
func (c *content) note(text string) { c.add(block{Kind: kNote, Text: text}) }

// text adds a section's text: blank lines split paragraphs, a line that
// starts with "- " (or "* ", "• ") is a bullet, other lines of a
// paragraph keep their line breaks.
func (c *content) text(s string) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var para []string
	flush := func() {
		if len(para) > 0 {
			c.add(block{Kind: kPara, Text: strings.Join(para, "\n")})
			para = nil
		}
	}
	n := 0
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "• "):
			flush()
			_, rest, _ := strings.Cut(t, " ")
			c.add(block{Kind: kBullet, Text: strings.TrimSpace(rest)})
			n++
		default:
			para = append(para, t)
			n++
		}
	}
	flush()
	if n == 0 {
		c.note(c.w.T("narrative.doc.empty"))
	}
}

// layout builds the document's blocks from r, in o's language.
func layout(r *narrative.Report, o Options) *content {
	if o.Time.IsZero() {
		o.Time = time.Now()
	}
	w := wordsFor(o.Language)
	c := &content{w: w, author: o.GeneratedBy, time: o.Time}
	d := r.Description
	kindName := w.T("narrative.doc.kind.interim")
	if r.Kind == narrative.KindFinal {
		kindName = w.T("narrative.doc.kind.final")
	}
	periodName := w.T("narrative.doc.periodNumber", "Number", strconv.Itoa(r.Period))
	c.title = w.T("narrative.doc.title") + ": " + d.Title
	c.header = d.Title
	c.headerRight = d.ContractNumber
	c.footer = kindName + " · " + periodName

	// The title page.
	c.add(block{Kind: kTitle, Text: w.T("narrative.doc.title")})
	c.add(block{Kind: kSubtitle, Text: w.orDash(d.Title)})
	status := w.T("narrative.doc.draft")
	if r.State == narrative.StateSubmitted {
		status = w.T("narrative.doc.submitted", "Date", w.date(r.SubmitDate), "Name", w.orDash(r.SubmitterDisplayName))
	}
	facts := []kv{
		{w.T("narrative.doc.reportKind"), kindName},
		{w.T("narrative.doc.contractNumber"), w.orDash(d.ContractNumber)},
		{w.T("narrative.doc.reportingPeriod"), w.T("narrative.doc.labelled", "Label", periodName, "Text", w.rangeOf(r.PeriodStart, r.PeriodEnd))},
		{w.T("narrative.doc.coordinator"), w.orDash(d.Coordinator.DisplayName)},
		{w.T("narrative.doc.language"), languageName(w.lang)},
		{w.T("narrative.doc.status"), status},
	}
	c.add(block{Kind: kKV, KV: facts})
	if !r.CompileTime.IsZero() {
		c.note(w.T("narrative.doc.compiled", "Date", w.moment(r.CompileTime)) + " " +
			w.N("narrative.doc.updatesIncluded", int64(r.UpdatesIncluded)))
	}
	if r.PhotosWithoutConsent > 0 {
		c.note(w.N("narrative.doc.photosLeftOut", int64(r.PhotosWithoutConsent)))
	}
	generated := w.moment(o.Time)
	if o.GeneratedBy != "" {
		c.generatedFor = w.T("narrative.doc.generatedBy", "Name", o.GeneratedBy, "Date", generated)
	} else {
		c.generatedFor = w.T("narrative.doc.generated", "Date", generated)
	}
	c.note(c.generatedFor)
	c.add(block{Kind: kPageBreak})

	// 1. Description.
	c.heading(1, w.T("narrative.doc.h.description"))
	contact := strings.TrimSpace(d.ContactName)
	if d.ContactEmail != "" {
		contact = strings.TrimSpace(contact + " <" + d.ContactEmail + ">")
	}
	var partners []string
	for _, p := range d.Partners {
		partners = append(partners, party(w, p))
	}
	desc := []kv{
		{w.T("narrative.doc.actionTitle"), w.orDash(d.Title)},
		{w.T("narrative.doc.contractNumber"), w.orDash(d.ContractNumber)},
		{w.T("narrative.doc.coordinator"), party(w, d.Coordinator)},
		{w.T("narrative.doc.contact"), w.orDash(contact)},
		{w.T("narrative.doc.partners"), or(strings.Join(partners, "\n"), w.T("narrative.doc.none"))},
		{w.T("narrative.doc.implementationPeriod"), w.rangeOf(d.Start, d.End)},
		{w.T("narrative.doc.reportingPeriod"), w.T("narrative.doc.labelled", "Label", periodName, "Text", w.rangeOf(r.PeriodStart, r.PeriodEnd))},
		{w.T("narrative.doc.targetCountries"), w.countries(d.TargetCountries)},
		{w.T("narrative.doc.countriesOfActivity"), w.countries(d.CountriesOfActivity)},
		{w.T("narrative.doc.activitiesPeriod"), w.count(d.ActivitiesPeriod)},
	}
	c.add(block{Kind: kKV, KV: desc})
	c.heading(3, w.T("narrative.doc.targetGroups"))
	people := func(label string, p narrative.People) row {
		return row{Cells: []string{label, w.count(p.Women), w.count(p.Men), w.count(p.Other), w.count(p.Total())}}
	}
	c.add(block{Kind: kTable, Table: &table{
		Columns: []column{
			{Title: w.T("narrative.doc.people.when"), Width: 3},
			{Title: w.T("narrative.doc.people.women"), Width: 2, Right: true},
			{Title: w.T("narrative.doc.people.men"), Width: 2, Right: true},
			{Title: w.T("narrative.doc.people.other"), Width: 2, Right: true},
			{Title: w.T("narrative.doc.people.total"), Width: 2, Right: true},
		},
		Rows: []row{
			people(w.T("narrative.doc.people.period"), d.ParticipantsPeriod),
			people(w.T("narrative.doc.people.toDate"), d.ParticipantsToDate),
		},
	}})

	// Photos by the section they belong to; the others go to the annex.
	keys := map[string]bool{}
	for _, s := range r.Sections {
		keys[s.Key] = true
	}
	photosOf := map[string][]*narrative.Photo{}
	var annex []*narrative.Photo
	for i := range r.Photos {
		p := &r.Photos[i]
		if p.SectionKey != "" && keys[p.SectionKey] {
			photosOf[p.SectionKey] = append(photosOf[p.SectionKey], p)
		} else {
			annex = append(annex, p)
		}
	}
	section := func(s *narrative.Section) {
		c.text(s.Text())
		for _, p := range photosOf[s.Key] {
			c.add(block{Kind: kPhoto, Photo: p})
			c.photos++
		}
	}
	sectionsOf := func(k narrative.SectionKind) []*narrative.Section {
		var out []*narrative.Section
		for _, s := range r.Sections {
			if s.Kind == k {
				out = append(out, s)
			}
		}
		return out
	}
	simple := func(k narrative.SectionKind) {
		ss := sectionsOf(k)
		if len(ss) == 0 {
			c.note(w.T("narrative.doc.empty"))
		}
		for _, s := range ss {
			section(s)
		}
	}

	// 2. Assessment of implementation.
	c.heading(1, w.T("narrative.doc.h.assessment"))
	c.heading(2, w.T("narrative.doc.h.summary"))
	simple(narrative.SectionExecutiveSummary)
	c.heading(2, w.T("narrative.doc.h.outputs"))
	outputs := sectionsOf(narrative.SectionOutput)
	if len(outputs) == 0 {
		c.note(w.T("narrative.doc.noOutputs"))
	}
	for _, s := range outputs {
		c.heading(3, w.orDash(s.SubjectDisplayName))
		section(s)
	}
	c.heading(2, w.T("narrative.doc.h.logframe"))
	logframe(c, r.Logframe)

	// 3. Partners.
	c.heading(1, w.T("narrative.doc.h.partners"))
	partnerSections := sectionsOf(narrative.SectionPartner)
	if len(partnerSections) == 0 {
		c.note(w.T("narrative.doc.noPartners"))
	}
	for _, s := range partnerSections {
		c.heading(2, w.orDash(s.SubjectDisplayName))
		section(s)
	}
	c.heading(1, w.T("narrative.doc.h.cooperation"))
	simple(narrative.SectionCooperation)
	c.heading(1, w.T("narrative.doc.h.visibility"))
	simple(narrative.SectionVisibility)
	c.heading(1, w.T("narrative.doc.h.records"))
	simple(narrative.SectionRecords)

	if r.Kind == narrative.KindFinal {
		c.heading(1, w.T("narrative.doc.h.procurement"))
		procurement(c, r)
	}
	if len(annex) > 0 {
		c.heading(1, w.T("narrative.doc.h.photos"))
		for _, p := range annex {
			c.add(block{Kind: kPhoto, Photo: p})
			c.photos++
		}
	}
	return c
}

// party writes an organisation with its role and country.
func party(w words, p narrative.Party) string {
	if p.DisplayName == "" {
		return w.dash()
	}
	if country := w.country(p.CountryCode); country != "" {
		return w.T("narrative.doc.partyIn", "Name", p.DisplayName, "Role", w.role(p.Role), "Country", country)
	}
	return w.T("narrative.doc.party", "Name", p.DisplayName, "Role", w.role(p.Role))
}

// logframe adds the updated logframe: one table of the indicators under
// their results, then each indicator's values by category and by partner.
func logframe(c *content, inds []narrative.Indicator) {
	w := c.w
	if len(inds) == 0 {
		c.note(w.T("narrative.doc.noLogframe"))
		return
	}
	t := &table{Small: true, Columns: []column{
		{Title: w.T("narrative.doc.col.indicator"), Width: 6.4},
		{Title: w.T("narrative.doc.col.unit"), Width: 2.8},
		{Title: w.T("narrative.doc.col.baseline"), Width: 2.8, Right: true},
		{Title: w.T("narrative.doc.col.targetPeriod"), Width: 2.8, Right: true},
		{Title: w.T("narrative.doc.col.achievedPeriod"), Width: 2.8, Right: true},
		{Title: w.T("narrative.doc.col.targetToDate"), Width: 2.8, Right: true},
		{Title: w.T("narrative.doc.col.achievedToDate"), Width: 2.8, Right: true},
	}}
	last := "\x00"
	for _, in := range inds {
		result := in.ResultCode + "\x00" + in.ResultTitle
		if result != last {
			last = result
			head := strings.TrimSpace(in.ResultCode + " " + in.ResultTitle)
			if lv := w.level(in.ResultLevel); lv != "" {
				head = lv + " " + head
			}
			t.Rows = append(t.Rows, row{Group: true, Cells: []string{w.T("narrative.doc.labelled", "Label", w.T("narrative.doc.col.result"), "Text", head)}})
		}
		t.Rows = append(t.Rows, row{Cells: []string{
			strings.TrimSpace(in.Code + " " + in.Title), w.orDash(in.Unit), w.value(in.Type, in.Baseline),
			w.value(in.Type, in.TargetPeriod), w.value(in.Type, in.AchievedPeriod),
			w.value(in.Type, in.TargetToDate), w.value(in.Type, in.AchievedToDate),
		}})
	}
	c.add(block{Kind: kTable, Table: t})
	for _, in := range inds {
		if len(in.Disaggregated) == 0 && len(in.PartnerValues) == 0 {
			continue
		}
		c.heading(3, strings.TrimSpace(in.Code+" "+in.Title))
		if len(in.Disaggregated) > 0 {
			dt := &table{Columns: []column{
				{Title: w.T("narrative.doc.col.disaggregation"), Width: 3},
				{Title: w.T("narrative.doc.col.category"), Width: 3},
				{Title: w.T("narrative.doc.col.value"), Width: 2, Right: true},
			}}
			for _, dv := range in.Disaggregated {
				dt.Rows = append(dt.Rows, row{Cells: []string{w.disaggregation(dv.Disaggregation), w.category(dv.Category), w.value(in.Type, dv.Value)}})
			}
			c.add(block{Kind: kTable, Table: dt})
		}
		if len(in.PartnerValues) > 0 {
			pt := &table{Columns: []column{
				{Title: w.T("narrative.doc.col.partner"), Width: 4},
				{Title: w.T("narrative.doc.col.project"), Width: 4},
				{Title: w.T("narrative.doc.col.target"), Width: 2, Right: true},
				{Title: w.T("narrative.doc.col.achieved"), Width: 2, Right: true},
				{Title: w.T("narrative.doc.col.disaggregation"), Width: 4},
			}}
			for _, pv := range in.PartnerValues {
				var parts []string
				for _, dv := range pv.Disaggregated {
					parts = append(parts, w.T("narrative.doc.categoryValue", "Category", w.category(dv.Category), "Value", w.value(in.Type, dv.Value)))
				}
				pt.Rows = append(pt.Rows, row{Cells: []string{
					w.orDash(pv.OrganisationDisplayName), w.orDash(pv.ProjectDisplayName),
					w.value(in.Type, pv.Target), w.value(in.Type, pv.Achieved), or(strings.Join(parts, "\n"), w.dash()),
				}})
			}
			c.add(block{Kind: kLabel, Text: w.T("narrative.doc.perPartner")})
			c.add(block{Kind: kTable, Table: pt})
		}
	}
}

// procurement adds the table of the procurement contracts above EUR
// 60,000 (final report).
func procurement(c *content, r *narrative.Report) {
	w := c.w
	if len(r.ProcurementContracts) == 0 {
		c.note(w.T("narrative.doc.noProcurement"))
		return
	}
	t := &table{Small: true, Columns: []column{
		{Title: w.T("narrative.doc.col.reference"), Width: 3.3},
		{Title: w.T("narrative.doc.col.contractTitle"), Width: 4},
		{Title: w.T("narrative.doc.col.contractor"), Width: 3.2},
		{Title: w.T("narrative.doc.col.procedure"), Width: 3},
		{Title: w.T("narrative.doc.col.awardDate"), Width: 2.8},
		{Title: w.T("narrative.doc.col.amount", "Currency", or(r.Currency, "EUR")), Width: 2.8, Right: true},
		{Title: w.T("narrative.doc.col.awardedBy"), Width: 3},
	}}
	for _, p := range r.ProcurementContracts {
		t.Rows = append(t.Rows, row{Cells: []string{
			w.orDash(p.Reference), w.orDash(p.Title), w.orDash(p.Contractor), w.orDash(p.Procedure),
			w.date(p.AwardDate), w.decimal(p.Amount), w.orDash(p.OrganisationDisplayName),
		}})
	}
	c.add(block{Kind: kTable, Table: t})
}
