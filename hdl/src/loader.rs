//! The weight loader: takes blocks from the sequencer and streams each block's rows
//! out of the weight buffer into the idle weight bank, one row per cycle, tagged with
//! row and bank. It owns the two banks' `full` flags and the block each bank holds.
//!
//! A bank may be reloaded from the cycle after the streamer issued the last activation
//! row that uses it: the streamer's `release` is taken in the same cycle, so loads of
//! block b+2 start while block b's last rows are still in flight (their weights are
//! captured later than those rows pass, see docs/cycle-model.md).

use crate::ir::{lit, mux, set, when, when_else, Expr, Module};
use crate::util::{mul_const, w1};
use skipgrid_config::{clog2, ArrayConfig};

/// Width of the weight-buffer row address: weight_blocks × rows words.
pub fn waddr_width(cfg: &ArrayConfig) -> u32 {
    clog2(u64::from(cfg.weight_blocks) * u64::from(cfg.rows))
}

/// The loader module.
pub fn loader(cfg: &ArrayConfig) -> Module {
    let hm = cfg.host_map();
    let (kbw, nbw, t, aw) = (
        w1(hm.kb_bits),
        w1(hm.nb_bits),
        cfg.row_tag_width(),
        waddr_width(cfg),
    );
    let mut m = Module::new(format!("{}_loader", cfg.module_prefix()));
    m.doc("Weight loader: one block row per cycle into the idle bank; owns the banks' full flags.");
    let _clk = m.input("clk", 1, "clock");
    let rst = m.input("rst", 1, "synchronous reset");
    let start = m.input("start", 1, "a job starts");
    let w_base = m.input("w_base", w1(hm.blk_bits), "first stored block of the job");
    let blk_valid = m.input("blk_valid", 1, "the sequencer offers a block");
    let blk_kb = m.input("blk_kb", kbw, "its K block");
    let blk_nb = m.input("blk_nb", nbw, "its N block");
    let blk_first = m.input("blk_first", 1, "first of its N block");
    let release = m.input(
        "bank_release",
        1,
        "the streamer issues the last row of a bank",
    );
    let release_bank = m.input("bank_release_id", 1, "that bank");
    let take = m.output("take", 1, "take the offered block");
    let ld_valid = m.output_reg("ld_valid", 1, "a weight row is issued");
    let ld_row = m.output_reg("ld_row", t, "its row in the block");
    let ld_bank = m.output_reg("ld_bank", 1, "its bank");
    let ld_addr = m.output_reg("ld_addr", aw, "its weight-buffer address");
    let finishing = m.output("finishing", 1, "the last row of a block is issued now");
    let full_0 = m.output_reg("full_0", 1, "bank 0 holds a block not yet streamed");
    let full_1 = m.output_reg("full_1", 1, "bank 1 holds a block not yet streamed");
    let meta: Vec<[Expr; 3]> = (0..2)
        .map(|k| {
            [
                m.output_reg(
                    &format!("meta_kb_{k}"),
                    kbw,
                    &format!("K block in bank {k}"),
                ),
                m.output_reg(
                    &format!("meta_nb_{k}"),
                    nbw,
                    &format!("N block in bank {k}"),
                ),
                m.output_reg(&format!("meta_first_{k}"), 1, "first of its N block"),
            ]
        })
        .collect();
    let blocks = m.output_reg("blocks", 32, "blocks taken in this job");

    let fin = ld_valid
        .clone()
        .land(ld_row.clone().eq(lit(t, u64::from(cfg.rows - 1))));
    m.assign(&finishing, fin);
    let target = m.wire_of(
        "target",
        mux(ld_valid.clone(), ld_bank.clone().not(), ld_bank.clone()),
    );
    let full_t = mux(target.clone(), full_1.clone(), full_0.clone());
    let freed = release
        .clone()
        .land(release_bank.clone().eq(target.clone()));
    let bank_free = m.wire_of("bank_free", full_t.not().lor(freed));
    let port_free = ld_valid.clone().not().lor(finishing.clone());
    m.assign(&take, blk_valid.land(port_free).land(bank_free));

    let set_full = |k: u64, full: &Expr| {
        vec![
            when(
                finishing.clone().land(ld_bank.clone().eq(lit(1, k))),
                vec![set(full, lit(1, 1))],
            ),
            when(
                release.clone().land(release_bank.clone().eq(lit(1, k))),
                vec![set(full, lit(1, 0))],
            ),
        ]
    };
    let mut flags = set_full(0, &full_0);
    flags.extend(set_full(1, &full_1));
    let meta_writes: Vec<_> = (0..2u64)
        .map(|k| {
            let [kb, nb, first] = meta[k as usize].clone();
            when(
                take.clone().land(target.clone().eq(lit(1, k))),
                vec![
                    set(&kb, blk_kb.clone()),
                    set(&nb, blk_nb.clone()),
                    set(&first, blk_first.clone()),
                ],
            )
        })
        .collect();
    // Blocks are stored back to back, `rows` words each.
    let base_addr = m.wire_of("base_addr", mul_const(&w_base, cfg.rows.into(), aw));
    m.clocked(vec![when_else(
        rst.lor(start.clone()),
        vec![
            set(&ld_valid, lit(1, 0)),
            set(&ld_bank, lit(1, 0)),
            set(&full_0, lit(1, 0)),
            set(&full_1, lit(1, 0)),
            set(&ld_addr, base_addr),
            set(&blocks, lit(32, 0)),
        ],
        {
            let mut s = flags;
            s.extend(meta_writes);
            s.push(when(
                ld_valid.clone(),
                vec![set(&ld_addr, ld_addr.clone().add(lit(aw, 1)))],
            ));
            s.push(when_else(
                take.clone(),
                vec![
                    set(&ld_valid, lit(1, 1)),
                    set(&ld_row, lit(t, 0)),
                    set(&ld_bank, target),
                    set(&blocks, blocks.clone().add(lit(32, 1))),
                ],
                vec![when_else(
                    finishing,
                    vec![
                        set(&ld_valid, lit(1, 0)),
                        set(&ld_bank, ld_bank.clone().not()),
                    ],
                    vec![when(
                        ld_valid.clone(),
                        vec![set(&ld_row, ld_row.clone().add(lit(t, 1)))],
                    )],
                )],
            ));
            s
        },
    )]);
    m
}
