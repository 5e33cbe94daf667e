//! `skipgrid model` predicts, without simulating, the cycles that `skipgrid sim` then
//! measures on the RTL for the same job and seed.

use std::process::Command;

fn json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_skipgrid"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn model_command_predicts_the_rtl() {
    let job = [
        "--preset",
        "ws4x4",
        "--m",
        "70",
        "--k",
        "37",
        "--n",
        "70",
        "--sparsity",
        "0.4",
        "--mask",
        "cols",
        "--seed",
        "9",
        "--json",
    ];
    let model = json(&[&["model"], &job[..]].concat());
    let sim = json(&[&["sim"], &job[..]].concat());
    assert_eq!(sim["outputs_match"], true);
    assert_eq!(model["model_cycles"], sim["rtl_cycles"]);
    assert_eq!(model["dense_cycles"], sim["dense_cycles"]);
    assert_eq!(model["scale_sim_cycles"], sim["scale_sim_cycles"]);
    assert_eq!(model["nonzero_blocks"], sim["nonzero_blocks"]);
    let parts = &model["breakdown"];
    let sum: u64 = ["start", "first_load", "steady", "last_stream", "drain"]
        .iter()
        .map(|k| parts[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, model["model_cycles"].as_u64().unwrap());
}
