#!/usr/bin/env bash
# lint.sh: rustfmt --check on the module sources (the clippy run is part of
# every module build, see build-module.sh; C builds with -Werror).
set -euo pipefail
. "$(dirname "$0")/common.sh"
say "rustfmt --check"
/usr/bin/rustfmt --check --edition 2021 --config-path "$KSRC/.rustfmt.toml" "$TOP"/src/*.rs
