//! The generated Verilog passes the real tools for every configuration the issue names:
//! Verilator's lint with every warning on, Icarus in Verilog-2005 mode, and Yosys
//! synthesis with `check -assert` and no latches.

mod common;
use common::{files, generate, label, matrix, tool};

#[test]
fn verilator_lint_wall_is_silent() {
    for cfg in matrix() {
        let (_t, dir) = generate(&cfg);
        let out = tool("verilator", &dir, 300)
            .args(["--lint-only", "-Wall", "--top-module", &cfg.top_name()])
            .args(files(&dir))
            .run()
            .unwrap_or_else(|e| panic!("{}: {e}", label(&cfg)));
        let text = format!("{}{}", out.stdout, out.stderr);
        assert!(!text.contains("%Warning"), "{}:\n{text}", label(&cfg));
    }
}

#[test]
fn icarus_compiles_as_verilog_2005() {
    for cfg in matrix() {
        let (_t, dir) = generate(&cfg);
        let out = tool("iverilog", &dir, 300)
            .args(["-g2005", "-Wall", "-o", "/dev/null", "-s", &cfg.top_name()])
            .args(files(&dir))
            .run()
            .unwrap_or_else(|e| panic!("{}: {e}", label(&cfg)));
        // Icarus warns about timescales only when some file sets one; none does.
        assert!(
            out.stderr.trim().is_empty(),
            "{}:\n{}",
            label(&cfg),
            out.stderr
        );
    }
}

#[test]
fn yosys_synthesizes_with_check_assert_and_no_latches() {
    for cfg in matrix() {
        let (_t, dir) = generate(&cfg);
        let script = format!(
            "read_verilog -defer {files}; synth -top {top} -run begin:fine; check -assert; tee -q -o stat.json stat -json",
            files = files(&dir).join(" "),
            top = cfg.top_name()
        );
        tool("yosys", &dir, 600)
            .args(["-q", "-p", &script])
            .run()
            .unwrap_or_else(|e| panic!("{}: {e}", label(&cfg)));
        let stat = std::fs::read_to_string(dir.join("stat.json")).unwrap();
        assert!(stat.contains("\"modules\""), "{}: no stat", label(&cfg));
        for latch in ["$dlatch", "$adlatch", "$dlatchsr", "$_DLATCH"] {
            assert!(
                !stat.contains(latch),
                "{}: latch {latch} inferred",
                label(&cfg)
            );
        }
    }
}
