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

#[test]
fn two_configurations_live_in_one_design() {
    // Both tops and all their modules in one compilation, under one wrapper: any module
    // name shared by the two configurations would be a redefinition error.
    let a = skipgrid_config::preset("ws4x4").unwrap();
    let b = a.with_skip(false).unwrap();
    let t = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for cfg in [&a, &b] {
        for f in skipgrid_gen::generate(cfg).verilog {
            std::fs::write(t.path().join(&f.name), &f.text).unwrap();
            all.push(f.name);
        }
    }
    let hm = a.host_map();
    let (aw, dw) = (hm.addr_width, hm.data_width);
    let inst = |top: &str, n: &str| {
        format!(
            "    {top} {n} (.clk(clk), .rst(rst), .host_addr(addr), .host_wdata(wdata), .host_we(we), .host_re(re),\n        .host_rdata(rdata_{n}), .host_rvalid(rvalid_{n}), .busy(busy_{n}), .done(done_{n}));\n"
        )
    };
    let wrapper = format!(
        "`default_nettype none\nmodule both (\n    input wire clk, input wire rst, input wire [{a1}:0] addr, input wire [{d1}:0] wdata,\n    input wire we, input wire re, output wire [{d1}:0] unused_rdata_a, output wire [{d1}:0] unused_rdata_b,\n    output wire [5:0] unused_flags\n);\n    wire [{d1}:0] rdata_a;\n    wire [{d1}:0] rdata_b;\n    wire rvalid_a, rvalid_b, busy_a, busy_b, done_a, done_b;\n{ia}{ib}    assign unused_rdata_a = rdata_a;\n    assign unused_rdata_b = rdata_b;\n    assign unused_flags = {{rvalid_a, rvalid_b, busy_a, busy_b, done_a, done_b}};\nendmodule\n`default_nettype wire\n",
        a1 = aw - 1,
        d1 = dw - 1,
        ia = inst(&a.top_name(), "a"),
        ib = inst(&b.top_name(), "b"),
    );
    assert_eq!(b.host_map().addr_width, aw, "the wrapper shares one bus");
    std::fs::write(t.path().join("both.v"), wrapper).unwrap();
    all.push("both.v".into());
    let out = tool("verilator", t.path(), 300)
        .args(["--lint-only", "-Wall", "--top-module", "both"])
        .args(&all)
        .run()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.stderr.contains("%Warning"), "{}", out.stderr);
}
