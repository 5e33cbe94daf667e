//! Builds fixture RTL directories (docs/rtl-interface.md layout) from
//! tests/fixtures/src: a `rows` x `cols` mesh with either a skip controller or a
//! dense sequencer.
#![allow(dead_code)]

use skipgrid_synth::{SynthOptions, Target};
use std::path::{Path, PathBuf};

/// Module files in dependency order, with their roles; the top comes last.
const MODULES: &[(&str, &str)] = &[
    ("fx_pe", "pe"),
    ("fx_mesh", "mesh"),
    ("fx_act_skew", "act_skew"),
    ("fx_out_deskew", "out_deskew"),
    ("fx_ram", "ram"),
    ("fx_x_buffer", "x_buffer"),
    ("fx_w_buffer", "w_buffer"),
    ("fx_accum", "accum"),
    ("fx_host_if", "host_if"),
];

/// Flip-flops the fixture implies outside the RAMs (see the comments in each file).
pub fn expected_flip_flops(rows: u64, cols: u64, skip: bool) -> u64 {
    let pe = 37 * rows * cols;
    let skew = 8 * rows * (rows - 1) / 2;
    let deskew = 20 * cols * (cols - 1) / 2;
    let ctrl = if skip { 14 } else { 6 };
    let buffers = 9 + 8 + 24 * cols;
    let host = 17;
    pe + skew + deskew + ctrl + buffers + host
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/src")
}

/// Writes a fixture directory and returns it (deleted on drop).
pub fn fixture(rows: usize, cols: usize, skip: bool) -> tempfile::TempDir {
    assert!(
        cols >= 2,
        "the fixture's host interface reads 48 accumulator bits"
    );
    let dir = tempfile::tempdir().unwrap();
    let ctrl = if skip {
        ("fx_skip_ctrl", "skip_ctrl")
    } else {
        ("fx_dense_seq", "dense_seq")
    };
    let mut mods: Vec<(&str, &str)> = MODULES.to_vec();
    mods.insert(mods.len() - 1, ctrl);
    for (m, _) in &mods {
        std::fs::copy(
            src().join(format!("{m}.v")),
            dir.path().join(format!("{m}.v")),
        )
        .unwrap();
    }
    let tpl = if skip {
        "fx_top_skip.v.in"
    } else {
        "fx_top_dense.v.in"
    };
    let top = std::fs::read_to_string(src().join(tpl))
        .unwrap()
        .replace("@R@", &rows.to_string())
        .replace("@C@", &cols.to_string());
    std::fs::write(dir.path().join("fx_top.v"), top).unwrap();
    mods.push(("fx_top", "top"));
    let files: Vec<String> = mods.iter().map(|(m, _)| format!("{m}.v")).collect();
    std::fs::write(dir.path().join("files.f"), files.join("\n") + "\n").unwrap();
    let modules: Vec<serde_json::Value> = mods
        .iter()
        .map(|(m, r)| serde_json::json!({"name": m, "role": r, "file": format!("{m}.v")}))
        .collect();
    let manifest = serde_json::json!({
        "generator": "hand-written fixture",
        "top": "fx_top",
        "prefix": "fx_",
        "config": {"rows": rows, "cols": cols, "skip": skip},
        "modules": modules,
        "files": files,
    });
    std::fs::write(
        dir.path().join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    dir
}

/// Options with a private cache, or `None` (and a message) when a tool is missing.
pub fn options(target: Target, cache: &Path) -> Option<SynthOptions> {
    if skipgrid_toolrun::which("yosys").is_none() {
        eprintln!("SKIP: yosys not installed (apt-get install -y yosys)");
        return None;
    }
    if target == Target::Asic {
        if skipgrid_toolrun::which("sta").is_none() {
            eprintln!("SKIP: OpenSTA not installed (apt-get install -y opensta)");
            return None;
        }
        if skipgrid_synth::find_liberty(None).is_err() {
            eprintln!("SKIP: no liberty; run scripts/setup-liberty.sh");
            return None;
        }
    }
    let mut o = SynthOptions::new(target);
    o.cache_dir = Some(cache.to_path_buf());
    Some(o)
}
