//! `skipgrid model`: the golden cycle model alone, no simulation: how many cycles a GEMM
//! takes on a configuration at a sparsity, term by term, beside the dense baseline and
//! SCALE-Sim's weight-stationary formula. Microseconds per call: for design-space sweeps.

use super::common::ConfigArgs;
use anyhow::{bail, Result};
use serde_json::json;
use skipgrid_model::{cycles, scale_sim_cycles, split, CycleBreakdown};
use skipgrid_sim::stimulus::{random_mask, MaskStructure, Rng};

/// Arguments of `skipgrid model`.
#[derive(clap::Args, Debug)]
pub struct ModelArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Activation rows (tokens).
    #[arg(long)]
    m: usize,
    /// Reduction dimension.
    #[arg(long)]
    k: usize,
    /// Output columns.
    #[arg(long)]
    n: usize,
    /// Fraction of weight blocks pruned, in [0, 1].
    #[arg(long, default_value_t = 0.0)]
    sparsity: f64,
    /// Structure of the pruned blocks: random, cols, rows, single.
    #[arg(long, default_value = "random")]
    mask: MaskStructure,
    /// Seed of the mask.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

fn add(a: &mut CycleBreakdown, b: CycleBreakdown) {
    a.start += b.start;
    a.first_load += b.first_load;
    a.steady += b.steady;
    a.last_stream += b.last_stream;
    a.drain += b.drain;
    a.total += b.total;
}

/// Runs `skipgrid model`.
pub fn run(a: &ModelArgs) -> Result<i32> {
    let cfg = a.config.load()?;
    if !(0.0..=1.0).contains(&a.sparsity) {
        bail!("--sparsity {} is outside [0, 1]", a.sparsity);
    }
    if a.m == 0 || a.k == 0 || a.n == 0 {
        bail!("--m, --k and --n must be at least 1");
    }
    let (r, c) = (cfg.rows as usize, cfg.cols as usize);
    let (kb, nb) = (a.k.div_ceil(r), a.n.div_ceil(c));
    let mask = random_mask(kb, nb, a.sparsity, a.mask, &mut Rng::new(a.seed));
    let zero = CycleBreakdown {
        start: 0,
        first_load: 0,
        steady: 0,
        last_stream: 0,
        drain: 0,
        total: 0,
    };
    let (mut sparse, mut dense, mut scale) = (zero, zero, 0u64);
    let tiles = split(&cfg, a.m, kb, nb);
    for t in &tiles {
        let present = (t.kb0..t.kb0 + t.kb)
            .flat_map(|k| (t.nb0..t.nb0 + t.nb).map(move |n| (k, n)))
            .filter(|&(k, n)| mask.get(k, n))
            .count() as u64;
        let processed = if cfg.skip {
            present
        } else {
            (t.kb * t.nb) as u64
        };
        add(&mut sparse, cycles(&cfg, t.m as u64, processed));
        add(&mut dense, cycles(&cfg, t.m as u64, (t.kb * t.nb) as u64));
        scale += scale_sim_cycles(&cfg, t.m as u64, (t.kb * r) as u64, (t.nb * c) as u64);
    }
    let macs = (a.m * mask.count() * r * c) as f64;
    let utilization = macs / (sparse.total as f64 * (r * c) as f64);
    if a.json {
        let v = json!({
            "m": a.m, "k": a.k, "n": a.n, "jobs": tiles.len(),
            "nonzero_blocks": mask.count(), "total_blocks": kb * nb,
            "model_cycles": sparse.total, "breakdown": sparse, "dense_cycles": dense.total,
            "scale_sim_cycles": scale, "speedup_vs_dense": dense.total as f64 / sparse.total as f64,
            "utilization": utilization,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    println!(
        "{}x{} array, skip {}: GEMM {}x{}x{} in {} job(s), {} of {} blocks present",
        cfg.rows,
        cfg.cols,
        if cfg.skip { "on" } else { "off" },
        a.m,
        a.k,
        a.n,
        tiles.len(),
        mask.count(),
        kb * nb
    );
    println!(
        "  start {:>10}\n  first load {:>5}\n  steady {:>9}\n  last stream {:>4}\n  drain {:>10}",
        sparse.start, sparse.first_load, sparse.steady, sparse.last_stream, sparse.drain
    );
    println!(
        "  total {:>10} cycles (utilization {:.3})",
        sparse.total, utilization
    );
    println!(
        "  dense {:>10} cycles (speedup {:.3}x)",
        dense.total,
        dense.total as f64 / sparse.total as f64
    );
    println!("  SCALE-Sim formula {scale} cycles (dense, weight loads not overlapped)");
    Ok(0)
}
