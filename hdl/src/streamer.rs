//! The activation streamer: once a bank is full it issues the M activation rows of that
//! block's K slice, one per cycle, back to back with the previous block: no bubble
//! between blocks, and pruned blocks never reach it. Beside each row it issues the
//! accumulator control: valid, whether this block is the first of its N block, and the
//! output address.

use crate::ir::{lit, mux, set, when, when_else, Expr, Module};
use crate::util::{cat, low, w1};
use skipgrid_config::ArrayConfig;

/// Width of an activation-buffer bank address ({kb, m}).
pub fn xaddr_width(cfg: &ArrayConfig) -> u32 {
    let hm = cfg.host_map();
    hm.kb_bits + hm.m_bits
}

/// Width of an accumulator address ({nb, m}).
pub fn yaddr_width(cfg: &ArrayConfig) -> u32 {
    let hm = cfg.host_map();
    hm.nb_bits + hm.m_bits
}

/// The streamer module.
pub fn streamer(cfg: &ArrayConfig) -> Module {
    let hm = cfg.host_map();
    let (kbw, nbw, mw) = (w1(hm.kb_bits), w1(hm.nb_bits), hm.m_bits + 1);
    let mut m = Module::new(format!("{}_streamer", cfg.module_prefix()));
    m.doc("Activation streamer: M rows per full bank, back to back, with the accumulator control.");
    let _clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let start = m.input("start", 1, "a job starts");
    let m_count = m.input("m_count", mw, "activation rows of the job");
    let full: Vec<Expr> = (0..2)
        .map(|k| m.input(&format!("full_{k}"), 1, &format!("bank {k} is full")))
        .collect();
    let meta: Vec<[Expr; 3]> = (0..2)
        .map(|k| {
            [
                m.input(&format!("meta_kb_{k}"), kbw, ""),
                m.input(&format!("meta_nb_{k}"), nbw, ""),
                m.input(&format!("meta_first_{k}"), 1, ""),
            ]
        })
        .collect();
    let ld_finishing = m.input("ld_finishing", 1, "the loader issues a block's last row");
    let ld_bank = m.input("ld_bank", 1, "into this bank");
    let active = m.output_reg("active", 1, "a row is issued this cycle");
    let bank = m.output_reg("bank", 1, "the bank its block is in");
    let release = m.output("bank_release", 1, "the last row of the bank is issued");
    let streamed_any = m.output_reg("streamed_any", 1, "a block was streamed in this job");
    let x_addr = m.output("x_addr", xaddr_width(cfg), "activation address {kb, m}");
    let y_first = m.output("y_first", 1, "first block of its N block");
    let y_addr = m.output("y_addr", yaddr_width(cfg), "output address {nb, m}");

    let row = m.reg("row", mw);
    let kb = m.reg("kb", kbw);
    let nb = m.reg("nb", nbw);
    let first = m.reg("first", 1);
    let last_row = m.wire_of(
        "last_row",
        active.clone().land(row.clone().add(lit(mw, 1)).eq(m_count)),
    );
    m.assign(&release, last_row.clone());
    let target = m.wire_of(
        "target",
        mux(active.clone(), bank.clone().not(), bank.clone()),
    );
    // A bank is ready when full, or when the loader fills it this very cycle.
    let ready = mux(target.clone(), full[1].clone(), full[0].clone())
        .lor(ld_finishing.land(ld_bank.eq(target.clone())));
    let can_start = m.wire_of(
        "can_start",
        active.clone().not().lor(last_row.clone()).land(ready),
    );
    let pick = |i: usize| mux(target.clone(), meta[1][i].clone(), meta[0][i].clone());
    m.assign(
        &x_addr,
        cat(vec![low(&kb, hm.kb_bits), low(&row, hm.m_bits)]),
    );
    m.assign(
        &y_addr,
        cat(vec![low(&nb, hm.nb_bits), low(&row, hm.m_bits)]),
    );
    m.assign(&y_first, first.clone());
    // With a single K (or N) block the block index is not part of any address.
    for (bits, reg, name) in [
        (hm.kb_bits, &kb, "unused_kb"),
        (hm.nb_bits, &nb, "unused_nb"),
    ] {
        if bits == 0 {
            let sink = m.wire(name, 1);
            m.assign(&sink, reg.clone());
        }
    }
    m.clocked(vec![when_else(
        rst.lor(start),
        vec![
            set(&active, lit(1, 0)),
            set(&bank, lit(1, 0)),
            set(&streamed_any, lit(1, 0)),
        ],
        vec![when_else(
            can_start,
            vec![
                set(&active, lit(1, 1)),
                set(&row, lit(mw, 0)),
                set(&bank, target.clone()),
                set(&kb, pick(0)),
                set(&nb, pick(1)),
                set(&first, pick(2)),
                set(&streamed_any, lit(1, 1)),
            ],
            vec![when_else(
                last_row,
                vec![set(&active, lit(1, 0)), set(&bank, bank.clone().not())],
                vec![when(
                    active.clone(),
                    vec![set(&row, row.clone().add(lit(mw, 1)))],
                )],
            )],
        )],
    )]);
    m
}
