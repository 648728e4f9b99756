package narrative

import (
	"strconv"
	"strings"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/results"
)

// compose writes the sections' texts in the report's language, in order:
// the executive summary, one per output active in the period, one per
// partner with an approved update, cooperation, visibility, records.
func (b *builder) compose() {
	b.summary()
	for _, o := range b.outputs {
		b.output(o)
	}
	b.partners()
	b.cooperation()
	b.visibility()
	b.records()
}

// text gathers paragraphs.
type text struct{ paras []string }

func (t *text) para(s string) {
	if s = strings.TrimSpace(s); s != "" {
		t.paras = append(t.paras, s)
	}
}

func (t *text) list(heading string, items []string) {
	if len(items) == 0 {
		return
	}
	t.para(heading)
	t.paras = append(t.paras, "- "+strings.Join(items, "\n- "))
}

func (t *text) String() string { return strings.Join(t.paras, "\n\n") }

func itoa(n int) string { return strconv.Itoa(n) }

func (b *builder) add(key string, kind SectionKind, subject string, t *text, sources []Source) {
	if sources == nil {
		sources = []Source{}
	}
	b.sections = append(b.sections, compiledSection{Key: key, Kind: kind, subjectID: subject, CompiledText: t.String(), Sources: sources})
}

func updateSource(u *progress.Update) Source {
	return Source{Name: u.Name(), Kind: SourceProgressUpdate, DisplayName: u.Title, OrganisationDisplayName: u.OrganisationDisplayName}
}

func (b *builder) activitySource(a *activity.Activity) Source {
	return Source{Name: a.Name(), Kind: SourceActivity, DisplayName: a.StartDate.String() + " " + a.Title,
		OrganisationDisplayName: b.orgNames[b.projectOrg[a.ProjectID]]}
}

func (b *builder) summary() {
	l, d := b.loc, b.r.Description
	t := &text{}
	p := d.ParticipantsPeriod
	t.para(l.T("narrative.compile.summary", "From", b.date(b.from), "To", b.date(b.to), "Activities", itoa(d.ActivitiesPeriod),
		"People", itoa(p.Total()), "Women", itoa(p.Women), "Men", itoa(p.Men), "Other", itoa(p.Other)))
	t.para(l.T("narrative.compile.summaryUpdates", "Included", itoa(b.r.UpdatesIncluded), "NotApproved", itoa(b.r.UpdatesNotApproved)))
	var items []string
	var sources []Source
	for _, row := range b.r.Logframe {
		if row.AchievedPeriod == "" && row.TargetPeriod == "" {
			continue
		}
		items = append(items, l.T("narrative.compile.indicator", "Indicator", joinCode(row.Code, row.Title),
			"Achieved", orDash(row.AchievedPeriod), "Target", orDash(row.TargetPeriod)))
	}
	t.list(l.T("narrative.compile.summaryIndicators"), items)
	for _, o := range b.outputs {
		sources = append(sources, Source{Name: o.Name(), Kind: SourceResult, DisplayName: joinCode(o.Code, o.Title),
			OrganisationDisplayName: b.orgNames[b.projectOrg[o.ProjectID]]})
	}
	b.add("executive-summary", SectionExecutiveSummary, "", t, sources)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (b *builder) output(o *results.Result) {
	l := b.loc
	t := &text{}
	var sources []Source
	mine := map[string]bool{}
	for _, ind := range b.indicators {
		if ind.ResultID == o.ID {
			mine[ind.ID] = true
		}
	}
	var acts []string
	for _, a := range b.inPeriod {
		linked := false
		for _, id := range a.OutputIDs {
			linked = linked || id == o.ID
		}
		for _, id := range a.IndicatorIDs {
			linked = linked || mine[id]
		}
		if !linked {
			continue
		}
		place := a.Place
		if c := b.country(a.CountryCode); c != "" {
			if place != "" {
				place += ", "
			}
			place += c
		}
		acts = append(acts, l.T("narrative.compile.activity", "Date", b.date(a.StartDate), "Title", a.Title, "Place", orDash(place),
			"Participants", itoa(a.Participants()), "Women", itoa(a.Women), "Men", itoa(a.Men)))
		sources = append(sources, b.activitySource(a))
	}
	if len(acts) == 0 {
		t.para(l.T("narrative.compile.noActivities"))
	}
	t.list(l.T("narrative.compile.activitiesHeading"), acts)
	var inds []string
	for _, ind := range b.indicators {
		if ind.ResultID != o.ID {
			continue
		}
		target, achieved := "", ""
		if p := periodOf(ind, b.period); p != nil {
			target, achieved = p.Target, p.Actual
		}
		inds = append(inds, l.T("narrative.compile.indicator", "Indicator", joinCode(ind.Code, ind.Title), "Achieved", orDash(achieved), "Target", orDash(target)))
		sources = append(sources, Source{Name: ind.Name(), Kind: SourceIndicator, DisplayName: joinCode(ind.Code, ind.Title),
			OrganisationDisplayName: b.orgNames[b.projectOrg[ind.ProjectID]]})
	}
	t.list(l.T("narrative.compile.indicatorsHeading"), inds)
	var reasons []string
	for _, u := range b.approved {
		if u.ProjectID != o.ProjectID || strings.TrimSpace(u.ChangesToPlans) == "" {
			continue
		}
		reasons = append(reasons, l.T("narrative.compile.reason", "Organisation", u.OrganisationDisplayName, "Text", oneLine(u.ChangesToPlans)))
		sources = append(sources, updateSource(u))
	}
	t.list(l.T("narrative.compile.reasonsHeading"), reasons)
	b.add(outputKey(o.ID), SectionOutput, o.ID, t, sources)
}

// oneLine joins a text's lines, for an item of a list.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (b *builder) partners() {
	l := b.loc
	var order []string
	byOrg := map[string][]*progress.Update{}
	for _, u := range b.approved {
		if _, ok := byOrg[u.OrganisationID]; !ok {
			order = append(order, u.OrganisationID)
		}
		byOrg[u.OrganisationID] = append(byOrg[u.OrganisationID], u)
	}
	for _, org := range order {
		t := &text{}
		var sources []Source
		for _, u := range byOrg[org] {
			head := u.Title
			if !u.PeriodStart.IsZero() && !u.PeriodEnd.IsZero() {
				head = l.T("narrative.compile.updateHeading", "Title", u.Title, "From", b.date(u.PeriodStart), "To", b.date(u.PeriodEnd))
			}
			if pd := u.ProjectDisplayName(); pd != "" {
				head += " — " + pd
			}
			t.para(head + ":")
			for _, f := range []struct{ label, v string }{
				{l.T("narrative.compile.achievements"), u.Achievements},
				{l.T("narrative.compile.challenges"), u.Challenges},
				{l.T("narrative.compile.changesToPlans"), u.ChangesToPlans},
				{l.T("narrative.compile.lessonsLearned"), u.LessonsLearned},
				{l.T("narrative.compile.nextSteps"), u.NextSteps},
			} {
				if strings.TrimSpace(f.v) == "" {
					continue
				}
				t.para(f.label + ":")
				t.para(f.v)
			}
			sources = append(sources, updateSource(u))
		}
		b.add(partnerKey(org), SectionPartner, org, t, sources)
	}
}

func (b *builder) cooperation() {
	l, d := b.loc, b.r.Description
	t := &text{}
	var names []string
	for _, p := range d.Partners {
		n := p.DisplayName
		if c := b.country(p.CountryCode); c != "" {
			n += " (" + c + ")"
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		t.para(l.T("narrative.compile.cooperationAlone", "Coordinator", d.Coordinator.DisplayName))
	} else {
		t.para(l.T("narrative.compile.cooperation", "Coordinator", d.Coordinator.DisplayName, "Partners", strings.Join(names, "; ")))
	}
	b.add("cooperation", SectionCooperation, "", t, nil)
}

func (b *builder) visibility() {
	l := b.loc
	t := &text{}
	var items []string
	var sources []Source
	for _, a := range b.inPeriod {
		if a.Type != activity.TypePublication && a.Type != activity.TypeCampaign {
			continue
		}
		item := b.date(a.StartDate) + ": " + a.Title
		if a.Place != "" {
			item += ", " + a.Place
		}
		items = append(items, item)
		sources = append(sources, b.activitySource(a))
	}
	if len(items) == 0 {
		t.para(l.T("narrative.compile.visibilityNone"))
	}
	t.list(l.T("narrative.compile.visibilityIntro"), items)
	b.add("visibility", SectionVisibility, "", t, sources)
}

func (b *builder) records() {
	l := b.loc
	t := &text{}
	lead := b.r.Description.Coordinator.DisplayName
	if addr := oneLine(b.leadAddress); addr != "" {
		t.para(l.T("narrative.compile.records", "Coordinator", lead, "Address", addr))
	} else {
		t.para(l.T("narrative.compile.recordsNoAddress", "Coordinator", lead))
	}
	b.add("records", SectionRecords, "", t, nil)
}
