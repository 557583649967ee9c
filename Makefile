# Front door of the Boussole build: `make run` and `make check` do everything (see README.md).
BUILD       ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD  ?= build-fuzz
COVERAGE_BUILD ?= build-coverage
FUZZ_TARGETS = fuzz_urlencoded fuzz_router fuzz_csv fuzz_text fuzz_json fuzz_xlsx fuzz_multipart fuzz_xlsx_xml fuzz_sniff \
               fuzz_funding_calls fuzz_data_inclusion
SECONDS     ?= 60
SOAK_SECONDS ?= 300
DB          ?= boussole.db
LISTEN      ?= 127.0.0.1:8080

.PHONY: all deps build run check lint bench fuzz crash soak coverage clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=if-release >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null

run: build
	./$(BUILD)/boussole demo --db $(DB) --listen $(LISTEN)

$(CHECK_BUILD)/build.ninja:
	meson setup $(CHECK_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

# A build error must be seen, and still end with the count line CI reads.
check: deps $(CHECK_BUILD)/build.ninja $(FUZZ_BUILD)/build.ninja
	@ninja --quiet -C $(CHECK_BUILD) || { echo "build: 0 passed, 1 failed"; exit 1; }
	@ninja --quiet -C $(FUZZ_BUILD) $(FUZZ_TARGETS) || { echo "fuzz-build: 0 passed, 1 failed"; exit 1; }
	@FUZZ_BUILD=$(FUZZ_BUILD) sh tests/run.sh $(CHECK_BUILD)

# make lint: the house checks on the real tree (tools/check_*; README.md, "House checks"). Runs
# all three and fails if any failed.
lint:
	@st=0; /usr/bin/python3 tools/check_printf.py . || st=1; \
	/usr/bin/python3 tools/check_layers.py . || st=1; \
	sh tools/check_format.sh $(BASE) || st=1; exit $$st

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debug -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	@ninja -C $(FUZZ_BUILD) $(FUZZ_TARGETS) >/dev/null

# make fuzz SECONDS=N: runs every libFuzzer target for N seconds.
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(SECONDS)

# make crash: the server killed with SIGKILL at random moments under concurrent API writes, on the
# ASan + UBSan build; no acknowledged write may be lost (tests/crash/).
crash: deps $(CHECK_BUILD)/build.ninja
	@ninja -C $(CHECK_BUILD) >/dev/null
	@sh tests/crash/run.sh $(CHECK_BUILD)

$(COVERAGE_BUILD)/build.ninja:
	meson setup $(COVERAGE_BUILD) --buildtype=debug -Db_coverage=true >/dev/null

# make coverage: the unit and HTTP tests on a gcov build (no sanitizers), then the line coverage
# of src/ per layer (tools/coverage.sh). Several minutes; not part of make check.
coverage: deps $(COVERAGE_BUILD)/build.ninja
	@ninja --quiet -C $(COVERAGE_BUILD) || { echo "coverage: the build failed"; exit 1; }
	@sh tools/coverage.sh $(COVERAGE_BUILD)

bench: build
	@sh bench/run.sh $(BUILD)

# make soak [SOAK_SECONDS=300]: wrk at 256 connections on the main pages of the release build;
# fails on any non-2xx answer, socket error or growing RSS; writes bench/SOAK.md (bench/soak.sh).
soak: build
	@SOAK_SECONDS=$(SOAK_SECONDS) sh bench/soak.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD) $(COVERAGE_BUILD)
