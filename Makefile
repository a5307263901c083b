# Signet. The README's two commands:
#   make run    set up (system packages, dev keys) and run the main job
#   make test   set up (with test oracles) and run the whole test suite

SWIFT ?= swift
OUT ?= out

.PHONY: run test bootstrap bootstrap-test build demo bench clean

run: bootstrap build
	$(SWIFT) run -c debug signet demo --out $(OUT)

test: bootstrap-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bootstrap:
	@scripts/bootstrap.sh

bootstrap-test:
	@scripts/bootstrap.sh --test

build:
	$(SWIFT) build

bench: bootstrap-test
	$(SWIFT) build -c release
	benchmarks/run-all.sh

clean:
	rm -rf .build $(OUT)
