package identity_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/db/dbtest"
	"github.com/pactum-dev/pactum/internal/errs"
	"github.com/pactum-dev/pactum/internal/identity"
)

// signInStorm signs in n times at once with wrong passwords for one
// account, spread over the given services (servers), and returns how many
// answers were unauthenticated (checked, wrong) and exhausted (refused).
func signInStorm(t *testing.T, services []*identity.Service, email string, n int) (wrong, refused int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// A different address each: only the account limit applies.
			_, _, _, err := services[i%len(services)].SignIn(context.Background(), email, fmt.Sprintf("guess %d", i), fmt.Sprintf("192.0.2.%d", i), "storm")
			mu.Lock()
			defer mu.Unlock()
			switch errs.KindOf(err) {
			case errs.KindUnauthorised:
				wrong++
			case errs.KindExhausted:
				refused++
			default:
				t.Errorf("sign-in %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	return wrong, refused
}

// Forty wrong passwords at once for one account check at most
// MaxFailuresPerAccount of them: on one server, and on two servers (two
// connection pools, two Services) sharing the database.
func TestParallelWrongPasswordsCheckAtMostTheLimit(t *testing.T) {
	t.Parallel()
	dbtest.EachPair(t, func(t *testing.T, a, b *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		one, other := identity.NewService(a), identity.NewService(b)
		for _, email := range []string{"amina@example.org", "jose@example.org"} {
			if _, err := one.CreateUser(ctx, identity.NewUser{Email: email, DisplayName: "Test", Password: "correct horse battery",
				Memberships: []identity.Membership{{Role: actor.RoleAdmin}}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name     string
			email    string
			services []*identity.Service
		}{
			{"one server", "amina@example.org", []*identity.Service{one}},
			{"two servers", "jose@example.org", []*identity.Service{one, other}},
		} {
			// A counting hasher, wide and patient enough never to refuse.
			h := identity.NewHasher(4, time.Minute)
			for _, s := range tc.services {
				s.SetHasher(h)
			}
			wrong, refused := signInStorm(t, tc.services, tc.email, 40)
			if got := h.Derivations(); got > identity.MaxFailuresPerAccount {
				t.Errorf("%s: %d passwords checked, want at most %d", tc.name, got, identity.MaxFailuresPerAccount)
			}
			if wrong != identity.MaxFailuresPerAccount || refused != 40-identity.MaxFailuresPerAccount {
				t.Errorf("%s: %d wrong, %d refused; want %d and %d", tc.name, wrong, refused, identity.MaxFailuresPerAccount, 40-identity.MaxFailuresPerAccount)
			}
			// Locked now, even with the right password, and without a check.
			before := h.Derivations()
			_, _, _, err := tc.services[0].SignIn(context.Background(), tc.email, "correct horse battery", "198.51.100.1", "owner")
			if errs.KindOf(err) != errs.KindExhausted || h.Derivations() != before {
				t.Errorf("%s: after the storm the right password got %v (%d checks)", tc.name, err, h.Derivations()-before)
			}
		}
	})
}

// An attempt refused because every hashing slot is busy does not count
// towards the limit, and a right password gives its attempt back.
func TestBusyAndRightAttemptsDoNotCount(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *bun.DB) {
		ctx := actor.SystemContext(context.Background())
		s := identity.NewService(d)
		if _, err := s.CreateUser(ctx, identity.NewUser{Email: "sita@example.org", DisplayName: "Sita", Password: "correct horse battery",
			Memberships: []identity.Membership{{Role: actor.RoleAdmin}}}); err != nil {
			t.Fatal(err)
		}
		h := identity.NewHasher(1, 0)
		s.SetHasher(h)
		hold, held := make(chan struct{}), make(chan struct{})
		h.OnDerive(func() {
			select {
			case held <- struct{}{}:
				<-hold
			default:
			}
		})
		done := make(chan error)
		go func() {
			_, _, _, err := s.SignIn(context.Background(), "sita@example.org", "correct horse battery", "203.0.113.9", "")
			done <- err
		}()
		<-held // the only slot is taken
		for i := range 2 * identity.MaxFailuresPerAccount {
			_, _, _, err := s.SignIn(context.Background(), "sita@example.org", "wrong password", "203.0.113.9", "")
			var e *errs.Error
			if errs.KindOf(err) != errs.KindExhausted || !errorsAs(err, &e) || e.Reason != identity.ReasonHashingBusy {
				t.Fatalf("attempt %d while busy: %v", i, err)
			}
		}
		close(hold)
		if err := <-done; err != nil {
			t.Fatalf("the held sign-in: %v", err)
		}
		// Neither the busy nor the right attempts used up the limit.
		for i := range identity.MaxFailuresPerAccount {
			if _, _, _, err := s.SignIn(context.Background(), "sita@example.org", "wrong password", "203.0.113.9", ""); errs.KindOf(err) != errs.KindUnauthorised {
				t.Fatalf("wrong attempt %d: %v", i, err)
			}
		}
		_, _, _, err := s.SignIn(context.Background(), "sita@example.org", "wrong password", "203.0.113.9", "")
		if errs.KindOf(err) != errs.KindExhausted {
			t.Fatalf("past the limit: %v", err)
		}
	})
}

func errorsAs(err error, target **errs.Error) bool { return errors.As(err, target) }
