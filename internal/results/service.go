package results

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/audit"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/idem"
	"github.com/pactum-dev/pactum/internal/page"
	"github.com/pactum-dev/pactum/internal/policy"
	"github.com/pactum-dev/pactum/internal/resource"
)

// Service manages results frameworks. Its exported methods own their
// transactions, act for the caller in their context (see access.go) and
// write an audit event with every change, in the same transaction.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns a Service on d.
func NewService(d *bun.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC() }}
}

// SetClock sets the clock the service reads "now" from (the indicator
// sheet's dates, submissions' times): for tests; call it before use.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func lastID(name string) string { return name[strings.LastIndex(name, "/")+1:] }

// ListResults returns a page of project projectID's results, by code. Errors:
// not found (a project hidden from the caller), invalid (page size, token).
func (s *Service) ListResults(ctx context.Context, projectID string, p page.Request) ([]*Result, string, error) {
	cur, err := page.Open(p, projectID)
	if err != nil {
		return nil, "", err
	}
	if _, err := VisibleProject(ctx, s.db, projectID); err != nil {
		return nil, "", err
	}
	var out []*Result
	q := policy.Where(s.db.NewSelect().Model(&out).Where("r.project_id = ?", projectID), visibleResults(ctx))
	if err := cur.Apply(q, "r.code", "r.id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		next = cur.Next(true, last.Code, last.ID)
	}
	return out, next, nil
}

// GetResult returns a result the caller may read. Errors: not found.
func (s *Service) GetResult(ctx context.Context, projectID, id string) (*Result, error) {
	return getResult(ctx, s.db, projectID, id)
}

// CreateResult adds a result to project projectID, for a caller who may
// manage its grant. A retry with the same requestID returns the first
// result. Errors: not found (project), permission, invalid (naming the field:
// level, parent_result, code, title).
func (s *Service) CreateResult(ctx context.Context, projectID string, in ResultInput, requestID string) (*Result, error) {
	r := new(Result)
	r.apply(in, resource.Mask{"level", "parent_result", "code", "title", "description"})
	var checked errs.Violations
	r.normalise(&checked)
	now := s.now()
	r.ID, r.ProjectID, r.Version, r.CreateTime, r.UpdateTime = resource.NewID(), projectID, 1, now, now
	var out *Result
	err := idem.Create(ctx, s.db, "CreateResult", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			prev, err := getResult(ctx, tx, projectID, lastID(name))
			out = prev
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			p, err := VisibleProject(ctx, tx, projectID)
			if err != nil {
				return "", err
			}
			if err := authorise(ctx, p); err != nil {
				return "", err
			}
			r.GrantID = p.GrantID
			v := append(errs.Violations(nil), checked...)
			if err := checkParent(ctx, tx, r, &v); err != nil {
				return "", err
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
				return "", writeErr(err)
			}
			if err := record(ctx, tx, "create", r.Name(), r.GrantID, audit.Diff(tx, nil, r)); err != nil {
				return "", err
			}
			out = r
			return r.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkParent checks that r's parent result is of the same project and one
// level up (and that an overall objective has none).
func checkParent(ctx context.Context, tx bun.IDB, r *Result, v *errs.Violations) error {
	want := r.Level.parentLevel()
	switch {
	case !r.Level.valid():
		return nil
	case want == "" && r.ParentResultID != "":
		v.Add("parent_result", "must be empty: an overall objective is the top of the framework")
		return nil
	case want == "" && r.ParentResultID == "":
		return nil
	case r.ParentResultID == "":
		v.Add("parent_result", "is required: the %s (projects/{project}/results/{id}) this result contributes to",
			strings.ReplaceAll(string(want), "_", " "))
		return nil
	}
	var level string
	err := tx.NewSelect().Table("results").Column("level").
		Where("id = ? AND project_id = ?", r.ParentResultID, r.ProjectID).Scan(ctx, &level)
	if db.IsNoRows(err) {
		v.Add("parent_result", "%s is not a result of this project", ResultName(r.ProjectID, r.ParentResultID))
		return nil
	}
	if err != nil {
		return db.Err(err)
	}
	if Level(level) != want {
		v.Add("parent_result", "is a %s; a %s contributes to a %s", strings.ReplaceAll(level, "_", " "),
			strings.ReplaceAll(string(r.Level), "_", " "), strings.ReplaceAll(string(want), "_", " "))
	}
	return nil
}

// UpdateResult changes the fields named in mask (see ResultUpdatable), for a
// caller who may manage the grant. etag is required and must be current:
// the results framework is edited by several coordinators, and a change
// made unseen must not be overwritten. Errors: not found, permission,
// invalid (also a missing etag, field "etag"), aborted (stale etag).
func (s *Service) UpdateResult(ctx context.Context, projectID, id string, in ResultInput, mask resource.Mask, etag string) (*Result, error) {
	var out *Result
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, err := getResult(ctx, tx, projectID, id)
		if err != nil {
			return err
		}
		p, err := VisibleProject(ctx, tx, projectID)
		if err != nil {
			return err
		}
		if err := authorise(ctx, p); err != nil {
			return err
		}
		if err := resource.RequireETag(r.Name(), etag, r.Version); err != nil {
			return err
		}
		before := *r
		r.apply(in, mask)
		var v errs.Violations
		r.normalise(&v)
		if err := v.Err(); err != nil {
			return err
		}
		prev := r.Version
		r.Version++
		r.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(r).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return writeErr(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(r.Name())
		}
		out = r
		return record(ctx, tx, "update", r.Name(), r.GrantID, audit.Diff(tx, &before, r))
	})
	return out, err
}

// ListIndicators returns a page of project projectID's indicators, by code.
// Errors: not found (project), invalid (page size, token).
func (s *Service) ListIndicators(ctx context.Context, projectID string, p page.Request) ([]*Indicator, string, error) {
	cur, err := page.Open(p, projectID)
	if err != nil {
		return nil, "", err
	}
	if _, err := VisibleProject(ctx, s.db, projectID); err != nil {
		return nil, "", err
	}
	var out []*Indicator
	q := policy.Where(s.db.NewSelect().Model(&out).Where("i.project_id = ?", projectID), visibleIndicators(ctx))
	if err := cur.Apply(q, "i.code", "i.id").Scan(ctx); err != nil {
		return nil, "", db.Err(err)
	}
	next := ""
	if len(out) > cur.Limit {
		out = out[:cur.Limit]
		last := out[len(out)-1]
		next = cur.Next(true, last.Code, last.ID)
	}
	return out, next, nil
}

// GetIndicator returns an indicator the caller may read. Errors: not found.
func (s *Service) GetIndicator(ctx context.Context, projectID, id string) (*Indicator, error) {
	return getIndicator(ctx, s.db, projectID, id)
}

// checkIndicatorResult checks that i's result is one of its project's.
func checkIndicatorResult(ctx context.Context, tx bun.IDB, i *Indicator, v *errs.Violations) error {
	if i.ResultID == "" {
		return nil
	}
	n, err := tx.NewSelect().Table("results").Where("id = ? AND project_id = ?", i.ResultID, i.ProjectID).Count(ctx)
	if err != nil {
		return db.Err(err)
	}
	if n == 0 {
		v.Add("result", "%s is not a result of this project; give one of its objectives or outputs", ResultName(i.ProjectID, i.ResultID))
	}
	return nil
}

// CreateIndicator adds an indicator to project projectID, for a caller who
// may manage its grant. A retry with the same requestID returns the first
// indicator. Errors: not found (project), permission, invalid (naming the
// field).
func (s *Service) CreateIndicator(ctx context.Context, projectID string, in IndicatorInput, requestID string) (*Indicator, error) {
	i := new(Indicator)
	i.apply(in, resource.Mask(IndicatorUpdatable))
	var checked errs.Violations
	i.normalise(&checked)
	now := s.now()
	i.ID, i.ProjectID, i.Version, i.CreateTime, i.UpdateTime = resource.NewID(), projectID, 1, now, now
	var out *Indicator
	err := idem.Create(ctx, s.db, "CreateIndicator", requestID,
		func(ctx context.Context, tx bun.Tx, name string) error {
			prev, err := getIndicator(ctx, tx, projectID, lastID(name))
			out = prev
			return err
		},
		func(ctx context.Context, tx bun.Tx) (string, error) {
			p, err := VisibleProject(ctx, tx, projectID)
			if err != nil {
				return "", err
			}
			if err := authorise(ctx, p); err != nil {
				return "", err
			}
			i.GrantID = p.GrantID
			v := append(errs.Violations(nil), checked...)
			if err := checkIndicatorResult(ctx, tx, i, &v); err != nil {
				return "", err
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			if _, err := tx.NewInsert().Model(i).Exec(ctx); err != nil {
				return "", writeErr(err)
			}
			if err := record(ctx, tx, "create", i.Name(), i.GrantID, audit.Diff(tx, nil, i)); err != nil {
				return "", err
			}
			out = i
			return i.Name(), nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateIndicator changes the fields named in mask (see IndicatorUpdatable),
// for a caller who may manage the grant. etag is required and must be
// current: baselines and targets are what progress is measured against, and
// a change made unseen must not be overwritten. Errors: not found,
// permission, invalid (naming the field; also a missing etag, field
// "etag"), aborted (stale etag).
func (s *Service) UpdateIndicator(ctx context.Context, projectID, id string, in IndicatorInput, mask resource.Mask, etag string) (*Indicator, error) {
	var out *Indicator
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		i, err := getIndicator(ctx, tx, projectID, id)
		if err != nil {
			return err
		}
		p, err := VisibleProject(ctx, tx, projectID)
		if err != nil {
			return err
		}
		if err := authorise(ctx, p); err != nil {
			return err
		}
		if err := resource.RequireETag(i.Name(), etag, i.Version); err != nil {
			return err
		}
		before := *i
		i.apply(in, mask)
		var v errs.Violations
		i.normalise(&v)
		if err := checkIndicatorResult(ctx, tx, i, &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		prev := i.Version
		i.Version++
		i.UpdateTime = s.now()
		res, err := tx.NewUpdate().Model(i).WherePK().Where("version = ?", prev).Exec(ctx)
		if err != nil {
			return writeErr(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Aborted(i.Name())
		}
		out = i
		return record(ctx, tx, "update", i.Name(), i.GrantID, audit.Diff(tx, &before, i))
	})
	return out, err
}

func writeErr(err error) error {
	return db.Err(err, db.ForeignKey(errs.Precondition("REFERENCE_DELETED", "the project or result was deleted meanwhile; read them again and retry")))
}
