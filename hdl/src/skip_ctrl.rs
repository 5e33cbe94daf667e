//! The block sequencer: which weight block the loader takes next.
//!
//! With skip on (`skip_ctrl`), it holds one present bit per (kb, nb) block, written by the
//! host, and finds the next present block with a log-depth find-first-set tree over the
//! blocks not yet taken, so a pruned block costs no cycle whatever the pattern. With skip
//! off (`dense_seq`), it walks every block. Both walk N blocks outermost, K blocks
//! innermost, and flag the first block of each N block so the accumulator overwrites
//! instead of adding.

use crate::ir::{lit, mux, set, when, when_else, Expr, Module};
use crate::util::{cat, find_first, low, w1};
use skipgrid_config::{clog2, ArrayConfig};

/// Widths of the sequencer's ports.
struct Widths {
    kb_bits: u32,
    nb_bits: u32,
    kb_cnt: u32,
    nb_cnt: u32,
}

fn widths(cfg: &ArrayConfig) -> Widths {
    let hm = cfg.host_map();
    Widths {
        kb_bits: hm.kb_bits,
        nb_bits: hm.nb_bits,
        kb_cnt: hm.kb_bits + 1,
        nb_cnt: hm.nb_bits + 1,
    }
}

/// The ports every sequencer has, in order: (start, kb_count, nb_count, take) in and
/// (blk_valid, blk_kb, blk_nb, blk_first) out.
fn common_ports(m: &mut Module, w: &Widths) -> [Expr; 9] {
    let rst = m.input("rst", 1, "synchronous reset");
    let start = m.input("start", 1, "a job starts");
    let kb_count = m.input("kb_count", w.kb_cnt, "K blocks of the job");
    let nb_count = m.input("nb_count", w.nb_cnt, "N blocks of the job");
    let take = m.input("take", 1, "the loader takes the current block");
    let valid = m.output("blk_valid", 1, "a block is offered");
    let kb = m.output("blk_kb", w1(w.kb_bits), "its K block");
    let nb = m.output("blk_nb", w1(w.nb_bits), "its N block");
    let first = m.output("blk_first", 1, "first block of its N block");
    [rst, start, kb_count, nb_count, take, valid, kb, nb, first]
}

/// The skip controller (skip on).
pub fn skip_ctrl(cfg: &ArrayConfig) -> Module {
    let w = widths(cfg);
    let (kbm, nbm) = (cfg.k_blocks, cfg.n_blocks);
    let n = kbm * nbm;
    let mut m = Module::new(format!("{}_skip_ctrl", cfg.module_prefix()));
    m.doc(format!(
        "Sparsity-skip controller: {kbm} x {nbm} block bitmap, next present block in one cycle."
    ));
    let _clk = m.input("clk", 1, "clock");
    let [rst, start, kb_count, nb_count, take, valid, kb_o, nb_o, first_o] =
        common_ports(&mut m, &w);
    let bm_we = m.input("bm_we", 1, "host writes a bitmap bit");
    let bm_waddr = m.input(
        "bm_waddr",
        w1(w.kb_bits + w.nb_bits),
        "{nb, kb} of that bit",
    );
    let bm_wdata = m.input("bm_wdata", 1, "1: block present");
    let probe_nb = m.input("probe_nb", w1(w.nb_bits), "N block asked about");
    let probe_written = m.output("probe_written", 1, "the last job wrote that N block");

    let bitmap = m.reg("bitmap", n);
    let rem = m.reg("remaining", n);
    let written = m.reg("written", nbm);
    let taken_any = m.reg("taken_any", 1);
    let last_nb = m.reg("last_nb", w1(w.nb_bits));

    m.comment("Blocks inside the job's K x N extent.");
    let kvalid: Vec<Expr> = (0..kbm)
        .map(|k| {
            m.wire_of(
                &format!("kb_in_{k}"),
                lit(w.kb_cnt, k.into()).lt(kb_count.clone()),
            )
        })
        .collect();
    let nvalid: Vec<Expr> = (0..nbm)
        .map(|k| {
            m.wire_of(
                &format!("nb_in_{k}"),
                lit(w.nb_cnt, k.into()).lt(nb_count.clone()),
            )
        })
        .collect();
    // Bit order: index = nb * k_blocks + kb, so the walk is N-major, K-minor.
    let masked: Vec<Expr> = (0..n)
        .rev()
        .map(|idx| {
            let (kb, nb) = ((idx % kbm) as usize, (idx / kbm) as usize);
            bitmap
                .bit(idx)
                .land(kvalid[kb].clone())
                .land(nvalid[nb].clone())
        })
        .collect();
    let masked = m.wire_of("masked", crate::ir::concat(masked));

    m.comment("Next present block not yet taken.");
    let bits: Vec<Expr> = (0..n).map(|i| rem.bit(i)).collect();
    let (found, idx) = find_first(&mut m, "ffs", &bits);
    let idx_bits = clog2(n.into());
    let idx = if idx_bits == 0 { lit(1, 0) } else { idx };
    let kb_now = cat(vec![low(&idx, w.kb_bits)]);
    let nb_now = if w.nb_bits == 0 {
        lit(1, 0)
    } else {
        idx.slice(w.kb_bits + w.nb_bits - 1, w.kb_bits)
    };
    let nb_now = m.wire_of("nb_now", nb_now);
    m.assign(&valid, found);
    m.assign(&kb_o, kb_now);
    m.assign(&nb_o, nb_now.clone());
    m.assign(
        &first_o,
        taken_any
            .clone()
            .not()
            .lor(nb_now.clone().ne(last_nb.clone())),
    );
    m.assign(&probe_written, written.bit_at(probe_nb.clone()));
    // A one-bit bitmap or written vector is addressed by nothing.
    if n == 1 {
        let sink = m.wire("unused_bm_waddr", bm_waddr.width);
        m.assign(&sink, bm_waddr.clone());
    }
    if nbm == 1 {
        let sink = m.wire("unused_probe_nb", probe_nb.width);
        m.assign(&sink, probe_nb);
    }

    m.clocked(vec![
        when(bm_we, vec![bitmap.set_bit(bm_waddr, bm_wdata)]),
        when_else(
            rst.clone().lor(start.clone()),
            vec![
                set(&rem, mux(rst, lit(n, 0), masked)),
                set(&written, lit(nbm, 0)),
                set(&taken_any, lit(1, 0)),
            ],
            vec![when(
                take,
                vec![
                    rem.set_bit(idx, lit(1, 0)),
                    written.set_bit(nb_now.clone(), lit(1, 1)),
                    set(&taken_any, lit(1, 1)),
                    set(&last_nb, nb_now),
                ],
            )],
        ),
    ]);
    m
}

/// The dense block sequencer (skip off): every block, zeros included.
pub fn dense_seq(cfg: &ArrayConfig) -> Module {
    let w = widths(cfg);
    let mut m = Module::new(format!("{}_dense_seq", cfg.module_prefix()));
    m.doc("Dense block sequencer: walks every K x N block of the job.");
    let _clk = m.input("clk", 1, "clock");
    let [rst, start, kb_count, nb_count, take, valid, kb_o, nb_o, first_o] =
        common_ports(&mut m, &w);
    let active = m.reg("active", 1);
    let kb = m.reg("kb", w.kb_cnt);
    let nb = m.reg("nb", w.nb_cnt);
    let kb_last = m.wire_of("kb_last", kb.clone().add(lit(w.kb_cnt, 1)).eq(kb_count));
    let nb_last = m.wire_of("nb_last", nb.clone().add(lit(w.nb_cnt, 1)).eq(nb_count));
    m.assign(&valid, active.clone());
    m.assign(&kb_o, cat(vec![low(&kb, w.kb_bits)]));
    m.assign(&nb_o, cat(vec![low(&nb, w.nb_bits)]));
    m.assign(&first_o, kb.clone().eq(lit(w.kb_cnt, 0)));
    m.clocked(vec![when_else(
        rst.clone().lor(start.clone()),
        vec![
            set(&active, start.land(rst.not())),
            set(&kb, lit(w.kb_cnt, 0)),
            set(&nb, lit(w.nb_cnt, 0)),
        ],
        vec![when(
            take,
            vec![when_else(
                kb_last,
                vec![
                    set(&kb, lit(w.kb_cnt, 0)),
                    when_else(
                        nb_last,
                        vec![set(&active, lit(1, 0))],
                        vec![set(&nb, nb.clone().add(lit(w.nb_cnt, 1)))],
                    ),
                ],
                vec![set(&kb, kb.clone().add(lit(w.kb_cnt, 1)))],
            )],
        )],
    )]);
    m
}
