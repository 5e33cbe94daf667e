//! The processing element of the weight-stationary array.
//!
//! A PE holds two weights (banks 0 and 1, double buffering). Each cycle it multiplies the
//! activation arriving from the left by the weight of the bank named by the bank bit that
//! travels with that activation, adds the partial sum arriving from above, and registers
//! activation, bank bit and partial sum towards its right and lower neighbours.
//! Weights for the next block travel down the column, tagged with their destination row
//! and bank; a PE captures the one tagged with its own row, so no control signal fans
//! out across the array. Even the reset travels: each PE registers it for its
//! neighbour (along the top row, then down each column), one cycle per hop, so it
//! reaches PE (i, j) i + j cycles late, before any weight can.

use crate::ir::{lit, mux, set, when, when_else, Module};
use skipgrid_config::ArrayConfig;

/// The PE module of `cfg`.
pub fn pe(cfg: &ArrayConfig) -> Module {
    let (a, w, acc, t) = (
        cfg.act_width,
        cfg.weight_width,
        cfg.acc_width,
        cfg.row_tag_width(),
    );
    let mut m = Module::new(format!("{}_pe", cfg.module_prefix()));
    m.doc(format!(
        "Weight-stationary PE: {a}-bit activations x {w}-bit weights, {acc}-bit partial sums, two weight banks."
    ));
    let clk = m.input("clk", 1, "clock");
    let rst = m.input("in_rst", 1, "synchronous reset, from the neighbour");
    let row_id = m.input("row_id", t, "this PE's row, a constant");
    let in_act = m.input("in_act", a, "activation from the left");
    let in_bank = m.input("in_bank", 1, "weight bank of that activation's block");
    let in_psum = m.input("in_psum", acc, "partial sum from above");
    let in_w = m.input("in_w", w, "weight travelling down");
    let in_w_row = m.input("in_w_row", t, "destination row of in_w");
    let in_w_bank = m.input("in_w_bank", 1, "destination bank of in_w");
    let in_w_valid = m.input("in_w_valid", 1, "in_w carries a weight");
    let out_act = m.output_reg("out_act", a, "activation to the right");
    let out_bank = m.output_reg("out_bank", 1, "bank bit to the right");
    let out_psum = m.output_reg("out_psum", acc, "partial sum downwards");
    let out_w = m.output_reg("out_w", w, "weight downwards");
    let out_w_row = m.output_reg("out_w_row", t, "its destination row");
    let out_w_bank = m.output_reg("out_w_bank", 1, "its destination bank");
    let out_w_valid = m.output_reg("out_w_valid", 1, "it carries a weight");
    let out_rst = m.output_reg("out_rst", 1, "reset, one cycle later");
    let _ = clk;

    let bank0 = m.reg("w_bank0", w);
    let bank1 = m.reg("w_bank1", w);
    let capture = m.wire_of(
        "capture",
        in_w_valid.clone().land(in_w_row.clone().eq(row_id)),
    );
    let w_sel = m.wire_of("w_sel", mux(in_bank.clone(), bank1.clone(), bank0.clone()));
    let act_s = m.signed_wire("act_s", a);
    m.assign(&act_s, in_act.clone());
    let w_s = m.signed_wire("w_s", w);
    m.assign(&w_s, w_sel);
    let prod = m.signed_wire("prod", a + w);
    m.assign(&prod, act_s.mul(w_s));
    // With mac_pipeline the product is registered: the multiply and the add each get a
    // cycle, and every partial sum leaves the mesh one cycle later.
    let (addend, pipe) = if cfg.mac_pipeline {
        let q = m.reg("prod_q", a + w);
        (q.clone(), vec![set(&q, prod)])
    } else {
        (prod, Vec::new())
    };
    let sum = m.wire_of("sum", in_psum.add(addend.sext(acc)));

    m.clocked(
        vec![
            set(&out_rst, rst.clone()),
            when_else(
                rst,
                vec![set(&out_w_valid, lit(1, 0))],
                vec![set(&out_w_valid, in_w_valid)],
            ),
            set(&out_w, in_w.clone()),
            set(&out_w_row, in_w_row),
            set(&out_w_bank, in_w_bank.clone()),
            when(
                capture.clone().land(in_w_bank.clone().not()),
                vec![set(&bank0, in_w.clone())],
            ),
            when(capture.land(in_w_bank), vec![set(&bank1, in_w)]),
            set(&out_act, in_act),
            set(&out_bank, in_bank),
            set(&out_psum, sum),
        ]
        .into_iter()
        .chain(pipe)
        .collect(),
    );
    m
}
