package demo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/results"
)

// The demo's disaggregation categories; the activity log's age groups are
// the same, so its figures and the indicators' read alike.
var (
	demoSexes     = []string{"women", "men", "other_or_not_stated"}
	demoAgeGroups = []string{"15-24", "25-44", "45+"}
)

// resultsData is the part of a project's logframe that differs by project.
type resultsData struct {
	objective string // the overall objective
	trained   string // who is trained (IND-1's title)
	casework  string // the casework output (OP1.2)
	dialogue  string // the authority or employer negotiated with (OP2.1)
}

var resultsByProject = map[string]resultsData{
	"KE-01": {"Domestic workers in Kenya enjoy decent working conditions and social protection",
		"Domestic workers trained on their rights", "Hotline and legal aid for live-in domestic workers",
		"Collective agreement negotiated with employment agencies"},
	"NP-01": {"Nepali migrant workers migrate safely and fairly",
		"Prospective migrants given pre-departure orientation", "Support to returnee migrant workers and fee claims",
		"Recruitment-fee monitoring agreed with the Department of Foreign Employment"},
	"PH-01": {"Filipino seafarers' rights are respected at sea and ashore",
		"Seafarers trained on their rights", "Wage-claim assistance for seafarers",
		"Port welfare protocol agreed with the port authority"},
	"SN-01": {"Women street vendors in Thiès earn a decent and secure living",
		"Women vendors trained in negotiation and savings", "Social protection enrolment support",
		"Market-space agreement negotiated with the municipality"},
	"BR-01": {"Platform workers in the Northeast work safely and are organised",
		"Delivery riders trained on occupational safety and rights", "Legal support and strategic litigation",
		"Safety standards negotiated with delivery platforms"},
	"BO-01": {"Domestic workers in Bolivia enjoy the rights of ILO Convention 189",
		"Domestic workers trained on C189 and their contracts", "Contract registration and social security affiliation",
		"Contract registration procedure agreed with the Ministry of Labour"},
}

// seedResults gives the demo projects a results framework and an activity
// log: every project has the same indicator codes (IND-1 to IND-5), so a
// grant's roll-up sums the numbers (people trained, cases resolved) and
// lists the percentages, yes/no and qualitative indicators per project.
// Past periods have actual values; one disaggregation (KE-01's age groups
// in period 1) deliberately does not add up, so the mismatch flag shows.
func seedResults(ctx context.Context, d *bun.DB, today calendar.Date, data *Data) error {
	rs := results.NewService(d)
	as := activity.NewService(d)
	grantOf := map[string]int{}
	for k, g := range data.Grants {
		grantOf[g.ID] = k
	}
	for i, p := range projectsData {
		proj := data.Projects[p.code]
		g := data.Grants[grantOf[proj.GrantID]]
		rd := resultsByProject[p.code]
		res := func(level results.Level, parent, code, title, desc string) (string, error) {
			r, err := rs.CreateResult(ctx, proj.ID, results.ResultInput{Level: level, ParentResultID: parent, Code: code, Title: title, Description: desc}, "")
			if err != nil {
				return "", fmt.Errorf("result %s %s: %w", p.code, code, err)
			}
			return r.ID, nil
		}
		oo, err := res(results.LevelOverallObjective, "", "OO", rd.objective, p.description)
		if err != nil {
			return err
		}
		so1, err := res(results.LevelSpecificObjective, oo, "SO1", "Workers know and claim their rights", "")
		if err != nil {
			return err
		}
		so2, err := res(results.LevelSpecificObjective, oo, "SO2", "Employers and authorities adopt fairer practices", "")
		if err != nil {
			return err
		}
		op11, err := res(results.LevelOutput, so1, "OP1.1", "Workers trained on labour rights", "")
		if err != nil {
			return err
		}
		op12, err := res(results.LevelOutput, so1, "OP1.2", rd.casework, "")
		if err != nil {
			return err
		}
		op21, err := res(results.LevelOutput, so2, "OP2.1", rd.dialogue, "")
		if err != nil {
			return err
		}

		// Reporting periods of the grant: those begun by today have actuals
		// (the current one in part).
		started := 0
		for k := 1; k <= 3; k++ {
			if g.StartDate.AddMonths((k - 1) * g.ReportingPeriodMonths).Before(today) {
				started = k
			}
		}
		ended := func(k int) bool {
			return g.StartDate.AddMonths(k * g.ReportingPeriodMonths).AddDays(-1).Before(today)
		}
		base := 120 + 30*i
		var trained, cases, share, adopted []results.Period
		for k := 1; k <= 3; k++ {
			target := base + 40*(k-1)
			pt := results.Period{Period: k, Target: strconv.Itoa(target)}
			pc := results.Period{Period: k, Target: strconv.Itoa(20 + 5*i + 10*k)}
			ps := results.Period{Period: k, Target: strconv.Itoa(40 + 10*k)}
			pa := results.Period{Period: k, Target: map[bool]string{true: "1", false: "0"}[k >= 2]}
			if k <= started {
				actual := target * (85 + 5*((i+k)%4)) / 100
				if !ended(k) {
					actual = target * 2 / 5
				}
				women := actual * 3 / 5
				men := actual / 3
				young, middle := actual/4, actual/2
				pt.Actual = strconv.Itoa(actual)
				old := actual - young - middle
				if p.code == "KE-01" && k == 1 {
					old -= 7 // deliberately short: the roll-up flags it
				}
				pt.DisaggregatedActuals = []results.DisaggregatedValue{
					{Disaggregation: "sex", Category: "women", Value: strconv.Itoa(women)},
					{Disaggregation: "sex", Category: "men", Value: strconv.Itoa(men)},
					{Disaggregation: "sex", Category: "other_or_not_stated", Value: strconv.Itoa(actual - women - men)},
					{Disaggregation: "age group", Category: "15-24", Value: strconv.Itoa(young)},
					{Disaggregation: "age group", Category: "25-44", Value: strconv.Itoa(middle)},
					{Disaggregation: "age group", Category: "45+", Value: strconv.Itoa(old)},
				}
				pc.Actual = strconv.Itoa(15 + 5*i + 8*k)
				ps.Actual = strconv.Itoa(32 + 7*k + (i%3)*4)
				pa.Actual = map[bool]string{true: "1", false: "0"}[k >= 2 && i%2 == 0]
			}
			trained, cases, share, adopted = append(trained, pt), append(cases, pc), append(share, ps), append(adopted, pa)
		}
		ind := func(in results.IndicatorInput) (string, error) {
			x, err := rs.CreateIndicator(ctx, proj.ID, in, "")
			if err != nil {
				return "", fmt.Errorf("indicator %s %s: %w", p.code, in.Code, err)
			}
			return x.ID, nil
		}
		ind1, err := ind(results.IndicatorInput{ResultID: op11, Code: "IND-1", Title: rd.trained, Unit: "people", Type: results.TypeNumber,
			Baseline:        "0",
			Disaggregations: []results.Disaggregation{{Name: "sex", Categories: demoSexes}, {Name: "age group", Categories: demoAgeGroups}},
			Periods:         trained})
		if err != nil {
			return err
		}
		ind2, err := ind(results.IndicatorInput{ResultID: op12, Code: "IND-2", Title: "Rights violations resolved with the project's support",
			Unit: "cases", Type: results.TypeNumber, Baseline: "0", Periods: cases})
		if err != nil {
			return err
		}
		if _, err := ind(results.IndicatorInput{ResultID: so1, Code: "IND-3", Title: "Share of trained workers reporting better working conditions",
			Unit: "%", Type: results.TypePercentage, Baseline: "30", Periods: share}); err != nil {
			return err
		}
		if _, err := ind(results.IndicatorInput{ResultID: op21, Code: "IND-4", Title: rd.dialogue, Unit: "agreement",
			Type: results.TypeYesNo, Baseline: "0", Periods: adopted}); err != nil {
			return err
		}
		var quality []results.Period
		for k := 1; k <= 3; k++ {
			q := results.Period{Period: k, Target: "Regular dialogue with a written record of commitments"}
			if k <= started {
				q.Actual = []string{"First meetings held; authorities listened but made no commitment",
					"Quarterly meetings; two commitments recorded in minutes",
					"Joint working group set up"}[k-1]
			}
			quality = append(quality, q)
		}
		if _, err := ind(results.IndicatorInput{ResultID: so2, Code: "IND-5", Title: "Quality of social dialogue with authorities and employers",
			Type: results.TypeQualitative, Baseline: "No regular dialogue", Periods: quality}); err != nil {
			return err
		}

		// The activity log: six activities over the last months.
		country := p.countries[0]
		kinds := []struct {
			t              activity.Type
			title, place   string
			outputs, inds  []string
			size, youngPct int
		}{
			{activity.TypeTraining, "Know-your-rights training", "Union office", []string{op11}, []string{ind1}, 28, 30},
			{activity.TypeWorkshop, "Workshop on documenting rights violations", "Community hall", []string{op12}, []string{ind2}, 18, 20},
			{activity.TypeCampaign, "Awareness campaign in markets and bus stations", "City centre", []string{op11}, nil, 140, 40},
			{activity.TypeAdvocacyMeeting, "Meeting with labour officials", "Ministry of Labour regional office", []string{op21}, nil, 9, 0},
			{activity.TypeTraining, "Training of peer educators", "Union office", []string{op11}, []string{ind1}, 22, 35},
			{activity.TypeResearch, "Survey of working conditions", "Several districts", []string{op12}, nil, 60, 25},
		}
		for k, a := range kinds {
			start := today.AddDays(-(10 + 19*k + 2*i))
			end := start
			if a.t == activity.TypeTraining || a.t == activity.TypeCampaign {
				end = start.AddDays(1 + k%2)
			}
			total := a.size + 2*i
			women := total * 3 / 5
			men := total - women - k%2
			young := total * a.youngPct / 100
			middle := (total - young) * 2 / 3
			if _, err := as.Create(ctx, proj.ID, activity.Input{
				Title: a.title, Type: a.t, StartDate: start.String(), EndDate: end.String(),
				CountryCode: country, Place: a.place,
				Women: women, Men: men, Other: total - women - men,
				ParticipantsByAge: []activity.AgeGroup{{AgeGroup: "15-24", Count: young}, {AgeGroup: "25-44", Count: middle},
					{AgeGroup: "45+", Count: total - young - middle}},
				Description: fmt.Sprintf("%s with %d participants, organised by the project team.", a.title, total),
				OutputIDs:   a.outputs, IndicatorIDs: a.inds,
			}, ""); err != nil {
				return fmt.Errorf("activity %s %q: %w", p.code, a.title, err)
			}
		}
	}
	return nil
}
