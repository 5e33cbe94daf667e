//! Failures of the tools become typed errors that name the stage and quote the tool.

mod common;

use common::{have, regjob};
use skipgrid_sim::{
    IcarusBackend, IcarusOptions, RtlDesign, SimError, VerilatorBackend, VerilatorOptions,
};

/// The fixture with a syntax error in its top file.
fn broken_design(dir: &std::path::Path) -> RtlDesign {
    let src = common::fixture_dir("regjob");
    for f in ["regjob_job.v", "manifest.json", "files.f"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let top = std::fs::read_to_string(src.join("regjob_top.v"))
        .unwrap()
        .replace("host_rvalid <= host_re;", "host_rvalid <= host_re");
    std::fs::write(dir.join("regjob_top.v"), top).unwrap();
    RtlDesign::open(dir).unwrap()
}

#[test]
fn verilator_rejecting_the_design_is_a_build_failure() {
    if !have(&["verilator", "g++"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let opts = VerilatorOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..VerilatorOptions::default()
    };
    let e = VerilatorBackend::new(&broken_design(dir.path()), &opts)
        .err()
        .expect("a syntax error must fail the build");
    match &e {
        SimError::BuildFailed {
            stage, tool, tail, ..
        } => {
            assert_eq!(tool, "verilator");
            assert!(stage.contains("regjob_top"), "{stage}");
            assert!(
                tail.contains("regjob_top.v"),
                "tail should quote verilator: {tail}"
            );
        }
        other => panic!("expected BuildFailed, got {other}"),
    }
}

#[test]
fn icarus_rejecting_the_design_is_a_build_failure() {
    if !have(&["iverilog", "vvp"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let e = IcarusBackend::new(&broken_design(dir.path()), IcarusOptions::default())
        .err()
        .expect("a syntax error must fail the compile");
    assert!(
        matches!(&e, SimError::BuildFailed { tool, tail, .. } if tool == "iverilog" && tail.contains("regjob_top.v")),
        "{e}"
    );
}

#[test]
fn the_fixture_itself_builds() {
    // Guards the test above: the breakage, not the fixture, is what fails.
    let _ = regjob();
}
