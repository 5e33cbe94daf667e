//! The whole job: select, split, score, prune, quantize, measure.

use std::path::PathBuf;

use crate::calib::{self, ActCalib};
use crate::error::{PruneError, Result};
use crate::linear::{self, LayerSelect, Linear};
use crate::quant::{self, WeightQuant};
use crate::score::{self, Grid, ScoreKind, ThresholdMode};
use crate::source::{ModelFile, ModelFormat};

/// Largest accepted array dimension.
pub const MAX_ARRAY_DIM: usize = 4096;

/// Everything `prune_model` needs to know.
#[derive(Debug, Clone)]
pub struct PruneConfig {
    /// Array rows R (block height along K).
    pub rows: usize,
    /// Array columns C (block width along N).
    pub cols: usize,
    /// Target fraction of selected blocks to prune, in [0, 1].
    pub sparsity: f64,
    /// Block score.
    pub score: ScoreKind,
    /// Global or per-layer threshold.
    pub threshold: ThresholdMode,
    /// Which layers to prune.
    pub layers: LayerSelect,
    /// Weight scale granularity.
    pub weight_quant: WeightQuant,
    /// Activation source.
    pub calib: ActCalib,
}

impl PruneConfig {
    /// Defaults: mean-abs score, global threshold, all layers, per-channel weights,
    /// Gaussian activations.
    pub fn new(rows: usize, cols: usize, sparsity: f64) -> PruneConfig {
        PruneConfig {
            rows,
            cols,
            sparsity,
            score: ScoreKind::MeanAbs,
            threshold: ThresholdMode::Global,
            layers: LayerSelect::All,
            weight_quant: WeightQuant::PerChannel,
            calib: ActCalib::default(),
        }
    }

    /// Checks the numeric ranges.
    pub fn validate(&self) -> Result<()> {
        if !(0.0..=1.0).contains(&self.sparsity) {
            return Err(PruneError::OutOfRange {
                what: "sparsity",
                value: self.sparsity.to_string(),
                expected: "a fraction in [0, 1]",
            });
        }
        for (what, v) in [("array rows", self.rows), ("array cols", self.cols)] {
            if v == 0 || v > MAX_ARRAY_DIM {
                return Err(PruneError::OutOfRange {
                    what,
                    value: v.to_string(),
                    expected: "an integer in 1..=4096",
                });
            }
        }
        Ok(())
    }
}

/// One pruned, quantized layer with its calibration data and quality energies.
#[derive(Debug, Clone)]
pub struct PrunedLayer {
    /// The dense layer it came from (stored `[N, K]` f32).
    pub dense: Linear,
    /// Tile grid.
    pub grid: Grid,
    /// Kept blocks in processing order (`nb * kb_count + kb`).
    pub kept: Vec<bool>,
    /// Quantized weights, stored `[N, K]` order, pruned blocks zero.
    pub wq: Vec<i8>,
    /// Weight scales (1 or N).
    pub w_scales: Vec<f32>,
    /// Scale granularity.
    pub weight_quant: WeightQuant,
    /// Calibration tokens M.
    pub tokens: usize,
    /// Quantized activations `[M, K]`.
    pub xq: Vec<i8>,
    /// Activation scale.
    pub act_scale: f32,
    /// Dense f32 reference output `[M, N]`.
    pub y_ref: Vec<f32>,
    /// Σ Y².
    pub signal: f64,
    /// Σ (Y − Ŷ)².
    pub noise: f64,
}

impl PrunedLayer {
    /// Fraction of blocks pruned.
    pub fn sparsity(&self) -> f64 {
        let pruned = self.kept.iter().filter(|k| !**k).count();
        pruned as f64 / self.kept.len().max(1) as f64
    }
    /// `(sqnr_db, rel_err)` of this layer.
    pub fn quality(&self) -> (f64, f64) {
        calib::sqnr(self.signal, self.noise)
    }
}

/// The result of [`prune_model`].
#[derive(Debug, Clone)]
pub struct PrunedModel {
    /// The model file read.
    pub source: PathBuf,
    /// Its format.
    pub format: ModelFormat,
    /// The configuration used.
    pub config: PruneConfig,
    /// Selected layers in file order (split parts in q, k, v order).
    pub layers: Vec<PrunedLayer>,
}

impl PrunedModel {
    /// Pruned blocks / blocks over all selected layers.
    pub fn overall_sparsity(&self) -> f64 {
        let total: usize = self.layers.iter().map(|l| l.kept.len()).sum();
        let pruned: usize = self
            .layers
            .iter()
            .map(|l| l.kept.iter().filter(|k| !**k).count())
            .sum();
        pruned as f64 / total.max(1) as f64
    }
    /// Energy-weighted `(sqnr_db, rel_err)` over all layers (Σ signal / Σ noise).
    pub fn overall_quality(&self) -> (f64, f64) {
        let s = self.layers.iter().map(|l| l.signal).sum();
        calib::sqnr(s, self.layers.iter().map(|l| l.noise).sum())
    }
}

/// Runs `f` over `items` on all cores, keeping order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let f = &f;
        let mut chunks: Vec<Vec<(usize, &mut Option<R>)>> =
            (0..threads).map(|_| Vec::new()).collect();
        for (i, slot) in slots.iter_mut().enumerate() {
            chunks[i % threads].push((i, slot));
        }
        for chunk in chunks {
            s.spawn(move || {
                for (i, slot) in chunk {
                    *slot = Some(f(&items[i]));
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|r| r.expect("every slot filled"))
        .collect()
}

struct Scored {
    lin: Linear,
    x: std::sync::Arc<Vec<f32>>,
    m: usize,
    scores: Vec<f32>,
}

/// Prunes and quantizes the selected linear layers of `model`.
pub fn prune_model(model: &ModelFile, cfg: &PruneConfig) -> Result<PrunedModel> {
    cfg.validate()?;
    let calib_file = match &cfg.calib {
        ActCalib::File(p) => Some(ModelFile::open(p)?),
        ActCalib::Gaussian { .. } => None,
    };
    let selection = cfg.layers.select(model)?;
    let scored = par_map(&selection, |(tensor, names)| -> Result<Vec<Scored>> {
        let parts = linear::load(model, tensor)?;
        let k = parts[0].k;
        let (x, m) = cfg.calib.activations(calib_file.as_ref(), tensor, k)?;
        let rms = (cfg.score == ScoreKind::ActMeanAbs).then(|| calib::column_rms(&x, m, k));
        let x = std::sync::Arc::new(x);
        Ok(parts
            .into_iter()
            .filter(|p| names.contains(&p.name))
            .map(|lin| {
                let g = Grid::new(lin.k, lin.n, cfg.rows, cfg.cols);
                let scores = score::block_scores(&lin, g, cfg.score, rms.as_deref());
                Scored {
                    lin,
                    x: x.clone(),
                    m,
                    scores,
                }
            })
            .collect())
    });
    let mut all = Vec::new();
    for r in scored {
        all.extend(r?);
    }
    let scores: Vec<Vec<f32>> = all
        .iter_mut()
        .map(|s| std::mem::take(&mut s.scores))
        .collect();
    let kept = score::choose_kept(&scores, cfg.sparsity, cfg.threshold);
    let jobs: Vec<(Scored, Vec<bool>)> = all.into_iter().zip(kept).collect();
    let layers = par_map(&jobs, |(s, kept)| {
        let lin = &s.lin;
        let grid = Grid::new(lin.k, lin.n, cfg.rows, cfg.cols);
        let (wq, w_scales) = quant::quantize_layer(lin, grid, kept, cfg.weight_quant);
        let (xq, act_scale) = quant::quantize_tensor(&s.x);
        let y_ref = calib::dense_output(&s.x, s.m, lin);
        let yq = calib::quant_output(&xq, act_scale, &wq, &w_scales, lin.k, lin.n);
        let (signal, noise) = calib::energies(&y_ref, &yq);
        PrunedLayer {
            dense: lin.clone(),
            grid,
            kept: kept.clone(),
            wq,
            w_scales,
            weight_quant: cfg.weight_quant,
            tokens: s.m,
            xq,
            act_scale,
            y_ref,
            signal,
            noise,
        }
    });
    Ok(PrunedModel {
        source: model.path().to_path_buf(),
        format: model.format(),
        config: cfg.clone(),
        layers,
    })
}
