# skipgrid: the two commands of a fresh machine are `make all` (set up, build, run the
# main job) and `make test` (everything CI runs).
SKIPGRID := target/release/skipgrid
PRESETS := ws4x4 ws16x16 ws32x32

.PHONY: all setup build main test lint golden bench clean-cache

all: setup build main

setup:
	bash scripts/setup.sh

build:
	cargo build --release

main: build
	bash scripts/main-job.sh

test:
	bash scripts/test.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace

# Regenerate the checked-in Verilog of the presets (review the diff before committing).
golden: build
	for p in $(PRESETS); do $(SKIPGRID) gen --preset $$p --out verilog_out/$$p || exit 1; done

bench: build
	bash scripts/bench.sh
