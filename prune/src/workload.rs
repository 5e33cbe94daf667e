//! The workload directory the simulator consumes: per layer, the tile bitmap, the kept
//! int8 blocks in processing order, the scales and the calibration data for the quality
//! proxy. The format is specified in `docs/workload-format.md`; this module holds the types,
//! `workload_read` and `workload_write` the only reader and writer.

use std::path::{Path, PathBuf};

use crate::calib;
use crate::error::{PruneError, Result};
use crate::quant::WeightQuant;

/// `format` field of every manifest.
pub const FORMAT: &str = "skipgrid-workload";
/// Current format version.
pub const VERSION: u32 = 1;

/// Workload-wide facts recorded in `manifest.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorkloadMeta {
    /// Model file the workload was made from.
    pub source: String,
    /// `ct2` or `safetensors`.
    pub source_format: String,
    /// Array rows R.
    pub rows: usize,
    /// Array columns C.
    pub cols: usize,
    /// Requested sparsity.
    pub target_sparsity: f64,
    /// Achieved pruned fraction over all layers' blocks.
    pub overall_sparsity: f64,
    /// `mean-abs`, `l2` or `act-mean-abs`.
    pub score: String,
    /// `global` or `per-layer`.
    pub threshold: String,
    /// The `--layers` pattern.
    pub layers_pattern: String,
    /// Activation source (`gaussian:SEED:TOKENS` or a file path).
    pub act_calib: String,
    /// Energy-weighted SQNR over all layers in dB; `null` when exact.
    pub overall_sqnr_db: Option<f64>,
    /// Overall relative error.
    pub overall_rel_err: f64,
}

/// One layer's tiles, ready for the array.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerTiles {
    /// Layer name (`tensor` or `tensor:q|k|v` for a split part).
    pub name: String,
    /// Stored tensor the layer comes from.
    pub source_tensor: String,
    /// First row of the stored `[out, in]` tensor this layer covers.
    pub row_offset: usize,
    /// Input features (rows of W).
    pub k: usize,
    /// Output features (columns of W).
    pub n: usize,
    /// Block height R.
    pub rows: usize,
    /// Block width C.
    pub cols: usize,
    /// Blocks along K.
    pub kb: usize,
    /// Blocks along N.
    pub nb: usize,
    /// Scale granularity.
    pub weight_quant: WeightQuant,
    /// Weight scales: 1 (per tensor) or N (per output channel).
    pub weight_scales: Vec<f32>,
    /// Activation scale (per tensor).
    pub act_scale: f32,
    /// Calibration tokens M.
    pub tokens: usize,
    /// SQNR of this layer in dB as measured at prune time; `None` when exact.
    pub sqnr_db: Option<f64>,
    /// Relative error as measured at prune time.
    pub rel_err: f64,
    pub(crate) present: Vec<bool>,
    pub(crate) tiles: Vec<i8>,
    pub(crate) act: Vec<i8>,
    pub(crate) y_ref: Vec<f32>,
}

impl LayerTiles {
    /// Whether block (kb, nb) is kept (false: pruned, all zero, skipped by the array).
    pub fn block_present(&self, kb: usize, nb: usize) -> bool {
        self.present[nb * self.kb + kb]
    }
    /// Kept flags in processing order (`nb * kb_count + kb`).
    pub fn bitmap(&self) -> &[bool] {
        &self.present
    }
    /// Number of kept blocks.
    pub fn blocks_kept(&self) -> usize {
        self.present.iter().filter(|p| **p).count()
    }
    /// Pruned fraction of this layer's blocks.
    pub fn sparsity(&self) -> f64 {
        1.0 - self.blocks_kept() as f64 / self.present.len().max(1) as f64
    }
    /// All kept blocks concatenated in processing order, each `rows × cols` row-major.
    pub fn tiles(&self) -> &[i8] {
        &self.tiles
    }
    /// Kept block (kb, nb) as `rows × cols` int8 (`[i][j]` = `W[kb·R+i][nb·C+j]`).
    pub fn block(&self, kb: usize, nb: usize) -> Option<&[i8]> {
        let idx = nb * self.kb + kb;
        if !self.present[idx] {
            return None;
        }
        let before = self.present[..idx].iter().filter(|p| **p).count();
        let sz = self.rows * self.cols;
        Some(&self.tiles[before * sz..(before + 1) * sz])
    }
    /// Dense zero-padded int8 W, `(kb·rows) × (nb·cols)` row-major.
    pub fn weight_i8_padded(&self) -> Vec<i8> {
        let (rp, cp) = (self.kb * self.rows, self.nb * self.cols);
        let mut w = vec![0i8; rp * cp];
        let mut t = self.tiles.chunks_exact(self.rows * self.cols);
        for nb in 0..self.nb {
            for kb in 0..self.kb {
                if !self.block_present(kb, nb) {
                    continue;
                }
                let tile = t.next().expect("tile count checked on open");
                for (i, row) in tile.chunks_exact(self.cols).enumerate() {
                    let at = (kb * self.rows + i) * cp + nb * self.cols;
                    w[at..at + self.cols].copy_from_slice(row);
                }
            }
        }
        w
    }
    /// Scale of output channel `n`.
    pub fn weight_scale(&self, n: usize) -> f32 {
        self.weight_scales[if self.weight_scales.len() == 1 { 0 } else { n }]
    }
    /// Quantized calibration activations X_q, `tokens × k` row-major.
    pub fn act_i8(&self) -> &[i8] {
        &self.act
    }
    /// Dense f32 reference output `Y = X·W` (unpruned W), `tokens × n` row-major.
    pub fn y_ref(&self) -> &[f32] {
        &self.y_ref
    }
    /// Quality of the array's int32 accumulators `acc` (`tokens × n`, i.e. X_q·W_q):
    /// dequantizes with the scales and returns `(sqnr_db, rel_err)` against [`Self::y_ref`].
    pub fn quality_of_acc(&self, acc: &[i32]) -> (f64, f64) {
        let y: Vec<f32> = acc
            .iter()
            .enumerate()
            .map(|(i, &a)| a as f32 * self.act_scale * self.weight_scale(i % self.n))
            .collect();
        let (s, e) = calib::energies(&self.y_ref, &y);
        calib::sqnr(s, e)
    }
}

/// An opened workload directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Where it was read from (empty for one built in memory).
    pub dir: PathBuf,
    /// Workload-wide facts.
    pub meta: WorkloadMeta,
    pub(crate) layers: Vec<LayerTiles>,
}

impl Workload {
    /// Builds a workload in memory.
    pub fn new(meta: WorkloadMeta, layers: Vec<LayerTiles>) -> Workload {
        Workload {
            dir: PathBuf::new(),
            meta,
            layers,
        }
    }
    /// The layers in manifest order.
    pub fn layers(&self) -> &[LayerTiles] {
        &self.layers
    }
    /// A layer by name.
    pub fn layer(&self, name: &str) -> Option<&LayerTiles> {
        self.layers.iter().find(|l| l.name == name)
    }
    /// Opens and fully validates a workload directory.
    pub fn open(dir: impl AsRef<Path>) -> Result<Workload> {
        crate::workload_read::read_dir(dir.as_ref())
    }
    /// Writes atomically to `dir`: everything is built in a `.skipgrid-workload-*`
    /// directory beside it and renamed into place, so an error leaves nothing behind.
    /// An existing `dir` is replaced only when empty or holding nothing but a previous
    /// skipgrid workload; otherwise [`PruneError::OutputExists`].
    pub fn write(&self, dir: impl AsRef<Path>) -> Result<()> {
        crate::workload_write::write_dir(self, dir.as_ref())
    }
}

pub(crate) fn bad(path: &Path, detail: impl Into<String>) -> PruneError {
    PruneError::corrupt(path, detail)
}
