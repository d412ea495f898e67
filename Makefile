# machipc: Mach IPC for Linux. See README.md.
#
#   make            module (debug kernel), libmach.a, selftests, demo
#   make run        set up if needed, boot the test kernel, run the demo
#   make check      everything: setup, builds, lint, host tests, guest tests
#   make mig        the MIG compiler (build/mig)
#   make bootstrapd the bootstrap server (build/bootstrapd/machipc-bootstrapd)
#   make install    headers, libraries, mig, the daemon, packaging (DESTDIR, PREFIX)
#   make vm-run CMD='...' FILES='...'   run your own programs in the guest
#   make bench      benchmarks on the perf kernel
#   make profile    where the kernel time of the hot paths goes (perf kernel)
#   make fuzz       a long fuzz round (1,000,000 operations, fault injection)
SHELL := /bin/bash
TOP := $(CURDIR)
OUT := $(TOP)/build
export MACHIPC_CACHE ?= $(HOME)/.cache/machipc
KSRC := $(MACHIPC_CACHE)/linux-7.3
GUEST_TIMEOUT ?= 1200

MODULE := $(OUT)/module-debug/src/machipc.ko
LIBMACH := $(OUT)/userlib/libmach.a
MIG := $(OUT)/mig
DEMO := $(OUT)/demo/machipc-demo
BOOTSTRAPD := $(OUT)/bootstrapd/machipc-bootstrapd
FUZZER := $(OUT)/fuzz/machipc-fuzz
# 1 (the default): `make check` also runs a one-minute fuzz round
# (build/selftests/machipc_zz_fuzz, named to run after the other selftests); 0: not.
FUZZ_IN_CHECK ?= 1

.PHONY: all setup kernel module lib mig bootstrapd tests rust demo fuzzer kprof check run vm-run bench profile \
	fuzz lint host-tests decls install clean

all: module lib mig bootstrapd tests demo fuzzer kprof

setup:
	@scripts/setup.sh

kernel: setup
	@scripts/build-kernel.sh debug >/dev/null

module: kernel
	@scripts/build-module.sh debug >/dev/null

lib: mig
	@$(MAKE) -s -C userlib OUT=$(OUT)/userlib MIG=$(MIG)

# The MIG compiler (tools/mig), a host tool.
mig:
	@cd tools/mig && PATH="$$PATH:$$HOME/.cargo/bin" cargo build -q --release --target-dir $(OUT)/mig-target
	@cmp -s $(OUT)/mig-target/release/mig $(MIG) || cp -p $(OUT)/mig-target/release/mig $(MIG)

# The bootstrap server (daemons/bootstrapd), static for the guest.
bootstrapd: lib mig
	@$(MAKE) -s -C daemons/bootstrapd OUT=$(OUT)/bootstrapd LIBMACH=$(LIBMACH) MIG=$(MIG)

# No declaration without a definition: every function and variable that
# userlib/include declares is defined by libmach.a and libmach.so.
decls: lib
	@python3 scripts/check_decls.py --include userlib/include -I uapi \
		--lib $(LIBMACH) --lib $(OUT)/userlib/libmach.so

tests: lib rust mig
	@$(MAKE) -s -C selftests OUT=$(OUT)/selftests KSRC=$(KSRC) LIBMACH=$(LIBMACH) MIG=$(MIG)

# The Rust crate (userlib/rust): its tests and examples, static binaries for
# the guest, run there by the selftest machipc_rust (scripts/build-rust.sh).
rust: lib
	@scripts/build-rust.sh

demo: lib mig
	@$(MAKE) -s -C userlib/examples OUT=$(OUT)/demo LIBMACH=$(LIBMACH) MIG=$(MIG)

# The fuzzer (tools/fuzz). With FUZZ_IN_CHECK=1 (the default) it is also the last
# selftest: run under the name machipc_zz_fuzz with no arguments, it is the short round.
# The guest's kernel profiler (tools/kprof), for make profile.
kprof:
	@$(MAKE) -s -C tools/kprof OUT=$(OUT)/kprof

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
	@cd tools/mig && PATH="$$PATH:$$HOME/.cargo/bin" cargo test -q --target-dir $(OUT)/mig-target

check: setup
	@scripts/check.sh

run: all
	@scripts/guest.sh --kernel debug --module $(MODULE) --mode run --demo $(DEMO) \
		--bootstrapd $(BOOTSTRAPD)

# make cannot pass on an exit status: scripts/vm-run.sh returns CMD's own.
vm-run:
	@GUEST_TIMEOUT=$(GUEST_TIMEOUT) scripts/vm-run.sh "$(CMD)" $(FILES)

# Install (DESTDIR, PREFIX, ...: packaging/Makefile); the module itself is
# built on the target by DKMS from the installed source.
install: lib mig bootstrapd
	@$(MAKE) -s -C packaging TOP=$(TOP) OUT=$(OUT) install

bench: setup
	@scripts/bench.sh

# Where the kernel's time goes (scripts/profile.sh, tools/kprof): build/profile/profile.txt.
profile: setup
	@scripts/profile.sh

# FUZZ_ARGS overrides the fuzzer's arguments, FUZZ_TIMEOUT the guest's limit.
fuzz: setup
	@scripts/fuzz.sh

clean:
	rm -rf $(OUT)
