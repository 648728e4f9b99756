// Package resource handles resource names ("grants/{id}"), ids, etags and
// update masks shared by the domain packages.
package resource

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/pactum-dev/pactum/internal/errs"
)

// NewID returns a new resource id: a UUIDv7, so ids sort in creation order.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Name returns "collection/id".
func Name(collection, id string) string { return collection + "/" + id }

// ParseName returns the id of a "collection/id" name. field names the request
// field for the error.
func ParseName(collection, name, field string) (string, error) {
	id, ok := strings.CutPrefix(name, collection+"/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", errs.Invalid(errs.FieldViolation{Field: field,
			Description: fmt.Sprintf("must be a resource name of the form %s/{id}, got %q", collection, name)})
	}
	return id, nil
}

// ETag returns the etag of a resource at version.
func ETag(version int64) string { return `"` + strconv.FormatInt(version, 36) + `"` }

// CheckETag refuses a stale etag: given is empty (no check) or must equal
// the etag of the current version.
func CheckETag(name, given string, version int64) error {
	if given != "" && given != ETag(version) {
		return errs.Aborted(name)
	}
	return nil
}

// RequireETag is CheckETag for changes that must not overwrite one the
// caller has not seen (the updates of records several people edit): given
// must be the etag of the current version, and an empty one is invalid
// (field "etag"). Errors: invalid, aborted (stale).
func RequireETag(name, given string, version int64) error {
	if given == "" {
		return errs.Invalid(errs.FieldViolation{Field: "etag",
			Description: fmt.Sprintf("is required: the etag of %s as you last read it, so that this change does not overwrite one made since; read it again and send its etag", name)})
	}
	return CheckETag(name, given, version)
}

// Mask is the set of fields an update changes.
type Mask []string

// Has reports whether the mask names field (or a subfield of it).
func (m Mask) Has(field string) bool {
	return slices.ContainsFunc(m, func(p string) bool {
		return p == field || strings.HasPrefix(p, field+".")
	})
}
