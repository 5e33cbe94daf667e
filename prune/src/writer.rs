//! Writes the pruned model back in its own format, for end-to-end quality checks
//! (e.g. word error rate with faster-whisper on a rewritten `model.bin`).
//!
//! The output is a byte copy of the input in which only the data of the pruned linear
//! weights changes: each selected layer's rows are replaced by its dequantized int8
//! weights (`q · scale`, zero in pruned blocks), encoded in the tensor's own dtype.
//! Split parts are re-fused by writing them back into their row range of the fused
//! tensor, so headers, other tensors and aliases stay byte-identical.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{PruneError, Result};
use crate::pipeline::PrunedModel;
use crate::quant;
use crate::source::{encode, ModelFile};

/// The patched model bytes (the same length as the input file).
pub fn pruned_model_bytes(model: &ModelFile, pruned: &PrunedModel) -> Result<Vec<u8>> {
    let mut bytes = model.bytes().to_vec();
    for l in &pruned.layers {
        let t = model.tensor(&l.dense.source)?;
        let k = t.shape[1];
        let values = quant::dequantize_layer(&l.wq, k, &l.w_scales);
        let enc = encode(t.dtype, &values);
        let start = t.offset + l.dense.row_offset * k * t.dtype.size();
        if start + enc.len() > t.offset + t.nbytes {
            return Err(PruneError::BadShape {
                path: model.path().to_path_buf(),
                tensor: l.dense.name.clone(),
                detail: "layer rows run past its stored tensor".into(),
            });
        }
        bytes[start..start + enc.len()].copy_from_slice(&enc);
    }
    Ok(bytes)
}

/// Writes the pruned model to `out` and returns the model file written.
///
/// If `out` ends in `.bin` or `.safetensors` a single file is written; otherwise `out`
/// is a new directory receiving the model file under its original name plus copies of
/// the regular files beside the source (config.json, tokenizer, vocabulary), so a
/// CTranslate2 directory stays loadable. `out` must not exist (nothing is replaced);
/// everything is built beside it under a temporary name and renamed into place.
pub fn write_pruned_model(model: &ModelFile, pruned: &PrunedModel, out: &Path) -> Result<PathBuf> {
    if out.exists() {
        return Err(PruneError::OutputExists {
            path: out.to_path_buf(),
        });
    }
    let bytes = pruned_model_bytes(model, pruned)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let single = out
        .extension()
        .is_some_and(|e| e == "bin" || e == "safetensors");
    if single {
        let mut tmp = tempfile::Builder::new()
            .prefix(".skipgrid-model-")
            .tempfile_in(&parent)
            .map_err(|e| PruneError::io(&parent, e))?;
        tmp.write_all(&bytes)
            .map_err(|e| PruneError::io(tmp.path(), e))?;
        tmp.persist_noclobber(out)
            .map_err(|e| PruneError::io(out, e.error))?;
        return Ok(out.to_path_buf());
    }
    let tmp = tempfile::Builder::new()
        .prefix(".skipgrid-model-")
        .tempdir_in(&parent)
        .map_err(|e| PruneError::io(&parent, e))?;
    let src = model.path();
    let name = src.file_name().expect("a model file has a name");
    if let Some(dir) = src.parent() {
        for entry in fs::read_dir(dir).map_err(|e| PruneError::io(dir, e))? {
            let entry = entry.map_err(|e| PruneError::io(dir, e))?;
            let ty = entry
                .file_type()
                .map_err(|e| PruneError::io(entry.path(), e))?;
            if ty.is_file() && entry.file_name() != name {
                fs::copy(entry.path(), tmp.path().join(entry.file_name()))
                    .map_err(|e| PruneError::io(entry.path(), e))?;
            }
        }
    }
    let dst = tmp.path().join(name);
    fs::write(&dst, &bytes).map_err(|e| PruneError::io(&dst, e))?;
    fs::rename(tmp.path(), out).map_err(|e| PruneError::io(out, e))?;
    // The directory now lives at `out`; keep the guard from deleting anything.
    let _ = tmp.keep();
    Ok(out.join(name))
}
