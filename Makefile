# Front door of the Boussole build: `make run` and `make check` do everything (see README.md).
BUILD       ?= build
CHECK_BUILD ?= build-check
DB          ?= boussole.db
LISTEN      ?= 127.0.0.1:8080

.PHONY: all deps build run check bench clean

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

check: deps $(CHECK_BUILD)/build.ninja
	@ninja -C $(CHECK_BUILD) >/dev/null
	@sh tests/run.sh $(CHECK_BUILD)

bench: build
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD)
