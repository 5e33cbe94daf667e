//! `.safetensors` tensor table via the `safetensors` crate, mapped onto [`TensorEntry`].

use std::path::Path;

use safetensors::{Dtype, SafeTensors};

use crate::error::{PruneError, Result};
use crate::source::{DType, TensorEntry};

fn dtype(d: Dtype) -> DType {
    match d {
        Dtype::F32 => DType::F32,
        Dtype::F16 => DType::F16,
        Dtype::BF16 => DType::BF16,
        Dtype::BOOL | Dtype::U8 | Dtype::I8 => DType::Other("int8-like", 1),
        Dtype::I16 | Dtype::U16 => DType::Other("int16", 2),
        Dtype::I32 | Dtype::U32 => DType::Other("int32", 4),
        Dtype::F64 => DType::Other("f64", 8),
        _ => DType::Other("int64-like", 8),
    }
}

/// Parses the header of a safetensors file held in `b`, in data-offset order.
pub fn parse(path: &Path, b: &[u8]) -> Result<Vec<TensorEntry>> {
    if b.len() < 8 {
        return Err(PruneError::Truncated {
            path: path.to_path_buf(),
            what: "header length".into(),
            offset: 0,
            len: b.len(),
        });
    }
    let st = SafeTensors::deserialize(b)
        .map_err(|e| PruneError::corrupt(path, format!("safetensors: {e:?}")))?;
    let base = b.as_ptr() as usize;
    let mut out: Vec<TensorEntry> = st
        .tensors()
        .into_iter()
        .map(|(name, view)| TensorEntry {
            name,
            shape: view.shape().to_vec(),
            dtype: dtype(view.dtype()),
            offset: view.data().as_ptr() as usize - base,
            nbytes: view.data().len(),
        })
        .collect();
    out.sort_by_key(|t| t.offset);
    Ok(out)
}
