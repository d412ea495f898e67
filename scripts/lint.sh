#!/usr/bin/env bash
# lint.sh: rustfmt --check on the module sources (the clippy run is part of
# every module build, see build-module.sh; C builds with -Werror).
set -euo pipefail
. "$(dirname "$0")/common.sh"
say "rustfmt --check"
/usr/bin/rustfmt --check --edition 2021 --config-path "$KSRC/.rustfmt.toml" "$TOP"/src/*.rs
say "cargo fmt --check and cargo clippy (userlib/rust)"
(cd "$TOP/userlib/rust" && cargo fmt --check &&
	LIBMACH_DIR="$TOP/build/userlib" cargo clippy -q --release --example machipc_rust \
		--target-dir "$TOP/build/rust" -- -D warnings)
say "cargo fmt --check and cargo clippy (tools/mig)"
(cd "$TOP/tools/mig" && cargo fmt --check &&
	cargo clippy -q --release --all-targets --target-dir "$TOP/build/mig-target" -- -D warnings)
