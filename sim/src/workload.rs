//! A pruned workload (the directory `skipgrid prune` writes) on the RTL, layer by layer:
//! each layer becomes a [`Problem`] (its int8 W with its block mask, and M rows of int8
//! X), runs through [`run_problem_with_output`] and is checked exactly against the golden
//! model; the RTL's own Y then gives the layer's quality against the dense fp32 layer.
//!
//! Not for: pruning or quantizing (`skipgrid-prune`), or deciding what passes (the
//! caller reads `outputs_match` and `cycles_match`).

use std::time::Instant;

use regex::Regex;
use serde::Serialize;
use skipgrid_config::ArrayConfig;
use skipgrid_model::Mask;
use skipgrid_prune::{LayerTiles, PruneError, Workload};

use crate::harness::{run_problem_with_output, ProblemReport};
use crate::stimulus::{Problem, Rng};
use crate::{Backend, SimError};

/// Why a workload cannot run on an array.
#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    /// The workload directory is missing, corrupt or not a workload.
    #[error(transparent)]
    Open(#[from] PruneError),
    /// The workload was pruned for another block size.
    #[error(
        "{dir}: the workload's blocks are {w_rows}x{w_cols} but the array is {rows}x{cols}; \
         prune for this array (skipgrid prune --array {rows}x{cols}) or choose a configuration of {w_rows}x{w_cols}"
    )]
    BlockSize {
        /// The workload directory.
        dir: String,
        /// The workload's block rows.
        w_rows: usize,
        /// The workload's block columns.
        w_cols: usize,
        /// The array's rows.
        rows: u32,
        /// The array's columns.
        cols: u32,
    },
    /// The array's operands are narrower than the workload's int8 values.
    #[error(
        "the array's act_width {act} and weight_width {weight} cannot hold a workload's int8 values; both must be at least 8"
    )]
    Widths {
        /// `act_width`.
        act: u32,
        /// `weight_width`.
        weight: u32,
    },
    /// `--layers` is not a valid regex.
    #[error("--layers `{pattern}` is not a valid regex: {detail}")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// What the regex parser said.
        detail: String,
    },
    /// `--layers` selects nothing.
    #[error(
        "--layers `{pattern}` matches none of the workload's {count} layer(s), e.g. `{example}`"
    )]
    NoLayers {
        /// The pattern.
        pattern: String,
        /// Layers in the workload.
        count: usize,
        /// One layer name.
        example: String,
    },
    /// M of zero rows.
    #[error("--m must be at least 1 (got 0)")]
    ZeroRows,
    /// The simulator failed.
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// Where a layer's X comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActSource {
    /// Leading rows taken from the workload's recorded int8 activations.
    pub recorded_rows: usize,
    /// Following rows of seeded random int8.
    pub random_rows: usize,
}

/// One layer's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct LayerReport {
    /// Layer name as in the manifest.
    pub name: String,
    /// Input features.
    pub k: usize,
    /// Output features.
    pub n: usize,
    /// Activation rows simulated.
    pub m: usize,
    /// Where X came from.
    pub activations: ActSource,
    /// The check and the cycle counts.
    #[serde(flatten)]
    pub sim: ProblemReport,
    /// SQNR in dB of the RTL's dequantized Y against the dense fp32 Y on the recorded
    /// rows; `None` (JSON `null`) when exact or when no recorded row ran.
    pub sqnr_db: Option<f64>,
    /// Relative error on the same rows; `None` when no recorded row ran.
    pub rel_err: Option<f64>,
    /// The SQNR `skipgrid prune` measured on all recorded rows (`None`: exact).
    pub prune_sqnr_db: Option<f64>,
    /// Wall-clock seconds of this layer.
    pub seconds: f64,
    #[serde(skip)]
    signal: f64,
}

/// The whole run: sums over the layers that ran.
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadReport {
    /// Every output of every layer that ran equals the golden model's.
    pub outputs_match: bool,
    /// Every cycle count equals the model's.
    pub cycles_match: bool,
    /// RTL cycles, summed.
    pub rtl_cycles: u64,
    /// Model cycles, summed.
    pub model_cycles: u64,
    /// Dense-baseline cycles, summed.
    pub dense_cycles: u64,
    /// dense_cycles / rtl_cycles.
    pub speedup_vs_dense: f64,
    /// Useful block-rows over PE-tile cycles, over all layers.
    pub utilization: f64,
    /// Present blocks, summed.
    pub nonzero_blocks: usize,
    /// All blocks, summed.
    pub total_blocks: usize,
    /// Energy-weighted SQNR over the layers with a quality (`None`: exact or none).
    pub sqnr_db: Option<f64>,
    /// Energy-weighted relative error.
    pub rel_err: Option<f64>,
    /// Layers selected.
    pub layers_selected: usize,
    /// The first layer that differs from the model; the run stops there.
    pub failed_layer: Option<String>,
    /// Wall-clock seconds of all layers.
    pub seconds: f64,
    /// The layers that ran, in manifest order.
    pub layers: Vec<LayerReport>,
}

/// Refuses a workload the array cannot run: another block size or operands narrower
/// than int8.
pub fn check_fits(cfg: &ArrayConfig, w: &Workload) -> Result<(), WorkloadError> {
    let (rows, cols) = (cfg.rows as usize, cfg.cols as usize);
    let bad = |wr, wc| WorkloadError::BlockSize {
        dir: w.dir.display().to_string(),
        w_rows: wr,
        w_cols: wc,
        rows: cfg.rows,
        cols: cfg.cols,
    };
    if (w.meta.rows, w.meta.cols) != (rows, cols) {
        return Err(bad(w.meta.rows, w.meta.cols));
    }
    if let Some(l) = w.layers().iter().find(|l| (l.rows, l.cols) != (rows, cols)) {
        return Err(bad(l.rows, l.cols));
    }
    if cfg.act_width < 8 || cfg.weight_width < 8 {
        return Err(WorkloadError::Widths {
            act: cfg.act_width,
            weight: cfg.weight_width,
        });
    }
    Ok(())
}

/// The layers whose names `pattern` (a regex, searched) matches; all without one.
pub fn select<'a>(
    w: &'a Workload,
    pattern: Option<&str>,
) -> Result<Vec<&'a LayerTiles>, WorkloadError> {
    let Some(p) = pattern else {
        return Ok(w.layers().iter().collect());
    };
    let re = Regex::new(p).map_err(|e| WorkloadError::BadPattern {
        pattern: p.to_string(),
        detail: e.to_string(),
    })?;
    let v: Vec<_> = w.layers().iter().filter(|l| re.is_match(&l.name)).collect();
    if v.is_empty() {
        return Err(WorkloadError::NoLayers {
            pattern: p.to_string(),
            count: w.layers().len(),
            example: w
                .layers()
                .first()
                .map(|l| l.name.clone())
                .unwrap_or_default(),
        });
    }
    Ok(v)
}

/// A `--layers` regex that selects exactly the layer `name`.
pub fn exact_pattern(name: &str) -> String {
    format!("^{}$", regex::escape(name))
}

/// FNV-1a, so each layer's random rows depend on its name, not on which layers run.
fn fnv1a64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The problem of layer `l` with `m` rows: W is the layer's int8 weights (pruned blocks
/// zero) with its block mask; the first `min(m, tokens)` rows of X are the recorded int8
/// activations, any further rows seeded random int8 (SplitMix64 of `seed ^ fnv1a64(name)`).
pub fn layer_problem(l: &LayerTiles, m: usize, seed: u64) -> (Problem, ActSource) {
    let (kp, np) = (l.kb * l.rows, l.nb * l.cols);
    let recorded = m.min(l.tokens);
    let mut x = vec![0i64; m * kp];
    let act = l.act_i8();
    for mi in 0..recorded {
        for kk in 0..l.k {
            x[mi * kp + kk] = i64::from(act[mi * l.k + kk]);
        }
    }
    let mut rng = Rng::new(seed ^ fnv1a64(&l.name));
    for mi in recorded..m {
        for kk in 0..l.k {
            x[mi * kp + kk] = rng.signed(8);
        }
    }
    let w: Vec<i64> = l.weight_i8_padded().into_iter().map(i64::from).collect();
    debug_assert_eq!(w.len(), kp * np);
    let mut present = Vec::with_capacity(l.kb * l.nb);
    for kb in 0..l.kb {
        for nb in 0..l.nb {
            present.push(l.block_present(kb, nb));
        }
    }
    let p = Problem {
        m,
        k: l.k,
        n: l.n,
        x,
        w,
        mask: Mask {
            kb: l.kb,
            nb: l.nb,
            present,
        },
    };
    let src = ActSource {
        recorded_rows: recorded,
        random_rows: m - recorded,
    };
    (p, src)
}

/// Runs layer `l` with `m` rows (its recorded tokens when `None`) on `backend`.
pub fn run_layer(
    backend: &mut dyn Backend,
    cfg: &ArrayConfig,
    l: &LayerTiles,
    m: Option<usize>,
    seed: u64,
) -> Result<LayerReport, WorkloadError> {
    let m = m.unwrap_or(l.tokens.max(1));
    if m == 0 {
        return Err(WorkloadError::ZeroRows);
    }
    let t0 = Instant::now();
    let (p, src) = layer_problem(l, m, seed);
    let (sim, y) = run_problem_with_output(backend, cfg, &p)?;
    let rows = src.recorded_rows;
    let (mut sqnr_db, mut rel_err, mut signal) = (None, None, 0.0);
    if rows > 0 && sim.outputs_match {
        // Exact int8 x int8 sums over K <= 2^16 fit i32; saturate rather than wrap
        // should a wider configuration ever get here.
        let acc: Vec<i32> = y[..rows * l.n]
            .iter()
            .map(|&v| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
            .collect();
        let (s, e) = l.quality_of_acc(&acc);
        sqnr_db = s.is_finite().then_some(s);
        rel_err = Some(e);
        signal = l.y_ref()[..rows * l.n]
            .iter()
            .map(|&v| f64::from(v) * f64::from(v))
            .sum();
    }
    Ok(LayerReport {
        name: l.name.clone(),
        k: l.k,
        n: l.n,
        m,
        activations: src,
        sim,
        sqnr_db,
        rel_err,
        prune_sqnr_db: l.sqnr_db,
        seconds: t0.elapsed().as_secs_f64(),
        signal,
    })
}

/// Runs `layers` in order on `backend`, calling `each` after every layer, and stops
/// after the first layer that differs from the golden model.
pub fn run_workload(
    backend: &mut dyn Backend,
    cfg: &ArrayConfig,
    layers: &[&LayerTiles],
    m: Option<usize>,
    seed: u64,
    mut each: impl FnMut(&LayerReport),
) -> Result<WorkloadReport, WorkloadError> {
    let t0 = Instant::now();
    let mut out = Vec::with_capacity(layers.len());
    for l in layers {
        let r = run_layer(backend, cfg, l, m, seed)?;
        each(&r);
        let ok = r.sim.outputs_match && r.sim.cycles_match;
        out.push(r);
        if !ok {
            break;
        }
    }
    Ok(summarize(out, layers.len(), t0.elapsed().as_secs_f64()))
}

fn summarize(layers: Vec<LayerReport>, selected: usize, seconds: f64) -> WorkloadReport {
    let sum = |f: fn(&ProblemReport) -> u64| layers.iter().map(|l| f(&l.sim)).sum::<u64>();
    let (rtl, model, dense) = (
        sum(|s| s.rtl_cycles),
        sum(|s| s.model_cycles),
        sum(|s| s.dense_cycles),
    );
    let useful: f64 = layers
        .iter()
        .map(|l| l.sim.utilization * l.sim.rtl_cycles as f64)
        .sum();
    let rated: Vec<_> = layers.iter().filter(|l| l.rel_err.is_some()).collect();
    let signal: f64 = rated.iter().map(|l| l.signal).sum();
    let noise: f64 = rated
        .iter()
        .map(|l| l.signal * l.rel_err.unwrap_or(0.0).powi(2))
        .sum();
    let (sqnr_db, rel_err) = if rated.is_empty() || signal <= 0.0 {
        (None, None)
    } else if noise == 0.0 {
        (None, Some(0.0))
    } else {
        (
            Some(10.0 * (signal / noise).log10()),
            Some((noise / signal).sqrt()),
        )
    };
    let ratio = |a: f64| if rtl > 0 { a / rtl as f64 } else { 0.0 };
    WorkloadReport {
        outputs_match: layers.iter().all(|l| l.sim.outputs_match),
        cycles_match: layers.iter().all(|l| l.sim.cycles_match),
        rtl_cycles: rtl,
        model_cycles: model,
        dense_cycles: dense,
        speedup_vs_dense: ratio(dense as f64),
        utilization: ratio(useful),
        nonzero_blocks: layers.iter().map(|l| l.sim.nonzero_blocks).sum(),
        total_blocks: layers.iter().map(|l| l.sim.total_blocks).sum(),
        sqnr_db,
        rel_err,
        layers_selected: selected,
        failed_layer: layers
            .iter()
            .find(|l| !(l.sim.outputs_match && l.sim.cycles_match))
            .map(|l| l.name.clone()),
        seconds,
        layers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skipgrid_prune::{prune_model, ModelFile, PruneConfig, WorkloadMeta};

    fn meta(rows: usize, cols: usize) -> WorkloadMeta {
        WorkloadMeta {
            source: "mem".into(),
            source_format: "safetensors".into(),
            rows,
            cols,
            target_sparsity: 0.0,
            overall_sparsity: 0.0,
            score: "mean-abs".into(),
            threshold: "global".into(),
            layers_pattern: "all".into(),
            act_calib: "gaussian:1:2".into(),
            overall_sqnr_db: None,
            overall_rel_err: 0.0,
        }
    }

    /// The real MiniLM excerpt pruned for a 4x4 array.
    fn excerpt() -> Workload {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/minilm_l6_v2_excerpt/model.safetensors"
        );
        let model = ModelFile::open(path).unwrap();
        prune_model(&model, &PruneConfig::new(4, 4, 0.4))
            .unwrap()
            .to_workload()
    }

    #[test]
    fn block_size_and_widths_are_checked() {
        let cfg = skipgrid_config::preset("ws4x4").unwrap();
        assert!(matches!(
            check_fits(&cfg, &Workload::new(meta(16, 16), vec![])),
            Err(WorkloadError::BlockSize { w_rows: 16, .. })
        ));
        assert!(check_fits(&cfg, &Workload::new(meta(4, 4), vec![])).is_ok());
        let mut raw = cfg.to_raw();
        raw.act_width = Some(6);
        let narrow = ArrayConfig::from_raw(&raw).unwrap();
        assert!(matches!(
            check_fits(&narrow, &Workload::new(meta(4, 4), vec![])),
            Err(WorkloadError::Widths { act: 6, .. })
        ));
    }

    #[test]
    fn selection_by_regex() {
        let w = excerpt();
        assert_eq!(select(&w, None).unwrap().len(), w.layers().len());
        let q = select(&w, Some("query")).unwrap();
        assert!(!q.is_empty() && q.iter().all(|l| l.name.contains("query")));
        assert!(matches!(
            select(&w, Some("nomatch")),
            Err(WorkloadError::NoLayers { .. })
        ));
        assert!(matches!(
            select(&w, Some("(")),
            Err(WorkloadError::BadPattern { .. })
        ));
    }

    /// X·W of the problem in plain integer arithmetic reproduces the SQNR the pruner
    /// measured: the problem carries the layer's recorded X, its W and its mask.
    #[test]
    fn problem_reproduces_the_pruners_quality() {
        let w = excerpt();
        for l in w.layers() {
            let (p, src) = layer_problem(l, l.tokens, 7);
            assert_eq!((src.recorded_rows, src.random_rows), (l.tokens, 0));
            let (kp, np) = (l.kb * l.rows, l.nb * l.cols);
            for kb in 0..l.kb {
                for nb in 0..l.nb {
                    assert_eq!(p.mask.get(kb, nb), l.block_present(kb, nb));
                }
            }
            let mut acc = vec![0i32; l.tokens * l.n];
            for m in 0..l.tokens {
                for n in 0..l.n {
                    acc[m * l.n + n] = (0..kp)
                        .map(|k| (p.x[m * kp + k] * p.w[k * np + n]) as i32)
                        .sum();
                }
            }
            let (s, _) = l.quality_of_acc(&acc);
            let want = l.sqnr_db.unwrap_or(f64::INFINITY);
            assert!((s - want).abs() < 1e-3, "{}: {s} vs {want}", l.name);
        }
    }

    #[test]
    fn extra_rows_are_seeded_random() {
        let w = excerpt();
        let l = &w.layers()[0];
        let (a, src) = layer_problem(l, l.tokens + 5, 3);
        let (b, _) = layer_problem(l, l.tokens + 5, 3);
        let (c, _) = layer_problem(l, l.tokens + 5, 4);
        assert_eq!(src.random_rows, 5);
        assert_eq!(a.x, b.x);
        assert_ne!(a.x, c.x);
        assert!(a.x.iter().all(|v| (-128..=127).contains(v)));
    }
}
