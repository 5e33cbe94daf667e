//! The golden model also holds for the post-synthesis netlist: Yosys synthesizes a small
//! array to generic gates (flattened, memories as flip-flops; ABC skipped for speed), and `skipgrid sim --rtl` runs the
//! netlist against the same model, every output and every cycle.

mod common;
use common::{files, tool};
use std::process::Command;

#[test]
fn gate_level_netlist_matches_the_model() {
    let t = tempfile::tempdir().unwrap();
    let cfg_path = t.path().join("small.toml");
    std::fs::write(
        &cfg_path,
        "rows = 3\ncols = 2\n[buffers]\nm_depth = 4\nk_blocks = 2\nn_blocks = 2\n",
    )
    .unwrap();
    let cfg = skipgrid_config::ArrayConfig::from_toml(
        &std::fs::read_to_string(&cfg_path).unwrap(),
        "small",
    )
    .unwrap();
    let (_g, rtl) = common::generate(&cfg);
    let net = t.path().join("netlist");
    std::fs::create_dir(&net).unwrap();
    let sources: Vec<String> = files(&rtl)
        .iter()
        .map(|f| rtl.join(f).display().to_string())
        .collect();
    let script = format!(
        "read_verilog {}; synth -top {} -flatten -noabc; write_verilog -noattr {}",
        sources.join(" "),
        cfg.top_name(),
        net.join("netlist.v").display()
    );
    tool("yosys", t.path(), 600)
        .args(["-q", "-p", &script])
        .run()
        .unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(rtl.join("manifest.json")).unwrap()).unwrap();
    manifest["files"] = serde_json::json!(["netlist.v"]);
    std::fs::write(net.join("manifest.json"), manifest.to_string()).unwrap();
    std::fs::write(net.join("files.f"), "netlist.v\n").unwrap();
    let netlist = std::fs::read_to_string(net.join("netlist.v")).unwrap();
    assert!(
        !netlist.contains("always @(posedge clk) begin\n    if"),
        "not a gate netlist"
    );

    let o = Command::new(env!("CARGO_BIN_EXE_skipgrid"))
        .args([
            "sim",
            "--config",
            cfg_path.to_str().unwrap(),
            "--rtl",
            net.to_str().unwrap(),
        ])
        .args([
            "--m",
            "7",
            "--k",
            "5",
            "--n",
            "4",
            "--sparsity",
            "0.5",
            "--seed",
            "3",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outputs_match"], true);
    assert_eq!(v["cycles_match"], true);
    assert!(
        v["jobs"].as_u64().unwrap() >= 2,
        "M = 7 > m_depth = 4 splits the job"
    );
}
