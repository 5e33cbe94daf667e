//! Symmetric int8 quantization of weights and activations.
//!
//! `q = clamp(round(x / s), -127, 127)` with `s = max|x| / 127` (so -128 is never used
//! and the range is symmetric). A tensor or channel that is all zero gets `s = 1`.
//! Weights are quantized after pruning, so pruned blocks do not widen the range.

use crate::linear::Linear;
use crate::score::Grid;

/// Granularity of the weight scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeightQuant {
    /// One scale for the whole layer.
    PerTensor,
    /// One scale per output channel n (a column of W, a row of the stored weight).
    PerChannel,
}

/// The scale for values whose largest magnitude is `max_abs`.
pub fn scale_for(max_abs: f32) -> f32 {
    if max_abs > 0.0 {
        max_abs / 127.0
    } else {
        1.0
    }
}

/// Quantizes one value with scale `s`.
pub fn quantize(x: f32, s: f32) -> i8 {
    (x / s).round().clamp(-127.0, 127.0) as i8
}

/// Quantizes a slice with one per-tensor scale; returns `(q, scale)`.
pub fn quantize_tensor(x: &[f32]) -> (Vec<i8>, f32) {
    let s = scale_for(x.iter().fold(0f32, |m, v| m.max(v.abs())));
    (x.iter().map(|&v| quantize(v, s)).collect(), s)
}

/// Zeroes pruned blocks and quantizes the layer. Returns `q` in stored `[N, K]` order and
/// the scales (length 1 for per-tensor, N for per-channel).
pub fn quantize_layer(
    lin: &Linear,
    g: Grid,
    kept: &[bool],
    mode: WeightQuant,
) -> (Vec<i8>, Vec<f32>) {
    let mut w = lin.weight.clone();
    for n in 0..lin.n {
        for (kb, chunk) in w[n * lin.k..(n + 1) * lin.k].chunks_mut(g.rows).enumerate() {
            if !kept[g.index(kb, n / g.cols)] {
                chunk.fill(0.0);
            }
        }
    }
    let max = |s: &[f32]| s.iter().fold(0f32, |m, v| m.max(v.abs()));
    let scales: Vec<f32> = match mode {
        WeightQuant::PerTensor => vec![scale_for(max(&w))],
        WeightQuant::PerChannel => w.chunks(lin.k).map(|r| scale_for(max(r))).collect(),
    };
    let q = w
        .chunks(lin.k)
        .enumerate()
        .flat_map(|(n, r)| {
            let s = scales[if scales.len() == 1 { 0 } else { n }];
            r.iter().map(move |&v| quantize(v, s))
        })
        .collect();
    (q, scales)
}

/// Dequantizes `q` (stored `[N, K]` order) back to f32 with the layer's scales.
pub fn dequantize_layer(q: &[i8], k: usize, scales: &[f32]) -> Vec<f32> {
    q.chunks(k)
        .enumerate()
        .flat_map(|(n, r)| {
            let s = scales[if scales.len() == 1 { 0 } else { n }];
            r.iter().map(move |&v| v as f32 * s)
        })
        .collect()
}
