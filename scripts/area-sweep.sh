#!/usr/bin/env bash
# Area and fmax of the generated array versus its size, with skipping on and off, on the
# `asic` target (Yosys + OSU 0.18 um cells + OpenSTA, see docs/area-model.md).
#
# For every size it writes a configuration (only rows/cols change: the same buffers and
# block bitmap everywhere, so the skip controller is constant and the mesh grows), runs
# `skipgrid area --target asic --json --out DIR/RxC` (which also synthesizes the skip-off
# twin into DIR/RxC/dense), then collects:
#   DIR/sweep.json   one entry per size: skip-on and skip-off numbers and the overhead
#   DIR/sweep.md     the same as a markdown table
#   DIR/sweep.png    logic area and fmax versus PEs, skip overhead (needs matplotlib;
#                    scripts/setup.sh installs Debian's python3-matplotlib)
# The raw tool reports (logs, stat JSON, netlist, sta.rpt) stay in DIR/RxC[/dense].
# Results are cached (target/skipgrid-cache or $SKIPGRID_CACHE): a re-run is quick.
#
# Usage: scripts/area-sweep.sh [-o DIR] [-s "4 8 16 32"] [-x "8x32 32x8"] [-j JOBS]
#                              [-k K_BLOCKS] [-n N_BLOCKS] [-m M_DEPTH] [-p PERIOD_NS]
#   -o  output directory (default out/area)
#   -s  square sizes (default "4 8 16 32")
#   -x  extra RxC shapes (default "8x32 32x8"; "" for none)
#   -j  sizes synthesized at once (default 1; at most 2 on a 2-core machine)
#   -k/-n/-m  buffers.k_blocks, n_blocks, m_depth of every configuration (default 8 8 128)
#   -p  OpenSTA clock period in ns (default 10; fmax does not depend on it)
# Exit codes: 0 done; 1 a size failed (its log is DIR/RxC.log); 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=out/area
SIZES="4 8 16 32"
EXTRA="8x32 32x8"
JOBS=1
KB=8
NB=8
MD=128
PERIOD=10
while getopts "o:s:x:j:k:n:m:p:h" opt; do
  case $opt in
    o) OUT=$OPTARG ;;
    s) SIZES=$OPTARG ;;
    x) EXTRA=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    k) KB=$OPTARG ;;
    n) NB=$OPTARG ;;
    m) MD=$OPTARG ;;
    p) PERIOD=$OPTARG ;;
    h) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "area-sweep: see $0 -h" >&2; exit 2 ;;
  esac
done

SKIPGRID=${SKIPGRID:-target/release/skipgrid}
if [ ! -x "$SKIPGRID" ] || [ -n "$(find src */src -newer "$SKIPGRID" -name '*.rs' 2>/dev/null | head -1)" ]; then
  echo "area-sweep: cargo build --release" >&2
  cargo build --release -q
fi

shapes=()
for s in $SIZES; do shapes+=("${s}x${s}"); done
for s in $EXTRA; do shapes+=("$s"); done
mkdir -p "$OUT/configs"

for sh in "${shapes[@]}"; do
  r=${sh%x*}; c=${sh#*x}
  case "$r$c" in *[!0-9]*|"") echo "area-sweep: bad shape '$sh' (want RxC)" >&2; exit 2 ;; esac
  cat > "$OUT/configs/$sh.toml" <<EOF
name = "sweep$sh"
rows = $r
cols = $c
[buffers]
m_depth = $MD
k_blocks = $KB
n_blocks = $NB
EOF
done

# One size: synthesize skip on and off, record wall time. Runs in a child shell (xargs).
one() {
  local sh=$1 t0 t1 rc=0
  rm -rf "$OUT/$sh"
  t0=$(date +%s.%N)
  "$SKIPGRID" area --config "$OUT/configs/$sh.toml" --target asic --json \
    --clock-period-ns "$PERIOD" --out "$OUT/$sh" > "$OUT/$sh.json" 2> "$OUT/$sh.log" || rc=$?
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{printf "%.2f\n", $2 - $1}' > "$OUT/$sh.wall"
  if [ $rc -ne 0 ]; then
    echo "area-sweep: $sh failed (exit $rc), see $OUT/$sh.log" >&2
    return 1
  fi
  echo "area-sweep: $sh done in $(cat "$OUT/$sh.wall") s" >&2
}
export -f one
export OUT SKIPGRID PERIOD
printf '%s\n' "${shapes[@]}" | xargs -P "$JOBS" -I{} bash -c 'one {}' || {
  echo "area-sweep: some sizes failed" >&2
  exit 1
}

PY=python3
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import matplotlib' 2>/dev/null; then PY=$p; break; fi
done
"$PY" - "$OUT" "${shapes[@]}" <<'EOF'
import json, os, sys

out, shapes = sys.argv[1], sys.argv[2:]
rows = []
for sh in shapes:
    skip = json.load(open(os.path.join(out, sh, "report.json")))
    dense = json.load(open(os.path.join(out, sh, "dense", "report.json")))
    r, c = (int(v) for v in sh.split("x"))

    def side(rep):
        groups = {g["group"]: g for g in rep["breakdown"]}
        return {
            "logic_area_um2": rep["area_um2"],
            "sram_area_um2": rep["sram_area_um2"],
            "total_area_um2": rep["total_area_um2"],
            "pe_mesh_area_um2": groups["pe_mesh"]["area_um2"],
            "sequencer_area_um2": groups["skip_controller"]["area_um2"],
            "flip_flops": rep["flip_flops"],
            "latches": rep["latches"],
            "critical_path_ns": rep["critical_path_ns"],
            "fmax_mhz": rep["fmax_mhz"],
            "path_start": rep["path_start"],
            "path_end": rep["path_end"],
            "runtime_s": rep["runtime_s"],
            "from_cache": rep["from_cache"],
        }

    wall = float(open(os.path.join(out, sh + ".wall")).read())
    rows.append({
        "shape": sh, "rows": r, "cols": c, "pes": r * c,
        "skip_overhead_logic_pct": skip["skip_overhead_pct"],
        "skip_overhead_total_pct": skip["skip_overhead_total_pct"],
        "wall_s": wall,  # this invocation; runtime_s below is the tools' own run, kept by the cache
        "skip": side(skip), "dense": side(dense),
        "tools": skip["tools"],
        "reports": {"skip": os.path.join(out, sh), "dense": os.path.join(out, sh, "dense")},
    })
rows.sort(key=lambda e: (e["pes"], e["rows"]))
json.dump({"target": "asic", "entries": rows}, open(os.path.join(out, "sweep.json"), "w"), indent=2)

md = ["| array | PEs | logic µm² (skip) | logic µm² (dense) | SRAM µm² | skip overhead logic / total | fmax MHz skip / dense | critical path (skip) | tool s skip + dense |",
      "|---|---:|---:|---:|---:|---:|---:|---|---:|"]
for e in rows:
    s, d = e["skip"], e["dense"]
    md.append(f"| {e['shape']} | {e['pes']} | {s['logic_area_um2']:,.0f} | {d['logic_area_um2']:,.0f} | "
              f"{s['sram_area_um2']:,.0f} | {e['skip_overhead_logic_pct']:.2f} % / {e['skip_overhead_total_pct']:.2f} % | "
              f"{s['fmax_mhz']:.1f} / {d['fmax_mhz']:.1f} | `{s['path_start']}` → `{s['path_end']}` | {s['runtime_s']:.0f} + {d['runtime_s']:.0f} |")
open(os.path.join(out, "sweep.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("area-sweep: matplotlib missing (scripts/setup.sh installs python3-matplotlib): no sweep.png", file=sys.stderr)
    sys.exit(0)
fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
sq = [e for e in rows if e["rows"] == e["cols"]]
ns = [e for e in rows if e["rows"] != e["cols"]]
mm2 = lambda e, side, k: e[side][k] / 1e6
x = [e["pes"] for e in sq]
a1.loglog(x, [mm2(e, "skip", "logic_area_um2") for e in sq], "o-", label="logic, skip on")
a1.loglog(x, [mm2(e, "dense", "logic_area_um2") for e in sq], "s--", label="logic, skip off")
a1.loglog(x, [mm2(e, "skip", "total_area_um2") for e in sq], "^:", label="logic + SRAM, skip on")
if ns:
    a1.loglog([e["pes"] for e in ns], [mm2(e, "skip", "logic_area_um2") for e in ns], "kx",
              label="logic, skip on, non-square")
for e in sq:
    a1.annotate(f"{e['shape']}\n+{e['skip_overhead_logic_pct']:.2f} %", (e["pes"], mm2(e, "skip", "logic_area_um2")),
                textcoords="offset points", xytext=(6, -22), fontsize=7)
a1.set_xlabel("PEs (rows × cols)")
a1.set_ylabel("area (mm², OSU 0.18 µm)")
a1.set_title("Area; labels: skip overhead (logic)")
a1.legend(fontsize=8)
a1.grid(True, which="both", alpha=0.3)
a2.semilogx(x, [e["skip"]["fmax_mhz"] for e in sq], "o-", label="skip on")
a2.semilogx(x, [e["dense"]["fmax_mhz"] for e in sq], "s--", label="skip off")
if ns:
    a2.semilogx([e["pes"] for e in ns], [e["skip"]["fmax_mhz"] for e in ns], "kx", label="skip on, non-square")
    for i, e in enumerate(ns):
        a2.annotate(e["shape"], (e["pes"], e["skip"]["fmax_mhz"]), textcoords="offset points",
                    xytext=(6, -12 - 10 * i), fontsize=7)
a2.set_ylim(bottom=0)
a2.set_xlabel("PEs (rows × cols)")
a2.set_ylabel("fmax (MHz, OpenSTA, no wires)")
a2.set_title("fmax (worst register-to-register path)")
a2.legend(fontsize=8, loc="lower left")
a2.grid(True, which="both", alpha=0.3)
fig.tight_layout()
fig.savefig(os.path.join(out, "sweep.png"), dpi=120)
print(f"area-sweep: wrote {out}/sweep.json, sweep.md, sweep.png", file=sys.stderr)
EOF
