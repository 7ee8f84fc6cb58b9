# chainmap: the two commands that matter are `make run` and `make test` (see README.md).
SHELL := /bin/bash
GO ?= go
BIN := bin/chainmap
# What `chainmap version` and the chainmap_build_info metric say: the newest tag (or the commit when there is
# none) and the commit, "-dirty"/"+dirty" when the tree has changes. Override with `make VERSION=v1.2.3`.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)$(shell git diff --quiet HEAD -- 2>/dev/null || echo +dirty)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

# The test suite has its own Neo4j instance (own data folder and ports), so `make test` never touches the data
# that `make run` serves.
TEST_NEO4J := NEO4J_INSTANCE=test NEO4J_BOLT_PORT=7688 NEO4J_HTTP_PORT=7475 NEO4J_PASSWORD=chainmap-test
export CHAINMAP_TEST_NEO4J_URI ?= bolt://127.0.0.1:7688
export CHAINMAP_TEST_NEO4J_PASSWORD ?= chainmap-test
export CHAINMAP_TEST_NEO4J_HTTP ?= http://127.0.0.1:7475

# Node.js 22 LTS or newer builds the web assets and runs the browser tests: the machine's node when it is new
# enough, else the one dev/node/node.sh fetches from the npm registry into .node/ (first on PATH here).
export PATH := $(CURDIR)/.node/bin:$(PATH)

.PHONY: node run test hostile screenshots neo4j neo4j-stop test-neo4j test-neo4j-stop build web web-deps e2e-deps examples-deps generate bench bench-synthetic bench-peer bench-limit clean backup restore backup-drill

## run: start Neo4j (unless NEO4J_URI is set), apply the schema, load the seeds, serve on :8080
run: build
	@if [ -z "$$NEO4J_URI" ]; then dev/neo4j/neo4j.sh start >/dev/null; fi
	$(BIN) migrate
	$(BIN) load
	$(BIN) serve

## test: start the test Neo4j if needed, then go vet, the explorer's typecheck (its queries against the schema) and
## every test (Go, and the browser tests in e2e/)
test: build test-neo4j e2e-deps examples-deps
	$(GO) vet ./...
	cd web && npm run --silent typecheck
	$(GO) test -p 1 -count=1 -timeout 45m ./...
	cd e2e && npm test

## screenshots: run the browser tests and keep their pictures in docs/screenshots (the README shows them)
screenshots: build test-neo4j e2e-deps
	cd e2e && CHAINMAP_SCREENSHOTS=docs/screenshots npm test

## neo4j / neo4j-stop: the local Neo4j that `make run` uses (bolt://127.0.0.1:7687, http://127.0.0.1:7474)
neo4j:
	dev/neo4j/neo4j.sh start
neo4j-stop:
	dev/neo4j/neo4j.sh stop

## backup / restore: a store-level backup of a local Neo4j with Neo4j's own neo4j-admin (Community dumps a
## stopped database: the instance is stopped for it and started again if it ran). INSTANCE is dev (the one
## `make run` serves, the default) or test (the one `make test` uses). Backups go to .neo4j/backups/<instance>/.
##   make backup [INSTANCE=dev|test] [FILE=path.dump]      make restore FILE=path.dump [INSTANCE=dev|test]
## Editors' work since the backup is not in it: for that, `chainmap dump` and `serve -archive` (docs/operations.md).
INSTANCE ?= dev
INSTANCE_NEO4J = $(if $(filter test,$(INSTANCE)),$(TEST_NEO4J),NEO4J_INSTANCE=$(INSTANCE))
backup:
	$(INSTANCE_NEO4J) dev/neo4j/neo4j.sh backup $(FILE)
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=.neo4j/backups/$(INSTANCE)/neo4j-<time>.dump [INSTANCE=dev|test]" >&2; exit 2; }
	$(INSTANCE_NEO4J) dev/neo4j/neo4j.sh restore $(FILE)

test-neo4j:
	$(TEST_NEO4J) dev/neo4j/neo4j.sh start >/dev/null
test-neo4j-stop:
	$(TEST_NEO4J) dev/neo4j/neo4j.sh stop

build: web
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/chainmap

## node: a supported Node.js (22 LTS or newer; see dev/node/node.sh)
node:
	@dev/node/node.sh

## web: build the browser assets (GraphQL IDE, explorer) that the binary embeds
web: node web/node_modules/.package-lock.json
	cd web && npm run --silent build
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
e2e-deps: node e2e/node_modules/.package-lock.json
## examples-deps: the TypeScript example's packages (gql.tada, graphql-sse, typescript), which the browser tests run
examples-deps: node examples/typescript/node_modules/.package-lock.json
examples/typescript/node_modules/.package-lock.json: examples/typescript/package.json examples/typescript/package-lock.json
	cd examples/typescript && npm ci --no-audit --no-fund
e2e/node_modules/.package-lock.json: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund

## generate: regenerate the gqlgen code after a schema change
generate:
	$(GO) tool gqlgen generate

## bench: Go benchmarks against the test Neo4j loaded with the seeds
bench: test-neo4j
	$(GO) test -p 1 -run '^$$' -bench . -benchmem ./...

## bench-synthetic: the analyses and planner queries on 100,000 synthetic enterprises and 1,000,000 supply
## links, on an instance of its own (bolt 7689, http 7476) so that no other data is touched
BENCH_NEO4J := NEO4J_INSTANCE=bench NEO4J_BOLT_PORT=7689 NEO4J_HTTP_PORT=7476 NEO4J_PASSWORD=chainmap-bench NEO4J_HEAP=6g NEO4J_PAGECACHE=2g
bench-synthetic:
	$(BENCH_NEO4J) dev/neo4j/neo4j.sh start >/dev/null
	CHAINMAP_TEST_NEO4J_URI=bolt://127.0.0.1:7689 CHAINMAP_TEST_NEO4J_PASSWORD=chainmap-bench CHAINMAP_BENCH_SYNTHETIC=100000 \
		$(GO) test -p 1 -timeout 60m -run '^$$' -bench 'Analyses|PlannerQueries' -benchtime 20x ./graph
	$(BENCH_NEO4J) dev/neo4j/neo4j.sh stop

## hostile: the hostile suite (issue 9) that is too slow or too disruptive for `make test` — 300 clients,
## 1,000 trickling bodies, Neo4j stopped and restarted — against `chainmap serve` on 127.0.0.1:8093 and a Neo4j
## instance of its own (bolt 7694, http 7481), which it stops at the end. Figures: docs/reliability.md
HOSTILE_INSTANCE ?= hostile
HOSTILE_BOLT_PORT ?= 7694
HOSTILE_HTTP_PORT ?= 7481
HOSTILE_PASSWORD ?= chainmap-hostile
HOSTILE_NEO4J = NEO4J_INSTANCE=$(HOSTILE_INSTANCE) NEO4J_BOLT_PORT=$(HOSTILE_BOLT_PORT) NEO4J_HTTP_PORT=$(HOSTILE_HTTP_PORT) \
	NEO4J_PASSWORD=$(HOSTILE_PASSWORD) NEO4J_HEAP=1g NEO4J_PAGECACHE=512m
hostile:
	$(HOSTILE_NEO4J) dev/neo4j/neo4j.sh start >/dev/null
	$(HOSTILE_NEO4J) CHAINMAP_TEST_NEO4J_URI=bolt://127.0.0.1:$(HOSTILE_BOLT_PORT) CHAINMAP_TEST_NEO4J_PASSWORD=$(HOSTILE_PASSWORD) \
		CHAINMAP_TEST_NEO4J_INSTANCE=$(HOSTILE_INSTANCE) CHAINMAP_TEST_NEO4J_HTTP=http://127.0.0.1:$(HOSTILE_HTTP_PORT) \
		$(GO) test -tags hostile -count=1 -timeout 15m -run '^TestHostile' -v ./cmd/chainmap | grep -E '^(=== RUN|--- |\s+hostile_(surfaces_)?test.go|FAIL|PASS|ok)'; \
		status=$${PIPESTATUS[0]}; $(HOSTILE_NEO4J) dev/neo4j/neo4j.sh stop >/dev/null; exit $$status

## backup-drill: the backup figures too slow or disruptive for `make test` (backup/drill_test.go,
## cmd/chainmap/drill_test.go): dump round trips with 1,000 editors' changes and with 100,000 synthetic firms
## (DRILL_FIRMS=n for another size), the restore drill without -archive-sync, and neo4j-admin backup and restore.
## On a Neo4j instance of its own (bolt 7696, http 7483), which it kills, wipes and stops at the end.
DRILL_NEO4J := NEO4J_INSTANCE=drill NEO4J_BOLT_PORT=7696 NEO4J_HTTP_PORT=7483 NEO4J_PASSWORD=chainmap-drill NEO4J_HEAP=6g NEO4J_PAGECACHE=1g
backup-drill:
	$(DRILL_NEO4J) dev/neo4j/neo4j.sh start >/dev/null
	$(DRILL_NEO4J) CHAINMAP_TEST_NEO4J_URI=bolt://127.0.0.1:7696 CHAINMAP_TEST_NEO4J_PASSWORD=chainmap-drill \
		CHAINMAP_TEST_NEO4J_INSTANCE=drill CHAINMAP_TEST_NEO4J_HTTP=http://127.0.0.1:7483 \
		$(GO) test -tags drill -p 1 -count=1 -timeout 120m -run 'Drill' -v ./backup ./cmd/chainmap | grep -E '^(=== RUN|--- |\s+\S+_test.go|FAIL|PASS|ok)'; \
		status=$${PIPESTATUS[0]}; $(DRILL_NEO4J) dev/neo4j/neo4j.sh stop >/dev/null; exit $$status

clean:
	rm -rf bin web/dist/graphiql web/dist/explore

## bench-peer: chainmap against @neo4j/graphql 7 side by side on the same data (bench/peer/README.md), on an instance
## of its own (bolt 7690, http 7477); prints the ratio table and writes it to bench/peer/results/latest.txt
bench-peer: build
	bench/peer/run.sh

## bench-limit: each of bench-peer's questions through GraphQL beside its own compiled statement through the bare
## Go driver (the limit), alternating, at 1 and 20 clients, on an instance of its own (bolt 7697, http 7484) loaded
## with the seeds; LIMIT_NEO4J_URI=... for an instance that holds other data (docs/performance.md)
LIMIT_NEO4J := NEO4J_INSTANCE=limit NEO4J_BOLT_PORT=7697 NEO4J_HTTP_PORT=7484 NEO4J_PASSWORD=chainmap-limit
bench-limit: build
	$(LIMIT_NEO4J) bench/limit/run.sh
