package report

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/calendar"
	"github.com/pactum-dev/pactum/internal/eligibility"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/finance"
	"github.com/pactum-dev/pactum/internal/grant"
	"github.com/pactum-dev/pactum/internal/i18n"
)

// Request says which report to make.
type Request struct {
	GrantID string
	// Period is the reporting period's number (1 = the grant's first);
	// 0 with From and To empty: from the grant's start to today.
	Period int
	// From and To ("YYYY-MM-DD", inclusive) instead of a period number.
	From, To string
	// Language: "en" (default), "fr", "es" or "pt".
	Language string
	// VerifiedOnly reports verified expenditures only (the submitted ones
	// not yet verified are shown apart); by default submitted and verified
	// ones count.
	VerifiedOnly bool
	// Signatory is who signs the report for the coordinator: name and
	// function (the signature block; empty lines to fill in by hand when
	// not given).
	SignatoryName, SignatoryFunction string
}

// Progress is told how far a report is: a stage ("summary",
// "expenditures", "writing", ...), rows done and the total when known.
type Progress func(stage string, done, total int64)

// Scope is a resolved request: the grant, the period and the language.
type Scope struct {
	Grant      *grant.Grant
	From, To   calendar.Date // the period reported on, inclusive
	Period     int           // its number, 0 for a free date range
	Language   string
	GrantStart calendar.Date
	// CallerName is who generates the report, for the cover ("users/..").
	CallerName                       string
	VerifiedOnly                     bool
	SignatoryName, SignatoryFunction string
	// Today is the day the report is made.
	Today calendar.Date
}

// Query is the statement the report renders.
func (sc *Scope) Query(now time.Time) finance.StatementQuery {
	return finance.StatementQuery{From: sc.From, To: sc.To, Period: sc.Period, Today: sc.Today, VerifiedOnly: sc.VerifiedOnly, Now: now}
}

// resolve checks that the caller may read the grant's money in full
// (admins, its coordinators, finance staff and auditors: the same readers
// as budget versus actual) and resolves the period, within idb. Errors:
// not found (the grant is not readable), permission (read as a partner),
// invalid (period, dates, language).
func resolve(ctx context.Context, idb bun.IDB, req Request, today calendar.Date) (*Scope, error) {
	c := actor.From(ctx)
	g, err := finance.ReadFull(ctx, idb, c, req.GrantID)
	if err != nil {
		return nil, err
	}
	s := &Scope{Grant: g, Language: req.Language, GrantStart: g.StartDate, CallerName: c.Name(), VerifiedOnly: req.VerifiedOnly,
		SignatoryName: strings.TrimSpace(req.SignatoryName), SignatoryFunction: strings.TrimSpace(req.SignatoryFunction), Today: today}
	if s.Language == "" {
		s.Language = i18n.Default
	}
	var v errs.Violations
	if !i18n.Supported(s.Language) {
		v.Add("language", "%q is not a report language; use en, fr, es or pt", s.Language)
	}
	switch {
	case req.Period > 0 && (req.From != "" || req.To != ""):
		v.Add("reporting_period", "give a reporting period or a date range, not both")
	case req.Period > 0:
		from, to, err := finance.ReportingPeriod(g, req.Period, "reporting_period")
		if err != nil {
			return nil, err
		}
		s.From, s.To, s.Period = from, to, req.Period
	default:
		s.From, s.To = g.StartDate, today
		if s.To.After(g.EndDate) {
			s.To = g.EndDate
		}
		if req.From != "" {
			d, err := calendar.Parse(req.From)
			if err != nil {
				v.Add("from_date", "%v", err)
			}
			s.From = d
		}
		if req.To != "" {
			d, err := calendar.Parse(req.To)
			if err != nil {
				v.Add("to_date", "%v", err)
			}
			s.To = d
		}
		if !v.Has("from_date") && !v.Has("to_date") && s.To.Before(s.From) {
			v.Add("to_date", "%s is before %s; the range must run forward", s.To, s.From)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Eligible is the grant's implementation period: only expenditures dated
// inside it count (package eligibility).
func (sc *Scope) Eligible() eligibility.Period { return finance.Period(sc.Grant) }

// readTx runs fn in a read-only transaction: one report, one snapshot.
func (s *Service) readTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FileName names a report file: "financial-report-{reference}-{period}.{ext}".
func (sc *Scope) FileName(ext string) string {
	ref := strings.Trim(unsafeFileChars.ReplaceAllString(sc.Grant.DonorReference, "-"), "-")
	part := fmt.Sprintf("%s_%s", sc.From, sc.To)
	if sc.Period > 0 {
		part = fmt.Sprintf("P%d", sc.Period)
	}
	return fmt.Sprintf("financial-report-%s-%s.%s", ref, part, ext)
}
