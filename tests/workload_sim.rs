//! `skipgrid sim --workload` end to end on real weights: the committed Whisper tiny.en
//! excerpt (tests/data/README.md) is pruned by the real binary for the 16x16 array and
//! every layer runs through the RTL in Verilator, checked exactly against the golden
//! model. With the recorded activations the RTL's own outputs must reproduce the
//! quality the pruner measured in software, which checks the assembly of Y over the
//! K split too (K = 1536 is 96 blocks, the buffers hold 8).
//!
//! Simulations run one at a time: the machine has two cores and the first run builds
//! the Verilator library into the shared cache.

mod common;
use common::have_verilator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value;

const SKIPGRID: &str = env!("CARGO_BIN_EXE_skipgrid");

static SIMULATOR: Mutex<()> = Mutex::new(());

fn excerpt() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/whisper_tiny_en_excerpt/model.bin")
}

fn skipgrid(args: &[&str]) -> Output {
    Command::new(SKIPGRID).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Prunes the excerpt for an `array` into a new temporary directory.
fn prune(array: &str, sparsity: &str) -> (tempfile::TempDir, String) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("wl");
    let o = skipgrid(&[
        "prune",
        "--model",
        excerpt().to_str().unwrap(),
        "--array",
        array,
        "--sparsity",
        sparsity,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    (t, out.to_str().unwrap().to_string())
}

fn sim_json(args: &[&str]) -> Value {
    let _one = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut all = vec!["sim", "--preset", "ws16x16", "--json"];
    all.extend_from_slice(args);
    let o = skipgrid(&all);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}\n{}", text(&o)))
}

fn assert_passes(v: &Value) {
    for key in [
        "outputs_match",
        "cycles_match",
        "rtl_cycles",
        "dense_cycles",
        "speedup_vs_dense",
        "layers",
    ] {
        assert!(v.get(key).is_some(), "missing `{key}` in {v}");
    }
    assert_eq!(v["outputs_match"], true, "{v}");
    assert_eq!(v["cycles_match"], true, "{v}");
    assert!(v["speedup_vs_dense"].as_f64().unwrap() >= 1.0, "{v}");
    let layers = v["layers"].as_array().unwrap();
    assert!(!layers.is_empty());
    for l in layers {
        for key in [
            "name",
            "outputs_match",
            "cycles_match",
            "rtl_cycles",
            "dense_cycles",
            "speedup_vs_dense",
        ] {
            assert!(l.get(key).is_some(), "missing `{key}` in {l}");
        }
        assert_eq!(l["outputs_match"], true, "{l}");
        assert_eq!(l["cycles_match"], true, "{l}");
        assert_eq!(l["rtl_cycles"], l["model_cycles"], "{l}");
        assert!(l["speedup_vs_dense"].as_f64().unwrap() >= 1.0, "{l}");
    }
    let sum = |k: &str| layers.iter().map(|l| l[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(v["rtl_cycles"].as_u64(), Some(sum("rtl_cycles")));
    assert_eq!(v["dense_cycles"].as_u64(), Some(sum("dense_cycles")));
}

/// Few rows (all recorded): every layer of the excerpt matches, and the RTL's outputs
/// give the pruner's own SQNR on those rows' reference.
#[test]
fn every_layer_matches_with_recorded_activations() {
    if !have_verilator() {
        return;
    }
    let (_t, wl) = prune("16x16", "0.4");
    let v = sim_json(&["--workload", &wl]);
    assert_passes(&v);
    let layers = v["layers"].as_array().unwrap();
    // Fused Q,K,V and cross-attention K,V split into parts: 2 FFN + 3 + 2 layers.
    assert_eq!(layers.len(), 7, "{v}");
    for l in layers {
        assert_eq!(l["activations"]["random_rows"], 0, "{l}");
        let (got, want) = (&l["sqnr_db"], &l["prune_sqnr_db"]);
        match (got.as_f64(), want.as_f64()) {
            (Some(g), Some(w)) => assert!((g - w).abs() < 1e-3, "{l}"),
            _ => assert_eq!(got, want, "{l}"),
        }
    }
}

/// More rows than recorded (the rest seeded random) on a regex-selected subset.
#[test]
fn selected_layers_with_extra_random_rows() {
    if !have_verilator() {
        return;
    }
    let (_t, wl) = prune("16x16", "0.5");
    let v = sim_json(&["--workload", &wl, "--layers", "self_attention", "--m", "40"]);
    assert_passes(&v);
    let layers = v["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3, "{v}");
    for l in layers {
        assert!(l["name"].as_str().unwrap().contains("self_attention"));
        assert_eq!(l["m"], 40);
        assert_eq!(l["activations"]["random_rows"], 8, "{l}");
    }
}

#[test]
fn a_pattern_matching_nothing_is_refused() {
    let (_t, wl) = prune("16x16", "0.4");
    let o = skipgrid(&[
        "sim",
        "--preset",
        "ws16x16",
        "--workload",
        &wl,
        "--layers",
        "nomatch",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("nomatch"),
        "{}",
        text(&o)
    );
}

#[test]
fn another_block_size_is_refused() {
    let (_t, wl) = prune("8x8", "0.4");
    let o = skipgrid(&["sim", "--preset", "ws16x16", "--workload", &wl]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("8x8") && err.contains("16x16"), "{}", text(&o));
}

#[test]
fn a_missing_workload_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("none");
    let o = skipgrid(&["sim", "--workload", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
