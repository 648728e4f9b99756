// Package page implements AIP-158 pagination: opaque page tokens carrying the
// sort key of the last row returned (keyset pagination), so pages stay stable
// while rows are inserted, and bound to the request's filters.
package page

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/errs"
)

// DefaultSize is the page size when the caller asks for none; MaxSize caps it.
const (
	DefaultSize = 50
	MaxSize     = 1000
)

// Request is the pagination part of a List request.
type Request struct {
	Size  int32  // 0: DefaultSize
	Token string // from a previous response's next_page_token
}

type token struct {
	Keys   []string `json:"k"`
	Filter string   `json:"f"`
}

// Cursor is a decoded page request: the limit and the keys to continue after.
type Cursor struct {
	Limit  int
	After  []string // nil on the first page
	filter string
}

// Open checks the page request and decodes its token. filter identifies the
// request's other parameters; a token used with different filters is refused,
// as is a malformed one and a negative size.
func Open(r Request, filter ...string) (Cursor, error) {
	var v errs.Violations
	c := Cursor{Limit: int(r.Size), filter: hashFilter(filter)}
	switch {
	case r.Size < 0:
		v.Add("page_size", "must not be negative; use 0 for the default of %d, at most %d", DefaultSize, MaxSize)
	case r.Size == 0:
		c.Limit = DefaultSize
	case r.Size > MaxSize:
		c.Limit = MaxSize
	}
	if r.Token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(r.Token)
		var t token
		if err == nil {
			err = json.Unmarshal(raw, &t)
		}
		switch {
		case err != nil || len(t.Keys) == 0:
			v.Add("page_token", "is not a page token from this list; pass the next_page_token of the previous response, or nothing for the first page")
		case t.Filter != c.filter:
			v.Add("page_token", "was issued for a list with other filters; keep the filters unchanged while paging, or start again without a token")
		default:
			c.After = t.Keys
		}
	}
	return c, v.Err()
}

// Next returns the token for the page after the last row, whose sort keys
// are given, when there are more rows; more is whether the query returned
// more than Limit rows.
func (c Cursor) Next(more bool, lastKeys ...string) string {
	if !more {
		return ""
	}
	b, _ := json.Marshal(token{Keys: lastKeys, Filter: c.filter})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Apply adds the keyset condition and limit (one extra row, to tell whether
// there is a next page) to q, ordering by cols ascending. cols are qualified
// column names; the last must be unique.
func (c Cursor) Apply(q *bun.SelectQuery, cols ...string) *bun.SelectQuery {
	return c.apply(q, false, cols)
}

// ApplyDesc is Apply ordering by cols descending (newest first, say).
func (c Cursor) ApplyDesc(q *bun.SelectQuery, cols ...string) *bun.SelectQuery {
	return c.apply(q, true, cols)
}

func (c Cursor) apply(q *bun.SelectQuery, desc bool, cols []string) *bun.SelectQuery {
	dir, cmp := " ASC", " > ?"
	if desc {
		dir, cmp = " DESC", " < ?"
	}
	for _, col := range cols {
		q = q.OrderExpr(col + dir)
	}
	if len(c.After) == len(cols) {
		// (c1 > k1) OR (c1 = k1 AND c2 > k2) OR ... (< when descending)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			for i := range cols {
				var b strings.Builder
				args := make([]any, 0, i+1)
				for j := 0; j < i; j++ {
					b.WriteString(cols[j] + " = ? AND ")
					args = append(args, c.After[j])
				}
				b.WriteString(cols[i] + cmp)
				args = append(args, c.After[i])
				q = q.WhereOr("("+b.String()+")", args...)
			}
			return q
		})
	}
	return q.Limit(c.Limit + 1)
}

func hashFilter(parts []string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
