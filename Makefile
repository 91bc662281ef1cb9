# tumulte — developer entry points. `make` (or `make help`) lists them.
#
# PostgreSQL and Redis for tests and the demo are run by scripts/services from .local/ on
# 127.0.0.1:15432 and 127.0.0.1:16379 (override with TUMULTE_PG_PORT / TUMULTE_REDIS_PORT).
# The variables the daemon and the tests read come from `scripts/services env`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# The Swift toolchain: the one on PATH, else /opt/swift.
SWIFT_TOOLCHAIN_BIN ?= /opt/swift/usr/bin
ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := $(SWIFT_TOOLCHAIN_BIN):$(PATH)
endif

SWIFT ?= swift
SERVICES := scripts/services
DEMO_PORT ?= 3333
SWIFT_FORMAT_PATHS ?= Sources Tests

.PHONY: help install services-up services-down services-status build test demo clean-local lint format bench openapi pages

help: ## List the targets
	@echo "tumulte — make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-zA-Z_-]+):.*## (.*)$$/  \1\t\2/' | expand -t 20

install: ## Install the Debian packages the build, tests and demo need (only those missing)
	@$(SERVICES) install

services-up: ## Start PostgreSQL (15432) and Redis (16379) from .local/
	@$(SERVICES) up

services-down: ## Stop them (data in .local/ is kept)
	@$(SERVICES) down

services-status: ## Show whether they run
	@$(SERVICES) status

build: ## swift build (debug)
	$(SWIFT) build

# Services are stopped whatever happens (build error, test failure, Ctrl-C); the exit
# status is the build's or the tests'.
test: install ## Start the services, build and run all tests, stop the services
	@trap '$(SERVICES) down' EXIT; \
	$(SERVICES) up; \
	eval "$$($(SERVICES) env)"; \
	echo "== swift build --build-tests"; \
	$(SWIFT) build --build-tests || exit $$?; \
	echo "== swift test --skip-build --skip IntegrationTests (unit and wire tests, in parallel)"; \
	units=0; $(SWIFT) test --skip-build --skip IntegrationTests || units=$$?; \
	echo "== swift test --skip-build --filter IntegrationTests (daemons, browsers; apart, so their load cannot starve timing tests)"; \
	integration=0; $(SWIFT) test --skip-build --filter IntegrationTests || integration=$$?; \
	[ $$units -eq 0 ] && [ $$integration -eq 0 ]

# Services stay up after Ctrl-C (data kept in .local/); `make services-down` stops them.
# DEMO_FLAGS passes flags to `tumulte demo`, e.g. make demo DEMO_FLAGS="--viewers 1000 --rate 100".
demo: install ## Start the services, build release, run `tumulte demo` (simulated Twitch, live polls) on port 3333
	@$(SERVICES) up
	$(SWIFT) build -c release --product tumulte
	@eval "$$($(SERVICES) env)"; \
	exec .build/release/tumulte demo --port $(DEMO_PORT) $(DEMO_FLAGS)

bench: ## Build the benchmarks in release mode and print their figures (not part of make test)
	cd Benchmarks && $(SWIFT) build -c release --scratch-path ../.build-bench --product TumulteBenchmarks
	.build-bench/release/TumulteBenchmarks

clean-local: ## Stop the services and delete .local/ (their data and logs)
	@$(SERVICES) clean

# Runs every check, then fails if any failed.
lint: ## swift format lint --strict, docker-compose config, shellcheck
	@$(SERVICES) install-lint
	@failed=""; \
	echo "== swift format lint --strict --recursive $(SWIFT_FORMAT_PATHS)"; \
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS) || failed="$$failed swift-format(run 'make format')"; \
	echo "== docker-compose config -q"; \
	docker-compose -f docker-compose.yml config -q || failed="$$failed docker-compose"; \
	echo "== shellcheck scripts/services scripts/env.sh scripts/embed-openapi scripts/embed-pages .ci/run"; \
	shellcheck scripts/services scripts/env.sh scripts/embed-openapi scripts/embed-pages .ci/run || failed="$$failed shellcheck"; \
	if [ -n "$$failed" ]; then echo "lint: FAILED:$$failed"; exit 1; fi; \
	echo "lint: OK"

openapi: ## Embed docs/openapi.yaml into the daemon (after editing the YAML)
	scripts/embed-openapi

pages: ## Embed the overlay and dashboard pages (Sources/OverlayFeed/Page/*.html) into OverlayFeed after editing one
	scripts/embed-pages

format: ## Rewrite Sources and Tests in place with swift format
	$(SWIFT) format format --in-place --recursive $(SWIFT_FORMAT_PATHS)
