# Pactum. `make run` starts it with demo data; `make test` runs every check.
GO       ?= go
BUF      := $(GO) tool -modfile=tools/go.mod buf
PACTUM_DB ?= ./pactum-data/pactum.db

.PHONY: run build test generate check-generate lint-proto vet go-test bench lint clean

run: ## Start Pactum on SQLite (./pactum-data) with demo data, on :8080.
	$(GO) run ./cmd/pactum --db $(PACTUM_DB) serve --demo

build:
	$(GO) build -o bin/pactum ./cmd/pactum

test: check-generate lint-proto vet go-test ## Every check CI runs.

generate: ## Regenerate Go code from proto/.
	$(BUF) generate

check-generate: ## Fail when the committed generated code is stale.
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(BUF) generate -o $$tmp && \
	if ! diff -r internal/gen $$tmp/internal/gen; then \
	  echo "generated code is stale: run 'make generate' and commit the result"; exit 1; \
	fi && echo "generated code is up to date"

lint-proto:
	$(BUF) lint
	$(BUF) format --diff --exit-code

vet:
	@test -z "$$(gofmt -l cmd internal migrations frontend tools)" || { gofmt -l cmd internal migrations frontend tools; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

go-test:
	@if [ -n "$$PACTUM_TEST_POSTGRES_DSN" ]; then echo "PostgreSQL tests: on ($$PACTUM_TEST_POSTGRES_DSN)"; \
	else echo "PostgreSQL tests: skipped (set PACTUM_TEST_POSTGRES_DSN=postgres://... to run them)"; fi
	$(GO) test -count=1 ./...

bench: ## Benchmarks.
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint: ## golangci-lint, when installed (configuration in .golangci.yml).
	golangci-lint run ./...

clean:
	rm -rf bin pactum-data
