//! The activation buffer (one RAM bank per mesh row) and the weight buffer (one RAM
//! bank per mesh column). Each bank reads with the address its skew tap delivers, so
//! the skew costs address bits per stage, not data; the sideband (bank bit, weight tag)
//! is registered beside the synchronous read so it stays aligned with the data.

use crate::ir::{lit, set, when_else, Expr, Module};
use crate::loader::waddr_width;
use crate::streamer::xaddr_width;
use crate::util::w1;
use skipgrid_config::ArrayConfig;

/// The host's write port, shared by every bank of a buffer; `wsel` picks the bank.
struct WritePort {
    clk: Expr,
    we: Expr,
    waddr: Expr,
    wsel: Expr,
    wdata: Expr,
    banks: u32,
}

impl WritePort {
    fn new(
        m: &mut Module,
        aw: u32,
        sel_bits: u32,
        width: u32,
        banks: u32,
        docs: [&str; 3],
    ) -> Self {
        let clk = m.input("clk", 1, "clock");
        let we = m.input("we", 1, "host write");
        let waddr = m.input("waddr", aw, docs[0]);
        let wsel = m.input("wsel", w1(sel_bits), docs[1]);
        let wdata = m.input("wdata", width, docs[2]);
        if banks == 1 {
            // One bank: nothing to select.
            let sink = m.wire("unused_wsel", w1(sel_bits));
            m.assign(&sink, wsel.clone());
        }
        WritePort {
            clk,
            we,
            waddr,
            wsel,
            wdata,
            banks,
        }
    }

    /// RAM bank `k`: written when the host selects it, read at `raddr` into `rdata`.
    fn bank(&self, m: &mut Module, ram: &Module, k: u32, raddr: Expr, rdata: Expr) {
        let wen = if self.banks == 1 {
            self.we.clone()
        } else {
            let hit = self
                .we
                .clone()
                .land(self.wsel.clone().eq(lit(self.wsel.width, k.into())));
            m.wire_of(&format!("we_{k}"), hit)
        };
        m.instance(
            ram,
            &format!("ram_{k}"),
            vec![
                ("clk", self.clk.clone()),
                ("we", wen),
                ("waddr", self.waddr.clone()),
                ("wdata", self.wdata.clone()),
                ("raddr", raddr),
                ("rdata", rdata),
            ],
        );
    }
}

/// The activation buffer: `rows` banks of k_blocks × m_depth activations.
pub fn x_buffer(cfg: &ArrayConfig, ram: &Module) -> Module {
    let hm = cfg.host_map();
    let (a, aw) = (cfg.act_width, xaddr_width(cfg));
    let mut m = Module::new(format!("{}_x_buffer", cfg.module_prefix()));
    m.doc(format!(
        "Activation buffer: {} banks of {} x {a} bits.",
        cfg.rows,
        1u64 << aw
    ));
    let port = WritePort::new(
        &mut m,
        aw,
        hm.row_bits,
        a,
        cfg.rows,
        ["{kb, m}", "bank (row in block)", "activation"],
    );
    let mut stmts = Vec::new();
    for i in 0..cfg.rows {
        let raddr = m.input(
            &format!("raddr_{i}"),
            aw,
            &format!("read address of row {i}"),
        );
        let bank = m.input(&format!("bank_{i}"), 1, "bank bit of that read");
        let act = m.output(&format!("act_{i}"), a, &format!("activation into row {i}"));
        let act_bank = m.output_reg(&format!("act_bank_{i}"), 1, "its bank bit");
        port.bank(&mut m, ram, i, raddr, act);
        stmts.push(set(&act_bank, bank));
    }
    m.clocked(stmts);
    m
}

/// The weight buffer: `cols` banks of weight_blocks × rows weights.
pub fn w_buffer(cfg: &ArrayConfig, ram: &Module) -> Module {
    let hm = cfg.host_map();
    let (w, aw, t) = (cfg.weight_width, waddr_width(cfg), cfg.row_tag_width());
    let mut m = Module::new(format!("{}_w_buffer", cfg.module_prefix()));
    m.doc(format!(
        "Weight buffer: {} banks of {} x {w} bits.",
        cfg.cols,
        1u64 << aw
    ));
    let port = WritePort::new(
        &mut m,
        aw,
        hm.col_bits,
        w,
        cfg.cols,
        ["block × rows + row", "bank (column in block)", "weight"],
    );
    let rst = m.input("rst", 1, "synchronous reset");
    let mut resets = Vec::new();
    let mut updates = Vec::new();
    for j in 0..cfg.cols {
        let valid = m.input(
            &format!("ld_valid_{j}"),
            1,
            &format!("column {j}: a row is read"),
        );
        let row = m.input(&format!("ld_row_{j}"), t, "its row tag");
        let bank = m.input(&format!("ld_bank_{j}"), 1, "its bank tag");
        let raddr = m.input(&format!("ld_addr_{j}"), aw, "its address");
        let w_o = m.output(&format!("w_{j}"), w, &format!("weight into column {j}"));
        let row_o = m.output_reg(&format!("w_row_{j}"), t, "its destination row");
        let bank_o = m.output_reg(&format!("w_bank_{j}"), 1, "its destination bank");
        let valid_o = m.output_reg(&format!("w_valid_{j}"), 1, "it carries a weight");
        port.bank(&mut m, ram, j, raddr, w_o);
        resets.push(set(&valid_o, lit(1, 0)));
        updates.push(set(&valid_o, valid));
        updates.push(set(&row_o, row));
        updates.push(set(&bank_o, bank));
    }
    m.clocked(vec![when_else(rst, resets, updates)]);
    m
}
