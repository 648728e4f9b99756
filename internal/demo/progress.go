package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/milestone"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/progress"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// progressPlan is what the demo does with a project's first progress update.
type progressPlan struct {
	project string
	quarter int      // 1 or 2: which of the project's two progress milestones
	steps   []string // "submit", "return", "approve"
	comment string   // the coordinator's comment on returning or approving
}

// progressPlans: an update at each step of the review, none of them UDWU's
// (KE-01's updates are left to be written in the browser test). The
// approved and the submitted one are of the second quarter, handed in
// early: the first quarter's milestones stay open (a returned update's
// milestone is open again), due within the month.
var progressPlans = []progressPlan{
	{project: "NP-01", quarter: 2, steps: []string{"submit", "approve"}, comment: "Thank you: clear and complete."},
	{project: "PH-01", quarter: 2, steps: []string{"submit"}},
	{project: "SN-01", quarter: 1, steps: []string{"submit", "return"},
		comment: "Please add how many women enrolled in social protection this quarter, and attach the attendance lists of the savings groups."},
	{project: "BR-01", quarter: 1}, // a draft
	// The first grant's narrative report of the period has an update of
	// each kind to leave out: a returned one and a draft.
	{project: "PH-01", quarter: 1, steps: []string{"submit", "return"},
		comment: "Please give the number of wage claims filed, not only those won."},
	{project: "NP-01", quarter: 1}, // a draft
}

// planTexts are what each update says of its own work (achievements and
// changes to plans), so that a report can tell them apart.
var planTexts = map[[2]any][2]string{
	{"NP-01", 2}: {"Pre-departure orientation reached 412 prospective migrants in Kathmandu and Biratnagar; the recruitment-fee monitoring desk logged 37 complaints against agencies.",
		"The returnee support group meets in Biratnagar instead of Kathmandu, where most returnees live."},
	{"PH-01", 2}: {"Port welfare teams visited 64 vessels in Manila and Cebu; 19 wage claims were filed for Filipino seafarers.",
		"Visits in Cebu move to weekends, when crews are allowed ashore."},
	{"SN-01", 1}: {"Twelve savings groups of women vendors in Thiès meet every week; the municipality agreed to discuss market space.",
		"The enrolment drive waits for the new social protection forms."},
	{"BR-01", 1}: {"Delivery riders in Recife held their first assembly; a safety campaign is being prepared with the riders' association.",
		"The litigation strategy is reviewed with the new legal adviser."},
	{"PH-01", 1}: {"Draft note: seafarers' centre in Batangas opened, figures still to be checked with the port chaplaincy.",
		"Crew lists to be obtained from the manning agencies before the next visits."},
	{"NP-01", 1}: {"Unfinished draft: orientation sessions in Pokhara, numbers to come from the district office.",
		"To be completed after the district coordination meeting."},
}

// demoNarrative is what the demo's updates say.
var demoNarrative = progress.Input{
	Achievements: "Two training cycles completed as planned; the peer educators now run sessions on their own. " +
		"A first meeting with the labour authorities took place.",
	Challenges:     "Heavy rains cancelled one session; some participants could not attend because their employers refused time off.",
	ChangesToPlans: "The remaining session moves to evenings and weekends.",
	LessonsLearned: "Sessions held near bus stations reach more workers than those at the union office.",
	NextSteps:      "Follow-up meeting with the authorities; second round of the working-conditions survey.",
}

// seedProgress gives the demo some progress updates at each step of their
// review: approved (its indicator values the period's actuals as seeded),
// submitted and awaiting review, returned with a comment, and a draft.
// Every UDWU milestone is left without an update.
func seedProgress(ctx context.Context, d *bun.DB, today calendar.Date, data *Data) error {
	svc := progress.NewService(d)
	// A clock a few days back, moving a minute at each step: the steps are
	// ordered, and done before the milestones' due dates.
	t0 := today.AddDays(-3).Time().Add(9 * time.Hour)
	step := 0
	svc.SetClock(func() time.Time { step++; return t0.Add(time.Duration(step) * time.Minute) })
	ms := milestone.NewService(d)
	ms.SetClock(today.Time)
	for _, plan := range progressPlans {
		proj := data.Projects[plan.project]
		if proj == nil || data.Organisations["UDWU"] == nil {
			continue
		}
		list, _, err := ms.List(ctx, milestone.Filter{ProjectID: proj.ID, Kind: milestone.KindPartnerProgressUpdate}, pageAll)
		if err != nil {
			return err
		}
		// The demo's own milestone of that quarter (the grant's schedule
		// adds others, e.g. the associated lead's, between them).
		var m *milestone.Milestone
		for _, x := range list {
			if strings.HasSuffix(x.Title, fmt.Sprintf(", quarter %d", plan.quarter)) {
				m = x
			}
		}
		if m == nil || m.ResponsibleOrganisationID == data.Organisations["UDWU"].ID {
			continue
		}
		u, err := svc.Create(ctx, m.ID, "")
		if err != nil {
			return fmt.Errorf("progress update %s: %w", plan.project, err)
		}
		in := demoNarrative
		if t, ok := planTexts[[2]any{plan.project, plan.quarter}]; ok {
			in.Achievements = t[0] + " " + in.Achievements
			in.ChangesToPlans = t[1]
		}
		if in.IndicatorValues, err = demoValues(ctx, d, proj.ID, u.ReportingPeriod); err != nil {
			return err
		}
		if in.Activities, err = demoActivities(ctx, d, proj.ID); err != nil {
			return err
		}
		if u, err = svc.Update(ctx, u.ID, in, resource.Mask(progress.Updatable), u.ETag()); err != nil {
			return fmt.Errorf("progress update %s: %w", plan.project, err)
		}
		for _, s := range plan.steps {
			switch s {
			case "submit":
				u, err = svc.Submit(ctx, u.ID, u.ETag(), "")
			case "return":
				u, err = svc.Return(ctx, u.ID, u.ETag(), plan.comment)
			case "approve":
				u, err = svc.Approve(ctx, u.ID, u.ETag(), plan.comment)
			}
			if err != nil {
				return fmt.Errorf("progress update %s, %s: %w", plan.project, s, err)
			}
		}
	}
	return nil
}

// demoValues reports, for each indicator of project projectID with an
// achieved value in period, that value and its breakdown: an approved update
// then leaves the period's figures as seeded. No indicators, no values.
func demoValues(ctx context.Context, d *bun.DB, projectID string, period int) ([]progress.ValueInput, error) {
	var inds []*results.Indicator
	if err := d.NewSelect().Model(&inds).Where("i.project_id = ?", projectID).OrderExpr("i.code, i.id").Scan(ctx); err != nil {
		return nil, err
	}
	var out []progress.ValueInput
	for _, ind := range inds {
		for _, p := range ind.Periods {
			if p.Period != period || p.Actual == "" {
				continue
			}
			out = append(out, progress.ValueInput{Indicator: ind.Name(), Value: p.Actual, DisaggregatedValues: p.DisaggregatedActuals,
				Evidence: "Attendance lists and the project's monitoring sheet"})
		}
	}
	return out, nil
}

// demoActivities picks up to three of the project's logged activities.
func demoActivities(ctx context.Context, d *bun.DB, projectID string) ([]string, error) {
	list, _, _, err := activity.NewService(d).List(ctx, activity.Filter{ProjectID: projectID}, page.Request{Size: 3})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range list {
		out = append(out, a.Name())
	}
	return out, nil
}
