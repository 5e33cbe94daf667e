#!/usr/bin/env bash
# The main job: generate the default array and cross-check a sparse job on it.
set -euo pipefail
cd "$(dirname "$0")/.."
SG=target/release/skipgrid
echo "== generating the default preset (ws16x16) into out/ws16x16"
$SG gen --preset ws16x16 --out out/ws16x16
echo "== a 50%-sparse 128x128x128 job on the 16x16 RTL in Verilator, checked against the golden model"
$SG sim --preset ws16x16 --m 128 --k 128 --n 128 --sparsity 0.5 --seed 1
