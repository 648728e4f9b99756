package grant

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/rules"
)

func TestIndirectCostRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		f := setup(t, d)

		// Unset: no flat rate.
		none, err := f.svc.Create(ctx, f.input(), "")
		if err != nil {
			t.Fatal(err)
		}
		if none.IndirectCostRateBP != 0 || none.Input().IndirectCostRate != "0" {
			t.Fatalf("unset rate stored as %d (%q)", none.IndirectCostRateBP, none.Input().IndirectCostRate)
		}

		// Set, stored and read back.
		in := f.input()
		in.DonorReference, in.IndirectCostRate = "CSO-LA/2024/123-457", " 6.5 "
		g, err := f.svc.Create(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IndirectCostRateBP != 650 || got.Input().IndirectCostRate != "6.5" {
			t.Fatalf("stored rate %d (%q), want 650", got.IndirectCostRateBP, got.Input().IndirectCostRate)
		}

		// Refused on create, naming the field and the valid range.
		for rate, says := range map[string]string{
			"7.01":  "from 0 to 7 percent",
			"12":    "from 0 to 7 percent",
			"-1":    "not a percentage",
			"seven": "not a percentage",
			"6.555": "more than two decimals",
		} {
			in := f.input()
			in.DonorReference, in.IndirectCostRate = "CSO-LA/2024/999-"+rate, rate
			_, err := f.svc.Create(ctx, in, "")
			if desc := violation(t, err, "indirect_cost_rate"); !strings.Contains(desc, says) {
				t.Errorf("rate %q: %q does not say %q", rate, desc, says)
			}
		}

		// The cap is the grant's rule set's: at 7% by default, exactly 7 is fine.
		u, err := f.svc.Update(ctx, g.ID, Input{IndirectCostRate: "7"}, resource.Mask{"indirect_cost_rate"}, got.ETag())
		if err != nil {
			t.Fatal(err)
		}
		if u.IndirectCostRateBP != 700 || u.Version != got.Version+1 || u.CoFinancingRateBP != 9000 {
			t.Fatalf("after update %+v", u)
		}
		var changes string
		if err := d.NewRaw("SELECT changes FROM audit_events WHERE resource = ? AND action = 'update' ORDER BY seq DESC LIMIT 1", u.Name()).
			Scan(ctx, &changes); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(changes, "indirect_cost_rate_bp") || !strings.Contains(changes, "650") || !strings.Contains(changes, "700") {
			t.Fatalf("audit changes %s do not record the rate from 650 to 700", changes)
		}

		// A rule set with a 5% cap holds the grant to 5%.
		r, err := rules.Load(ctx, d, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		r.IndirectCapBP = 500
		if err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return rules.Save(ctx, tx, r, time.Now().UTC())
		}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Update(ctx, g.ID, Input{IndirectCostRate: "6"}, resource.Mask{"indirect_cost_rate"}, u.ETag())
		if desc := violation(t, err, "indirect_cost_rate"); !strings.Contains(desc, "from 0 to 5 percent") || !strings.Contains(desc, "got 6") {
			t.Fatalf("above the rule set's cap: %q", desc)
		}
		u, err = f.svc.Update(ctx, g.ID, Input{IndirectCostRate: "4.75"}, resource.Mask{"indirect_cost_rate"}, u.ETag())
		if err != nil || u.IndirectCostRateBP != 475 {
			t.Fatalf("within the cap: %v, %+v", err, u)
		}
		// A change of another field keeps the rate.
		u, err = f.svc.Update(ctx, g.ID, Input{Title: "Renamed"}, resource.Mask{"title"}, u.ETag())
		if err != nil || u.IndirectCostRateBP != 475 {
			t.Fatalf("title change: %v, %+v", err, u)
		}
		// Cleared: no flat rate.
		u, err = f.svc.Update(ctx, g.ID, Input{}, resource.Mask{"indirect_cost_rate"}, u.ETag())
		if err != nil || u.IndirectCostRateBP != 0 {
			t.Fatalf("cleared: %v, %+v", err, u)
		}
	})
}
