// Package errs defines Pactum's domain error kinds. Domain packages return
// these; the transport maps them to protocol codes in exactly one place
// (internal/rpc/errors.go).
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is the category of a domain error.
type Kind string

const (
	KindInvalid       Kind = "invalid"        // the request is malformed or breaks a field rule
	KindNotFound      Kind = "not_found"      // no such resource, or the caller may not know it exists
	KindAlreadyExists Kind = "already_exists" // a unique key is taken
	KindPrecondition  Kind = "precondition"   // the request is valid but the state refuses it
	KindAborted       Kind = "aborted"        // a stale etag: someone else changed the resource
	KindPermission    Kind = "permission"     // the caller may see but not change it
	KindUnauthorised  Kind = "unauthenticated"
	KindExhausted     Kind = "exhausted" // rate limited: try again later
	KindInternal      Kind = "internal"  // a bug or an outage; details are logged, never sent
)

// FieldViolation names a field and says what would be valid.
type FieldViolation struct {
	Field       string // dotted path, e.g. "grant.end_date"
	Description string // what is wrong and what would be valid
}

// Error is a domain error.
type Error struct {
	Kind       Kind
	Message    string
	Violations []FieldViolation
	Reason     string // machine-readable reason for precondition failures, e.g. "ORGANISATION_IN_USE"
	Err        error  // wrapped cause (internal errors); never shown to clients
}

// Error returns the public message and, for the log, the cause.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Public()
	}
	return e.Public() + ": " + e.Err.Error()
}

// Public returns what the client may read: the message and the field
// violations, without the cause (a driver's error, say). A violation that
// says what the message says (AlreadyExistsOn) is not said twice.
func (e *Error) Public() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, v := range e.Violations {
		if v.Description == e.Message {
			continue
		}
		if b.Len() > 0 {
			if b.Len() == len(e.Message) {
				b.WriteString(": ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(v.Field)
		b.WriteString(": ")
		b.WriteString(v.Description)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, or KindInternal for errors that are not
// domain errors.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Is reports whether err is a domain error of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// NotFound says the named resource does not exist (or is hidden from the caller).
func NotFound(resourceName string) *Error {
	return &Error{Kind: KindNotFound, Message: resourceName + " not found"}
}

// Precondition refuses a valid request in the current state, with a
// machine-readable reason.
func Precondition(reason, format string, args ...any) *Error {
	return &Error{Kind: KindPrecondition, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Aborted reports a stale etag.
func Aborted(resourceName string) *Error {
	return &Error{Kind: KindAborted, Message: resourceName + " was changed by someone else since it was read (stale etag); read it again and retry"}
}

// AlreadyExists reports a taken unique key.
func AlreadyExists(format string, args ...any) *Error {
	return &Error{Kind: KindAlreadyExists, Message: fmt.Sprintf(format, args...)}
}

// AlreadyExistsOn reports a taken unique key held by field, saying what
// would be valid: the message, and a field violation saying the same that
// a form shows next to the field.
func AlreadyExistsOn(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Kind: KindAlreadyExists, Message: msg, Violations: []FieldViolation{{Field: field, Description: msg}}}
}

// PermissionDenied refuses a change the caller may not make.
func PermissionDenied(format string, args ...any) *Error {
	return &Error{Kind: KindPermission, Message: fmt.Sprintf(format, args...)}
}

// Unauthenticated refuses a caller without valid credentials.
func Unauthenticated(format string, args ...any) *Error {
	return &Error{Kind: KindUnauthorised, Message: fmt.Sprintf(format, args...)}
}

// Exhausted refuses a caller who tried too often.
func Exhausted(format string, args ...any) *Error {
	return &Error{Kind: KindExhausted, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error. Its text is logged, not shown.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Message: "internal error", Err: err}
}

// Invalid builds an invalid-argument error from field violations.
func Invalid(v ...FieldViolation) *Error {
	return &Error{Kind: KindInvalid, Message: "invalid request", Violations: v}
}

// Violations collects field violations while a request is checked.
type Violations []FieldViolation

// Add records that field is wrong, saying what would be valid.
func (v *Violations) Add(field, format string, args ...any) {
	*v = append(*v, FieldViolation{Field: field, Description: fmt.Sprintf(format, args...)})
}

// Has reports whether field already has a violation.
func (v Violations) Has(field string) bool {
	for _, f := range v {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns an invalid-argument error, or nil when nothing was recorded.
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	return Invalid(v...)
}

// WithFieldPrefix returns err with every field path prefixed (for example
// "grant." when the domain checked a grant inside a request), except
// request_id, which is always the request's own (idem checks it). Other
// errors are returned unchanged.
func WithFieldPrefix(err error, prefix string) error {
	var e *Error
	if !errors.As(err, &e) || len(e.Violations) == 0 {
		return err
	}
	c := *e
	c.Violations = make([]FieldViolation, len(e.Violations))
	for i, f := range e.Violations {
		if f.Field != "request_id" {
			f.Field = prefix + f.Field
		}
		c.Violations[i] = f
	}
	return &c
}
