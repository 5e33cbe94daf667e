//! A simple dual-port RAM: one synchronous write port, one synchronous read port
//! (read-before-write on the same address). Yosys infers block RAM from it on FPGA
//! targets; the ASIC flow black-boxes it and estimates SRAM macro area separately.

use crate::ir::{set, when, Module};
use skipgrid_config::{clog2, ArrayConfig};

/// The RAM module of `width` × `depth` words.
pub fn ram(cfg: &ArrayConfig, width: u32, depth: u32) -> Module {
    assert!(depth >= 2, "RAM depth {depth}");
    let aw = clog2(depth.into());
    let mut m = Module::new(format!("{}_ram_w{width}_d{depth}", cfg.module_prefix()));
    m.doc(format!(
        "{depth} x {width}-bit RAM, synchronous write and read."
    ));
    let _clk = m.input("clk", 1, "clock");
    let we = m.input("we", 1, "write enable");
    let waddr = m.input("waddr", aw, "write address");
    let wdata = m.input("wdata", width, "write data");
    let raddr = m.input("raddr", aw, "read address");
    let rdata = m.output_reg("rdata", width, "read data, one cycle after raddr");
    let mem = m.memory("mem", width, depth);
    m.clocked(vec![
        when(we, vec![mem.write(waddr, wdata)]),
        set(&rdata, mem.read(raddr)),
    ]);
    m
}
