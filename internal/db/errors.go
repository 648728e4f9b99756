package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/pactum-dev/pactum/internal/errs"
)

// Err turns the error of a database call into a domain error (package
// errs), the same way on SQLite and PostgreSQL. Stores call it instead of
// wrapping each error by hand:
//
//   - nil stays nil; a domain error, and a canceled or timed-out context,
//     are returned as they are;
//   - no row (sql.ErrNoRows) is not found when a NotFound or NoRows option
//     says what was missing, and internal otherwise (the statement was
//     expected to find a row: a bug);
//   - a unique or primary-key violation (SQLite SQLITE_CONSTRAINT_UNIQUE or
//     _PRIMARYKEY, PostgreSQL 23505) is already exists, naming the columns
//     where the driver says which, or what a Unique option says;
//   - a foreign-key violation (SQLite SQLITE_CONSTRAINT_FOREIGNKEY,
//     PostgreSQL 23503) is failed precondition REFERENCE_CONFLICT, or what
//     a ForeignKey option says;
//   - anything else is internal: check and not-null violations are bugs,
//     and contention or an unreachable database keep their cause, which the
//     transport answers "unavailable" (see IsTransient).
//
// What reaches the client is the domain error's public message: never SQL,
// a table's name or a value. Err's own errors keep the driver's error in
// their chain, for the log and for errors.Is and errors.As (so
// IsUniqueViolation still tells a lost race, as it did when such errors
// were internal). An error an option gives is returned as it is: the store
// decided what the violation means (a stale etag, say, which no caller
// should retry as a lost race).
func Err(err error, on ...On) error {
	if err == nil {
		return nil
	}
	var de *errs.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var c class
	switch {
	case IsNoRows(err):
		c = noRows
	case IsUniqueViolation(err):
		c = unique
	case IsForeignKeyViolation(err):
		c = foreignKey
	}
	if c != 0 {
		for _, o := range on {
			if o.class == c {
				return o.err
			}
		}
	}
	switch c {
	case unique:
		return withCause(uniqueErr(err), err)
	case foreignKey:
		return withCause(errs.Precondition(ReasonReferenceConflict,
			"it refers to a record that no longer exists, or other records still refer to it; read them again and retry"), err)
	}
	return errs.Internal(err)
}

// ReasonReferenceConflict is the reason of a foreign-key violation that the
// store did not name more precisely.
const ReasonReferenceConflict = "REFERENCE_CONFLICT"

// An On says what one kind of database error means to the statement that
// met it; Err takes any number.
type On struct {
	class class
	err   error
}

type class int

const (
	noRows class = iota + 1
	unique
	foreignKey
)

// NotFound says that no row means the resource named what is not found
// (errs.NotFound(what)).
func NotFound(what string) On { return On{noRows, errs.NotFound(what)} }

// NoRows says that no row means e; nil means that no row is no error (a
// lookup whose row may be missing).
func NoRows(e error) On { return On{noRows, e} }

// AllowNoRows says that no row is no error: Err returns nil for it.
var AllowNoRows = NoRows(nil)

// Unique says that a unique or primary-key violation means e (typically
// errs.AlreadyExists, or errs.AlreadyExistsOn to name the field).
func Unique(e error) On { return On{unique, e} }

// ForeignKey says that a foreign-key violation means e (typically
// errs.Precondition with a reason such as ORGANISATION_IN_USE).
func ForeignKey(e error) On { return On{foreignKey, e} }

// withCause returns e with cause kept for errors.Is and errors.As, and the
// log.
func withCause(e *errs.Error, cause error) error {
	e.Err = cause
	return e
}

// uniqueErr is the already-exists error of a unique violation the store
// did not name: it names the columns where the driver says which.
func uniqueErr(err error) *errs.Error {
	cols := UniqueColumns(err)
	if len(cols) == 0 {
		return errs.AlreadyExists("another record already has the same key")
	}
	words := make([]string, len(cols))
	for i, c := range cols {
		words[i] = strings.ReplaceAll(strings.TrimSuffix(c, "_id"), "_", " ")
	}
	return errs.AlreadyExists("another record already has the same %s", strings.Join(words, " and "))
}

// UniqueColumns returns the columns of the unique key a unique violation
// broke (e.g. [grant_id code]), or nil when err is no such violation or the
// driver does not say (an index on an expression). The codes come from the
// drivers' typed errors; the columns only from their messages, whose
// formats are stable: SQLite "UNIQUE constraint failed: t.a, t.b",
// PostgreSQL's detail "Key (a, b)=(...) already exists.".
func UniqueColumns(err error) []string {
	if !IsUniqueViolation(err) {
		return nil
	}
	var list string
	var pgErr *pgconn.PgError
	var sqlErr *sqlite.Error
	switch {
	case errors.As(err, &pgErr):
		rest, ok := strings.CutPrefix(pgErr.Detail, "Key (")
		if !ok {
			return nil
		}
		list, _, ok = strings.Cut(rest, ")=(")
		if !ok {
			return nil
		}
	case errors.As(err, &sqlErr):
		_, rest, ok := strings.Cut(sqlErr.Error(), "constraint failed: ")
		if !ok || (sqlErr.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE && sqlErr.Code() != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
			return nil
		}
		// "UNIQUE constraint failed: t.a, t.b (2067)"
		if i := strings.LastIndex(rest, " ("); i >= 0 {
			rest = rest[:i]
		}
		list = rest
	}
	var cols []string
	for c := range strings.SplitSeq(list, ",") {
		c = strings.TrimSpace(c)
		if _, after, ok := strings.Cut(c, "."); ok {
			c = after
		}
		if c == "" || strings.ContainsAny(c, "() '\"") {
			return nil // an expression or an index name, not a column
		}
		cols = append(cols, c)
	}
	return cols
}

// IsNoRows reports whether err means a query found no row.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// IsUniqueViolation reports whether err is a unique or primary-key violation,
// on SQLite or PostgreSQL.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}
