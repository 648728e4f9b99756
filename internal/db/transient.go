package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// A transient error is one a client may retry as it is: the statement did
// not take effect (its transaction was rolled back, or never began), and the
// same request may well succeed a moment later. There are two kinds:
// contention (IsContention) and an unreachable database (IsUnreachable).
// The transport answers both with "unavailable".

// IsTransient reports whether err is contention or an unreachable database.
func IsTransient(err error) bool { return IsContention(err) || IsUnreachable(err) }

// IsContention reports whether err means the database was too busy with
// other transactions to run this one: on SQLite SQLITE_BUSY (the write lock
// was not free within the busy timeout) or SQLITE_LOCKED; on PostgreSQL a
// serialization failure (40001), a deadlock (40P01) or a lock timeout
// (55P03).
func IsContention(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "40001", "40P01", "55P03":
			return true
		}
		return false
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		switch sqlErr.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// IsUnreachable reports whether err means the database cannot be reached
// or used at all: the handle is closed (sql: database is closed), the
// connection is bad or broken (driver.ErrBadConn, sql.ErrConnDone, network
// errors, an unexpected EOF), PostgreSQL refused or dropped the connection
// (a connect error, SQLSTATE class 08, 53300 too many connections, 57P01-03
// shutting down or starting up), or SQLite cannot open, read or write its
// file (SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY).
func IsUnreachable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"), pgErr.Code == "53300", pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
			return true
		}
		return false
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		switch sqlErr.Code() & 0xff {
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY:
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// database/sql does not export this one.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// PingTimeout bounds Ping.
const PingTimeout = 2 * time.Second

// Ping checks that the database answers a query (SELECT 1) within
// PingTimeout.
func Ping(ctx context.Context, d *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	var one int
	if err := d.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return err
	}
	return nil
}
