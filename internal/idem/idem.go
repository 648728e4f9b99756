// Package idem makes creation idempotent (AIP-155): a create call carrying a
// request_id records what it made in the same transaction, and a repeat of
// that call, by the same caller to the same method with the same request_id
// within TTL, gets the first answer instead of a copy.
//
// A request_id is scoped to the caller and the method: two users (or two
// methods) may use the same one without meeting. The request's fingerprint
// (WithFingerprint: a digest of the request without its request_id) is kept
// too, so that a request_id reused for a different request is refused
// instead of answered with an unrelated resource. Records expire after TTL
// and are pruned.
//
// The table holds neither the request_id nor, readably, any response: rows
// are keyed by a digest of (caller, method, request_id), and a stored
// response (CreateWith: the secret of a new API token, say) is sealed with
// a key derived from the request_id, which only the client knows.
package idem

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db"
	"github.com/pactum-dev/pactum/internal/errs"
)

// TTL is how long a request_id is remembered: a client retries within
// minutes; a day covers a laptop closed overnight.
const TTL = 24 * time.Hour

// pruneEvery spaces the deletions of expired records made after creations.
const pruneEvery = 10 * time.Minute

type createRequest struct {
	bun.BaseModel `bun:"table:create_requests"`

	KeyHash      string    `bun:"key_hash,pk"` // hex SHA-256 of caller, method, request_id
	Method       string    `bun:"method"`
	CallerID     string    `bun:"caller_id"` // "" for calls without a user (the demo loader)
	Fingerprint  string    `bun:"fingerprint"`
	ResourceName string    `bun:"resource_name"`
	Response     string    `bun:"response"` // sealed, base64; "" when none was kept
	CreateTime   time.Time `bun:"create_time"`
	ExpireTime   time.Time `bun:"expire_time"`
}

type fingerprintKey struct{}

// WithFingerprint returns ctx carrying the fingerprint of the request being
// served: a digest of the request without its request_id. The RPC layer
// sets it for every request that has a request_id.
func WithFingerprint(ctx context.Context, fingerprint string) context.Context {
	return context.WithValue(ctx, fingerprintKey{}, fingerprint)
}

func fingerprintOf(ctx context.Context) string {
	fp, _ := ctx.Value(fingerprintKey{}).(string)
	return fp
}

// Create runs create in a transaction. When requestID is set and an earlier
// call by the same caller to method with it succeeded within TTL, it calls
// existing with that call's resource name instead, in the transaction.
// Concurrent repeats are resolved by the unique key: the loser reads the
// winner's resource. Errors: those of existing and create, and invalid
// (request_id: used before for a different request).
func Create(ctx context.Context, d *bun.DB, method, requestID string,
	existing func(ctx context.Context, tx bun.Tx, name string) error,
	create func(ctx context.Context, tx bun.Tx) (name string, err error),
) error {
	return CreateWith(ctx, d, method, requestID,
		func(ctx context.Context, tx bun.Tx, name string, _ []byte) error { return existing(ctx, tx, name) },
		func(ctx context.Context, tx bun.Tx) (string, []byte, error) {
			name, err := create(ctx, tx)
			return name, nil, err
		})
}

// CreateWith is Create for a call whose first answer holds something that
// cannot be read again from the resource (a secret shown once): create
// returns it as response, which is kept sealed and handed to existing on a
// repeat.
func CreateWith(ctx context.Context, d *bun.DB, method, requestID string,
	existing func(ctx context.Context, tx bun.Tx, name string, response []byte) error,
	create func(ctx context.Context, tx bun.Tx) (name string, response []byte, err error),
) error {
	caller := actor.From(ctx).UserID
	key := keyHash(caller, method, requestID)
	fp := fingerprintOf(ctx)
	run := func() error {
		return d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			now := time.Now().UTC()
			if requestID != "" {
				var prev createRequest
				err := tx.NewSelect().Model(&prev).Where("key_hash = ?", key).Scan(ctx)
				switch {
				case err == nil && prev.ExpireTime.After(now):
					if fp != "" && prev.Fingerprint != "" && fp != prev.Fingerprint {
						return errs.Invalid(errs.FieldViolation{Field: "request_id",
							Description: "was already used for a different request; give a new request_id for each new request, and the same one only to repeat a request unchanged"})
					}
					response, err := unseal(requestID, prev.Response)
					if err != nil {
						return errs.Internal(err)
					}
					return existing(ctx, tx, prev.ResourceName, response)
				case err == nil:
					// Expired: forgotten, as if pruned already.
					if _, err := tx.NewDelete().Model((*createRequest)(nil)).Where("key_hash = ?", key).Exec(ctx); err != nil {
						return db.Err(err)
					}
				case !db.IsNoRows(err):
					return db.Err(err)
				}
			}
			name, response, err := create(ctx, tx)
			if err != nil {
				return err
			}
			if requestID == "" {
				return nil
			}
			sealed, err := seal(requestID, response)
			if err != nil {
				return errs.Internal(err)
			}
			_, err = tx.NewInsert().Model(&createRequest{
				KeyHash: key, Method: method, CallerID: caller, Fingerprint: fp, ResourceName: name,
				Response: sealed, CreateTime: now, ExpireTime: now.Add(TTL),
			}).Exec(ctx)
			return err
		})
	}
	err := run()
	if err != nil && requestID != "" && db.IsUniqueViolation(err) {
		// Another call with the same request_id won the race; the repeat finds it.
		err = run()
	}
	if err == nil && requestID != "" {
		prune.maybe(ctx, d)
	}
	return err
}

// Prune deletes the records that expired before now and returns how many.
// Errors: internal.
func Prune(ctx context.Context, d bun.IDB, now time.Time) (int64, error) {
	res, err := d.NewDelete().Model((*createRequest)(nil)).Where("expire_time < ?", now.UTC()).Exec(ctx)
	if err != nil {
		return 0, db.Err(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// prune runs Prune after a creation at most every pruneEvery, outside the
// creation's transaction.
var prune pruner

type pruner struct {
	mu   sync.Mutex
	last time.Time
}

func (p *pruner) maybe(ctx context.Context, d bun.IDB) {
	p.mu.Lock()
	now := time.Now()
	due := now.Sub(p.last) >= pruneEvery
	if due {
		p.last = now
	}
	p.mu.Unlock()
	if due {
		// Best effort: expired records are ignored when read, and the next
		// creation prunes again.
		_, _ = Prune(ctx, d, now)
	}
}

func keyHash(caller, method, requestID string) string {
	h := sha256.New()
	for _, p := range []string{caller, method, requestID} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func aead(requestID string) (cipher.AEAD, error) {
	k := sha256.Sum256([]byte("pactum idem response\x00" + requestID))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts response with a key derived from requestID; nil seals to "".
func seal(requestID string, response []byte) (string, error) {
	if response == nil {
		return "", nil
	}
	g, err := aead(requestID)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(g.Seal(nonce, nonce, response, nil)), nil
}

func unseal(requestID, sealed string) ([]byte, error) {
	if sealed == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, err
	}
	g, err := aead(requestID)
	if err != nil {
		return nil, err
	}
	if len(raw) < g.NonceSize() {
		return nil, errors.New("idem: sealed response too short")
	}
	return g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], nil)
}

// Once runs run at most once per caller, method and requestID within TTL:
// a repeat gets the response the first run returned (kept sealed, as
// CreateWith keeps it). Unlike Create, run owns its transactions (a batch
// acting on many resources, each in its own); two repeats racing may both
// run, and then rely on the resources' own states and etags to act once.
// Without a requestID, run just runs. Errors: those of run, and invalid
// (request_id: used before for a different request).
func Once(ctx context.Context, d *bun.DB, method, requestID string, run func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	if requestID == "" {
		return run(ctx)
	}
	caller := actor.From(ctx).UserID
	key := keyHash(caller, method, requestID)
	fp := fingerprintOf(ctx)
	var prev createRequest
	err := d.NewSelect().Model(&prev).Where("key_hash = ?", key).Scan(ctx)
	switch {
	case err == nil && prev.ExpireTime.After(time.Now().UTC()):
		if fp != "" && prev.Fingerprint != "" && fp != prev.Fingerprint {
			return nil, errs.Invalid(errs.FieldViolation{Field: "request_id",
				Description: "was already used for a different request; give a new request_id for each new request, and the same one only to repeat a request unchanged"})
		}
		response, err := unseal(requestID, prev.Response)
		if err != nil {
			return nil, errs.Internal(err)
		}
		return response, nil
	case err == nil:
		if _, err := d.NewDelete().Model((*createRequest)(nil)).Where("key_hash = ?", key).Exec(ctx); err != nil {
			return nil, db.Err(err)
		}
	case !db.IsNoRows(err):
		return nil, db.Err(err)
	}
	response, err := run(ctx)
	if err != nil {
		return nil, err
	}
	sealed, err := seal(requestID, response)
	if err != nil {
		return nil, errs.Internal(err)
	}
	now := time.Now().UTC()
	_, err = d.NewInsert().Model(&createRequest{
		KeyHash: key, Method: method, CallerID: caller, Fingerprint: fp,
		Response: sealed, CreateTime: now, ExpireTime: now.Add(TTL),
	}).Exec(ctx)
	if err != nil && !db.IsUniqueViolation(err) {
		// What run did is done; only its answer to a repeat is lost.
		return response, nil
	}
	prune.maybe(ctx, d)
	return response, nil
}
