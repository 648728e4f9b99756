package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/pactum-dev/pactum/internal/errs"
)

// argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// ReasonHashingBusy is the ErrorInfo reason of ErrHashingBusy, so that
// clients can tell "the server is busy" from "too many failed attempts".
const ReasonHashingBusy = "PASSWORD_CHECKS_BUSY"

// ErrHashingBusy refuses a sign-in or a new password when every password
// hashing slot stayed taken for the Hasher's whole wait.
func ErrHashingBusy() error {
	return &errs.Error{Kind: errs.KindExhausted, Reason: ReasonHashingBusy,
		Message: "the server is checking too many passwords at the moment; wait a few seconds and try again"}
}

// Hasher runs argon2id. Each derivation holds 19 MiB and a core for tens of
// milliseconds, so at most a fixed number run at once: beyond that a
// caller waits at most the Hasher's wait for a free slot and is then
// refused with ErrHashingBusy. Every use of argon2 goes through a Hasher:
// sign-in (the dummy hash of unknown accounts included), new users'
// passwords, invitations and resets.
type Hasher struct {
	slots       chan struct{}
	wait        time.Duration
	derivations atomic.Int64
	onDerive    func()
}

// NewHasher returns a Hasher that runs at most concurrent derivations at
// once and lets a caller wait at most wait for a slot (0: not at all).
func NewHasher(concurrent int, wait time.Duration) *Hasher {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{slots: make(chan struct{}, concurrent), wait: wait}
}

// DefaultHashWait is how long a sign-in waits for a free hashing slot.
const DefaultHashWait = time.Second

// DefaultHashConcurrency is the process-wide bound: one derivation per
// core (argon2id with one lane is CPU-bound, more would only queue), at
// least 2 and at most 8 (152 MiB).
func DefaultHashConcurrency() int { return min(max(runtime.GOMAXPROCS(0), 2), 8) }

// processHasher bounds the whole process: every Service shares it unless a
// test gives it its own.
var processHasher = NewHasher(DefaultHashConcurrency(), DefaultHashWait)

// Derivations returns how many argon2id derivations h has run.
func (h *Hasher) Derivations() int64 { return h.derivations.Load() }

// OnDerive sets a function run inside a slot just before each derivation
// (tests use it to count checks or to hold a slot). Set it before use.
func (h *Hasher) OnDerive(f func()) { h.onDerive = f }

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	if h.wait <= 0 {
		return ErrHashingBusy()
	}
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrHashingBusy()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) derive(ctx context.Context, password, salt []byte, iter, mem uint32, threads uint8, keyLen uint32) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-h.slots }()
	h.derivations.Add(1)
	if h.onDerive != nil {
		h.onDerive()
	}
	return argon2.IDKey(password, salt, iter, mem, threads, keyLen), nil
}

// Hash returns an argon2id hash of password in the PHC string format.
// Errors: exhausted (ErrHashingBusy).
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", errs.Internal(err)
	}
	key, err := h.derive(ctx, []byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check reports whether password matches the encoded hash. A malformed
// hash matches nothing. Errors: exhausted (ErrHashingBusy).
func (h *Hasher) Check(ctx context.Context, encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, nil
	}
	var version int
	var mem, iter uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, nil
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iter, &threads); err != nil {
		return false, nil
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err := errors.Join(err1, err2); err != nil {
		return false, nil
	}
	got, err := h.derive(ctx, []byte(password), salt, iter, mem, threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an account does not exist or has no
// password, so that a sign-in costs as much whether or not the email is
// registered. It is a constant (of "pactum-dummy-password"), so that no
// argon2 runs outside a Hasher, not even at start-up.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$Z6RtqhvC39V7OP5tBMbcAg$yT00pfGjhRDM8MbiQNz2gLzPyYf5vDb2Py0u+2BkCX0"

// checkPasswordPolicy says what a new password lacks, or "".
func checkPasswordPolicy(password string) string {
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Sprintf("must be at least %d characters long", MinPasswordLength)
	}
	if len(password) > 1000 {
		return "must be at most 1000 bytes long"
	}
	return ""
}

// newSecret returns a random URL-safe secret with the given prefix.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
