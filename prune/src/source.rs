//! A model file opened read-only and memory-mapped: its tensor table and typed access
//! to the weights. Both formats end up as the same flat table of [`TensorEntry`]s whose
//! `offset`/`nbytes` point into the mapped bytes, which is what lets the writer patch a
//! byte-identical copy.

use std::fs::File;
use std::path::{Path, PathBuf};

use half::{bf16, f16};
use memmap2::Mmap;

use crate::error::{PruneError, Result};
use crate::{ct2, st};

/// The on-disk container a model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelFormat {
    /// CTranslate2 `model.bin` (version 6).
    Ct2,
    /// Hugging Face `.safetensors`.
    Safetensors,
}

/// Element type of a stored tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    /// IEEE binary32.
    F32,
    /// IEEE binary16.
    F16,
    /// bfloat16.
    BF16,
    /// Any type this crate only copies (integers, bools, ...), with its element size.
    Other(&'static str, usize),
}

impl DType {
    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::F32 => 4,
            DType::F16 | DType::BF16 => 2,
            DType::Other(_, s) => s,
        }
    }
    /// Whether the crate can read and write it as floating point.
    pub fn is_float(self) -> bool {
        !matches!(self, DType::Other(..))
    }
}

impl std::fmt::Display for DType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DType::F32 => f.write_str("f32"),
            DType::F16 => f.write_str("f16"),
            DType::BF16 => f.write_str("bf16"),
            DType::Other(n, _) => f.write_str(n),
        }
    }
}

/// One stored tensor: name, shape, dtype and where its bytes are in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorEntry {
    /// Name as stored (CTranslate2 names without the trailing NUL).
    pub name: String,
    /// Shape, outermost first (PyTorch `[out, in]` for linear weights).
    pub shape: Vec<usize>,
    /// Element type.
    pub dtype: DType,
    /// Byte offset of the data in the file.
    pub offset: usize,
    /// Byte length of the data.
    pub nbytes: usize,
}

/// A memory-mapped model file.
#[derive(Debug)]
pub struct ModelFile {
    path: PathBuf,
    format: ModelFormat,
    map: Mmap,
    tensors: Vec<TensorEntry>,
}

impl ModelFile {
    /// Opens a `.safetensors` file, a CTranslate2 `model.bin`, or a directory holding a
    /// `model.bin` (or a single `model.safetensors`).
    pub fn open(path: impl AsRef<Path>) -> Result<ModelFile> {
        let given = path.as_ref();
        let path = resolve(given)?;
        let file = File::open(&path).map_err(|e| PruneError::io(&path, e))?;
        // SAFETY: the map is read-only; a concurrent writer could change the bytes under
        // us, which can give wrong numbers but no unsoundness for plain byte reads.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| PruneError::io(&path, e))?;
        let is_st = path.extension().is_some_and(|e| e == "safetensors");
        let (format, tensors) = if is_st {
            (ModelFormat::Safetensors, st::parse(&path, &map)?)
        } else {
            (ModelFormat::Ct2, ct2::parse(&path, &map)?.tensors)
        };
        Ok(ModelFile {
            path,
            format,
            map,
            tensors,
        })
    }

    /// The resolved file path (the `model.bin` when a directory was given).
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The container format.
    pub fn format(&self) -> ModelFormat {
        self.format
    }
    /// All stored tensors in file order.
    pub fn tensors(&self) -> &[TensorEntry] {
        &self.tensors
    }
    /// The whole mapped file.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Looks a tensor up by name.
    pub fn tensor(&self, name: &str) -> Result<&TensorEntry> {
        self.tensors
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| PruneError::UnknownTensor {
                path: self.path.clone(),
                tensor: name.to_string(),
            })
    }

    /// Reads a floating-point tensor as f32 in stored order, rejecting NaN and infinity.
    pub fn read_f32(&self, name: &str) -> Result<Vec<f32>> {
        let t = self.tensor(name)?;
        let bytes = &self.map[t.offset..t.offset + t.nbytes];
        let out: Vec<f32> = match t.dtype {
            DType::F32 => bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            DType::F16 => bytes
                .chunks_exact(2)
                .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            DType::BF16 => bytes
                .chunks_exact(2)
                .map(|c| bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            DType::Other(..) => return Err(self.not_linear(t)),
        };
        if let Some((index, &value)) = out.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(PruneError::NonFinite {
                path: self.path.clone(),
                tensor: name.to_string(),
                index,
                value,
            });
        }
        Ok(out)
    }

    pub(crate) fn not_linear(&self, t: &TensorEntry) -> PruneError {
        PruneError::NotLinear {
            path: self.path.clone(),
            tensor: t.name.clone(),
            shape: t.shape.clone(),
            dtype: t.dtype.to_string(),
        }
    }
}

/// Encodes f32 values into `dtype` little-endian bytes (the writer's inverse of `read_f32`).
pub(crate) fn encode(dtype: DType, values: &[f32]) -> Vec<u8> {
    match dtype {
        DType::F32 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        DType::F16 => values
            .iter()
            .flat_map(|v| f16::from_f32(*v).to_le_bytes())
            .collect(),
        DType::BF16 => values
            .iter()
            .flat_map(|v| bf16::from_f32(*v).to_le_bytes())
            .collect(),
        DType::Other(..) => unreachable!("only float tensors are rewritten"),
    }
}

fn resolve(given: &Path) -> Result<PathBuf> {
    let meta = std::fs::metadata(given).map_err(|e| PruneError::io(given, e))?;
    if meta.is_file() {
        let ok = given
            .extension()
            .is_some_and(|e| e == "safetensors" || e == "bin");
        return if ok {
            Ok(given.to_path_buf())
        } else {
            Err(PruneError::UnknownFormat {
                path: given.to_path_buf(),
            })
        };
    }
    for name in ["model.bin", "model.safetensors"] {
        let p = given.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(PruneError::UnknownFormat {
        path: given.to_path_buf(),
    })
}
