package activity

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
	"github.com/pactum-dev/pactum/internal/results"
)

// Who may do what is decided by internal/policy (see policy/results.go):
//   - Read: activities of the projects in policy.ProjectRecords, in SQL.
//   - Create, update: policy.CanLogActivities (the grant's coordinators, and
//     partner editors of an organisation taking part in the project).

// Service manages activity logs. Its exported methods own their
// transactions, act for the caller in their context and write an audit
// event with every change, in the same transaction.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC() }}
}

func visible(ctx context.Context) policy.Cond {
	return policy.ProjectRecords(actor.From(ctx), "a.project_id", "a.grant_id")
}

func get(ctx context.Context, idb bun.IDB, projectID, id string) (*Activity, error) {
	a := new(Activity)
	err := policy.Where(idb.NewSelect().Model(a).Where("a.id = ? AND a.project_id = ?", id, projectID), visible(ctx)).Scan(ctx)
	if err != nil {
		return nil, db.Err(err, db.NotFound(Name(projectID, id)))
	}
	return a, nil
}

func authorise(ctx context.Context, p *results.ProjectInfo) error {
	if policy.CanLogActivities(actor.From(ctx), p.GrantID, p.LeadOrgID, p.Participants) {
		return nil
	}
	return policy.Denied("the activities of " + resource.Name(resource.Projects, p.ID))
}

// Filter narrows List. Empty fields do not filter.
type Filter struct {
	ProjectID   string // "" for every project the caller may read
	GrantID     string
	CountryCode string
	Type        Type
	From, To    string // the period, "YYYY-MM-DD": activities overlapping it
	NewestFirst bool   // by start date, latest first (default: earliest first)
}

// Totals adds up the activities that match a filter.
type Totals struct {
	Activities, Women, Men, OtherOrNotStated int
	// ByAge adds up the participants by age group, in the order the groups
	// first appear (by start date); NotByAge counts the participants of the
	// activities logged without an age breakdown.
	ByAge    []AgeGroup
	NotByAge int
}

// List returns a page of the activities the caller may read that match f, by
// start date, the next page's token, and the totals over every matching
// activity. Errors: not found (a project hidden from the caller), invalid
// (type, dates, page size or token).
func (s *Service) List(ctx context.Context, f Filter, p page.Request) ([]*Activity, string, Totals, error) {
	var v errs.Violations
	if f.Type != "" && !f.Type.valid() {
		v.Add("type", "%q is not an activity type", f.Type)
	}
	for _, d := range []struct{ field, s string }{{"start_date", f.From}, {"end_date", f.To}} {
		if d.s != "" {
			if _, err := calendar.Parse(d.s); err != nil {
				v.Add(d.field, "%s", err.Error())
			}
		}
	}
	cur, err := page.Open(p, f.ProjectID, f.GrantID, f.CountryCode, string(f.Type), f.From, f.To, strconv.FormatBool(f.NewestFirst))
	if err != nil {
		if e := (*errs.Error)(nil); errors.As(err, &e) && e.Kind == errs.KindInvalid {
			v = append(v, e.Violations...)
		} else {
			return nil, "", Totals{}, err
		}
	}
	if err := v.Err(); err != nil {
		return nil, "", Totals{}, err
	}
	if f.ProjectID != "" {
		if _, err := results.VisibleProject(ctx, s.db, f.ProjectID); err != nil {
			return nil, "", Totals{}, err
		}
	}
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = policy.Where(q, visible(ctx))
		if f.ProjectID != "" {
			q = q.Where("a.project_id = ?", f.ProjectID)
		}
		if f.GrantID != "" {
			q = q.Where("a.grant_id = ?", f.GrantID)
		}
		if f.CountryCode != "" {
			q = q.Where("a.country_code = ?", strings.ToUpper(f.CountryCode))
		}
		if f.Type != "" {
			q = q.Where("a.type = ?", f.Type)
		}
		if f.From != "" {
			q = q.Where("a.end_date >= ?", f.From)
		}
		if f.To != "" {
			q = q.Where("a.start_date <= ?", f.To)
		}
		return q
	}
	var t Totals
	err = filter(s.db.NewSelect().TableExpr("activities AS a")).
		ColumnExpr("COUNT(*), COALESCE(SUM(a.women), 0), COALESCE(SUM(a.men), 0), COALESCE(SUM(a.other_or_not_stated), 0)").
		Scan(ctx, &t.Activities, &t.Women, &t.Men, &t.OtherOrNotStated)
	if err != nil {
		return nil, "", Totals{}, db.Err(err)
	}
	if err := s.ageTotals(ctx, filter, &t); err != nil {
		return nil, "", Totals{}, err
	}
	var out []*Activity
	q := filter(s.db.NewSelect().Model(&out))
	if f.NewestFirst {
		q = cur.ApplyDesc(q, "a.start_date", "a.id")
	} else {
		q = cur.Apply(q, "a.start_date", "a.id")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, "", Totals{}, db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		next = cur.Next(true, last.StartDate.String(), last.ID)
	}
	if err := withAttachments(ctx, s.db, out...); err != nil {
		return nil, "", Totals{}, err
	}
	return out, next, t, nil
}

// ageTotals adds up the age groups of every activity filter selects into
// t. The breakdowns are JSON lists, added up here rather than in SQL (the
// same code on SQLite and PostgreSQL); only that column and the totals are
// read.
func (s *Service) ageTotals(ctx context.Context, filter func(*bun.SelectQuery) *bun.SelectQuery, t *Totals) error {
	var rows []struct {
		Ages  []AgeGroup `bun:"participants_by_age,type:text"`
		Total int        `bun:"total"`
	}
	err := filter(s.db.NewSelect().TableExpr("activities AS a")).
		ColumnExpr("a.participants_by_age, a.women + a.men + a.other_or_not_stated AS total").
		OrderExpr("a.start_date, a.id").Scan(ctx, &rows)
	if err != nil {
		return db.Err(err)
	}
	at := map[string]int{}
	for _, r := range rows {
		if len(r.Ages) == 0 {
			t.NotByAge += r.Total
			continue
		}
		for _, g := range r.Ages {
			k, seen := at[g.AgeGroup]
			if !seen {
				k = len(t.ByAge)
				at[g.AgeGroup] = k
				t.ByAge = append(t.ByAge, AgeGroup{AgeGroup: g.AgeGroup})
			}
			t.ByAge[k].Count += g.Count
		}
	}
	return nil
}

// Get returns an activity the caller may read, with its attachments.
// Errors: not found.
func (s *Service) Get(ctx context.Context, projectID, id string) (*Activity, error) {
	a, err := get(ctx, s.db, projectID, id)
	if err != nil {
		return nil, err
	}
	if err := withAttachments(ctx, s.db, a); err != nil {
		return nil, err
	}
	return a, nil
}

// checkReferences checks that the outputs and indicators a serves belong to
// its project (outputs: results of level output).
func checkReferences(ctx context.Context, tx bun.IDB, a *Activity, v *errs.Violations) error {
	for k, id := range a.OutputIDs {
		n, err := tx.NewSelect().Table("results").Where("id = ? AND project_id = ? AND level = ?", id, a.ProjectID, results.LevelOutput).Count(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n == 0 {
			v.Add("outputs["+strconv.Itoa(k)+"]", "%s is not an output of this project", results.ResultName(a.ProjectID, id))
		}
	}
	for k, id := range a.IndicatorIDs {
		n, err := tx.NewSelect().Table("indicators").Where("id = ? AND project_id = ?", id, a.ProjectID).Count(ctx)
		if err != nil {
			return db.Err(err)
		}
		if n == 0 {
			v.Add("indicators["+strconv.Itoa(k)+"]", "%s is not an indicator of this project", results.IndicatorName(a.ProjectID, id))
		}
	}
	return nil
}

// Create logs an activity of project projectID, for a caller who may log its
// activities. A retry with the same requestID returns the first activity.
// Errors: not found (project), permission, invalid (naming the field).
func (s *Service) Create(ctx context.Context, projectID string, in Input, requestID string) (*Activity, error) {
	a := new(Activity)
	var checked errs.Violations
	a.apply(in, resource.Mask(Updatable), &checked)
	a.normalise(&checked)
	now := s.now()
	a.ID, a.ProjectID, a.Version, a.CreateTime, a.UpdateTime = resource.NewID(), projectID, 1, now, now
	var out *Activity
	err := idem.Create(ctx, s.db, "CreateActivity", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			prev, err := get(ctx, tx, projectID, name[strings.LastIndex(name, "/")+1:])
			out = prev
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			p, err := results.VisibleProject(ctx, tx, projectID)
			if err != nil {
				return "", err
			}
			if err := authorise(ctx, p); err != nil {
				return "", err
			}
			a.GrantID = p.GrantID
			v := append(errs.Violations(nil), checked...)
			if err := checkReferences(ctx, tx, a, &v); err != nil {
				return "", err
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
				return "", writeErr(err)
			}
			if err := record(ctx, tx, "create", a, audit.Diff(tx, nil, a)); err != nil {
				return "", err
			}
			out = a
			return a.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Update changes the fields named in mask (see Updatable), for a caller who
// may log the project's activities. etag is required and must be current:
// an activity is logged by several people of the partner and the
// coordinator, and a change made unseen must not be overwritten. Errors: not
// found, permission, invalid (also a missing etag, field "etag"), aborted
// (stale etag).
func (s *Service) Update(ctx context.Context, projectID, id string, in Input, mask resource.Mask, etag string) (*Activity, error) {
	var out *Activity
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := get(ctx, tx, projectID, id)
		if err != nil {
			return err
		}
		p, err := results.VisibleProject(ctx, tx, projectID)
		if err != nil {
			return err
		}
		if err := authorise(ctx, p); err != nil {
			return err
		}
		if err := resource.RequireETag(a.Name(), etag, a.Version); err != nil {
			return err
		}
		before := *a
		var v errs.Violations
		a.apply(in, mask, &v)
		a.normalise(&v)
		if err := checkReferences(ctx, tx, a, &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		prev := a.Version
		a.Version++
		a.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(a).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return writeErr(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(a.Name())
		}
		out = a
		if err := record(ctx, tx, "update", a, audit.Diff(tx, &before, a)); err != nil {
			return err
		}
		return withAttachments(ctx, tx, a)
	})
	return out, err
}

func record(ctx context.Context, tx bun.IDB, action string, a *Activity, changes []audit.Change) error {
	return audit.Record(ctx, tx, audit.Entry{Action: action, Resource: a.Name(), GrantID: a.GrantID, Changes: changes})
}

func writeErr(err error) error {
	return db.Err(err, db.ForeignKey(errs.Precondition("REFERENCE_DELETED", "the project was deleted meanwhile; read it again and retry")))
}
