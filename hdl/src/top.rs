//! The top: every block of the accelerator wired together behind the host bus.
//!
//! ```text
//! host bus ─ host_if ─ job_ctrl
//!               │        │ start
//!               │   skip_ctrl / dense_seq ─ loader ─ wload_skew ─ w_buffer ─┐ (top of columns)
//!               │                             │                             mesh ─ accum ─ host_if
//!               └─ x_buffer ─ act_skew ─ streamer ─ out_deskew ─────────────┘ (left of rows)
//! ```

use crate::ir::{concat, Dir, Expr, Module};
use crate::{accum, buffers, host_if, job_ctrl, loader, mesh, pe, ram, skew, skip_ctrl, streamer};
use crate::{Design, Role};
use skipgrid_config::ArrayConfig;
use std::collections::BTreeMap;

/// Builds every module of `cfg`; the top is last.
pub fn design(cfg: &ArrayConfig) -> Design {
    let mut d = Design::default();
    let hm = cfg.host_map();
    let (r, c) = (cfg.rows, cfg.cols);
    let (xaw, yaw, waw, t) = (
        streamer::xaddr_width(cfg),
        streamer::yaddr_width(cfg),
        loader::waddr_width(cfg),
        cfg.row_tag_width(),
    );

    let pe_m = pe::pe(cfg);
    let mesh_m = mesh::mesh(cfg, &pe_m);
    let act_skew = skew::delay_line(
        cfg,
        skew::DelaySpec {
            role: "act_skew",
            width: xaw + 1,
            valid: false,
            first_tap: 0,
            taps: r,
        },
    );
    let wload_skew = skew::delay_line(
        cfg,
        skew::DelaySpec {
            role: "wload_skew",
            width: t + 1 + waw,
            valid: true,
            first_tap: 0,
            taps: c,
        },
    );
    let out_deskew = skew::delay_line(
        cfg,
        skew::DelaySpec {
            role: "out_deskew",
            width: 1 + yaw,
            valid: true,
            first_tap: r + cfg.mac_latency() - 1,
            taps: c,
        },
    );
    let seq = if cfg.skip {
        skip_ctrl::skip_ctrl(cfg)
    } else {
        skip_ctrl::dense_seq(cfg)
    };
    let loader_m = loader::loader(cfg);
    let streamer_m = streamer::streamer(cfg);
    let job_m = job_ctrl::job_ctrl(cfg);
    let host_m = host_if::host_if(cfg);
    let x_ram = ram::ram(cfg, cfg.act_width, cfg.k_blocks * cfg.m_depth);
    let w_ram = ram::ram(cfg, cfg.weight_width, cfg.weight_blocks * cfg.rows);
    let y_ram = ram::ram(cfg, cfg.acc_width, cfg.n_blocks * cfg.m_depth);
    let x_buf = buffers::x_buffer(cfg, &x_ram);
    let w_buf = buffers::w_buffer(cfg, &w_ram);
    let acc_m = accum::accum(cfg, &y_ram);

    let mut m = Module::new(cfg.top_name());
    m.doc(format!(
        "skipgrid {r} x {c} block-sparse systolic array ({}, skip {}). Host map: docs/host-interface.md.",
        cfg.dataflow.as_str(),
        if cfg.skip { "on" } else { "off" }
    ));
    let clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset, active high");
    let host_addr = m.input("host_addr", hm.addr_width, "word address");
    let host_wdata = m.input("host_wdata", hm.data_width, "write data");
    let host_we = m.input("host_we", 1, "write strobe");
    let host_re = m.input("host_re", 1, "read strobe");
    let host_rdata = m.output(
        "host_rdata",
        hm.data_width,
        "read data, the cycle after host_re",
    );
    let host_rvalid = m.output("host_rvalid", 1, "host_rdata is valid");
    let busy = m.output("busy", 1, "a job runs");
    let done = m.output("done", 1, "the last job finished");

    // Phase 1: a wire for every output of every block, named `<instance>_<port>`.
    let blocks: [(&Module, &str); 12] = [
        (&host_m, "host_if"),
        (&job_m, "job_ctrl"),
        (&seq, "seq"),
        (&loader_m, "loader"),
        (&streamer_m, "streamer"),
        (&act_skew, "act_skew"),
        (&wload_skew, "wload_skew"),
        (&out_deskew, "out_deskew"),
        (&x_buf, "x_buffer"),
        (&w_buf, "w_buffer"),
        (&mesh_m, "mesh"),
        (&acc_m, "accum"),
    ];
    let mut o: BTreeMap<String, Expr> = BTreeMap::new();
    for (module, inst) in blocks {
        for p in module.ports.iter().filter(|p| p.dir == Dir::Output) {
            let name = format!("{inst}_{}", p.name);
            let e = m.wire(&name, p.width);
            o.insert(name, e);
        }
    }
    let g = |n: &str| -> Expr { o.get(n).unwrap_or_else(|| panic!("no output {n}")).clone() };

    // Phase 2: instances, inputs named explicitly.
    let place = |m: &mut Module, module: &Module, inst: &str, inputs: Vec<(String, Expr)>| {
        let mut conns: Vec<(String, Expr)> = inputs;
        conns.push(("clk".into(), clk.clone()));
        for p in module.ports.iter().filter(|p| p.dir == Dir::Output) {
            conns.push((p.name.clone(), g(&format!("{inst}_{}", p.name))));
        }
        let conns: Vec<(&str, Expr)> = conns.iter().map(|(n, e)| (n.as_str(), e.clone())).collect();
        m.instance(module, inst, conns);
    };
    let s = |n: &str, e: Expr| (n.to_string(), e);

    let mut host_in = vec![
        s("rst", rst.clone()),
        s("host_addr", host_addr),
        s("host_wdata", host_wdata),
        s("host_we", host_we),
        s("host_re", host_re),
        s("busy", g("job_ctrl_busy")),
        s("done", g("job_ctrl_done")),
        s("error", g("job_ctrl_error")),
        s("cycles", g("job_ctrl_cycles")),
        s("blocks", g("loader_blocks")),
    ];
    for j in 0..c {
        host_in.push(s(&format!("y_rdata_{j}"), g(&format!("accum_rdata_{j}"))));
    }
    if cfg.skip {
        host_in.push(s("probe_written", g("seq_probe_written")));
    }
    place(&mut m, &host_m, "host_if", host_in);

    place(
        &mut m,
        &job_m,
        "job_ctrl",
        vec![
            s("rst", rst.clone()),
            s("start_req", g("host_if_start_req")),
            s("job_ok", g("host_if_job_ok")),
            s("blk_valid", g("seq_blk_valid")),
            s("ld_valid", g("loader_ld_valid")),
            s("full_0", g("loader_full_0")),
            s("full_1", g("loader_full_1")),
            s("st_active", g("streamer_active")),
            s("streamed_any", g("streamer_streamed_any")),
        ],
    );

    let mut seq_in = vec![
        s("rst", rst.clone()),
        s("start", g("job_ctrl_start")),
        s("kb_count", g("host_if_kb_count")),
        s("nb_count", g("host_if_nb_count")),
        s("take", g("loader_take")),
    ];
    if cfg.skip {
        seq_in.push(s("bm_we", g("host_if_bm_we")));
        seq_in.push(s("bm_waddr", g("host_if_bm_waddr")));
        seq_in.push(s("bm_wdata", g("host_if_bm_wdata")));
        seq_in.push(s("probe_nb", g("host_if_probe_nb")));
    }
    place(&mut m, &seq, "seq", seq_in);

    place(
        &mut m,
        &loader_m,
        "loader",
        vec![
            s("rst", rst.clone()),
            s("start", g("job_ctrl_start")),
            s("w_base", g("host_if_w_base")),
            s("blk_valid", g("seq_blk_valid")),
            s("blk_kb", g("seq_blk_kb")),
            s("blk_nb", g("seq_blk_nb")),
            s("blk_first", g("seq_blk_first")),
            s("bank_release", g("streamer_bank_release")),
            s("bank_release_id", g("streamer_bank")),
        ],
    );

    let mut st_in = vec![
        s("rst", rst.clone()),
        s("start", g("job_ctrl_start")),
        s("m_count", g("host_if_m_count")),
        s("ld_finishing", g("loader_finishing")),
        s("ld_bank", g("loader_ld_bank")),
    ];
    for k in 0..2 {
        st_in.push(s(&format!("full_{k}"), g(&format!("loader_full_{k}"))));
        for f in ["kb", "nb", "first"] {
            st_in.push(s(
                &format!("meta_{f}_{k}"),
                g(&format!("loader_meta_{f}_{k}")),
            ));
        }
    }
    place(&mut m, &streamer_m, "streamer", st_in);

    place(
        &mut m,
        &act_skew,
        "act_skew",
        vec![
            s("rst", rst.clone()),
            s(
                "in_data",
                concat(vec![g("streamer_bank"), g("streamer_x_addr")]),
            ),
        ],
    );
    place(
        &mut m,
        &wload_skew,
        "wload_skew",
        vec![
            s("rst", rst.clone()),
            s("in_valid", g("loader_ld_valid")),
            s(
                "in_data",
                concat(vec![
                    g("loader_ld_row"),
                    g("loader_ld_bank"),
                    g("loader_ld_addr"),
                ]),
            ),
        ],
    );
    place(
        &mut m,
        &out_deskew,
        "out_deskew",
        vec![
            s("rst", rst.clone()),
            s("in_valid", g("streamer_active")),
            s(
                "in_data",
                concat(vec![g("streamer_y_first"), g("streamer_y_addr")]),
            ),
        ],
    );

    let mut x_in = vec![
        s("we", g("host_if_x_we")),
        s("waddr", g("host_if_x_waddr")),
        s("wsel", g("host_if_x_wsel")),
        s("wdata", g("host_if_x_wdata")),
    ];
    for i in 0..r {
        let tap = g(&format!("act_skew_out_data_{i}"));
        x_in.push(s(&format!("raddr_{i}"), tap.slice(xaw - 1, 0)));
        x_in.push(s(&format!("bank_{i}"), tap.bit(xaw)));
    }
    place(&mut m, &x_buf, "x_buffer", x_in);

    let mut w_in = vec![
        s("rst", rst.clone()),
        s("we", g("host_if_w_we")),
        s("waddr", g("host_if_w_waddr")),
        s("wsel", g("host_if_w_wsel")),
        s("wdata", g("host_if_w_wdata")),
    ];
    for j in 0..c {
        let tap = g(&format!("wload_skew_out_data_{j}"));
        w_in.push(s(
            &format!("ld_valid_{j}"),
            g(&format!("wload_skew_out_valid_{j}")),
        ));
        w_in.push(s(&format!("ld_row_{j}"), tap.slice(t + waw, waw + 1)));
        w_in.push(s(&format!("ld_bank_{j}"), tap.bit(waw)));
        w_in.push(s(&format!("ld_addr_{j}"), tap.slice(waw - 1, 0)));
    }
    place(&mut m, &w_buf, "w_buffer", w_in);

    let mut mesh_in = vec![s("rst", rst.clone())];
    for i in 0..r {
        mesh_in.push(s(&format!("in_act_{i}"), g(&format!("x_buffer_act_{i}"))));
        mesh_in.push(s(
            &format!("in_bank_{i}"),
            g(&format!("x_buffer_act_bank_{i}")),
        ));
    }
    for j in 0..c {
        for (port, out) in [
            ("in_w", "w"),
            ("in_w_row", "w_row"),
            ("in_w_bank", "w_bank"),
            ("in_w_valid", "w_valid"),
        ] {
            mesh_in.push(s(&format!("{port}_{j}"), g(&format!("w_buffer_{out}_{j}"))));
        }
    }
    place(&mut m, &mesh_m, "mesh", mesh_in);

    let mut acc_in = vec![
        s("rst", rst),
        s("busy", g("job_ctrl_busy")),
        s("host_raddr", g("host_if_y_raddr")),
    ];
    for j in 0..c {
        let tap = g(&format!("out_deskew_out_data_{j}"));
        acc_in.push(s(
            &format!("valid_{j}"),
            g(&format!("out_deskew_out_valid_{j}")),
        ));
        acc_in.push(s(&format!("first_{j}"), tap.bit(yaw)));
        acc_in.push(s(&format!("addr_{j}"), tap.slice(yaw - 1, 0)));
        acc_in.push(s(&format!("psum_{j}"), g(&format!("mesh_out_psum_{j}"))));
    }
    place(&mut m, &acc_m, "accum", acc_in);

    m.assign(&host_rdata, g("host_if_host_rdata"));
    m.assign(&host_rvalid, g("host_if_host_rvalid"));
    m.assign(&busy, g("job_ctrl_busy"));
    m.assign(&done, g("job_ctrl_done"));

    let seq_role = if cfg.skip {
        Role::SkipCtrl
    } else {
        Role::DenseSeq
    };
    for (module, role) in [
        (pe_m, Role::Pe),
        (mesh_m, Role::Mesh),
        (act_skew, Role::ActSkew),
        (wload_skew, Role::WloadSkew),
        (out_deskew, Role::OutDeskew),
        (seq, seq_role),
        (loader_m, Role::Loader),
        (streamer_m, Role::Streamer),
        (job_m, Role::JobCtrl),
        (x_ram, Role::Ram),
        (w_ram, Role::Ram),
        (y_ram, Role::Ram),
        (x_buf, Role::XBuffer),
        (w_buf, Role::WBuffer),
        (acc_m, Role::Accum),
        (host_m, Role::HostIf),
        (m, Role::Top),
    ] {
        d.push(module, role);
    }
    d
}
