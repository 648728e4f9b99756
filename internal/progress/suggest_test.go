package progress

import "testing"

// Which indicators count people, by their unit in Pactum's four languages,
// and which disaggregation categories name women, men and others.
func TestCountsPeopleAndSexOf(t *testing.T) {
	for unit, want := range map[string]bool{
		"people": true, "people trained": true, "Personnes formées": true, "participantes": true, "pessoas": true,
		"beneficiaries (women)": true, "cases": false, "%": false, "agreement": false, "": false, "peoples' assemblies": false,
	} {
		if got := CountsPeople(unit); got != want {
			t.Errorf("CountsPeople(%q) = %v, want %v", unit, got, want)
		}
	}
	for category, want := range map[string]string{
		"women": "women", "Female": "women", "Femmes": "women", "mulheres": "women", "men": "men", "Hombres": "men",
		"other_or_not_stated": "other", "Other or not stated": "other", "15-24": "", "youth": "",
	} {
		if got := sexOf(category); got != want {
			t.Errorf("sexOf(%q) = %q, want %q", category, got, want)
		}
	}
}
