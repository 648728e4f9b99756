package rpc_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"connectrpc.com/connect"

	pactumv1 "github.com/pactum-dev/pactum/internal/gen/pactum/v1"
	"github.com/pactum-dev/pactum/internal/rpc/rpctest"
)

// sqlWords are what a driver's error says and a client must never read:
// SQL, constraint and table names, driver codes.
var sqlWords = []string{"SELECT", "INSERT", "DELETE FROM", "UPDATE ", "constraint", "SQLSTATE", "duplicate key",
	"violates", "sqlite", "pq:", "(2067)", "(787)", "projects.", "results."}

func expectNoSQL(t *testing.T, err error) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%v is not a Connect error", err)
	}
	for _, w := range sqlWords {
		if strings.Contains(strings.ToLower(ce.Message()), strings.ToLower(w)) {
			t.Errorf("the client reads %q, which shows the database's words (%q)", ce.Message(), w)
		}
	}
}

// The database's own refusals reach the client as what they mean: a
// duplicate key (the unique index on a project's code within its grant)
// answers already_exists, and a delete that a reference refuses (a result
// of the project: the foreign key, which no check before the delete looks
// at) answers failed_precondition; each says what to do, in words without
// SQL.
func TestDatabaseRefusalsAnswerWhatTheyMean(t *testing.T) {
	t.Parallel()
	rpctest.Each(t, func(t *testing.T, e *rpctest.Env) {
		t.Parallel()
		ctx := context.Background()
		w := newProjectWorld(t, e)
		p := w.create(t, w.valid())

		again := w.valid()
		again.Title = "Another title, the same code"
		_, err := e.Projects.CreateProject(ctx, connect.NewRequest(&pactumv1.CreateProjectRequest{Project: again, RequestId: "b7f1e9a2-5d0c-4e8b-9a31-0c6f2d4e8a11"}))
		rpctest.ExpectCode(t, err, connect.CodeAlreadyExists)
		if !strings.Contains(err.Error(), `code "KE-01" is already used by another project of `+w.grant) {
			t.Errorf("message %q does not say which code is taken where", err.Error())
		}
		if v := rpctest.Violations(err)["project.code"]; !strings.Contains(v, "KE-01") {
			t.Errorf("violations %v: want project.code named, for the form to show next to the field", rpctest.Violations(err))
		}
		expectNoSQL(t, err)

		must(e.Results.CreateResult(ctx, connect.NewRequest(&pactumv1.CreateResultRequest{Parent: p.GetName(),
			Result: &pactumv1.Result{Level: pactumv1.ResultLevel_RESULT_LEVEL_OVERALL_OBJECTIVE, Code: "OO", Title: "Decent work"}})))
		_, err = e.Projects.DeleteProject(ctx, connect.NewRequest(&pactumv1.DeleteProjectRequest{Name: p.GetName(), Etag: p.GetEtag()}))
		rpctest.ExpectCode(t, err, connect.CodeFailedPrecondition)
		if rpctest.Reason(err) != "PROJECT_HAS_HISTORY" || !strings.Contains(err.Error(), p.GetName()+" cannot be deleted: other records refer to it") {
			t.Errorf("%v (reason %q): want PROJECT_HAS_HISTORY naming the project", err, rpctest.Reason(err))
		}
		expectNoSQL(t, err)

		// The refused delete changed nothing.
		got, err := e.Projects.GetProject(ctx, connect.NewRequest(&pactumv1.GetProjectRequest{Name: p.GetName()}))
		if err != nil || len(got.Msg.GetProject().GetParticipants()) != len(p.GetParticipants()) {
			t.Fatalf("after the refused delete: %v (%v), want the project whole", got, err)
		}
	})
}
