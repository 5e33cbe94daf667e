#!/usr/bin/env bash
# Everything CI runs: formatting, lints, docs, the whole test suite with the real tools,
# and the default regression matrix on Verilator.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo; echo "=== $*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --all-targets -q -- -D warnings
step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace -q
step "cargo build --release"
cargo build --release -q
step "cargo test"
cargo test --workspace --release
step "skipgrid regress (default matrix)"
target/release/skipgrid regress --matrix tests/regress/default.toml --out out/regress
