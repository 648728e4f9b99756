package progress

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/activity"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/results"
)

// Suggestion is a value for an indicator that counts people, added up from
// the participants of the activities logged in an update's period. The
// partner confirms or corrects it; nothing is written until they do.
type Suggestion struct {
	IndicatorID         string
	Women, Men, Other   int
	ByAge               []activity.AgeGroup // over the activities logged with an age breakdown
	WithoutAge          int                 // participants of activities logged without one
	DisaggregatedValues []results.DisaggregatedValue
	ActivityIDs         []string
	Linked              bool // from the activities linked to the indicator
}

// Total is the number of participants.
func (s Suggestion) Total() int { return s.Women + s.Men + s.Other }

// peopleUnits are the words of an indicator's unit that say it counts
// people, in the four languages of Pactum.
var peopleUnits = map[string]bool{
	"people": true, "persons": true, "person": true, "participants": true, "participant": true,
	"individuals": true, "beneficiaries": true, "members": true, "workers": true, "women": true, "men": true,
	"trainees": true, "attendees": true,
	"personnes": true, "personne": true, "participantes": true, "participante": true, "bénéficiaires": true,
	"membres": true, "travailleurs": true, "travailleuses": true, "femmes": true, "hommes": true,
	"personas": true, "beneficiarios": true, "beneficiarias": true, "miembros": true, "trabajadores": true,
	"trabajadoras": true, "mujeres": true, "hombres": true,
	"pessoas": true, "beneficiários": true, "beneficiárias": true, "membros": true, "trabalhadores": true,
	"trabalhadoras": true, "mulheres": true, "homens": true,
}

// CountsPeople reports whether an indicator's unit says it counts people
// ("people trained", "personnes formées", "participantes").
func CountsPeople(unit string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(unit), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if peopleUnits[w] {
			return true
		}
	}
	return false
}

// sexOf maps a disaggregation category to "women", "men" or "other", or ""
// when it names none of them.
func sexOf(category string) string {
	switch strings.Join(strings.FieldsFunc(strings.ToLower(category), func(r rune) bool { return !unicode.IsLetter(r) }), " ") {
	case "women", "woman", "female", "females", "f", "girls", "women and girls",
		"femmes", "femme", "mujeres", "mujer", "mulheres", "mulher":
		return "women"
	case "men", "man", "male", "males", "m", "boys", "men and boys",
		"hommes", "homme", "hombres", "hombre", "homens", "homem":
		return "men"
	case "other or not stated", "other", "not stated", "other not stated", "unknown", "autre", "autres",
		"autre ou non précisé", "otro", "otros", "otro o no indicado", "outro", "outros", "outro ou não informado":
		return "other"
	}
	return ""
}

// ageKey normalises an age group label for matching ("15 – 24" = "15-24").
func ageKey(s string) string {
	s = strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(strings.ToLower(s))
	return s
}

// suggestions computes the suggested values of update u's indicators that
// count people from the activities of its project that start in its period.
func suggestions(ctx context.Context, idb bun.IDB, u *Update, inds map[string]*results.Indicator) ([]Suggestion, error) {
	if u.ProjectID == "" || u.PeriodStart.IsZero() || u.PeriodEnd.IsZero() || len(inds) == 0 {
		return nil, nil
	}
	var acts []*activity.Activity
	if err := idb.NewSelect().Model(&acts).Where("a.project_id = ?", u.ProjectID).
		Where("a.start_date >= ? AND a.start_date <= ?", u.PeriodStart, u.PeriodEnd).
		OrderExpr("a.start_date, a.id").Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	if len(acts) == 0 {
		return nil, nil
	}
	// Indicators any activity of the project is linked to, whatever its date.
	var all []*activity.Activity
	if err := idb.NewSelect().Model(&all).Column("a.id", "a.indicator_ids").Where("a.project_id = ?", u.ProjectID).Scan(ctx); err != nil {
		return nil, db.Err(err)
	}
	var linkedEver []string
	for _, a := range all {
		linkedEver = append(linkedEver, a.IndicatorIDs...)
	}
	ids := make([]string, 0, len(inds))
	for id := range inds {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return strings.Compare(inds[a].Code+"\x00"+inds[a].Title+"\x00"+a, inds[b].Code+"\x00"+inds[b].Title+"\x00"+b)
	})
	var out []Suggestion
	for _, id := range ids {
		ind := inds[id]
		if ind.Type != results.TypeNumber {
			continue
		}
		var chosen []*activity.Activity
		for _, a := range acts {
			if slices.Contains(a.IndicatorIDs, id) {
				chosen = append(chosen, a)
			}
		}
		linked := len(chosen) > 0
		if !linked {
			if !CountsPeople(ind.Unit) || slices.Contains(linkedEver, id) {
				continue
			}
			chosen = acts
		}
		s := Suggestion{IndicatorID: id, Linked: linked}
		ageAt := map[string]int{}
		for _, a := range chosen {
			s.ActivityIDs = append(s.ActivityIDs, a.ID)
			s.Women += a.Women
			s.Men += a.Men
			s.Other += a.OtherOrNotStated
			if len(a.ParticipantsByAge) == 0 {
				s.WithoutAge += a.Participants()
				continue
			}
			for _, g := range a.ParticipantsByAge {
				k, ok := ageAt[ageKey(g.AgeGroup)]
				if !ok {
					k = len(s.ByAge)
					ageAt[ageKey(g.AgeGroup)] = k
					s.ByAge = append(s.ByAge, activity.AgeGroup{AgeGroup: g.AgeGroup})
				}
				s.ByAge[k].Count += g.Count
			}
		}
		if s.Total() == 0 {
			continue
		}
		s.DisaggregatedValues = disaggregate(ind, s, ageAt)
		out = append(out, s)
	}
	return out, nil
}

// disaggregate breaks suggestion s down by those of the indicator's
// disaggregations that are by sex (their categories name women and men) or
// by age group (their categories are the activities' age groups, and every
// participant was counted by age).
func disaggregate(ind *results.Indicator, s Suggestion, ageAt map[string]int) []results.DisaggregatedValue {
	var out []results.DisaggregatedValue
	bySex := map[string]int{"women": s.Women, "men": s.Men, "other": s.Other}
	for _, d := range ind.Disaggregations {
		var sexes, ages []results.DisaggregatedValue
		seen := map[string]bool{}
		covered := 0
		for _, c := range d.Categories {
			if x := sexOf(c); x != "" && !seen[x] {
				seen[x] = true
				sexes = append(sexes, results.DisaggregatedValue{Disaggregation: d.Name, Category: c, Value: strconv.Itoa(bySex[x])})
			}
			if k, ok := ageAt[ageKey(c)]; ok {
				covered += s.ByAge[k].Count
				ages = append(ages, results.DisaggregatedValue{Disaggregation: d.Name, Category: c, Value: strconv.Itoa(s.ByAge[k].Count)})
			}
		}
		switch {
		case seen["women"] && seen["men"] && (seen["other"] || s.Other == 0):
			out = append(out, sexes...)
		case len(ages) > 0 && s.WithoutAge == 0 && covered == s.Total():
			out = append(out, ages...)
		}
	}
	return out
}
