//! A whole problem on the RTL: split into jobs the buffers hold (as the host would),
//! each job run through the front door and checked exactly against the golden model,
//! cycles summed over the split.

use crate::job::{compare, cycle_limit, decode, job_program, Mismatch};
use crate::stimulus::Problem;
use crate::{Backend, SimError};
use serde::Serialize;
use skipgrid_config::ArrayConfig;
use skipgrid_model::{cycles, split, Job, Mask, Tile};

/// The outcome of one problem.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemReport {
    /// Every output element of every job equals the golden model's.
    pub outputs_match: bool,
    /// Every job's cycle count equals the model's.
    pub cycles_match: bool,
    /// Cycles the RTL counted, summed over the jobs.
    pub rtl_cycles: u64,
    /// Cycles the model predicts, summed.
    pub model_cycles: u64,
    /// Cycles of the dense baseline (every block processed) by the model, summed.
    pub dense_cycles: u64,
    /// SCALE-Sim's weight-stationary formula for the same jobs (no overlap of weight
    /// loading with computation, no skipping), summed: for comparison only.
    pub scale_sim_cycles: u64,
    /// Present blocks.
    pub nonzero_blocks: usize,
    /// All blocks.
    pub total_blocks: usize,
    /// Useful MACs over PE-cycles.
    pub utilization: f64,
    /// dense_cycles / rtl_cycles.
    pub speedup_vs_dense: f64,
    /// Jobs the host split the problem into.
    pub jobs: usize,
    /// The first difference, with the job it happened in.
    pub first_mismatch: Option<String>,
    /// Which check failed first: "output", "cycles", or none.
    #[serde(skip)]
    pub mismatch: Option<Mismatch>,
}

/// The job of one tile of `p`.
pub fn tile_job(cfg: &ArrayConfig, p: &Problem, t: &Tile) -> Job {
    let (r, c) = (cfg.rows as usize, cfg.cols as usize);
    let (kp, np) = (p.mask.kb * r, p.mask.nb * c);
    let (k, n) = (t.kb * r, t.nb * c);
    let mut x = Vec::with_capacity(t.m * k);
    for mi in t.m0..t.m0 + t.m {
        x.extend_from_slice(&p.x[mi * kp + t.kb0 * r..mi * kp + t.kb0 * r + k]);
    }
    let mut w = Vec::with_capacity(k * n);
    for kk in t.kb0 * r..t.kb0 * r + k {
        w.extend_from_slice(&p.w[kk * np + t.nb0 * c..kk * np + t.nb0 * c + n]);
    }
    let mut present = Vec::with_capacity(t.kb * t.nb);
    for kb in t.kb0..t.kb0 + t.kb {
        for nb in t.nb0..t.nb0 + t.nb {
            present.push(p.mask.get(kb, nb));
        }
    }
    Job {
        m: t.m,
        x,
        w,
        mask: Mask {
            kb: t.kb,
            nb: t.nb,
            present,
        },
    }
}

/// Runs `p` on `backend`, stopping at the first job that differs from the model.
pub fn run_problem(
    backend: &mut dyn Backend,
    cfg: &ArrayConfig,
    p: &Problem,
) -> Result<ProblemReport, SimError> {
    run_problem_with_output(backend, cfg, p).map(|(rep, _)| rep)
}

/// [`run_problem`], also returning the RTL's Y: M × `p.n` row-major (padding columns
/// dropped), each element summed over the jobs of the K split as the host would. After a
/// mismatch the jobs not run leave their part of Y zero.
pub fn run_problem_with_output(
    backend: &mut dyn Backend,
    cfg: &ArrayConfig,
    p: &Problem,
) -> Result<(ProblemReport, Vec<i64>), SimError> {
    let c = cfg.cols as usize;
    let mut y = vec![0i64; p.m * p.n];
    let tiles = split(cfg, p.m, p.mask.kb, p.mask.nb);
    let mut rep = ProblemReport {
        outputs_match: true,
        cycles_match: true,
        rtl_cycles: 0,
        model_cycles: 0,
        dense_cycles: 0,
        scale_sim_cycles: 0,
        nonzero_blocks: p.mask.count(),
        total_blocks: p.mask.kb * p.mask.nb,
        utilization: 0.0,
        speedup_vs_dense: 0.0,
        jobs: tiles.len(),
        first_mismatch: None,
        mismatch: None,
    };
    let mut useful = 0u64;
    for (i, t) in tiles.iter().enumerate() {
        let job = tile_job(cfg, p, t);
        let blocks = job.processed_blocks(cfg) as u64;
        let model = cycles(cfg, job.m as u64, blocks).total;
        rep.model_cycles += model;
        rep.dense_cycles += cycles(cfg, job.m as u64, (job.mask.kb * job.mask.nb) as u64).total;
        rep.scale_sim_cycles += skipgrid_model::scale_sim_cycles(
            cfg,
            job.m as u64,
            job.k(cfg) as u64,
            job.n(cfg) as u64,
        );
        useful += job.m as u64 * job.mask.count() as u64;
        let res = backend.run(&job_program(cfg, &job, cycle_limit(model)))?;
        let out = decode(cfg, &res);
        rep.rtl_cycles += out.cycles;
        let jn = t.nb * c;
        for (row, mi) in (t.m0..t.m0 + t.m).enumerate() {
            for col in 0..jn.min(p.n.saturating_sub(t.nb0 * c)) {
                y[mi * p.n + t.nb0 * c + col] += out.y[row * jn + col];
            }
        }
        if let Err(mm) = compare(cfg, &job, &out) {
            match mm {
                Mismatch::Output { .. } => rep.outputs_match = false,
                _ => rep.cycles_match = false,
            }
            if rep.mismatch.is_none() {
                rep.first_mismatch = Some(format!(
                    "job {i} (rows {}..{}, K blocks {}..{}, N blocks {}..{}): {mm}",
                    t.m0,
                    t.m0 + t.m,
                    t.kb0,
                    t.kb0 + t.kb,
                    t.nb0,
                    t.nb0 + t.nb
                ));
                rep.mismatch = Some(mm);
            }
            break;
        }
    }
    if rep.rtl_cycles > 0 {
        rep.utilization = useful as f64 / rep.rtl_cycles as f64;
        rep.speedup_vs_dense = rep.dense_cycles as f64 / rep.rtl_cycles as f64;
    }
    Ok((rep, y))
}
