# ncws: the Makefile is thin; CI (.ci/run) calls `make test`.
SHELL := /bin/bash
GO ?= go
SHARED ?= $(abspath ../shared)
export NCWS_SHARED := $(SHARED)

.PHONY: all build test deps lint fmt-check vet fuzz bench-validate bench-edit bench-ws clean

all: build

build:
	$(GO) build -o bin/ncws ./cmd/ncws

# deps installs what the tests need (Debian packages) when missing and we are root; otherwise it
# says exactly what is missing and fails.
deps:
	@bash scripts/deps.sh

# test: everything that proves the issues: unit tests, end-to-end tests of the binary (e2e/: Python
# websockets and headless Chromium as clients), yanglint conformance (shared corpus and ours,
# through the library and the CLI), fuzz seed corpora, examples, vet and gofmt. Race detector on.
test: deps fmt-check vet
	$(GO) test -race -count=1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint: vet fmt-check
	$(GO) tool staticcheck ./...

# fuzz runs every native fuzz target for FUZZTIME each; crashers land in testdata/fuzz as seeds.
FUZZTIME ?= 30s
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

# bench-validate: ncws validate vs yanglint on 10k and 100k interfaces, wall time and peak RSS.
bench-validate: build
	@bash scripts/bench-validate.sh

# bench-edit: the server core on the flat list of Clixon's large-list study, over in-memory
# sessions with a persistent (fsync'd) store: one-entry edit+commit at 1k/10k/100k entries,
# 1,000 entries created in one rpc, get-config of 100k entries.
BENCHTIME ?= 2s
bench-edit:
	$(GO) test -run '^$$' -bench 'EditCommit|EditRunning|EditCreate1000|GetConfig100k' -benchtime $(BENCHTIME) -benchmem ./pkg/server

# bench-ws: ncws serve over WebSocket next to yuma123 netconfd over SSH (the anchor, installed when
# missing and root), both driven by ../shared/bench/ncload in one run: get-config/s sequential and
# pipelined, session setup, and server memory per idle session (10,000 sessions). Takes a few
# minutes; figures in docs/PERFORMANCE.md. REPEAT, DURATION and IDLE_SESSIONS tune it.
bench-ws:
	@bash scripts/bench-ws.sh

clean:
	rm -rf bin bench-out
