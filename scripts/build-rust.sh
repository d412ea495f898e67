#!/usr/bin/env bash
# build-rust.sh: builds the machipc crate's guest tests (userlib/rust):
# its #[test] binaries (`cargo test --no-run`), its examples and the
# runner that reports them as TAP, all static, for the QEMU guest:
#
#   build/selftests/machipc_rust          the runner (a selftest like the C ones)
#   build/selftests/machipc_rust.d/tests/     one libtest binary per test target
#   build/selftests/machipc_rust.d/examples/  the examples, ARGS their arguments
#
# --target is explicit so that RUSTFLAGS (+crt-static) reach only the
# target's artifacts, not build scripts or proc-macros.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$TOP/userlib/rust"
target=x86_64-unknown-linux-gnu
tdir="$TOP/build/rust"
out="$TOP/build/selftests"
guest="$out/machipc_rust.d"
export LIBMACH_DIR="$TOP/build/userlib"
export RUSTFLAGS="-C target-feature=+crt-static"
common=(--release --locked --target "$target" --target-dir "$tdir")
mkdir -p "$tdir"
cargo test -q "${common[@]}" -p machipc --all-features --no-run --message-format=json \
	>"$tdir/test-artifacts.json"
cargo build -q "${common[@]}" -p machipc --all-features --examples
cargo build -q "${common[@]}" -p machipc-guest-runner
rm -rf "$guest"
mkdir -p "$guest/tests" "$guest/examples"
python3 - "$tdir/test-artifacts.json" "$guest/tests" <<'PY'
import json, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
for line in open(src):
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or not m.get("profile", {}).get("test"):
        continue
    exe = m.get("executable")
    if exe:
        kind = m["target"]["kind"][0]
        name = "unit" if kind == "lib" else m["target"]["name"]
        shutil.copy2(exe, f"{dst}/{name}")
PY
for ex in examples/*.rs; do
	name=$(basename "$ex" .rs)
	cp "$tdir/$target/release/examples/$name" "$guest/examples/$name"
done
cp examples/ARGS "$guest/examples/ARGS"
cp "$tdir/$target/release/machipc-guest-runner" "$out/machipc_rust"
