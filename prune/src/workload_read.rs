//! Reading a workload directory, validating every size against the manifest.

use std::fs;
use std::path::Path;

use crate::error::{PruneError, Result};
use crate::manifest::{bitmap_parse, check, Manifest};
use crate::workload::{bad, LayerTiles, Workload, FORMAT, VERSION};

fn read_bytes(path: &Path, len: usize) -> Result<Vec<u8>> {
    let b = fs::read(path).map_err(|e| PruneError::io(path, e))?;
    if b.len() != len {
        return Err(bad(
            path,
            format!("{} bytes, manifest implies {len}", b.len()),
        ));
    }
    Ok(b)
}

pub(crate) fn read_dir(dir: &Path) -> Result<Workload> {
    let mpath = dir.join("manifest.json");
    let text = fs::read_to_string(&mpath).map_err(|e| PruneError::io(&mpath, e))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| bad(&mpath, e.to_string()))?;
    if m.format != FORMAT || m.version != VERSION {
        return Err(bad(
            &mpath,
            format!(
                "format '{}' version {}; expected '{FORMAT}' version {VERSION}",
                m.format, m.version
            ),
        ));
    }
    let mut layers = Vec::new();
    for e in m.layers {
        let present = bitmap_parse(&e.bitmap, e.kb * e.nb).ok_or_else(|| {
            bad(
                &mpath,
                format!(
                    "layer '{}': bitmap is not {} bits of hex",
                    e.name,
                    e.kb * e.nb
                ),
            )
        })?;
        let kept = present.iter().filter(|p| **p).count();
        let safe = |p: &str| !p.contains("..") && !p.starts_with('/');
        if ![&e.tiles_file, &e.act_file, &e.ref_file]
            .iter()
            .all(|p| safe(p))
        {
            return Err(bad(
                &mpath,
                format!(
                    "layer '{}': file names must stay inside the workload",
                    e.name
                ),
            ));
        }
        let tiles = read_bytes(&dir.join(&e.tiles_file), kept * e.rows * e.cols)?;
        let act = read_bytes(&dir.join(&e.act_file), e.tokens * e.k)?;
        let rf = read_bytes(&dir.join(&e.ref_file), e.tokens * e.n * 4)?;
        let l = LayerTiles {
            name: e.name,
            source_tensor: e.source_tensor,
            row_offset: e.row_offset,
            k: e.k,
            n: e.n,
            rows: e.rows,
            cols: e.cols,
            kb: e.kb,
            nb: e.nb,
            weight_quant: e.weight_quant,
            weight_scales: e.weight_scales,
            act_scale: e.act_scale,
            tokens: e.tokens,
            sqnr_db: e.sqnr_db,
            rel_err: e.rel_err,
            present,
            tiles: tiles.into_iter().map(|v| v as i8).collect(),
            act: act.into_iter().map(|v| v as i8).collect(),
            y_ref: rf
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        };
        check(&l).map_err(|msg| bad(&mpath, msg))?;
        layers.push(l);
    }
    Ok(Workload {
        dir: dir.to_path_buf(),
        meta: m.meta,
        layers,
    })
}
