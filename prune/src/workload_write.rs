//! Atomic writing of workload directories.
//!
//! Writing builds everything in a fresh `.skipgrid-workload-*` directory beside the
//! target and renames it into place; an error at any point removes that directory and
//! leaves the target untouched. An existing target is replaced only when it is empty
//! or holds nothing but a previous skipgrid workload (its manifest and layer files).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{PruneError, Result};
use crate::manifest::{bitmap_hex, check, LayerEntry, Manifest};
use crate::workload::{bad, Workload, FORMAT, VERSION};

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| PruneError::io(path, e))
}

fn is_ours(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let ext = name.rsplit('.').next().unwrap_or("");
    stem.len() == 4
        && stem.bytes().all(|b| b.is_ascii_digit())
        && matches!(ext, "tiles" | "act" | "ref")
}

/// Whether `dir` may be replaced: empty, or only a previous workload's files.
fn replaceable(dir: &Path) -> Result<bool> {
    let io = |e| PruneError::io(dir, e);
    if !dir.is_dir() {
        return Ok(false);
    }
    for e in fs::read_dir(dir).map_err(io)? {
        let e = e.map_err(io)?;
        let name = e.file_name().to_string_lossy().to_string();
        let ok = match name.as_str() {
            "manifest.json" => fs::read_to_string(e.path())
                .ok()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
                .is_some_and(|v| v["format"] == FORMAT),
            "layers" => fs::read_dir(e.path()).map_err(io)?.all(|f| {
                f.is_ok_and(|f| {
                    f.file_type().is_ok_and(|t| t.is_file())
                        && is_ours(&f.file_name().to_string_lossy())
                })
            }),
            _ => false,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(crate) fn write_dir(w: &Workload, dir: &Path) -> Result<()> {
    if dir.exists() && !replaceable(dir)? {
        return Err(PruneError::OutputExists {
            path: dir.to_path_buf(),
        });
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| PruneError::io(&parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".skipgrid-workload-")
        .tempdir_in(&parent)
        .map_err(|e| PruneError::io(&parent, e))?;
    let ldir = tmp.path().join("layers");
    fs::create_dir(&ldir).map_err(|e| PruneError::io(&ldir, e))?;
    let mut entries = Vec::new();
    for (i, l) in w.layers.iter().enumerate() {
        check(l).map_err(|m| bad(dir, m))?;
        let (t, a, r) = (
            format!("layers/{i:04}.tiles"),
            format!("layers/{i:04}.act"),
            format!("layers/{i:04}.ref"),
        );
        write_file(
            &tmp.path().join(&t),
            &l.tiles.iter().map(|&v| v as u8).collect::<Vec<_>>(),
        )?;
        write_file(
            &tmp.path().join(&a),
            &l.act.iter().map(|&v| v as u8).collect::<Vec<_>>(),
        )?;
        write_file(
            &tmp.path().join(&r),
            &l.y_ref
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect::<Vec<_>>(),
        )?;
        entries.push(LayerEntry {
            name: l.name.clone(),
            source_tensor: l.source_tensor.clone(),
            row_offset: l.row_offset,
            k: l.k,
            n: l.n,
            rows: l.rows,
            cols: l.cols,
            kb: l.kb,
            nb: l.nb,
            blocks_kept: l.blocks_kept(),
            sparsity: l.sparsity(),
            bitmap: bitmap_hex(&l.present),
            tiles_file: t,
            tokens: l.tokens,
            act_file: a,
            ref_file: r,
            weight_quant: l.weight_quant,
            weight_scales: l.weight_scales.clone(),
            act_scale: l.act_scale,
            sqnr_db: l.sqnr_db,
            rel_err: l.rel_err,
        });
    }
    let m = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        meta: w.meta.clone(),
        layers: entries,
    };
    let json = serde_json::to_string_pretty(&m).expect("manifest serializes");
    write_file(&tmp.path().join("manifest.json"), json.as_bytes())?;
    if dir.exists() {
        // Move the old workload aside into an empty temp dir (rename replaces an empty
        // directory), put the new one in place, then drop the old one.
        let old = tempfile::Builder::new()
            .prefix(".skipgrid-old-")
            .tempdir_in(&parent)
            .map_err(|e| PruneError::io(&parent, e))?;
        fs::rename(dir, old.path()).map_err(|e| PruneError::io(dir, e))?;
        if let Err(e) = fs::rename(tmp.path(), dir) {
            let _ = fs::rename(old.path(), dir);
            return Err(PruneError::io(dir, e));
        }
    } else {
        fs::rename(tmp.path(), dir).map_err(|e| PruneError::io(dir, e))?;
    }
    let _ = tmp.keep();
    Ok(())
}

#[cfg(test)]
#[path = "workload_tests.rs"]
mod tests;
