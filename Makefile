# Kinesis Workbench: the two commands are `make run` and `make test`.
#
#   make run      install what is missing, build, open the GUI on the built-in sandbox
#   make test     install what is missing (test peers included), build, run every test
#   make build    build only              make bench    run the benchmarks
#   make asan     build and test with AddressSanitizer + UBSan (unit, integration, sandbox tests)
#   make fuzz     build the libFuzzer targets (clang) and run each for FUZZ_SECONDS (default 60)
#   make clean    remove the build folders
#   make package  build the Debian package (build/$(PRESET)/packages/kinesis-workbench_*.deb)
#   make install PREFIX=/usr/local [DESTDIR=/stage]   install the programs and desktop files
#   make screenshots  render docs/screenshots/*.png under Xvfb (docs/screenshots/render.sh)
#
# Installs use apt-get (with sudo when not root) and only for packages that are missing, so a
# second run installs nothing.

SHELL := /bin/bash
PRESET ?= dev
BUILD_DIR := build/$(PRESET)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BUILD_PACKAGES := cmake ninja-build g++ pkg-config libssl-dev libsimdjson-dev \
	qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev \
	qt6-svg-dev qtkeychain-qt6-dev libgl-dev \
	help2man librsvg2-bin
RUN_PACKAGES := qt6-qpa-plugins
# CPack's DEB generator: dpkg-shlibdeps computes Depends; file finds the binaries to give it.
PACKAGE_PACKAGES := dpkg-dev file
TEST_PACKAGES := awscli python3-boto3 jq xvfb xauth libbenchmark-dev \
	$(PACKAGE_PACKAGES) desktop-file-utils appstream shared-mime-info bash-completion libxml2-utils groff-base \
	libglib2.0-bin
# Node.js and npm run the test peers; any installed Node >= 18 will do.
NODE_PACKAGES := $(if $(shell command -v node && command -v npm),,nodejs npm)

.PHONY: all run test build bench asan clean deps-build deps-test deps-package peers configure package install screenshots \
	fuzz deps-fuzz

all: build

# Installs the given Debian packages that are not installed yet.
define apt_install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-build:
	$(call apt_install,$(BUILD_PACKAGES) $(RUN_PACKAGES))

deps-test: deps-build
	$(call apt_install,$(TEST_PACKAGES) $(NODE_PACKAGES))

deps-package: deps-build
	$(call apt_install,$(PACKAGE_PACKAGES))

# The npm test peers (kinesalite, kinesis-mock), pinned by tests/peers/package-lock.json.
peers: deps-test tests/peers/node_modules/.kwb-installed

tests/peers/node_modules/.kwb-installed: tests/peers/package.json tests/peers/package-lock.json
	cd tests/peers && npm ci --no-audit --no-fund --loglevel=error
	touch $@

configure: deps-build
	@[ -f $(BUILD_DIR)/CMakeCache.txt ] || cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET)

run: build
	./$(BUILD_DIR)/app/kinesis-workbench

test: peers configure
	cmake --build --preset $(PRESET)
	ctest --preset $(PRESET)

bench: peers build
	cmake --build --preset $(PRESET) --target benchmarks
	ctest --test-dir $(BUILD_DIR) -L bench --output-on-failure -V

# Under the sanitizers: the unit, integration and sandbox tests (the GUI tests are left out: under
# ASan they take longer than the rest of CI together; `make test PRESET=asan` runs everything).
# Not through the asan test preset: its label filter would replace the -LE given here.
ASAN_TEST_LABELS := unit|integration|sandbox
# Tests that assert memory (RSS) and latency bounds: ASan's allocator and slowdown make those
# figures meaningless, so they run in `make test` only. The HTTP parser they drive is covered under
# ASan + UBSan by the sandbox_http fuzz target.
ASAN_EXCLUDED_TESTS := ^(sandbox_chaos|tst_sandbox_http)$$

asan: peers
	@[ -f build/asan/CMakeCache.txt ] || cmake --preset asan
	cmake --build --preset asan --target headless_tests
	ctest --test-dir build/asan --output-on-failure -j2 -L '$(ASAN_TEST_LABELS)' -LE gui -E '$(ASAN_EXCLUDED_TESTS)'

# libFuzzer targets (tests/fuzz), clang with ASan + UBSan: built, then each run for FUZZ_SECONDS on
# a working copy of its committed corpus, FUZZ_JOBS at a time (default: one per core).
# FUZZ_TARGETS picks some; FUZZ_RUNS stops each after that many executions.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_TARGETS ?= import_jsonl import_json import_awscli import_csv format_detector sandbox_http sandbox_request \
	client_response http_answer workspace aws_config sigv4 sandbox_log kpl_deaggregate generate_template
FUZZ_PACKAGES := clang libclang-rt-14-dev
deps-fuzz: deps-build
	$(call apt_install,$(FUZZ_PACKAGES))

fuzz: deps-fuzz
	@[ -f build/fuzz/CMakeCache.txt ] || cmake --preset fuzz
	cmake --build --preset fuzz
	tests/fuzz/run.sh $(if $(FUZZ_RUNS),-r $(FUZZ_RUNS)) -j $(FUZZ_JOBS) $(FUZZ_SECONDS) build/fuzz $(FUZZ_TARGETS)

# What the package and the install hold: the two programs and the generated files (man pages,
# icons), not the tests.
INSTALL_TARGETS := kinesis-workbench kwb kwb_packaging_files

package: deps-package configure
	cmake --build --preset $(PRESET) --target $(INSTALL_TARGETS)
	cd $(BUILD_DIR) && cpack -G DEB

# Installs into PREFIX (through sudo when it is not writable). With DESTDIR the files are staged
# there; without it, the MIME, desktop and icon caches are refreshed so *.kwb files open in the app.
PREFIX ?= /usr/local
install: configure
	cmake --build --preset $(PRESET) --target $(INSTALL_TARGETS)
	@prefix="$(abspath $(PREFIX))"; dest="$(if $(DESTDIR),$(abspath $(DESTDIR)))"; \
	if mkdir -p "$$dest$$prefix" 2>/dev/null && [ -w "$$dest$$prefix" ]; then s=; else s="$(SUDO)"; fi; \
	$$s env DESTDIR="$$dest" cmake --install $(BUILD_DIR) --prefix "$$prefix" && \
	if [ -z "$$dest" ]; then \
		! command -v update-mime-database >/dev/null || $$s update-mime-database "$$prefix/share/mime"; \
		! command -v update-desktop-database >/dev/null || $$s update-desktop-database -q "$$prefix/share/applications"; \
		! command -v gtk-update-icon-cache >/dev/null || $$s gtk-update-icon-cache -q -t -f "$$prefix/share/icons/hicolor"; \
	fi

# The pictures of the README, the user guide and the metainfo, drawn on a private X server.
screenshots: configure
	$(call apt_install,xvfb xauth)
	PRESET=$(PRESET) docs/screenshots/render.sh

clean:
	rm -rf build
