//! The `manifest.json` schema of a workload directory and the per-layer consistency
//! check shared by the reader and the writer (`docs/workload-format.md`).

use crate::quant::WeightQuant;
use crate::workload::{LayerTiles, WorkloadMeta};

// No deny_unknown_fields here: serde does not support it together with flatten.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Manifest {
    pub(crate) format: String,
    pub(crate) version: u32,
    #[serde(flatten)]
    pub(crate) meta: WorkloadMeta,
    pub(crate) layers: Vec<LayerEntry>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LayerEntry {
    pub(crate) name: String,
    pub(crate) source_tensor: String,
    pub(crate) row_offset: usize,
    pub(crate) k: usize,
    pub(crate) n: usize,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) kb: usize,
    pub(crate) nb: usize,
    pub(crate) blocks_kept: usize,
    pub(crate) sparsity: f64,
    pub(crate) bitmap: String,
    pub(crate) tiles_file: String,
    pub(crate) tokens: usize,
    pub(crate) act_file: String,
    pub(crate) ref_file: String,
    pub(crate) weight_quant: WeightQuant,
    pub(crate) weight_scales: Vec<f32>,
    pub(crate) act_scale: f32,
    pub(crate) sqnr_db: Option<f64>,
    pub(crate) rel_err: f64,
}

pub(crate) fn bitmap_hex(bits: &[bool]) -> String {
    bits.chunks(8)
        .map(|c| {
            let b = c
                .iter()
                .enumerate()
                .fold(0u8, |a, (i, &v)| a | ((v as u8) << i));
            format!("{b:02x}")
        })
        .collect()
}

pub(crate) fn bitmap_parse(hex: &str, len: usize) -> Option<Vec<bool>> {
    if hex.len() != len.div_ceil(8) * 2 {
        return None;
    }
    let mut out = Vec::with_capacity(len);
    for i in 0..hex.len() / 2 {
        let b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        out.extend((0..8).map(|j| b >> j & 1 == 1));
    }
    out.truncate(len);
    Some(out)
}

pub(crate) fn check(l: &LayerTiles) -> std::result::Result<(), String> {
    let blocks = l.kb * l.nb;
    let kept = l.present.iter().filter(|p| **p).count();
    let problems = [
        (l.rows == 0 || l.cols == 0, "zero block size".to_string()),
        (
            l.kb != l.k.div_ceil(l.rows) || l.nb != l.n.div_ceil(l.cols),
            format!(
                "kb/nb {}x{} do not match k={} n={} on {}x{}",
                l.kb, l.nb, l.k, l.n, l.rows, l.cols
            ),
        ),
        (
            l.present.len() != blocks,
            format!("bitmap has {} bits, expected {blocks}", l.present.len()),
        ),
        (
            l.tiles.len() != kept * l.rows * l.cols,
            format!(
                "{} tile bytes for {kept} kept blocks of {}x{}",
                l.tiles.len(),
                l.rows,
                l.cols
            ),
        ),
        (
            l.act.len() != l.tokens * l.k,
            format!(
                "{} activation bytes, expected {}x{}",
                l.act.len(),
                l.tokens,
                l.k
            ),
        ),
        (
            l.y_ref.len() != l.tokens * l.n,
            format!(
                "{} reference values, expected {}x{}",
                l.y_ref.len(),
                l.tokens,
                l.n
            ),
        ),
        (
            !(l.weight_scales.len() == 1 || l.weight_scales.len() == l.n),
            format!(
                "{} weight scales, expected 1 or {}",
                l.weight_scales.len(),
                l.n
            ),
        ),
    ];
    match problems.into_iter().find(|p| p.0) {
        Some((_, msg)) => Err(format!("layer '{}': {msg}", l.name)),
        None => Ok(()),
    }
}
