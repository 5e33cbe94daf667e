//! Calibration activations and the quality proxy.
//!
//! **Default activations** (`gaussian`): for the layers of stored tensor `T`,
//! X is `tokens × K` standard normal values from SplitMix64 seeded with
//! `seed ^ fnv1a64(T)`, turned into normals by Box–Muller (`u1 = (x >> 11) / 2^53`
//! mapped to (0, 1], two normals per pair). The parts of a fused matrix share X, as
//! they share their input in the model. Defaults: seed `0x5EED`, 32 tokens.
//!
//! **Calibration file**: a `.safetensors` file with one f32/f16 tensor `[M, K]` per
//! stored weight name (e.g. `encoder/layer_0/ffn/linear_0/weight`), holding that
//! layer's real inputs.
//!
//! **Quality proxy**: `Y = X·W` in f32 with the dense (unpruned) W against
//! `Ŷ = s_x·s_w[n]·(X_q·W_q)` with int8 products summed in i32 as the array does.
//! `SQNR = 10·log10(Σ Y² / Σ (Y − Ŷ)²)` dB, relative error `sqrt(Σ (Y − Ŷ)² / Σ Y²)`.

use std::path::PathBuf;

use crate::error::{PruneError, Result};
use crate::linear::Linear;
use crate::source::ModelFile;

/// Where the activations for quantization and the quality proxy come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ActCalib {
    /// Seeded standard-normal activations (see the module docs).
    Gaussian {
        /// Base seed.
        seed: u64,
        /// Tokens (rows of X).
        tokens: usize,
    },
    /// A safetensors file of real activations keyed by stored weight name.
    File(PathBuf),
}

impl Default for ActCalib {
    fn default() -> Self {
        ActCalib::Gaussian {
            seed: 0x5EED,
            tokens: 32,
        }
    }
}

impl ActCalib {
    /// Parses `gaussian`, `gaussian:SEED`, `gaussian:SEED:TOKENS` or a file path.
    pub fn parse(s: &str) -> Result<ActCalib> {
        let Some(rest) = s.strip_prefix("gaussian") else {
            return Ok(ActCalib::File(PathBuf::from(s)));
        };
        let bad = || PruneError::OutOfRange {
            what: "--act-calib",
            value: s.to_string(),
            expected:
                "gaussian, gaussian:SEED, gaussian:SEED:TOKENS (TOKENS >= 1) or a .safetensors path",
        };
        let mut it = rest.split(':').skip(1);
        let seed = it
            .next()
            .map(|v| v.parse::<u64>().map_err(|_| bad()))
            .transpose()?;
        let tokens = it
            .next()
            .map(|v| v.parse::<usize>().map_err(|_| bad()))
            .transpose()?;
        if !(rest.is_empty() || rest.starts_with(':')) || it.next().is_some() || tokens == Some(0) {
            return Err(bad());
        }
        Ok(ActCalib::Gaussian {
            seed: seed.unwrap_or(0x5EED),
            tokens: tokens.unwrap_or(32),
        })
    }

    /// Activations `[M, K]` for the layers of stored tensor `source`; returns `(x, M)`.
    pub fn activations(
        &self,
        calib: Option<&ModelFile>,
        source: &str,
        k: usize,
    ) -> Result<(Vec<f32>, usize)> {
        match (self, calib) {
            (ActCalib::Gaussian { seed, tokens }, _) => {
                Ok((gaussian(seed ^ fnv1a64(source), tokens * k), *tokens))
            }
            (ActCalib::File(_), Some(f)) => {
                let t = f.tensor(source)?;
                if t.shape.len() != 2 || t.shape[1] != k || t.shape[0] == 0 {
                    return Err(PruneError::BadShape {
                        path: f.path().to_path_buf(),
                        tensor: source.to_string(),
                        detail: format!(
                            "calibration activations have shape {:?}; expected [M >= 1, {k}]",
                            t.shape
                        ),
                    });
                }
                Ok((f.read_f32(source)?, t.shape[0]))
            }
            (ActCalib::File(p), None) => Err(PruneError::corrupt(p, "calibration file not opened")),
        }
    }
}

/// 64-bit FNV-1a, used to derive a per-layer seed from a name.
pub fn fnv1a64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// `len` standard-normal f32 values from SplitMix64(`seed`) + Box–Muller.
pub fn gaussian(seed: u64, len: usize) -> Vec<f32> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut out = Vec::with_capacity(len + 1);
    while out.len() < len {
        let u1 = ((next() >> 11) + 1) as f64 / (1u64 << 53) as f64;
        let u2 = (next() >> 11) as f64 / (1u64 << 53) as f64;
        let r = (-2.0 * u1.ln()).sqrt();
        let t = std::f64::consts::TAU * u2;
        out.push((r * t.cos()) as f32);
        out.push((r * t.sin()) as f32);
    }
    out.truncate(len);
    out
}

/// Per-column RMS of X `[M, K]` (used by the activation-aware score).
pub fn column_rms(x: &[f32], m: usize, k: usize) -> Vec<f32> {
    let mut acc = vec![0f64; k];
    for row in x.chunks(k) {
        for (a, v) in acc.iter_mut().zip(row) {
            *a += (*v as f64) * (*v as f64);
        }
    }
    acc.iter()
        .map(|a| (a / m.max(1) as f64).sqrt() as f32)
        .collect()
}

/// Dense f32 output `Y = X·W`, `[M, N]` row-major.
pub fn dense_output(x: &[f32], m: usize, lin: &Linear) -> Vec<f32> {
    let mut y = vec![0f32; m * lin.n];
    for (xr, yr) in x.chunks(lin.k).zip(y.chunks_mut(lin.n)) {
        for (n, out) in yr.iter_mut().enumerate() {
            let w = &lin.weight[n * lin.k..(n + 1) * lin.k];
            *out = xr.iter().zip(w).map(|(a, b)| a * b).sum();
        }
    }
    debug_assert_eq!(y.len(), m * lin.n);
    y
}

/// Quantized output `s_x·s_w[n]·Σ_k xq·wq` with i32 accumulation; `wq` is `[N, K]`.
pub fn quant_output(xq: &[i8], sx: f32, wq: &[i8], scales: &[f32], k: usize, n: usize) -> Vec<f32> {
    let mut y = Vec::with_capacity(xq.len() / k * n);
    for xr in xq.chunks(k) {
        for (c, w) in wq.chunks(k).enumerate().take(n) {
            let acc: i32 = xr.iter().zip(w).map(|(&a, &b)| a as i32 * b as i32).sum();
            let s = scales[if scales.len() == 1 { 0 } else { c }];
            y.push(acc as f32 * sx * s);
        }
    }
    y
}

/// Signal and noise energies of `approx` against `reference`.
pub fn energies(reference: &[f32], approx: &[f32]) -> (f64, f64) {
    reference
        .iter()
        .zip(approx)
        .fold((0.0, 0.0), |(s, e), (&r, &a)| {
            let d = (r - a) as f64;
            (s + (r as f64) * (r as f64), e + d * d)
        })
}

/// SQNR in dB and relative error from energies (∞ dB / 0 when the noise is zero).
pub fn sqnr(signal: f64, noise: f64) -> (f64, f64) {
    if noise == 0.0 {
        return (f64::INFINITY, 0.0);
    }
    (
        10.0 * (signal / noise).log10(),
        (noise / signal.max(f64::MIN_POSITIVE)).sqrt(),
    )
}
