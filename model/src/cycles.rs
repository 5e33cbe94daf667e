//! The cycle model: the exact number of cycles the RTL's cycle counter reports for a
//! job, from the configuration, M and the number of blocks processed. The derivation,
//! term by term, is in docs/cycle-model.md.
//!
//! Per block: the loader issues the block's `rows` weight rows, one per cycle; the
//! streamer issues its M activation rows, one per cycle. With two weight banks the next
//! block's load overlaps the current block's stream, so after the first block each
//! block costs P = max(M, rows) cycles; a pruned block costs nothing.

use serde::Serialize;
use skipgrid_config::ArrayConfig;

/// The terms of [`cycles`], for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CycleBreakdown {
    /// Start decode and sequencer lookup before the first weight row: 2.
    pub start: u64,
    /// Loading the first block: rows.
    pub first_load: u64,
    /// Blocks after the first, P = max(M, rows) each.
    pub steady: u64,
    /// Streaming the last block: M.
    pub last_stream: u64,
    /// Sums leaving the mesh and reaching the last column: rows + cols − 1, one more
    /// with the product registered (mac_pipeline).
    pub drain: u64,
    /// The total.
    pub total: u64,
}

/// Cycles of a job of `m` activation rows that processes `blocks` weight blocks.
pub fn cycles(cfg: &ArrayConfig, m: u64, blocks: u64) -> CycleBreakdown {
    let (r, c) = (u64::from(cfg.rows), u64::from(cfg.cols));
    if blocks == 0 {
        // Nothing to load: done the cycle after start.
        return CycleBreakdown {
            start: 1,
            first_load: 0,
            steady: 0,
            last_stream: 0,
            drain: 0,
            total: 1,
        };
    }
    let b = CycleBreakdown {
        start: 2,
        first_load: r,
        steady: (blocks - 1) * m.max(r),
        last_stream: m,
        drain: r + c - 2 + u64::from(cfg.mac_latency()),
        total: 0,
    };
    CycleBreakdown {
        total: b.start + b.first_load + b.steady + b.last_stream + b.drain,
        ..b
    }
}

/// The same count, event by event per block: the loader starts block b when its port
/// and its bank are free, the streamer starts it when it is loaded and the streamer is
/// free. Kept beside the closed form so each checks the other.
pub fn cycles_event(cfg: &ArrayConfig, m: u64, blocks: u64) -> u64 {
    let r = u64::from(cfg.rows);
    if blocks == 0 {
        return 1;
    }
    // Cycle numbers relative to the start write (cycle 0).
    let mut load = Vec::with_capacity(blocks as usize); // first weight row issued
    let mut stream: Vec<u64> = Vec::with_capacity(blocks as usize); // first activation row issued
    for b in 0..blocks as usize {
        let port_free = if b == 0 { 2 } else { load[b - 1] + r };
        // Bank b%2 is free the cycle after block b-2 issued its last row.
        let bank_free = if b >= 2 { stream[b - 2] + m } else { 0 };
        let t = port_free.max(bank_free);
        load.push(t);
        let s = if b == 0 {
            t + r
        } else {
            (t + r).max(stream[b - 1] + m)
        };
        stream.push(s);
    }
    let last_row = stream[blocks as usize - 1] + m - 1;
    last_row + r + u64::from(cfg.cols) + u64::from(cfg.mac_latency()) - 1
}

/// SCALE-Sim's weight-stationary estimate for the same job, which loads each block's
/// weights without overlap: ceil(K/R) · ceil(N/C) · (M + 2R + C − 2).
pub fn scale_sim_cycles(cfg: &ArrayConfig, m: u64, k: u64, n: u64) -> u64 {
    let (r, c) = (u64::from(cfg.rows), u64::from(cfg.cols));
    k.div_ceil(r) * n.div_ceil(c) * (m + 2 * r + c - 2)
}

/// Fraction of PE-cycles doing a useful MAC: M · blocks · R · C MACs over R · C · cycles.
pub fn utilization(cfg: &ArrayConfig, m: u64, blocks: u64) -> f64 {
    let total = cycles(cfg, m, blocks).total;
    (m * blocks) as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_matches_event_model() {
        for (r, c, pipe) in [
            (1, 1, false),
            (2, 3, true),
            (4, 4, false),
            (16, 16, true),
            (32, 8, false),
        ] {
            let cfg = ArrayConfig::from_toml(
                &format!("rows = {r}\ncols = {c}\nmac_pipeline = {pipe}"),
                "t",
            )
            .unwrap();
            for m in [1, 2, 3, 4, 5, 15, 16, 17, 64, 128] {
                for blocks in 0..12 {
                    assert_eq!(
                        cycles(&cfg, m, blocks).total,
                        cycles_event(&cfg, m, blocks),
                        "r={r} c={c} m={m} blocks={blocks}"
                    );
                }
            }
        }
    }

    #[test]
    fn pruned_blocks_cost_nothing_and_dense_utilization_approaches_one() {
        let cfg = ArrayConfig::from_toml("rows = 16\ncols = 16", "t").unwrap();
        let full = cycles(&cfg, 128, 64).total;
        let half = cycles(&cfg, 128, 32).total;
        assert_eq!(full - half, 32 * 128);
        assert!(utilization(&cfg, 128, 64) > 0.99);
        assert!(scale_sim_cycles(&cfg, 128, 128, 128) > full);
    }
}
