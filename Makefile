# Kinesis Workbench: the two commands are `make run` and `make test`.
#
#   make run      install what is missing, build, open the GUI on the built-in sandbox
#   make test     install what is missing (test peers included), build, run every test
#   make build    build only              make bench    run the benchmarks
#   make asan     build and test with AddressSanitizer + UBSan
#   make clean    remove the build folders
#
# Installs use apt-get (with sudo when not root) and only for packages that are missing, so a
# second run installs nothing.

SHELL := /bin/bash
PRESET ?= dev
BUILD_DIR := build/$(PRESET)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BUILD_PACKAGES := cmake ninja-build g++ pkg-config libssl-dev libsimdjson-dev \
	qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev \
	qt6-svg-dev qtkeychain-qt6-dev libgl-dev
RUN_PACKAGES := qt6-qpa-plugins
TEST_PACKAGES := awscli python3-boto3 xvfb xauth libbenchmark-dev
# Node.js and npm run the test peers; any installed Node >= 18 will do.
NODE_PACKAGES := $(if $(shell command -v node && command -v npm),,nodejs npm)

.PHONY: all run test build bench asan clean deps-build deps-test peers configure

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

bench: build
	cmake --build --preset $(PRESET) --target benchmarks
	ctest --test-dir $(BUILD_DIR) -L bench --output-on-failure -V

asan:
	$(MAKE) test PRESET=asan

clean:
	rm -rf build
