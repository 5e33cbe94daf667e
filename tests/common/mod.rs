//! Shared helpers of the integration tests: the configurations the issue names, RTL
//! generation into temporary directories, and the external tools behind the runner.
#![allow(dead_code)]

use skipgrid_config::{preset, ArrayConfig, RawConfig};
use skipgrid_toolrun::Tool;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The presets, then 1x1, 2x3, 8x8, 8x32 and 32x8 (small buffers), each with skip on
/// and off.
pub fn matrix() -> Vec<ArrayConfig> {
    let mut v = Vec::new();
    for p in skipgrid_config::presets() {
        let c = preset(p.name).unwrap();
        v.push(c.with_skip(false).unwrap());
        v.push(c);
    }
    for (r, c) in [(1, 1), (2, 3), (8, 8), (8, 32), (32, 8)] {
        for skip in [true, false] {
            let mut raw = RawConfig::new(r, c);
            raw.skip = Some(skip);
            raw.buffers.m_depth = Some(16);
            raw.buffers.k_blocks = Some(4);
            raw.buffers.n_blocks = Some(2);
            v.push(ArrayConfig::from_raw(&raw).unwrap());
        }
    }
    v
}

/// A label for messages.
pub fn label(c: &ArrayConfig) -> String {
    format!("{}x{} skip={} ({})", c.rows, c.cols, c.skip, c.top_name())
}

/// Generates `cfg` into a new temporary directory; returns (guard, rtl dir).
pub fn generate(cfg: &ArrayConfig) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("rtl");
    skipgrid_gen::write_dir(&dir, &skipgrid_gen::generate(cfg).all_files()).unwrap();
    (t, dir)
}

/// The files of a generated directory in compile order.
pub fn files(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("files.f"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// A tool call in `dir` with a timeout.
pub fn tool(program: &str, dir: &Path, secs: u64) -> Tool {
    Tool::new(program)
        .dir(dir)
        .timeout(Duration::from_secs(secs))
}

/// Whether Verilator is installed. Outside CI a missing Verilator skips the test with a
/// message; in CI (which installs it) it fails the test.
pub fn have_verilator() -> bool {
    let ok = std::process::Command::new("verilator")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "verilator is not on PATH (CI must install it)"
        );
        eprintln!("SKIPPED: verilator is not on PATH (scripts/setup.sh installs it)");
    }
    ok
}
