# Signet. The README's two commands:
#   make run    set up (system packages, dev keys) and run the main job
#   make test   set up (with test oracles) and run the whole test suite

SWIFT ?= swift
OUT ?= out

.PHONY: run demo test bootstrap bootstrap-test build bench clean

# The main job: the service on http://127.0.0.1:8080 (PORT=… to change), with the
# development PKI in keys/, the database in data/, a development API key, a sample merchant
# and contract (scripts/run.sh prints the key, the sample's signing link and a curl line).
run: bootstrap build
	scripts/run.sh

# Render every sample contract and sign it as merchant and platform to PAdES B-LTA, into $(OUT)/.
demo: bootstrap build
	$(SWIFT) run -c debug signet demo --out $(OUT) --keys keys

# The whole suite (every suite on SQLite, then the service suites again on a throwaway
# PostgreSQL cluster: scripts/test.sh), then the release product: a release build that does
# not compile (it builds with whole-module optimisation and checks imports differently) fails
# CI too; then the crash test's short form on that release build (scripts/crash-test.sh --ci).
test: bootstrap-test
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/test.sh
	$(SWIFT) build -c release --product signet
	scripts/crash-test.sh --ci

bootstrap:
	@scripts/bootstrap.sh

bootstrap-test:
	@scripts/bootstrap.sh --test

build:
	$(SWIFT) build

# Every benchmark in benchmarks/ (each builds the release products it measures: signet, and
# signet-bench for the in-process ones); figures go to docs/benchmarks.md.
bench: bootstrap-test
	benchmarks/run-all.sh

clean:
	rm -rf .build $(OUT)
