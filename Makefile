# machipc: Mach IPC for Linux. See README.md.
#
#   make            module (debug kernel), libmach.a, selftests, demo
#   make run        set up if needed, boot the test kernel, run the demo
#   make check      everything: setup, builds, lint, host tests, guest tests
#   make vm-run CMD='...' FILES='...'   run your own programs in the guest
#   make bench      benchmarks on the perf kernel
#   make fuzz       a long fuzz round (1,000,000 operations, fault injection)
SHELL := /bin/bash
TOP := $(CURDIR)
OUT := $(TOP)/build
export MACHIPC_CACHE ?= $(HOME)/.cache/machipc
KSRC := $(MACHIPC_CACHE)/linux-7.3
GUEST_TIMEOUT ?= 1200

MODULE := $(OUT)/module-debug/src/machipc.ko
LIBMACH := $(OUT)/userlib/libmach.a
DEMO := $(OUT)/demo/machipc-demo
FUZZER := $(OUT)/fuzz/machipc-fuzz
# 1: `make check` also runs a one-minute fuzz round (build/selftests/machipc_zz_fuzz,
# named to run after the other selftests).
FUZZ_IN_CHECK ?= 0

.PHONY: all setup kernel module lib tests rust demo fuzzer check run vm-run bench fuzz lint \
	host-tests clean

all: module lib tests demo fuzzer

setup:
	@scripts/setup.sh

kernel: setup
	@scripts/build-kernel.sh debug >/dev/null

module: kernel
	@scripts/build-module.sh debug >/dev/null

lib:
	@$(MAKE) -s -C userlib OUT=$(OUT)/userlib

tests: lib rust
	@$(MAKE) -s -C selftests OUT=$(OUT)/selftests KSRC=$(KSRC) LIBMACH=$(LIBMACH)

# The Rust crate (userlib/rust) and its selftest, a static binary for the guest.
rust: lib
	@cd userlib/rust && PATH="$$PATH:$$HOME/.cargo/bin" LIBMACH_DIR=$(OUT)/userlib \
		RUSTFLAGS="-C target-feature=+crt-static" \
		cargo build -q --release --example machipc_rust --target-dir $(OUT)/rust
	@mkdir -p $(OUT)/selftests
	@cp $(OUT)/rust/release/examples/machipc_rust $(OUT)/selftests/machipc_rust

demo: lib
	@$(MAKE) -s -C userlib/examples OUT=$(OUT)/demo LIBMACH=$(LIBMACH)

# The fuzzer (tools/fuzz). With FUZZ_IN_CHECK=1 it is also the last selftest: run
# under the name machipc_zz_fuzz with no arguments, it is the short round.
fuzzer: lib
	@$(MAKE) -s -C tools/fuzz OUT=$(OUT)/fuzz LIBMACH=$(LIBMACH)
	@if [ "$(FUZZ_IN_CHECK)" = 1 ]; then \
		mkdir -p $(OUT)/selftests && cp $(FUZZER) $(OUT)/selftests/machipc_zz_fuzz; \
	else \
		rm -f $(OUT)/selftests/machipc_zz_fuzz; \
	fi

lint: module
	@scripts/lint.sh

host-tests:
	@python3 -m unittest discover -s scripts/tests

check: setup
	@scripts/check.sh

run: all
	@scripts/guest.sh --kernel debug --module $(MODULE) --mode run --demo $(DEMO)

# make cannot pass on an exit status: scripts/vm-run.sh returns CMD's own.
vm-run:
	@GUEST_TIMEOUT=$(GUEST_TIMEOUT) scripts/vm-run.sh "$(CMD)" $(FILES)

bench: setup
	@scripts/bench.sh

# FUZZ_ARGS overrides the fuzzer's arguments, FUZZ_TIMEOUT the guest's limit.
fuzz: setup
	@scripts/fuzz.sh

clean:
	rm -rf $(OUT)
