#!/usr/bin/env bash
# Benchmarks of the simulation harness (`make bench`):
#  - the golden cycle model: time per job, and for every GEMM of a 6-layer encoder
#    (model/benches/cycle_model.rs);
#  - the generated ws16x16 RTL under Verilator, per set of build flags: cold build, cached
#    start, simulated cycles and MACs per second; the same job under Icarus as a ratio
#    (sim/benches/rtl_throughput.rs).
# Prints a markdown table and writes out/bench/results.md and out/bench/results.json.
#
# Environment (passed on to the benches): SKIPGRID_BENCH_VARIANTS=Os,O3 to build fewer
# Verilator variants, SKIPGRID_BENCH_JOBS=N jobs per variant, SKIPGRID_BENCH_ICARUS=0 to
# skip Icarus. The machine has 2 cores: run nothing else heavy meanwhile, and compare
# the load averages the results record.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="$PWD/out/bench"  # absolute: cargo bench runs each bench in its crate's directory
mkdir -p "$OUT"
step() { echo; echo "=== $*"; }

step "cargo build --release"
cargo build --release -q

step "generating ws16x16 RTL into $OUT/ws16x16"
target/release/skipgrid gen --preset ws16x16 --out "$OUT/ws16x16"

step "golden cycle model (model/benches/cycle_model.rs)"
SKIPGRID_BENCH_JSON="$OUT/cycle_model.json" \
    cargo bench -q -p skipgrid-model --bench cycle_model | tee "$OUT/cycle_model.txt"

step "golden cycle model over every pruned Whisper tiny.en layer (sim/benches/whisper_cycles.rs)"
cargo bench -q -p skipgrid-sim --bench whisper_cycles | tee "$OUT/whisper_cycles.txt"

step "ws16x16 under Verilator and Icarus (sim/benches/rtl_throughput.rs)"
SKIPGRID_BENCH_DESIGN="$OUT/ws16x16" SKIPGRID_BENCH_JSON="$OUT/rtl_throughput.json" \
    cargo bench -q -p skipgrid-sim --bench rtl_throughput | tee "$OUT/rtl_throughput.txt"

step "results"
python3 - "$OUT" <<'EOF'
import json, os, platform, subprocess, sys, time

out = sys.argv[1]
model = json.load(open(os.path.join(out, "cycle_model.json")))
rtl = json.load(open(os.path.join(out, "rtl_throughput.json")))

def tool(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"

ic = rtl.get("icarus") or {}
for v in rtl["verilator"]:
    if ic:
        v["icarus_ratio_wall"] = ic["job_s"] / v["job_s"]
        v["icarus_ratio_cpu"] = ic["job_cpu_s"] / v["job_cpu_s"]
results = {
    "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    "machine": {
        "cpus": os.cpu_count(),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "kernel": platform.release(),
        "verilator": tool(["verilator", "--version"]),
        "iverilog": tool(["iverilog", "-V"]),
        "gxx": tool(["g++", "--version"]),
    },
    "cycle_model": model,
    "rtl": rtl,
}
json.dump(results, open(os.path.join(out, "results.json"), "w"), indent=2)

m = results["machine"]
L = []
L.append("# skipgrid benchmarks\n")
L.append(f"{results['date']}; {m['cpus']} x {m['cpu']}; {m['verilator']}; {m['iverilog']}; {m['gxx']}.")
L.append("All figures are medians. Load averages (1/5/15 min) are recorded because the machine is shared.\n")
L.append(f"## Golden cycle model ({model['preset']})\n")
L.append("| measure | median |")
L.append("|---|---|")
L.append(f"| `cycles()` per call | {model['cycles_ns_median']:.1f} ns |")
L.append(f"| per job incl. counting the mask's present blocks | {model['per_job_ns_median']:.1f} ns |")
L.append(f"| `cycles_event()` per full job (cross-check model) | {model['cycles_event_ns_median']:.1f} ns |")
L.append(f"| 6-layer encoder, all {model['encoder_gemms']} GEMMs ({model['encoder_jobs']} jobs): split + cost | {model['encoder_us_median']:.1f} µs |")
L.append("")
L.append(f"Encoder: d_model 512, d_ff 2048, 8 heads, 128 tokens, 6 layers; {model['encoder_weight_gemms']} weight GEMMs "
         "(Q, K, V, O 128x512x512, FFN up 128x512x2048, FFN down 128x2048x512) with random masks pruning 50 % of the 16x16 blocks, "
         f"and {model['encoder_gemms'] - model['encoder_weight_gemms']} dense attention GEMMs (scores 128x64x128, context 128x128x64 per head). "
         f"Predicted: {model['encoder_cycles']:,} cycles ({model['encoder_dense_cycles'] / model['encoder_cycles']:.2f}x fewer than dense), "
         f"{model['encoder_macs']:,} MACs.\n")
sh = rtl["shape"]
L.append(f"## {rtl['design']} simulation, job M={sh[0]} K={sh[1]} N={sh[2]} dense\n")
v0 = rtl["verilator"][0] if rtl["verilator"] else None
if v0:
    L.append(f"One job = {v0['compute_cycles_per_job']} compute cycles (the CYCLES register) + {v0['host_cycles_per_job']} host-transfer "
             "cycles (loading X and W, reading Y over the 1-word host bus). Compute and host transfer are timed as separate calls.\n")
L.append("| Verilator build | cold build (CPU) | design only | cached start | compute cycles/s | MAC/s in compute | host-transfer cycles/s | whole job cycles/s (per CPU s) | job wall | vs Icarus (wall / CPU) | load |")
L.append("|---|---|---|---|---|---|---|---|---|---|---|")
for v in rtl["verilator"]:
    ratio = f"{v['icarus_ratio_wall']:.0f}x / {v['icarus_ratio_cpu']:.0f}x" if ic else "-"
    L.append(f"| {v['flags']} | {v['cold_build_s']:.1f} s ({v['cold_build_cpu_s']:.1f} s) | {v['design_build_s']:.1f} s | "
             f"{v['cached_start_ms']:.0f} ms | {v['compute_cycles_per_s']:,.0f} | {v['macs_per_s_compute'] / 1e9:.2f} G | "
             f"{v['host_cycles_per_s']:,.0f} | {v['all_cycles_per_s']:,.0f} ({v['all_cycles_per_cpu_s']:,.0f}) | "
             f"{v['job_s'] * 1e3:.0f} ms | {ratio} | {v['load_average']} |")
if ic:
    L.append(f"\nIcarus (reference): iverilog {ic['compile_s']:.1f} s; the same job in one vvp call {ic['job_s']:.2f} s "
             f"(CPU {ic['job_cpu_s']:.2f} s, start-up included): {ic['all_cycles_per_s']:,.0f} cycles/s; load {ic['load_average']}.")
text = "\n".join(L) + "\n"
open(os.path.join(out, "results.md"), "w").write(text)
print(text)
EOF
echo "written: $OUT/results.md $OUT/results.json"

step "Whisper tiny.en encoder: 24 pruned linear layers (sparsity 0.3) through ws16x16 at M = 128 tokens"
# 128 tokens, not Whisper's full 1500-frame window: the time is linear in M (X and Y cross
# the 1-word host bus row by row), so 1500 would take ~12x as long; 128 keeps the whole
# encoder within a few minutes on 2 cores. Skipped when the weights are not installed.
WHISPER="${SKIPGRID_WHISPER:-$(scripts/setup-models.sh 2>/dev/null | sed -n 's/^SKIPGRID_WHISPER=\(.*\)  (ok.*$/\1/p')}"
if [ -f "$WHISPER" ]; then
  target/release/skipgrid prune --model "$WHISPER" --preset ws16x16 --sparsity 0.3 \
      --layers '^encoder/' --act-calib gaussian:24301:128 --out "$OUT/whisper-ws16x16" --json >/dev/null
  TIMEFORMAT="whisper encoder on ws16x16: %R s wall, %U s user"
  time target/release/skipgrid sim --preset ws16x16 --workload "$OUT/whisper-ws16x16" --m 128 \
      --json >"$OUT/whisper_encoder.json"
  python3 - "$OUT/whisper_encoder.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
load = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"{len(r['layers'])} layers, outputs_match {r['outputs_match']}, cycles_match {r['cycles_match']}; "
      f"RTL {r['rtl_cycles']:,} cycles vs dense {r['dense_cycles']:,}: {r['speedup_vs_dense']:.3f}x; "
      f"simulated in {r['seconds']:.1f} s; load {load}")
PY
else
  echo "skipped: Whisper tiny.en not installed (scripts/setup-models.sh)"
fi
