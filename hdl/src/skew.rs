//! Tapped delay lines that skew control in time instead of delaying wide data.
//!
//! - `act_skew`: the activation-buffer read address and bank bit reach row i's buffer
//!   bank i cycles after row 0's, so row i's activations enter the mesh i cycles late.
//! - `wload_skew`: the weight-buffer read address and the row/bank tag reach column j's
//!   bank j cycles late, so each column's weights follow its activations.
//! - `out_deskew`: the accumulator control (valid, first, output address) reaches column
//!   j's accumulator rows + j cycles after the streamer issued it, exactly when that
//!   column's partial sum leaves the mesh. The outputs are deskewed by moving the
//!   control (a few address bits per stage) rather than C columns of wide sums.

use crate::ir::{lit, set, when_else, Expr, Module, Stmt};
use skipgrid_config::ArrayConfig;

/// What a delay line carries and where its taps are.
#[derive(Debug, Clone, Copy)]
pub struct DelaySpec {
    /// Module role and name suffix.
    pub role: &'static str,
    /// Width of the data that needs no reset.
    pub width: u32,
    /// Whether a valid bit (reset to 0) travels beside the data.
    pub valid: bool,
    /// Delay of tap 0.
    pub first_tap: u32,
    /// Number of taps; tap k is delayed by first_tap + k cycles.
    pub taps: u32,
}

/// A delay line module for `spec`.
pub fn delay_line(cfg: &ArrayConfig, spec: DelaySpec) -> Module {
    let mut m = Module::new(format!("{}_{}", cfg.module_prefix(), spec.role));
    m.doc(format!(
        "Delay line: tap k = input delayed by {} + k cycles, {} taps.",
        spec.first_tap, spec.taps
    ));
    let clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let in_valid = spec.valid.then(|| m.input("in_valid", 1, "valid"));
    let in_data = m.input("in_data", spec.width, "data");
    let depth = spec.first_tap + spec.taps - 1;
    let mut stages: Vec<(Option<Expr>, Expr)> = vec![(in_valid, in_data)];
    let mut stmts: Vec<Stmt> = Vec::new();
    let mut resets = Vec::new();
    let mut valids = Vec::new();
    for d in 1..=depth {
        let v = spec.valid.then(|| m.reg(&format!("valid_d{d}"), 1));
        let x = m.reg(&format!("data_d{d}"), spec.width);
        let (pv, px) = stages[(d - 1) as usize].clone();
        if let (Some(v), Some(pv)) = (&v, pv) {
            resets.push(set(v, lit(1, 0)));
            valids.push(set(v, pv));
        }
        stmts.push(set(&x, px));
        stages.push((v, x));
    }
    for k in 0..spec.taps {
        let (v, x) = stages[(spec.first_tap + k) as usize].clone();
        if let Some(v) = v {
            let o = m.output(
                &format!("out_valid_{k}"),
                1,
                &format!("valid, delayed {} cycles", spec.first_tap + k),
            );
            m.assign(&o, v);
        }
        let o = m.output(
            &format!("out_data_{k}"),
            spec.width,
            &format!("data, delayed {} cycles", spec.first_tap + k),
        );
        m.assign(&o, x);
    }
    if !valids.is_empty() {
        stmts.insert(0, when_else(rst, resets, valids));
    } else {
        // No valid bit: rst is only part of the uniform port bundle.
        let sink = m.wire("unused_rst", 1);
        m.assign(&sink, rst);
    }
    if stmts.is_empty() {
        // A zero-delay line (a 1-row array's skew) registers nothing.
        let sink = m.wire("unused_clk", 1);
        m.assign(&sink, clk);
    } else {
        m.clocked(stmts);
    }
    m
}
