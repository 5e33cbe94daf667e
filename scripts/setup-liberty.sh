#!/usr/bin/env bash
# Installs the OSU 0.18 um standard-cell liberty used by `skipgrid area --target asic`.
#
# The file comes from Debian's `qflow-tech-osu018` package. We fetch the .deb with
# `apt-get download` and unpack it with `dpkg -x`, which avoids installing qflow and its
# ~15 dependencies. The liberty is GPL: it is installed on this machine, never committed.
#
# Idempotent: when the liberty is already in place it only prints its path.
# Usage: scripts/setup-liberty.sh [DEST]      (default DEST: /opt/skipgrid/osu018)
# Prints the absolute path of osu018_stdcells.lib on stdout; everything else goes to stderr.
# Point skipgrid at another copy with SKIPGRID_LIBERTY=/path/to/file.lib.
set -euo pipefail

PKG=qflow-tech-osu018
DEST=${1:-/opt/skipgrid/osu018}
LIB_REL=usr/share/qflow/tech/osu018/osu018_stdcells.lib
LIB="$DEST/osu018_stdcells.lib"

if [ -s "$LIB" ]; then
    echo "$LIB"
    exit 0
fi

# An installed qflow already ships the file: link it rather than download again.
if [ -s "/$LIB_REL" ]; then
    mkdir -p "$DEST"
    ln -sf "/$LIB_REL" "$LIB"
    echo "$LIB"
    exit 0
fi

command -v apt-get >/dev/null || { echo "setup-liberty: apt-get not found (Debian/Ubuntu needed to fetch $PKG)" >&2; exit 1; }
command -v dpkg >/dev/null || { echo "setup-liberty: dpkg not found" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
if ! apt-get -o APT::Sandbox::User=root download "$PKG" >&2; then
    echo "setup-liberty: 'apt-get download $PKG' failed; trying 'apt-get update' once" >&2
    apt-get update >&2
    apt-get -o APT::Sandbox::User=root download "$PKG" >&2
fi
DEB=$(ls "$WORK"/${PKG}_*.deb | head -n1)
dpkg -x "$DEB" "$WORK/root"

if [ ! -s "$WORK/root/$LIB_REL" ]; then
    echo "setup-liberty: $PKG did not contain $LIB_REL" >&2
    exit 1
fi

mkdir -p "$DEST"
# Copy to a temporary name first so a concurrent reader never sees a half-written file.
cp "$WORK/root/$LIB_REL" "$LIB.tmp.$$"
mv -f "$LIB.tmp.$$" "$LIB"
echo "$LIB"
