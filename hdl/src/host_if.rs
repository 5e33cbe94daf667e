//! The host interface: a word-addressed bus (docs/host-interface.md) that writes the job
//! registers, the activation and weight buffers and the block bitmap, starts jobs, and
//! reads status, the cycle counter and Y with one cycle of latency. Writes while busy
//! are ignored. The address map comes from `skipgrid_config::HostMap`, which the
//! simulation driver uses too.

use crate::ir::{concat, lit, mux, set, when, when_else, Expr, Module};
use crate::loader::waddr_width;
use crate::streamer::{xaddr_width, yaddr_width};
use crate::util::{cat, mul_const, w1};
use skipgrid_config::{ArrayConfig, Region, Register};

/// Slice of `off` with `bits` bits from `lo`, if any.
fn field(off: &Expr, lo: u32, bits: u32) -> Option<Expr> {
    (bits > 0).then(|| off.slice(lo + bits - 1, lo))
}

/// A binary mux tree selecting `items[sel]` (missing items read as zero).
pub fn select(sel: &Expr, items: &[Expr]) -> Expr {
    fn go(sel: &Expr, items: &[Expr], bit: u32, width: u32) -> Expr {
        if items.len() <= 1 {
            return items.first().cloned().unwrap_or_else(|| lit(width, 0));
        }
        let half = 1usize << bit;
        let (lo, hi) = items.split_at(half.min(items.len()));
        let lo_e = go(sel, lo, bit.saturating_sub(1), width);
        if hi.is_empty() {
            return lo_e;
        }
        let hi_e = go(sel, hi, bit.saturating_sub(1), width);
        mux(sel.bit(bit), hi_e, lo_e)
    }
    let width = items[0].width;
    if items.len() == 1 {
        return items[0].clone();
    }
    let top = skipgrid_config::clog2(items.len() as u64) - 1;
    go(sel, items, top, width)
}

/// The host interface module.
pub fn host_if(cfg: &ArrayConfig) -> Module {
    let hm = cfg.host_map();
    let (dw, ob) = (hm.data_width, hm.offset_bits);
    let mut m = Module::new(format!("{}_host_if", cfg.module_prefix()));
    m.doc("Host interface: address decode, job registers, buffer write ports, read mux.");
    let _clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let addr = m.input("host_addr", hm.addr_width, "word address");
    let wdata = m.input("host_wdata", dw, "write data");
    let we = m.input("host_we", 1, "write strobe");
    let re = m.input("host_re", 1, "read strobe");
    let busy = m.input("busy", 1, "a job runs");
    let done = m.input("done", 1, "the last job finished");
    let error = m.input("error", 1, "the last start was refused");
    let cycles = m.input("cycles", cfg.cycle_counter_width(), "cycle counter");
    let blocks = m.input("blocks", 32, "blocks of the last job");
    let y_rdata: Vec<Expr> = (0..cfg.cols)
        .map(|j| {
            m.input(
                &format!("y_rdata_{j}"),
                cfg.acc_width,
                &format!("Y column {j}"),
            )
        })
        .collect();
    let probe_written = cfg
        .skip
        .then(|| m.input("probe_written", 1, "the N block read was written"));
    let rdata = m.output("host_rdata", dw, "read data");
    let rvalid = m.output_reg("host_rvalid", 1, "read data valid");
    let start_req = m.output("start_req", 1, "CTRL.start written");
    let job_ok = m.output("job_ok", 1, "job registers in range");
    let m_count = m.output_reg("m_count", hm.m_bits + 1, "M");
    let kb_count = m.output_reg("kb_count", hm.kb_bits + 1, "K blocks");
    let nb_count = m.output_reg("nb_count", hm.nb_bits + 1, "N blocks");
    let w_base = m.output_reg("w_base", w1(hm.blk_bits), "first stored block");
    let x_we = m.output("x_we", 1, "activation write");
    let x_waddr = m.output("x_waddr", xaddr_width(cfg), "{kb, m}");
    let x_wsel = m.output("x_wsel", w1(hm.row_bits), "row in block");
    let x_wdata = m.output("x_wdata", cfg.act_width, "activation");
    let w_we = m.output("w_we", 1, "weight write");
    let w_waddr = m.output("w_waddr", waddr_width(cfg), "block × rows + row");
    let w_wsel = m.output("w_wsel", w1(hm.col_bits), "column in block");
    let w_wdata = m.output("w_wdata", cfg.weight_width, "weight");
    let y_raddr = m.output("y_raddr", yaddr_width(cfg), "Y read address {nb, m}");
    let bm = cfg.skip.then(|| {
        (
            m.output("bm_we", 1, "bitmap write"),
            m.output("bm_waddr", w1(hm.kb_bits + hm.nb_bits), "{nb, kb}"),
            m.output("bm_wdata", 1, "present bit"),
            m.output("probe_nb", w1(hm.nb_bits), "N block of the Y read"),
        )
    });

    // Each destination takes the low bits it needs; the rest of a word is ignored.
    let sink = m.wire("unused_wdata", dw);
    m.assign(&sink, wdata.clone());
    let region = m.wire_of("region", addr.slice(hm.addr_width - 1, ob));
    let off = m.wire_of("offset", addr.slice(ob - 1, 0));
    let in_region = |r: Region| region.clone().eq(lit(3, r as u64));
    let wr = m.wire_of("wr", we.land(busy.clone().not()));
    let reg_hit = |r: Register| in_region(Region::Regs).land(off.clone().eq(lit(ob, r as u64)));

    m.comment("Activation writes: offset = {kb, m, i}.");
    let (rb, cb, mb) = (hm.row_bits, hm.col_bits, hm.m_bits);
    m.assign(&x_we, wr.clone().land(in_region(Region::X)));
    m.assign(
        &x_waddr,
        cat(vec![field(&off, mb + rb, hm.kb_bits), field(&off, rb, mb)]),
    );
    m.assign(&x_wsel, cat(vec![field(&off, 0, rb)]));
    m.assign(&x_wdata, wdata.slice(cfg.act_width - 1, 0));
    m.comment("Weight writes: offset = {block, i, j}; blocks stored back to back.");
    let aw = waddr_width(cfg);
    let blk = m.wire_of("w_blk", cat(vec![field(&off, rb + cb, hm.blk_bits)]));
    let row = cat(vec![field(&off, cb, rb)]);
    m.assign(&w_we, wr.clone().land(in_region(Region::W)));
    let blk_rows = mul_const(&blk, cfg.rows.into(), aw);
    m.assign(&w_waddr, blk_rows.add(row.zext(aw)));
    m.assign(&w_wsel, cat(vec![field(&off, 0, cb)]));
    m.assign(&w_wdata, wdata.slice(cfg.weight_width - 1, 0));
    m.comment("Y reads: offset = {nb, m, j}.");
    m.assign(
        &y_raddr,
        cat(vec![field(&off, mb + cb, hm.nb_bits), field(&off, cb, mb)]),
    );
    if let Some((bm_we, bm_waddr, bm_wdata, probe_nb)) = &bm {
        m.comment("Bitmap writes: offset = {nb, kb}.");
        m.assign(bm_we, wr.clone().land(in_region(Region::Bitmap)));
        m.assign(bm_waddr, cat(vec![field(&off, 0, hm.kb_bits + hm.nb_bits)]));
        m.assign(bm_wdata, wdata.bit(0));
        let nb_q = m.reg("y_nb_q", w1(hm.nb_bits));
        m.assign(probe_nb, nb_q.clone());
        m.clocked(vec![when(
            re.clone(),
            vec![set(&nb_q, cat(vec![field(&off, mb + cb, hm.nb_bits)]))],
        )]);
    }

    m.comment("Job registers.");
    // One extra bit: max + 1 may not fit the register (k_blocks = 1 gives a 1-bit KB).
    let le = |v: &Expr, max: u32| {
        v.clone()
            .zext(v.width + 1)
            .lt(lit(v.width + 1, u64::from(max) + 1))
    };
    let nz = |v: &Expr| v.clone().ne(lit(v.width, 0));
    let ok = nz(&m_count)
        .land(le(&m_count, cfg.m_depth))
        .land(nz(&kb_count))
        .land(le(&kb_count, cfg.k_blocks))
        .land(nz(&nb_count))
        .land(le(&nb_count, cfg.n_blocks));
    m.assign(&job_ok, ok);
    m.assign(
        &start_req,
        wr.clone().land(reg_hit(Register::Ctrl)).land(wdata.bit(0)),
    );
    let low_bits = |e: &Expr| wdata.slice(e.width - 1, 0);
    let writes = [
        (Register::M, &m_count),
        (Register::Kb, &kb_count),
        (Register::Nb, &nb_count),
        (Register::WBase, &w_base),
    ]
    .into_iter()
    .map(|(r, reg)| when(wr.clone().land(reg_hit(r)), vec![set(reg, low_bits(reg))]))
    .collect::<Vec<_>>();
    m.clocked(vec![when_else(
        rst.clone(),
        vec![
            set(&m_count, lit(m_count.width, 0)),
            set(&kb_count, lit(kb_count.width, 0)),
            set(&nb_count, lit(nb_count.width, 0)),
            set(&w_base, lit(w_base.width, 0)),
        ],
        writes,
    )]);

    m.comment("Reads: registers are sampled at the read, Y comes from the banks one cycle later.");
    let z = |e: Expr| e.zext(dw);
    let regs = [
        (Register::Status, concat(vec![error, done, busy])),
        (Register::M, m_count.clone()),
        (Register::Kb, kb_count.clone()),
        (Register::Nb, nb_count.clone()),
        (Register::WBase, w_base.clone()),
        (Register::Cycles, cycles),
        (Register::Blocks, blocks),
        (Register::Geometry, lit(28, cfg.geometry_word())),
        (Register::ConfigHash, lit(24, cfg.hash24().into())),
    ];
    let mut reg_val = lit(dw, 0);
    for (r, v) in regs.into_iter().rev() {
        reg_val = mux(off.clone().eq(lit(ob, r as u64)), z(v), reg_val);
    }
    let reg_val = m.wire_of("reg_value", reg_val);
    let reg_q = m.reg("reg_q", dw);
    let is_y_q = m.reg("is_y_q", 1);
    let col_q = m.reg("col_q", w1(cb));
    m.clocked(vec![
        when_else(
            rst,
            vec![set(&rvalid, lit(1, 0))],
            vec![set(&rvalid, re.clone())],
        ),
        when(
            re,
            vec![
                set(&reg_q, reg_val),
                set(&is_y_q, in_region(Region::Y)),
                set(&col_q, cat(vec![field(&off, 0, cb)])),
            ],
        ),
    ]);
    let mut y = select(&col_q, &y_rdata);
    if cfg.cols == 1 {
        let sink = m.wire("unused_col_q", 1);
        m.assign(&sink, col_q.clone());
    }
    if let Some(pw) = probe_written {
        y = mux(pw, y.clone(), lit(y.width, 0));
    }
    let y = m.wire_of("y_value", y);
    let y_ext = if dw > cfg.acc_width { y.sext(dw) } else { y };
    m.assign(&rdata, mux(is_y_q, y_ext, reg_q));
    m
}
