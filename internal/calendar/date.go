// Package calendar provides Date, a calendar date without time or zone,
// stored as TEXT "YYYY-MM-DD" on every database.
package calendar

import (
	"database/sql/driver"
	"fmt"
	"time"
)

const layout = "2006-01-02"

// Date is a calendar date. The zero Date is "no date" and is stored as NULL.
type Date struct{ t time.Time }

// Parse reads "YYYY-MM-DD". It refuses impossible dates such as 2025-02-30.
func Parse(s string) (Date, error) {
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD, e.g. 2025-01-31", s)
	}
	return Date{t}, nil
}

// MustParse is Parse for constants in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of returns the date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return New(y, m, d)
}

// New returns the given date.
func New(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// Today returns today's date in UTC.
func Today() Date { return Of(time.Now().UTC()) }

// IsZero reports whether d is the zero Date, "no date".
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC on d.
func (d Date) Time() time.Time { return d.t }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// Equal reports whether d and o are the same date.
func (d Date) Equal(o Date) bool { return d.t.Equal(o.t) }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns the date n months later, clamped to the end of the
// month: 31 January plus one month is 28 (or 29) February.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return Date{time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)}
}

// DaysUntil returns the number of days from d to o (negative when o is before d).
func (d Date) DaysUntil(o Date) int { return int(o.t.Sub(d.t).Hours() / 24) }

// MonthsBetween returns the whole number of months from d to o, counting a
// period that ends the day before the same day-of-month as a full month
// (2025-01-01 to 2027-12-31 is 36 months).
func MonthsBetween(start, end Date) int {
	e := end.AddDays(1)
	n := (e.t.Year()-start.t.Year())*12 + int(e.t.Month()) - int(start.t.Month())
	if e.t.Day() < start.t.Day() {
		n--
	}
	return n
}

// Value stores the date as TEXT, or NULL when zero.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored as TEXT (or as a time by some drivers).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		p, err := Parse(v)
		*d = p
		return err
	case []byte:
		p, err := Parse(string(v))
		*d = p
		return err
	case time.Time:
		*d = Of(v)
		return nil
	}
	return fmt.Errorf("calendar.Date: cannot scan %T", src)
}
