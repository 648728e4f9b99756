package errs_test

import (
	"errors"
	"testing"

	"github.com/pactum-dev/pactum/internal/errs"
)

// The client reads the message and the violations; the log also reads the
// cause.
func TestPublicAndError(t *testing.T) {
	t.Parallel()
	cause := errors.New("UNIQUE constraint failed: projects.grant_id, projects.code")
	for _, tc := range []struct {
		name          string
		err           *errs.Error
		public, error string
	}{
		{"message", errs.NotFound("grants/x"), "grants/x not found", "grants/x not found"},
		{"violations", errs.Invalid(errs.FieldViolation{Field: "a", Description: "is required"}, errs.FieldViolation{Field: "b", Description: "is too long"}),
			"invalid request: a: is required; b: is too long", "invalid request: a: is required; b: is too long"},
		{"violations only", &errs.Error{Kind: errs.KindInvalid, Violations: []errs.FieldViolation{{Field: "a", Description: "x"}, {Field: "b", Description: "y"}}},
			"a: x; b: y", "a: x; b: y"},
		{"taken field", errs.AlreadyExistsOn("code", "code %q is taken", "KE-01"), `code "KE-01" is taken`, `code "KE-01" is taken`},
		{"cause", &errs.Error{Kind: errs.KindAlreadyExists, Message: "another record already has the same code", Err: cause},
			"another record already has the same code", "another record already has the same code: " + cause.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Public(); got != tc.public {
				t.Errorf("Public() = %q, want %q", got, tc.public)
			}
			if got := tc.err.Error(); got != tc.error {
				t.Errorf("Error() = %q, want %q", got, tc.error)
			}
		})
	}
	taken := errs.AlreadyExistsOn("code", "code %q is taken", "KE-01")
	if taken.Kind != errs.KindAlreadyExists || len(taken.Violations) != 1 || taken.Violations[0].Field != "code" {
		t.Errorf("AlreadyExistsOn: %#v, want already exists with a violation on code", taken)
	}
}
