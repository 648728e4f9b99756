package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pactum-dev/pactum/internal/actor"
	"github.com/pactum-dev/pactum/internal/app"
	"github.com/pactum-dev/pactum/internal/identity"
)

// Without SMTP, an administrator gets a reset link from the command line:
// printed to stdout, working once, revoking the earlier ones.
func TestUserResetLinkCommand(t *testing.T) {
	t.Parallel()
	ctx := actor.SystemContext(context.Background())
	g := &globals{DB: filepath.Join(t.TempDir(), "pactum.db"), LogFormat: "text", LogLevel: "error"}
	d, err := app.OpenDB(ctx, g.DB, g.logger())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ids := identity.NewService(d)
	if _, err := ids.CreateUser(ctx, identity.NewUser{Email: "amina@example.org", DisplayName: "Amina", Password: "correct horse battery",
		Memberships: []identity.Membership{{Role: actor.RoleAdmin}}}); err != nil {
		t.Fatal(err)
	}
	link := func() string {
		var out bytes.Buffer
		cmd := &userResetLinkCmd{Email: "Amina@example.org", PublicURL: "https://pactum.example.org/"}
		if err := cmd.run(ctx, g, &out); err != nil {
			t.Fatal(err)
		}
		l := strings.TrimSpace(out.String())
		if !strings.HasPrefix(l, "https://pactum.example.org/reset-password?token=pr_") {
			t.Fatalf("printed %q", out.String())
		}
		return strings.TrimPrefix(l, "https://pactum.example.org/reset-password?token=")
	}
	first, second := link(), link()
	if _, err := ids.UseLink(ctx, first, identity.PurposeReset, "a new long password"); err == nil {
		t.Fatal("the earlier link still works")
	}
	if _, err := ids.UseLink(ctx, second, identity.PurposeReset, "a new long password"); err != nil {
		t.Fatal(err)
	}
	err = (&userResetLinkCmd{Email: "nobody@example.org", PublicURL: "http://localhost:8080"}).run(ctx, g, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "no enabled user") {
		t.Fatalf("unknown user: %v", err)
	}
}
