//! `skipgrid gen` from the outside: presets, JSON summary, and bad input refused with
//! exit code 2, a message naming the field, the value and the allowed range, and
//! nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn sg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skipgrid"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn lists_presets_one_per_line_name_first() {
    let o = sg(&["gen", "--list-presets"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    let names: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, ["ws4x4", "ws16x16", "ws32x32"]);
}

#[test]
fn json_summary_names_top_and_files() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("rtl");
    let o = sg(&[
        "gen",
        "--preset",
        "ws4x4",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 4);
    assert_eq!(v["cols"], 4);
    assert_eq!(v["skip"], true);
    let top = v["top"].as_str().unwrap();
    let files = v["files"].as_array().unwrap();
    assert!(files
        .iter()
        .any(|f| f.as_str() == Some(&format!("{top}.v"))));
    for f in files {
        assert!(out.join(f.as_str().unwrap()).is_file());
    }
    assert!(out.join("files.f").is_file() && out.join("manifest.json").is_file());
}

fn refused(config: &str, expect: &[&str]) {
    let t = tempfile::tempdir().unwrap();
    let cfg = t.path().join("bad.toml");
    std::fs::write(&cfg, config).unwrap();
    let out = t.path().join("rtl");
    let o = sg(&[
        "gen",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{config}: {}", stderr(&o));
    let e = stderr(&o);
    for s in expect {
        assert!(e.contains(s), "{config}: message lacks `{s}`: {e}");
    }
    assert!(!Path::new(&out).exists(), "{config}: something was written");
    let left: Vec<_> = std::fs::read_dir(t.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "{config}: stray files");
}

#[test]
fn bad_configurations_exit_2_and_write_nothing() {
    refused("rows = 0\ncols = 4\n", &["rows", "0", "1 to 128"]);
    refused("rows = 4\ncols = 200\n", &["cols", "200", "1 to 128"]);
    refused(
        "rows = 4\ncols = 4\nweight_width = 17\n",
        &["weight_width", "17", "4 to 16"],
    );
    refused(
        "rows = 4\ncols = 4\ncolumns = 3\n",
        &["columns", "unknown field"],
    );
    refused("rows = 4\ncols = [\n", &["bad.toml"]);
    refused(
        "rows = 4\ncols = 4\nacc_width = 20\n",
        &["acc_width", "20", "needs"],
    );
    refused(
        "rows = 4\ncols = 4\n[buffers]\nk_blocks = 3\n",
        &["buffers.k_blocks", "3", "power of two"],
    );
}

#[test]
fn unknown_preset_and_missing_file_exit_2() {
    let o = sg(&["gen", "--preset", "nope", "--out", "/tmp/skipgrid-never"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ws16x16"), "{}", stderr(&o));
    let o = sg(&[
        "gen",
        "--config",
        "/nonexistent.toml",
        "--out",
        "/tmp/skipgrid-never",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent.toml"));
    assert!(!Path::new("/tmp/skipgrid-never").exists());
}

#[test]
fn foreign_files_are_never_deleted() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("precious.txt"), "keep").unwrap();
    let o = sg(&[
        "gen",
        "--preset",
        "ws4x4",
        "--out",
        t.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("precious.txt"));
    assert_eq!(
        std::fs::read_to_string(t.path().join("precious.txt")).unwrap(),
        "keep"
    );
    // A directory skipgrid wrote itself is replaced in place.
    let d = t.path().join("rtl");
    assert!(
        sg(&["gen", "--preset", "ws4x4", "--out", d.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        sg(&["gen", "--preset", "ws4x4", "--out", d.to_str().unwrap()])
            .status
            .success()
    );
}
