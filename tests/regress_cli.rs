//! `skipgrid regress` end to end: a tiny matrix through the real binary (exit code,
//! results.json, junit.xml, a reproduction command that really reproduces), shards
//! through `--list`, bad input exiting 2, and a planted RTL bug reported as a failure
//! with the first differing element, a reproduction command and a waveform.
//!
//! The configurations are the default matrix's (ws4x4 and r2c3-dense, same fields and
//! names), so their Verilator libraries are shared with CI's regression run through the
//! content-addressed cache. Simulating tests take a lock: the machine has two cores.

mod common;
use common::have_verilator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value;
use skipgrid_config::ArrayConfig;
use skipgrid_sim::regress::{run, Matrix, RunOptions, Shard};
use skipgrid_sim::VerilatorOptions;

const SKIPGRID: &str = env!("CARGO_BIN_EXE_skipgrid");

static SIMULATOR: Mutex<()> = Mutex::new(());

const TINY: &str = r#"
[[cases]]
shapes = [[8, 16, 16]]
masks = ["random"]
sparsities = [0.5]
seeds = [1]

[[config]]
preset = "ws4x4"

[[config]]
name = "r2c3-dense"
rows = 2
cols = 3
skip = false
[config.buffers]
m_depth = 16
k_blocks = 4
n_blocks = 2
[[config.cases]]
shapes = [[3, 5, 7], [20, 13, 6]]
masks = ["cols"]
sparsities = [0.25]
seeds = [2]
"#;

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

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn tiny_matrix_end_to_end() {
    if !have_verilator() {
        return;
    }
    let _lock = SIMULATOR.lock().unwrap_or_else(|p| p.into_inner());
    let t = tempfile::tempdir().unwrap();
    let matrix = write(t.path(), "tiny.toml", TINY);
    let out = t.path().join("out");
    let o = skipgrid(&[
        "regress",
        "--matrix",
        matrix.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some("regress: 3 passed, 0 failed"),
        "{}",
        text(&o)
    );

    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["cases"], 3);
    assert_eq!(json["passed"], 3);
    assert_eq!(json["failed"], 0);
    assert_eq!(json["shard"], "1/1");
    let results = json["results"].as_array().unwrap();
    let names: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["config"].as_str().unwrap(), r["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("ws4x4", "m8-k16-n16-random-sp0.5-seed1"),
            ("r2c3-dense", "m3-k5-n7-cols-sp0.25-seed2"),
            ("r2c3-dense", "m20-k13-n6-cols-sp0.25-seed2"),
        ]
    );
    for r in results {
        assert_eq!(r["passed"], true, "{r}");
        assert_eq!(r["rtl_cycles"], r["model_cycles"], "{r}");
        assert!(r["rtl_cycles"].as_u64().unwrap() > 0, "{r}");
        assert!(r["failure"].is_null(), "{r}");
    }
    assert!(
        results[2]["jobs"].as_u64().unwrap() > 1,
        "M = 20 > m_depth splits"
    );
    assert_eq!(
        results[0]["reproduce"],
        "skipgrid sim --preset ws4x4 --m 8 --k 16 --n 16 --sparsity 0.5 --mask random --seed 1"
    );

    // The inline configuration's reproduction command runs the same case.
    let cmd = results[2]["reproduce"].as_str().unwrap();
    let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
    assert!(args.contains(&"--config"), "{cmd}");
    let mut args = args;
    args.push("--json");
    let o = skipgrid(&args);
    assert_eq!(o.status.code(), Some(0), "{cmd}\n{}", text(&o));
    let sim: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sim["rtl_cycles"], results[2]["rtl_cycles"], "{cmd}");
    assert_eq!(sim["jobs"], results[2]["jobs"], "{cmd}");

    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(
        junit.contains("<testsuites name=\"skipgrid regress\" tests=\"3\" failures=\"0\""),
        "{junit}"
    );
    assert!(
        junit.contains("<testsuite name=\"r2c3-dense\" tests=\"2\" failures=\"0\""),
        "{junit}"
    );
    assert_eq!(junit.matches("<testcase ").count(), 3, "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
}

#[test]
fn list_shards_partition_the_matrix() {
    let t = tempfile::tempdir().unwrap();
    let matrix = write(t.path(), "tiny.toml", TINY);
    let m = matrix.to_str().unwrap();
    let list = |shard: &str| {
        let o = skipgrid(&["regress", "--matrix", m, "--list", "--shard", shard]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let all = list("1/1");
    assert_eq!(all.lines().count(), 3, "{all}");
    let parts = [list("1/2"), list("2/2")];
    assert_eq!(parts.concat(), all);
    assert_eq!(parts[0].lines().count(), 1);
    assert_eq!(list("3/3").lines().count(), 1);
    assert_eq!(list("1/5"), "", "a shard may be empty");
}

#[test]
fn bad_input_exits_2_naming_file_and_key() {
    let t = tempfile::tempdir().unwrap();
    let bad = write(
        t.path(),
        "bad.toml",
        &TINY.replace("masks = [\"cols\"]", "maskz = [\"cols\"]"),
    );
    let o = skipgrid(&["regress", "--matrix", bad.to_str().unwrap(), "--list"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml") && err.contains("maskz"), "{err}");

    let bad = write(
        t.path(),
        "range.toml",
        &TINY.replace("m_depth = 16", "m_depth = 17"),
    );
    let out = t.path().join("out");
    let o = skipgrid(&[
        "regress",
        "--matrix",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("range.toml") && err.contains("buffers.m_depth") && err.contains("r2c3-dense"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written for a bad matrix");

    let missing = t.path().join("nope.toml");
    let o = skipgrid(&["regress", "--matrix", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope.toml"));

    let good = write(t.path(), "good.toml", TINY);
    for shard in ["0/2", "3/2", "x"] {
        let o = skipgrid(&[
            "regress",
            "--matrix",
            good.to_str().unwrap(),
            "--list",
            "--shard",
            shard,
        ]);
        assert_eq!(o.status.code(), Some(2), "--shard {shard}: {}", text(&o));
    }
}

/// The generated RTL with every PE subtracting its product instead of adding it.
fn faulty_rtl(cfg: &ArrayConfig, dir: &Path) -> Result<(), String> {
    skipgrid_gen::write_dir(dir, &skipgrid_gen::generate(cfg).all_files())
        .map_err(|e| e.to_string())?;
    let mut edits = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().ends_with("_pe.v") {
            let v = std::fs::read_to_string(&p).unwrap();
            edits += v.matches("assign sum = in_psum + ").count();
            std::fs::write(
                &p,
                v.replace("assign sum = in_psum + ", "assign sum = in_psum - "),
            )
            .unwrap();
        }
    }
    assert_eq!(edits, 1, "the PE's sum line changed; update this fault");
    Ok(())
}

#[test]
fn planted_bug_is_a_failure_with_mismatch_repro_and_waveform() {
    if !have_verilator() {
        return;
    }
    let _lock = SIMULATOR.lock().unwrap_or_else(|p| p.into_inner());
    // All blocks pruned: the products are all zero, so the bug cannot show.
    let matrix = Matrix::from_toml(
        "[[cases]]\nshapes = [[8, 16, 16]]\nsparsities = [0.0, 1.0]\n[[config]]\npreset = \"ws4x4\"\n",
        "fault.toml",
    )
    .unwrap();
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let opts = RunOptions {
        jobs: 1,
        out: out.clone(),
        shard: Shard::ALL,
        max_waveforms: 1,
        verilator: VerilatorOptions::default(),
    };
    let s = run(&matrix, &opts, &faulty_rtl, &|_| {}).unwrap();
    s.write(&out).unwrap();
    assert_eq!((s.passed, s.failed), (1, 1), "{s:#?}");
    assert_eq!(s.closing_line(), "regress: 1 passed, 1 failed");
    let f = &s.results[0];
    assert!(!f.passed && !f.outputs_match, "{f:#?}");
    let why = f.failure.as_deref().unwrap();
    assert!(why.contains("Y[") && why.contains("expected"), "{why}");
    let mm = f.mismatch.as_ref().unwrap();
    assert_eq!(mm["kind"], "output", "{mm}");
    assert!(mm["row"].is_u64() && mm["col"].is_u64(), "{mm}");
    assert_ne!(mm["expected"], mm["actual"], "{mm}");
    assert_eq!(
        f.reproduce,
        "skipgrid sim --preset ws4x4 --m 8 --k 16 --n 16 --sparsity 0 --mask random --seed 1"
    );
    let wave = f.waveform.as_ref().expect("a waveform of the failing case");
    let vcd = std::fs::read_to_string(wave).unwrap();
    assert!(
        vcd.contains("$enddefinitions") && vcd.contains("in_psum"),
        "{}",
        wave.display()
    );
    assert!(s.results[1].passed, "{:#?}", s.results[1]);

    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<failure ").count(), 1, "{junit}");
    assert!(
        junit.contains("reproduce: skipgrid sim --preset ws4x4"),
        "{junit}"
    );
    assert!(junit.contains("waveform: "), "{junit}");
}
