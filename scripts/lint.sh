#!/usr/bin/env bash
# lint.sh: rustfmt --check on the module sources (the clippy run is part of
# every module build, see build-module.sh; C builds with -Werror); for the
# userlib/rust workspace: cargo fmt --check, clippy -D warnings on every
# target and feature, the check of machipc::sys against libmach's headers,
# and cargo doc with the doc examples compiled (they run in the guest).
set -euo pipefail
. "$(dirname "$0")/common.sh"
say "layers (calls only downward between the module's files)"
(cd "$TOP" && python3 scripts/layers.py)
say "rustfmt --check"
/usr/bin/rustfmt --check --edition 2021 --config-path "$KSRC/.rustfmt.toml" "$TOP"/src/*.rs
say "cargo fmt --check and cargo clippy (tools/mig)"
(cd "$TOP/tools/mig" && cargo fmt --check &&
	cargo clippy -q --release --all-targets --target-dir "$TOP/build/mig-target" -- -D warnings)
say "cargo fmt --check and cargo clippy (userlib/rust: the crate, its tests and tools)"
cd "$TOP/userlib/rust"
export LIBMACH_DIR="$TOP/build/userlib"
rust=(--locked --target-dir "$TOP/build/rust")
cargo fmt --all --check
cargo clippy -q "${rust[@]}" --workspace --all-targets --all-features -- -D warnings
say "machipc::sys against libmach's headers (userlib/rust/abi-check)"
log="$TOP/build/rust/abi-check.log"
mkdir -p "$TOP/build/rust"
if ! cargo test -q "${rust[@]}" -p machipc-abi-check -- --nocapture >"$log" 2>&1; then
	cat "$log"
	die "machipc::sys differs from libmach's headers (above)"
fi
grep -E '^(checked|[0-9]+ values)' "$log" | sed 's/^/    /' >&2
say "cargo doc and the doc examples compile (userlib/rust)"
RUSTDOCFLAGS="-D warnings" cargo doc -q "${rust[@]}" -p machipc --all-features --no-deps
cargo test -q "${rust[@]}" -p machipc --all-features --doc >/dev/null
