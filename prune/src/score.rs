//! Block scores and the choice of which blocks to prune.
//!
//! Blocks are numbered in the hardware's processing order: `index = nb * kb_count + kb`
//! (nb-major, then kb ascending). Block `(kb, nb)` covers `W[kb*R .. kb*R+R][nb*C .. nb*C+C]`;
//! rows or columns beyond K or N are zero padding and are not counted in a mean.

use crate::linear::Linear;

/// How a block is scored; low scores are pruned first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreKind {
    /// Mean |w| over the block's real elements (the seed study's criterion).
    MeanAbs,
    /// L2 norm of the block, sqrt(sum w²).
    L2,
    /// Activation-aware: mean over the block of `|W[k][n]| · rms(X[:, k])`, with X the
    /// calibration activations. Equal to `mean-abs` up to noise on the default Gaussian
    /// activations; meaningful with real calibration data.
    ActMeanAbs,
}

/// Whether one threshold spans all selected layers or each layer gets its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdMode {
    /// One percentile over every block of every selected layer.
    Global,
    /// Each layer prunes the same fraction of its own blocks.
    PerLayer,
}

/// Tile grid of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Array rows R (K direction).
    pub rows: usize,
    /// Array columns C (N direction).
    pub cols: usize,
    /// Blocks along K: ceil(K / R).
    pub kb: usize,
    /// Blocks along N: ceil(N / C).
    pub nb: usize,
}

impl Grid {
    /// The grid of a K×N matrix on an R×C array.
    pub fn new(k: usize, n: usize, rows: usize, cols: usize) -> Grid {
        Grid {
            rows,
            cols,
            kb: k.div_ceil(rows),
            nb: n.div_ceil(cols),
        }
    }
    /// Number of blocks.
    pub fn blocks(&self) -> usize {
        self.kb * self.nb
    }
    /// Processing-order index of block (kb, nb).
    pub fn index(&self, kb: usize, nb: usize) -> usize {
        nb * self.kb + kb
    }
}

/// Scores every block of `lin`. `act_rms[k]` is required for [`ScoreKind::ActMeanAbs`].
pub fn block_scores(lin: &Linear, g: Grid, kind: ScoreKind, act_rms: Option<&[f32]>) -> Vec<f32> {
    let mut acc = vec![0f64; g.blocks()];
    let mut count = vec![0usize; g.blocks()];
    let ones;
    let a = match (kind, act_rms) {
        (ScoreKind::ActMeanAbs, Some(a)) => a,
        _ => {
            ones = vec![1f32; lin.k];
            &ones
        }
    };
    for n in 0..lin.n {
        let row = &lin.weight[n * lin.k..(n + 1) * lin.k];
        let nb = n / g.cols;
        for (kb, chunk) in row.chunks(g.rows).enumerate() {
            let ak = &a[kb * g.rows..kb * g.rows + chunk.len()];
            let s: f32 = match kind {
                ScoreKind::L2 => chunk.iter().map(|w| w * w).sum(),
                ScoreKind::MeanAbs => chunk.iter().map(|w| w.abs()).sum(),
                ScoreKind::ActMeanAbs => chunk.iter().zip(ak).map(|(w, a)| w.abs() * a).sum(),
            };
            let i = g.index(kb, nb);
            acc[i] += s as f64;
            count[i] += chunk.len();
        }
    }
    acc.iter()
        .zip(&count)
        .map(|(&s, &c)| match kind {
            ScoreKind::L2 => s.sqrt() as f32,
            _ => (s / c.max(1) as f64) as f32,
        })
        .collect()
}

/// Decides which blocks stay. `scores[l]` are layer `l`'s block scores; the result holds,
/// per layer, `true` for a kept block. Exactly `round(S × total blocks)` blocks are
/// pruned, lowest score first, ties broken by layer then block index.
///
/// Per layer, layer `l` prunes `floor(S × blocks_l)` blocks plus one for the layers with
/// the largest remainders (largest-remainder rounding), so every layer is within one
/// block of the target and the total is still `round(S × total)`.
pub fn choose_kept(scores: &[Vec<f32>], sparsity: f64, mode: ThresholdMode) -> Vec<Vec<bool>> {
    let mut kept: Vec<Vec<bool>> = scores.iter().map(|s| vec![true; s.len()]).collect();
    let cands = |l: usize| -> Vec<(f32, usize, usize)> {
        scores[l]
            .iter()
            .enumerate()
            .map(|(b, &v)| (v, l, b))
            .collect()
    };
    let prune = |mut c: Vec<(f32, usize, usize)>, count: usize, kept: &mut Vec<Vec<bool>>| {
        c.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for &(_, l, b) in c.iter().take(count) {
            kept[l][b] = false;
        }
    };
    let total: usize = scores.iter().map(Vec::len).sum();
    let target = (sparsity * total as f64).round() as usize;
    match mode {
        ThresholdMode::Global => {
            let all = (0..scores.len()).flat_map(cands).collect();
            prune(all, target, &mut kept);
        }
        ThresholdMode::PerLayer => {
            let exact: Vec<f64> = scores.iter().map(|s| sparsity * s.len() as f64).collect();
            let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
            let mut order: Vec<usize> = (0..scores.len()).collect();
            order.sort_by(|&a, &b| {
                (exact[b] - exact[b].floor())
                    .total_cmp(&(exact[a] - exact[a].floor()))
                    .then(a.cmp(&b))
            });
            let mut left = target.saturating_sub(counts.iter().sum());
            for l in order {
                if left == 0 {
                    break;
                }
                if counts[l] < scores[l].len() {
                    counts[l] += 1;
                    left -= 1;
                }
            }
            for (l, &c) in counts.iter().enumerate() {
                prune(cands(l), c, &mut kept);
            }
        }
    }
    kept
}
