# ncws: the Makefile is thin; CI (.ci/run) calls `make test`.
SHELL := /bin/bash
GO ?= go
SHARED ?= $(abspath ../shared)
export NCWS_SHARED := $(SHARED)

.PHONY: all build test test-race test-norace build-race build-norace deps lint fmt-check vet check-generate test-openconfig test-vendor test-vendor-split fuzz bench-validate bench-edit bench-ws bench-ssh bench-rpc-cpu bench-nacm bench-notify bench-gen bench-gen-vendor bench-gen-prune bench-junos-validate bench-vendor-extra bench-convert clean

all: build

# build: bin/ncws and bin/ncws-ygot (ygot's generator for ncws gen --ygot, a program of its own so
# that ncws does not load ygot, gNMI and gRPC; ncws finds it next to itself). Without cgo: static
# binaries that need no C library at run time (Go's own resolver and user lookup; nothing in ncws
# calls C), and a process does not map libc and the dynamic loader (1-1.5 MB of every
# process's RSS, `ncws validate` of a one-leaf module included).
build:
	CGO_ENABLED=0 $(GO) build -o bin/ ./cmd/ncws ./cmd/ncws-ygot

# deps installs what the tests need (Debian packages) when missing and we are root; otherwise it
# says exactly what is missing and fails.
deps:
	@bash scripts/deps.sh

# test: everything that proves the issues: unit tests, end-to-end tests of the binary (e2e/: Python
# websockets and headless Chromium as clients), yanglint conformance (shared corpus and ours,
# through the library and the CLI), fuzz seed corpora, examples, vet and gofmt, generated/ up to
# date (check-generate), the generator's IETF round trip (gen/ietf_test.go). Race detector on.
# The runtime packages run under the race detector; the generator's (gen/...: single-threaded
# code generation, and go builds of generated packages in subprocesses) and the schema
# compiler's (pkg/schema/...: its tests compile the OpenConfig and IETF sets one goroutine at a
# time and start none) run without it, which takes minutes off on 2 cores (ygot's generator
# under -race alone took ~2-9 min) and loses no concurrency coverage: the schema caches shared
# between goroutines are exercised under -race by the server and datastore tests. So does
# internal/cli's TestConformanceCorpus (NORACE_TESTS): its 483 cases each run a one-shot
# `ncws validate` (yangload, the XML decoder, validate: no goroutine started) beside yanglint
# (one yanglint per module set, which parses all of the set's cases),
# and under -race the 77 OpenConfig cases alone took ~2 CPU minutes compiling their module set;
# the same corpus runs under -race through the library in pkg/validate (TestCorpus), and the
# rest of internal/cli keeps -race. Likewise TestValidateLargeFile (`ncws validate` of two 6 MB
# documents through the mapped-file path, no goroutine started): 6.7 CPU-s under -race, 0.7
# without.
#
# Two chains run at once (make -j2), each printing its packages as they finish: test-race, and
# test-norace after vet and check-generate (which compile the packages it needs without -race).
# Much of the race chain's time is spent waiting on subprocesses (servers, Chromium, yanglint),
# which the other chain fills. The race chain runs 3 packages at once (-p 3; go test's default
# is the number of CPUs, 2 here): a package's test run holds one of go test's slots, so with 2
# the e2e and internal/cli runs (minutes, much of it waiting) held both, and no other package
# was linked or run meanwhile. go test's own vet pass is off (-vet=off): `go vet ./...`, part of
# test, runs every analyzer go test would on the same files, tests included.
# RACE_FIRST start first (go test starts packages in the order given, and prints them in it):
# the packages with the longest test runs, e2e/ foremost (~2 minutes of subprocesses alone).
NORACE_RE = /ncws/(gen|pkg/schema)(/|$$)
NORACE_TESTS = ^(TestConformanceCorpus|TestValidateLargeFile)$$
RACE_FIRST = ./e2e ./internal/cli ./pkg/server ./pkg/datastore/internal/journal ./pkg/transport/ssh
RACE_PKGS = $(RACE_FIRST) $$($(GO) list ./... | grep -Ev '$(NORACE_RE)')
NORACE_PKGS = $$($(GO) list ./... | grep -E '$(NORACE_RE)')
# The test targets build with -trimpath (exported in GOFLAGS, so the go commands the tests run
# in temporary modules build with it too): without it the build cache keys every package of ncws
# on its directory, so a fresh clone (CI's) compiled all of them again, and the generated packages
# the tests build in temporary directories were compiled on every run; with it the key is the
# content, and whatever an earlier run compiled from the same files is reused.
TEST_TARGETS = test test-race test-norace build-race build-norace vet check-generate test-openconfig test-vendor test-vendor-split
$(TEST_TARGETS): export GOFLAGS := $(strip $(filter-out -trimpath,$(GOFLAGS)) -trimpath)
test: deps fmt-check
	@$(MAKE) --no-print-directory -j2 build-race build-norace
	@$(MAKE) --no-print-directory -j2 test-race test-norace

# build-race and build-norace compile, before the tests start, every package the two chains and
# the go commands their tests run need (with and without the race detector), once. The go
# command shares no work between processes that compile the same package at the same time: when
# the chains started at once, e2e's `go build -race ./cmd/ncws` compiled the race packages beside
# test-race's own go test, and internal/cli's `go build` of ncws and ncws-ygot compiled the
# others beside test-norace's `go vet ./...`, each of them a second time after a change to a
# package most depend on (pkg/schema). Main packages are left out: a go build of several
# packages links a main one and discards it, and each test links what it runs itself.
NONMAIN = $(GO) list -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}'
build-race:
	$(GO) build -race $$($(NONMAIN) $(RACE_PKGS))

build-norace:
	$(GO) build $$($(NONMAIN) ./...)

test-race:
	$(GO) test -race -p 3 -count=1 -vet=off -skip '$(NORACE_TESTS)' $(RACE_PKGS)

test-norace: vet check-generate
	$(GO) test -count=1 -vet=off $(NORACE_PKGS)
	$(GO) test -count=1 -vet=off -run '$(NORACE_TESTS)' ./internal/cli

# check-generate regenerates generated/ from the go:generate lines of generated/*.go into a
# temporary copy and fails with the diff when the tree has drifted (go generate ./generated fixes it).
check-generate:
	@bash scripts/check-generate.sh

# test-openconfig generates one package from every module under
# $(SHARED)/yang/openconfig/release/models (with and without --compress-paths), builds and vets it,
# and round-trips a document through its typed structs (gen/openconfig_test.go); and builds
# ygot's GoStructs of `ncws gen --ygot` for the example and OpenConfig interfaces models and
# round-trips documents through them (gen/ygotgen TestRoundTrip). Slower than test.
test-openconfig:
	NCWS_TEST_OPENCONFIG=1 $(GO) test -count=1 -timeout 30m -run 'TestOpenConfig' -v ./gen
	NCWS_TEST_OPENCONFIG=1 $(GO) test -count=1 -timeout 30m -run 'TestRoundTrip' -v ./gen/ygotgen

# test-vendor: the generator over the vendor models of $(SHARED)/yang/vendor (gen/vendor_test.go,
# NCWS_TEST_VENDOR): Juniper Junos QFX 24.4 conf (-p common -p junos-qfx/conf, its 33 modules)
# with --path /junos-qfx-conf-root:configuration/interfaces, built, vetted and round-tripping an
# interfaces configuration through the typed structs, without and with --prune-schema (the pruned
# schema compiled from its advertised texts, yanglint on them). Needs about 3 GB; slower than test. The whole
# set without --path (ncws gen --share-groupings, then go build) is in bench-gen-vendor, not here:
# it is not shown to fit the ~3 minutes this target may take.
test-vendor:
	NCWS_TEST_VENDOR=1 GOMEMLIMIT=4GiB $(GO) test -count=1 -timeout 60m -run 'TestVendor' -v ./gen

# test-vendor-split: the whole Junos QFX conf set with --share-groupings --split module: gen,
# go build and vet of its 56 packages, round trip of an interfaces document through the split
# tree (TestVendorJunosSplit); and every golden case split, built, vetted and round-tripped
# (TestSplitGoldens). Several minutes and GBs: not in test-vendor; run it alone.
test-vendor-split:
	NCWS_TEST_VENDOR_SPLIT=1 NCWS_TEST_SPLIT_GOLDENS=1 GOMEMLIMIT=4GiB $(GO) test -count=1 -timeout 60m -run 'TestVendorJunosSplit|TestSplitGoldens' -v ./gen

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

# bench-validate: ncws validate vs yanglint on 10k and 100k interfaces, wall time and peak RSS
# (RUNS=N best of N, default 3; PAIRS=N adds N interleaved rounds on 100k with per-round ratios).
bench-validate: build
	@bash scripts/bench-validate.sh

# bench-edit: the server core on the flat list of Clixon's large-list study, over in-memory
# sessions with a persistent (fsync'd) store: one-entry edit+commit at 1k/10k/100k entries,
# 1,000 entries created in one rpc, get-config of 100k entries. Then the server's memory
# (scripts/bench-edit-rss.sh): `ncws serve` with the IETF interface models takes the 100k-interface
# document over WebSocket (edit-config of candidate + commit, `ncws client`); its peak RSS during
# the load and its RSS at rest, next to `ncws validate`'s and yanglint's peak on the same document,
# REPEAT (3) runs, medians. N sets the document's size. Then scripts/bench-edit-steady.sh: one-entry
# edit+commit at 100k entries vs 1k over WebSocket (two ncws serve, ncload, ROUNDS interleaved rounds).
BENCHTIME ?= 2s
bench-edit: build
	$(GO) test -run '^$$' -bench 'EditCommit|EditRunning|EditCreate1000|GetConfig100k' -benchtime $(BENCHTIME) -benchmem ./pkg/server
	@bash scripts/bench-edit-rss.sh
	@bash scripts/bench-edit-steady.sh

# bench-ws: ncws serve over WebSocket next to yuma123 netconfd over SSH (the anchor, installed when
# missing and root), both driven by ../shared/bench/ncload in one run: get-config/s sequential and
# pipelined, session setup, and server memory per idle session (10,000 sessions). Takes a few
# minutes; figures in docs/PERFORMANCE.md. REPEAT, DURATION and IDLE_SESSIONS tune it;
# SERVE_FLAGS adds flags to ncws serve (e.g. SERVE_FLAGS=--gomaxprocs=1).
bench-ws:
	@bash scripts/bench-ws.sh

# bench-nacm: get-config of 100k entries and a one-entry edit among them, without access
# control, with NACM off, and with 1,000 rules across 100 groups (pkg/server's
# BenchmarkNACM*); figures in docs/PERFORMANCE.md.
bench-nacm:
	$(GO) test -run '^$$' -bench 'NACM' -benchtime $(BENCHTIME) -count 3 ./pkg/server

# bench-notify: RFC 8641 on-change fan-out: 1,000 WebSocket subscribers on the example's
# interface list, one committer at increasing rates; deliveries/s, p50/p99 from commit
# (eventTime) to client receipt, updates lost, CPU per delivery (pkg/server's TestNotifyFanout).
# SUBSCRIBERS, RATES ("25 50 100") and DURATION_MS tune it; the subscribers run in a process of
# their own (epoll readers; the CPU per delivery is printed server + subscribers), BENCH_CLIENT=lean
# or =full has them in the server's process (lean reader, or pkg/client); CPUPROFILE=f, TRACE=f and ALLOCPROFILE=f write
# f.<rate> per rate; SLOWEST=n prints the n slowest commits, GC cycles and the OS run-queue
# wait per rate; COALESCE_MS (Server.PushCoalesce, -1: off) and PING_MS (keepalive interval)
# are for experiments; WARMUP_MS (1000; 0: none) is the unmeasured first phase; figures in
# docs/PERFORMANCE.md.
bench-notify:
	NCWS_BENCH_NOTIFY=1 $(GO) test -run '^TestNotifyFanout$$' -count 1 -v -timeout 30m ./pkg/server

# bench-gen-vendor: issue 17's targets on the whole Junos QFX conf set (33 modules, no --path):
# ncws gen's wall time, CPU and peak RSS, the output's size by kind, and go build of the output
# alone (time, peak RSS) in a fresh module and cache (scripts/bench-gen-vendor.sh; REPEAT,
# GEN_FLAGS, BUILD_TIMEOUT; SPLIT=module for one package per module, listed by size). Takes GBs
# of memory and minutes: run it alone.
bench-gen-vendor: build
	@bash scripts/bench-gen-vendor.sh

# bench-gen-prune: what --prune-schema saves on Junos QFX conf generated with --path
# /junos-qfx-conf-root:configuration/interfaces, whole and pruned interleaved: gen time and RSS,
# output size (descriptor, module texts), go build time and RSS, and the CPU time and RSS of a
# program calling Schema() (scripts/bench-gen-prune.sh; REPEAT, GEN_FLAGS, PRUNE_PATH). Run it
# alone: a few GB and minutes.
bench-gen-prune: build
	@bash scripts/bench-gen-prune.sh

# bench-junos-validate: issue 17's validation-memory target: peak RSS of ncws validate with the
# 31 Junos QFX conf modules (all but class-of-service and dynamic-profiles) and a small
# configuration, next to yanglint's, interleaved (scripts/bench-junos-validate.sh; REPEAT).
# yanglint takes 35-40 s of CPU a run: run it alone.
bench-junos-validate: build
	@bash scripts/bench-junos-validate.sh

# bench-vendor-extra: issue 17's claims on vendor sets NOT in ../shared/yang, fetched by hand as
# local test inputs (scripts/bench-vendor-extra.sh says what each part needs and what is
# missing): SROS_DIR=<7x50_YangModels release dir> (gen/build of nokia-conf, one package and
# --split module; validate RSS vs yanglint), SRL_A=/SRL_B=<two srlinux-yang-models checkouts>
# (Go names that change between releases or when a module is added; SRL_FLAGS), SONIC_DIR=
# <sonic-buildimage/src/sonic-yang-models> (valid test documents: ncws validate vs yanglint).
# Takes GBs for the SR OS build: run it alone.
bench-vendor-extra: build
	@bash scripts/bench-vendor-extra.sh

# bench-ssh: the same runs with ncws over SSH (--ssh-listen) next to netconfd over SSH, one
# client (ncload -ssh) for both: session setup and get-config/s sequential and 8 outstanding.
bench-ssh:
	@TRANSPORT=ssh bash scripts/bench-ws.sh

# bench-rpc-cpu: the server's CPU time, context switches and syscalls per get-config over SSH
# and WebSocket, sequential and 8 outstanding (perf stat, strace), for this tree or for the
# ncws binaries given in BINS (e.g. an older build next to bin/ncws; BIN+FLAG adds serve flags,
# as in bin/ncws+--gomaxprocs=1), runs alternating:
# measures that move less with a shared machine's load than rpc/s. Figures in
# docs/PERFORMANCE.md.
bench-rpc-cpu:
	@bash scripts/bench-rpc-cpu.sh $(BINS)

# bench-gen: ncws gen next to ygot's own generator (at go.mod's ygot version) on the whole OpenConfig
# release in one run: generation wall time and peak RSS, then go build of each output in a fresh
# module (deps warmed in a fresh GOCACHE, the generated package compiled each time), compress
# paths off and on, medians of REPEAT (3). Takes ~10 minutes; figures in docs/PERFORMANCE.md.
bench-gen: build
	@bash scripts/bench-gen.sh

# bench-convert: typed-struct conversion (generated FromTree/ToTree through pkg/genimpl's tables) of
# a document of 1,000 interfaces, routes and ACL rules, with allocations; figures in docs/PERFORMANCE.md.
bench-convert:
	$(GO) test -run XXX -bench . -benchmem -count $${COUNT:-5} ./generated/example

clean:
	rm -rf bin bench-out
