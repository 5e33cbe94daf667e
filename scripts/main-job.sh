#!/usr/bin/env bash
# The main job: generate the default array, cross-check a random sparse job on it, then
# prune Whisper tiny.en's encoder for it and run every pruned layer through the RTL,
# checked exactly against the golden model, with the speedup over the dense baseline.
#
# Environment: SKIPGRID_WHISPER=path/to/model.bin (else scripts/setup-models.sh finds or
# installs it), SKIPGRID_SPARSITY (default 0.3), SKIPGRID_TOKENS (default 128).
set -euo pipefail
cd "$(dirname "$0")/.."
SG=target/release/skipgrid
# 30 % of the encoder's 16x16 blocks, ranked by one global threshold over all its linear
# layers (Q, K, V, out projection, both FFN matrices). 128 tokens: a realistic chunk of
# Whisper's 1500-frame window that keeps the whole job within a few minutes on 2 cores.
SPARSITY="${SKIPGRID_SPARSITY:-0.3}"
TOKENS="${SKIPGRID_TOKENS:-128}"
WL=out/whisper-ws16x16

echo "== generating the default preset (ws16x16) into out/ws16x16"
$SG gen --preset ws16x16 --out out/ws16x16
echo "== a 50%-sparse 128x128x128 job on the 16x16 RTL in Verilator, checked against the golden model"
$SG sim --preset ws16x16 --m 128 --k 128 --n 128 --sparsity 0.5 --seed 1

WHISPER="${SKIPGRID_WHISPER:-}"
if [ -z "$WHISPER" ]; then
  WHISPER="$(scripts/setup-models.sh | sed -n 's/^SKIPGRID_WHISPER=\(.*\)  (ok.*$/\1/p')"
fi
if [ ! -f "$WHISPER" ]; then
  echo "main-job: Whisper tiny.en not found (got '$WHISPER'); run scripts/setup-models.sh or set SKIPGRID_WHISPER" >&2
  exit 2
fi
echo "== pruning Whisper tiny.en's encoder ($WHISPER) for the 16x16 array at sparsity $SPARSITY, $TOKENS calibration tokens, into $WL"
$SG prune --model "$WHISPER" --preset ws16x16 --sparsity "$SPARSITY" --layers '^encoder/' \
  --act-calib "gaussian:24301:$TOKENS" --out "$WL"
echo "== every pruned encoder layer (M = $TOKENS tokens) on the 16x16 RTL in Verilator, checked against the golden model"
start=$(date +%s)
$SG sim --preset ws16x16 --workload "$WL" --m "$TOKENS"
echo "== whisper encoder on the RTL: $(( $(date +%s) - start )) s"
