package milestone

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/calendar"
)

// GrantSchedule is what milestone generation needs to know of a grant. The
// grant package fills it in and calls SyncGenerated, in its own transaction,
// whenever a grant is created or its dates or deadline rules change.
type GrantSchedule struct {
	GrantID            string
	LeadOrganisationID string // responsible for the generated milestones
	Start, End         calendar.Date
	PeriodMonths       int // reporting-period length
	InterimDueDays     int // interim reports due this many days after each period
	FinalDueMonths     int // final reports due this many months after End
	CurrencyCode       string
	MaxContribution    int64 // donor's maximum contribution, minor units of CurrencyCode
}

// SyncGenerated creates, moves or removes the grant's generated milestones so
// that they match s, within tx. Milestones users edited, submitted or
// accepted are kept as they are.
//
// TODO(foundation): implemented by the milestones work; until then it does nothing.
func SyncGenerated(ctx context.Context, tx bun.IDB, s GrantSchedule) error {
	return nil
}
