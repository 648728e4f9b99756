# Pactum. `make run` starts it with demo data; `make test` runs every check.
GO       ?= go
BUF      := $(GO) tool -modfile=tools/go.mod buf
GOLANGCI := $(GO) tool -modfile=tools/go.mod golangci-lint
PACTUM_DB ?= ./pactum-data/pactum.db

# Pactum's Go packages: ./... without the Go code some npm packages ship
# inside frontend/node_modules (flatted does).
GOPKGS    = $(shell $(GO) list ./... | grep -v /node_modules/)

NPM      ?= npm
FRONTEND := frontend

.PHONY: run build test generate generate-ts check-generate lint-proto vet go-test fuzz-short bench lint clean \
	frontend frontend-deps frontend-check check-dist e2e

run: ## Start Pactum on SQLite (./pactum-data) with demo data, on :8080.
	$(GO) run ./cmd/pactum --db $(PACTUM_DB) serve --demo

build:
	$(GO) build -o bin/pactum ./cmd/pactum

test: check-generate lint-proto vet lint go-test fuzz-short frontend-check check-dist e2e ## Every check CI runs.

generate: frontend-deps ## Regenerate Go and TypeScript code from proto/.
	$(BUF) generate
	$(MAKE) --no-print-directory generate-ts OUT=.

# The TypeScript client is generated from an image with protovalidate's rules
# stripped (the browser does not need them; the server enforces them).
generate-ts:
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(BUF) build -o $$tmp/image.binpb && \
	$(GO) run ./internal/tools/protostrip < $$tmp/image.binpb > $$tmp/stripped.binpb && \
	rm -rf $(OUT)/$(FRONTEND)/src/gen && \
	$(BUF) generate $$tmp/stripped.binpb --template buf.gen.es.yaml -o $(OUT)

check-generate: frontend-deps ## Fail when the committed generated code (Go and TypeScript) is stale.
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(BUF) generate -o $$tmp && \
	$(MAKE) --no-print-directory generate-ts OUT=$$tmp && \
	if ! diff -r internal/gen $$tmp/internal/gen || ! diff -r $(FRONTEND)/src/gen $$tmp/$(FRONTEND)/src/gen; then \
	  echo "generated code is stale: run 'make generate' and commit the result"; exit 1; \
	fi && echo "generated code is up to date"

frontend-deps: $(FRONTEND)/node_modules/.package-lock.json

$(FRONTEND)/node_modules/.package-lock.json: $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && $(NPM) ci --no-audit --no-fund

frontend: frontend-deps ## Build the web app into frontend/dist (committed; the binary embeds it).
	cd $(FRONTEND) && $(NPM) run build

frontend-check: frontend-deps ## Type-check and lint the web app (ESLint, React hooks rules), unit tests (every language has every key, no import cycle).
	cd $(FRONTEND) && npx tsc -b && $(NPM) run lint && npx vitest run

check-dist: frontend-deps ## Fail when the committed frontend/dist is not what the sources build.
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	(cd $(FRONTEND) && npx vite build --outDir $$tmp/dist --emptyOutDir --logLevel warn) && \
	if ! diff -r $(FRONTEND)/dist $$tmp/dist >/dev/null; then \
	  echo "frontend/dist is stale: run 'make frontend' and commit the result"; exit 1; \
	fi && echo "frontend/dist is up to date"

e2e: frontend-deps ## Browser tests: the real binary on a temporary SQLite database, in headless Chromium.
	$(GO) build -o bin/pactum-e2e ./cmd/pactum
	cd $(FRONTEND) && PACTUM_BIN=$(CURDIR)/bin/pactum-e2e npx playwright test

lint-proto:
	$(BUF) lint
	$(BUF) format --diff --exit-code

vet:
	@test -z "$$(gofmt -l cmd internal migrations frontend/embed.go tools)" || { gofmt -l cmd internal migrations frontend/embed.go tools; echo "gofmt needed"; exit 1; }
	$(GO) vet $(GOPKGS)

go-test:
	@if [ -n "$$PACTUM_TEST_POSTGRES_DSN" ]; then echo "PostgreSQL tests: on ($$PACTUM_TEST_POSTGRES_DSN)"; \
	else echo "PostgreSQL tests: skipped (set PACTUM_TEST_POSTGRES_DSN=postgres://... to run them)"; fi
	$(GO) test -count=1 $(GOPKGS)

FUZZTIME ?= 10s
fuzz-short: ## Each fuzz target (the readers of imported files) for FUZZTIME; corpora in the packages' testdata/fuzz.
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./internal/sheet
	$(GO) test -run '^$$' -fuzz '^FuzzReadLedger$$' -fuzztime $(FUZZTIME) ./internal/expenditure
	$(GO) test -run '^$$' -fuzz '^FuzzReadRateFile$$' -fuzztime $(FUZZTIME) ./internal/fx

BENCHTIME ?= 1x
bench: ## Benchmarks: ledger import of 100,000 rows; budget versus actual and the XLSX/PDF report over 200,000 expenditures (SQLite; PostgreSQL too when PACTUM_TEST_POSTGRES_DSN is set).
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -benchmem $(GOPKGS)

lint: ## golangci-lint, pinned in tools/go.mod (configuration in .golangci.yml). The first run builds it (minutes).
	$(GOLANGCI) run ./...

clean:
	rm -rf bin pactum-data

measure-web: frontend-deps ## First-load JavaScript size and time for a partner at 400 kbit/s, 400 ms RTT.
	$(GO) build -o bin/pactum-e2e ./cmd/pactum
	cd $(FRONTEND) && PACTUM_BIN=$(CURDIR)/bin/pactum-e2e node tests/perf/first-load.mjs
