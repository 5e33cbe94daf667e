//! Linear layers: which stored tensors are linear weights, how fused matrices are split,
//! and which layers a `--layers` pattern selects.
//!
//! Orientation: PyTorch and CTranslate2 store a linear weight as `[out, in]` = `[N, K]`;
//! the array computes `Y = X·W` with `W` = K×N, so **`W = weight^T`**:
//! `W[k][n] = weight[n][k]`. [`Linear`] keeps the stored `[N, K]` layout (rows are output
//! channels, which makes per-channel scales and `X·W` dot products contiguous) and
//! offers [`Linear::w`] in the hardware's orientation.

use regex::Regex;

use crate::error::{PruneError, Result};
use crate::source::{ModelFile, TensorEntry};

/// One linear layer (or one part of a fused matrix), ready to prune.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// Layer name: the stored tensor name, plus `:q`, `:k` or `:v` for a split part.
    pub name: String,
    /// The stored tensor it comes from.
    pub source: String,
    /// First row of the stored `[out, in]` tensor this layer covers (0 unless split).
    pub row_offset: usize,
    /// Input features (rows of W).
    pub k: usize,
    /// Output features (columns of W).
    pub n: usize,
    /// The weights in stored `[N, K]` row-major order.
    pub weight: Vec<f32>,
}

impl Linear {
    /// `W[k][n]` in the hardware's K×N orientation, i.e. `weight[n][k]`.
    pub fn w(&self, k: usize, n: usize) -> f32 {
        self.weight[n * self.k + k]
    }
}

/// Whether a stored tensor is a linear weight: 2-D, floating point, named `*weight`,
/// and not an embedding or position table (those are lookups, not matrix products).
pub fn is_linear(t: &TensorEntry) -> bool {
    let lower = t.name.to_ascii_lowercase();
    t.shape.len() == 2
        && t.dtype.is_float()
        && lower.ends_with("weight")
        && !lower.contains("embed")
        && !lower.contains("position")
        && !lower.contains("encodings")
}

/// The part labels of a fused CTranslate2 matrix, or `None` when `name` is not fused.
///
/// Whisper's `self_attention/linear_0` is fused Q,K,V (3·d × d, encoder and decoder) and
/// the decoder cross-attention `attention/linear_1` is fused K,V (2·d × d). They are
/// split because one ranking over a fused matrix prunes its parts unevenly.
pub fn fused_parts(name: &str) -> Option<&'static [&'static str]> {
    if name.ends_with("/self_attention/linear_0/weight") {
        Some(&["q", "k", "v"])
    } else if name.ends_with("/attention/linear_1/weight") {
        Some(&["k", "v"])
    } else {
        None
    }
}

/// The layer names a stored linear tensor yields (one, or one per fused part).
pub fn layer_names(t: &TensorEntry) -> Vec<String> {
    match fused_parts(&t.name) {
        Some(parts) => parts.iter().map(|p| format!("{}:{p}", t.name)).collect(),
        None => vec![t.name.clone()],
    }
}

/// Loads a stored linear tensor and splits it if fused.
pub fn load(model: &ModelFile, tensor: &str) -> Result<Vec<Linear>> {
    let t = model.tensor(tensor)?;
    if !is_linear(t) {
        return Err(model.not_linear(t));
    }
    let (rows, k) = (t.shape[0], t.shape[1]);
    let data = model.read_f32(tensor)?;
    let names = layer_names(t);
    let parts = names.len();
    if rows % parts != 0 {
        return Err(PruneError::BadShape {
            path: model.path().to_path_buf(),
            tensor: tensor.to_string(),
            detail: format!(
                "fused matrix with {rows} rows cannot be split into {parts} equal parts"
            ),
        });
    }
    let n = rows / parts;
    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Linear {
            name,
            source: tensor.to_string(),
            row_offset: i * n,
            k,
            n,
            weight: data[i * n * k..(i + 1) * n * k].to_vec(),
        })
        .collect())
}

/// Re-fuses parts into the stored `[out, in]` layout, starting from `base` (the
/// original tensor) so parts that were not selected stay as they were.
pub fn refuse(base: &mut [f32], k: usize, row_offset: usize, part: &[f32]) {
    base[row_offset * k..row_offset * k + part.len()].copy_from_slice(part);
}

/// Which linear layers to prune.
#[derive(Debug, Clone)]
pub enum LayerSelect {
    /// Feed-forward layers only (`ffn`, `mlp`, `intermediate`, BERT `layer.N.output.dense`).
    Ffn,
    /// Attention projections only (names containing `attention` or `attn`).
    Attn,
    /// Every linear layer.
    All,
    /// A regex searched in layer names (tensor name, plus `:q`/`:k`/`:v` for split parts).
    Regex(Regex),
}

impl LayerSelect {
    /// Parses `ffn`, `attn`, `all`, or anything else as a regex.
    pub fn parse(s: &str) -> Result<LayerSelect> {
        Ok(match s {
            "ffn" => LayerSelect::Ffn,
            "attn" => LayerSelect::Attn,
            "all" => LayerSelect::All,
            _ => LayerSelect::Regex(Regex::new(s).map_err(|e| PruneError::BadPattern {
                pattern: s.to_string(),
                detail: e.to_string(),
            })?),
        })
    }

    /// The pattern as the user wrote it.
    pub fn as_str(&self) -> &str {
        match self {
            LayerSelect::Ffn => "ffn",
            LayerSelect::Attn => "attn",
            LayerSelect::All => "all",
            LayerSelect::Regex(r) => r.as_str(),
        }
    }

    /// Whether the layer `name` is selected.
    pub fn matches(&self, name: &str) -> bool {
        let l = name.to_ascii_lowercase();
        let attn = l.contains("attention") || l.contains("attn");
        match self {
            LayerSelect::All => true,
            LayerSelect::Attn => attn,
            LayerSelect::Ffn => {
                !attn
                    && (l.contains("ffn")
                        || l.contains("mlp")
                        || l.contains("intermediate")
                        || l.contains(".output.dense"))
            }
            LayerSelect::Regex(r) => r.is_match(name),
        }
    }

    /// Selected layers, grouped by stored tensor: `(tensor, selected layer names)`.
    ///
    /// Errors when nothing is selected; when a regex selects no linear layer but does
    /// match some other tensor, the error names that tensor as not a linear weight.
    pub fn select(&self, model: &ModelFile) -> Result<Vec<(String, Vec<String>)>> {
        let mut out = Vec::new();
        for t in model.tensors().iter().filter(|t| is_linear(t)) {
            let names: Vec<String> = layer_names(t)
                .into_iter()
                .filter(|n| self.matches(n))
                .collect();
            if !names.is_empty() {
                out.push((t.name.clone(), names));
            }
        }
        if out.is_empty() {
            if let LayerSelect::Regex(r) = self {
                if let Some(t) = model.tensors().iter().find(|t| r.is_match(&t.name)) {
                    return Err(model.not_linear(t));
                }
            }
            return Err(PruneError::EmptySelection {
                path: model.path().to_path_buf(),
                pattern: self.as_str().to_string(),
            });
        }
        Ok(out)
    }
}
