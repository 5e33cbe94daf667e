//! The output accumulator: one RAM bank per mesh column, holding Y for every (nb, m).
//! Column j's control arrives from the deskew tap exactly one cycle before its partial
//! sum leaves the mesh: the read is issued then, and one cycle later the sum is written,
//! either alone (first K block of its N block) or added to what was read.
//!
//! A row's read and the write of the same row by the previous block can only meet when
//! blocks are one cycle apart, which needs rows = 1 and M = 1; only that configuration
//! gets a forwarding register.

use crate::ir::{lit, mux, set, when_else, Expr, Module};
use crate::streamer::yaddr_width;
use skipgrid_config::ArrayConfig;

/// The accumulator module.
pub fn accum(cfg: &ArrayConfig, ram: &Module) -> Module {
    let (acc, aw) = (cfg.acc_width, yaddr_width(cfg));
    let mut m = Module::new(format!("{}_accum", cfg.module_prefix()));
    m.doc(format!(
        "Output accumulator: {} banks of {} x {acc} bits.",
        cfg.cols,
        1u64 << aw
    ));
    let clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let busy = m.input("busy", 1, "a job runs: the array owns the read ports");
    let host_raddr = m.input("host_raddr", aw, "host read address {nb, m}");
    let mut resets = Vec::new();
    let mut updates = Vec::new();
    for j in 0..cfg.cols {
        let valid = m.input(
            &format!("valid_{j}"),
            1,
            &format!("column {j}: a sum arrives next cycle"),
        );
        let first = m.input(&format!("first_{j}"), 1, "it is the first of its N block");
        let addr = m.input(&format!("addr_{j}"), aw, "its address {nb, m}");
        let psum = m.input(
            &format!("psum_{j}"),
            acc,
            &format!("partial sum out of column {j}"),
        );
        let rdata = m.output(
            &format!("rdata_{j}"),
            acc,
            "read data (host reads when idle)",
        );
        let v_d = m.reg(&format!("valid_d_{j}"), 1);
        let first_d = m.reg(&format!("first_d_{j}"), 1);
        let addr_d = m.reg(&format!("addr_d_{j}"), aw);
        let raddr = m.wire_of(
            &format!("raddr_{j}"),
            mux(busy.clone(), addr.clone(), host_raddr.clone()),
        );
        let sum = m.wire(&format!("sum_{j}"), acc);
        let prev: Expr = if cfg.rows == 1 {
            let fwd = m.reg(&format!("fwd_{j}"), 1);
            let fwd_data = m.reg(&format!("fwd_data_{j}"), acc);
            let hit = v_d.clone().land(addr_d.clone().eq(addr.clone()));
            updates.push(set(&fwd, hit));
            updates.push(set(&fwd_data, sum.clone()));
            resets.push(set(&fwd, lit(1, 0)));
            mux(fwd, fwd_data, rdata.clone())
        } else {
            rdata.clone()
        };
        m.assign(&sum, mux(first_d.clone(), psum.clone(), prev.add(psum)));
        m.instance(
            ram,
            &format!("ram_{j}"),
            vec![
                ("clk", clk.clone()),
                ("we", v_d.clone()),
                ("waddr", addr_d.clone()),
                ("wdata", sum.clone()),
                ("raddr", raddr),
                ("rdata", rdata),
            ],
        );
        resets.push(set(&v_d, lit(1, 0)));
        updates.push(set(&v_d, valid));
        updates.push(set(&first_d, first));
        updates.push(set(&addr_d, addr));
    }
    m.clocked(vec![when_else(rst, resets, updates)]);
    m
}
