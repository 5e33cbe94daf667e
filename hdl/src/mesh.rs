//! The rows × cols mesh of PEs: one named wire per PE-to-PE link (Verilator simulates
//! that several times faster than packed buses). Activations enter on the left, one port
//! per row; weights enter at the top, one port per column; partial sums leave at the
//! bottom. Links leaving the right and bottom edges end in wires named `unused_*`, which
//! Verilator's default `--unused-regexp` recognises as deliberately unread. The reset
//! enters at PE (0, 0) and travels along row 0, then down every column.

use crate::ir::{lit, Expr, Module};
use skipgrid_config::ArrayConfig;

/// The mesh module of `cfg`, instantiating `pe`.
pub fn mesh(cfg: &ArrayConfig, pe: &Module) -> Module {
    let (r, c) = (cfg.rows, cfg.cols);
    let (a, w, acc, t) = (
        cfg.act_width,
        cfg.weight_width,
        cfg.acc_width,
        cfg.row_tag_width(),
    );
    let mut m = Module::new(format!("{}_mesh", cfg.module_prefix()));
    m.doc(format!("{r} x {c} mesh of weight-stationary PEs."));
    let clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let mut act_in = Vec::new();
    for i in 0..r {
        let act = m.input(
            &format!("in_act_{i}"),
            a,
            &format!("activation into row {i}"),
        );
        let bank = m.input(&format!("in_bank_{i}"), 1, "its weight bank");
        act_in.push((act, bank));
    }
    let mut w_in = Vec::new();
    for j in 0..c {
        w_in.push([
            m.input(&format!("in_w_{j}"), w, &format!("weight into column {j}")),
            m.input(&format!("in_w_row_{j}"), t, "its destination row"),
            m.input(&format!("in_w_bank_{j}"), 1, "its destination bank"),
            m.input(&format!("in_w_valid_{j}"), 1, "it carries a weight"),
        ]);
    }
    let mut psum_out = Vec::new();
    for j in 0..c {
        psum_out.push(m.output(
            &format!("out_psum_{j}"),
            acc,
            &format!("partial sum out of column {j}"),
        ));
    }

    // Signals leaving each PE, named by the PE's position.
    let mut rsts = vec![vec![]; r as usize];
    let mut act = vec![vec![]; r as usize];
    let mut psum = vec![vec![]; r as usize];
    let mut wl: Vec<Vec<[Expr; 4]>> = vec![vec![]; r as usize];
    for i in 0..r {
        for j in 0..c {
            let edge_r = j + 1 == c;
            let edge_b = i + 1 == r;
            let pre = |n: &str, edge: bool| {
                if edge {
                    format!("unused_{n}_{i}_{j}")
                } else {
                    format!("{n}_{i}_{j}")
                }
            };
            // Row 0 passes the reset right and down; other rows only down.
            let rst_used = !edge_b || (i == 0 && !edge_r);
            rsts[i as usize].push(m.wire(&pre("rst", !rst_used), 1));
            act[i as usize].push((
                m.wire(&pre("act", edge_r), a),
                m.wire(&pre("bank", edge_r), 1),
            ));
            psum[i as usize].push(if edge_b {
                psum_out[j as usize].clone()
            } else {
                m.wire(&format!("psum_{i}_{j}"), acc)
            });
            wl[i as usize].push([
                m.wire(&pre("w", edge_b), w),
                m.wire(&pre("w_row", edge_b), t),
                m.wire(&pre("w_bank", edge_b), 1),
                m.wire(&pre("w_valid", edge_b), 1),
            ]);
        }
    }
    for i in 0..r as usize {
        for j in 0..c as usize {
            let (in_act, in_bank) = if j == 0 {
                act_in[i].clone()
            } else {
                act[i][j - 1].clone()
            };
            let in_psum = if i == 0 {
                lit(acc, 0)
            } else {
                psum[i - 1][j].clone()
            };
            let win = if i == 0 {
                w_in[j].clone()
            } else {
                wl[i - 1][j].clone()
            };
            let [iw, irow, ibank, ivalid] = win;
            let in_rst = match (i, j) {
                (0, 0) => rst.clone(),
                (0, _) => rsts[0][j - 1].clone(),
                _ => rsts[i - 1][j].clone(),
            };
            let [ow, orow, obank, ovalid] = wl[i][j].clone();
            m.instance(
                pe,
                &format!("pe_{i}_{j}"),
                vec![
                    ("clk", clk.clone()),
                    ("in_rst", in_rst),
                    ("row_id", lit(t, u64::from(i as u32))),
                    ("in_act", in_act),
                    ("in_bank", in_bank),
                    ("in_psum", in_psum),
                    ("in_w", iw),
                    ("in_w_row", irow),
                    ("in_w_bank", ibank),
                    ("in_w_valid", ivalid),
                    ("out_act", act[i][j].0.clone()),
                    ("out_bank", act[i][j].1.clone()),
                    ("out_psum", psum[i][j].clone()),
                    ("out_w", ow),
                    ("out_w_row", orow),
                    ("out_w_bank", obank),
                    ("out_w_valid", ovalid),
                    ("out_rst", rsts[i][j].clone()),
                ],
            );
        }
    }
    m
}
