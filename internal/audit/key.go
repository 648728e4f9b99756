package audit

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Key is the audit key: a secret kept outside the database, from which the
// events' MAC key and the checkpoints' ed25519 signing key are derived.
// Whoever can write the database but not read the key file cannot forge a
// MAC or a checkpoint.
type Key struct {
	mac  []byte
	sign ed25519.PrivateKey
}

// keySize is the length of the secret, in bytes.
const keySize = 32

// NewKey derives the audit keys from a 32-byte secret.
func NewKey(secret []byte) (*Key, error) {
	if len(secret) != keySize {
		return nil, fmt.Errorf("audit key: %d bytes, want %d", len(secret), keySize)
	}
	derive := func(purpose string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(purpose))
		return m.Sum(nil)
	}
	return &Key{
		mac:  derive("pactum audit event MAC key v1"),
		sign: ed25519.NewKeyFromSeed(derive("pactum audit checkpoint signing key v1")),
	}, nil
}

// PublicKey is the key that checks checkpoint signatures; it can be given
// to anyone.
func (k *Key) PublicKey() ed25519.PublicKey { return k.sign.Public().(ed25519.PublicKey) }

// PublicKeyHex is PublicKey in hexadecimal.
func (k *Key) PublicKeyHex() string { return hex.EncodeToString(k.PublicKey()) }

const keyFileHeader = "# Pactum audit key: keep it secret, and back it up with the database (see README.md, \"The audit key\").\n"

// LoadKey reads the key file at path. Errors: fs.ErrNotExist when there is
// none.
func LoadKey(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		secret, err := hex.DecodeString(line)
		if err != nil || len(secret) != keySize {
			return nil, fmt.Errorf("audit key file %s: want %d hexadecimal digits", path, 2*keySize)
		}
		return NewKey(secret)
	}
	return nil, fmt.Errorf("audit key file %s holds no key", path)
}

// LoadOrCreateKey reads the key file at path, or creates it (mode 0600, its
// folder 0700) with a new random key when there is none; created says
// which.
func LoadOrCreateKey(path string) (k *Key, created bool, err error) {
	k, err = LoadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("audit key folder: %w", err)
	}
	secret := make([]byte, keySize)
	if _, err := rand.Read(secret); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process made it first
		k, err = LoadKey(path)
		return k, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("create the audit key file: %w", err)
	}
	_, err = f.WriteString(keyFileHeader + hex.EncodeToString(secret) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, false, fmt.Errorf("write the audit key file: %w", err)
	}
	k, err = NewKey(secret)
	return k, true, err
}

// eventMAC is the MAC of e as if it were numbered seq, chained to the MAC
// of the event before it (prev): HMAC-SHA256 over every field.
func (k *Key) eventMAC(e *Event, seq int64, prev string) string {
	grant := "-" // no grant, told apart from an empty one
	if e.GrantID != nil {
		grant = "+" + *e.GrantID
	}
	m := hmac.New(sha256.New, k.mac)
	for _, part := range []string{
		"pactum audit event v1", strconv.FormatInt(seq, 10), e.Time.UTC().Format(time.RFC3339Nano), e.Actor, e.Action,
		e.Resource, grant, e.Changes, prev,
	} {
		_, _ = fmt.Fprintf(m, "%d:%s;", len(part), part) // a hash's Write never returns an error
	}
	return hex.EncodeToString(m.Sum(nil))
}

// macOK reports whether mac is e's MAC, numbered seq, after prev.
func (k *Key) macOK(e *Event, seq int64, prev, mac string) bool {
	return hmac.Equal([]byte(k.eventMAC(e, seq, prev)), []byte(mac))
}

// keys holds the audit key of each open database, by its *sql.DB (shared by
// a bun.DB, its clones and its transactions).
var keys sync.Map

// Use makes Record protect the events written through d (and its
// transactions) with k. It is called once, where the database is opened
// (app.Open; dbtest for tests): Record refuses to write an event through
// a database without a key.
func Use(d *bun.DB, k *Key) { keys.Store(d.DB, k) }

// Forget undoes Use, when d is closed.
func Forget(d *bun.DB) { keys.Delete(d.DB) }

// keyOf returns the key Use gave idb's database, or nil.
func keyOf(idb bun.IDB) *Key {
	if v, ok := keys.Load(idb.NewRaw("").DB().DB); ok {
		return v.(*Key)
	}
	return nil
}
