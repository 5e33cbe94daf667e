//! From a [`PrunedModel`] to the [`Workload`] the array runs: kept blocks laid out in
//! processing order (nb-major, kb ascending; inside a block row i then column j).

use crate::calib::ActCalib;
use crate::pipeline::{PrunedLayer, PrunedModel};
use crate::source::ModelFormat;
use crate::workload::{LayerTiles, Workload, WorkloadMeta};

/// The int8 blocks of `l` that are kept, concatenated in processing order.
/// Element `[i][j]` of block (kb, nb) is `W[kb·R+i][nb·C+j]` = stored `wq[n][k]`,
/// zero where the block overhangs K or N.
pub fn kept_tiles(l: &PrunedLayer) -> Vec<i8> {
    let g = l.grid;
    let (k, n) = (l.dense.k, l.dense.n);
    let mut out = Vec::with_capacity(l.kept.iter().filter(|p| **p).count() * g.rows * g.cols);
    for nb in 0..g.nb {
        for kb in 0..g.kb {
            if !l.kept[g.index(kb, nb)] {
                continue;
            }
            for i in 0..g.rows {
                let kk = kb * g.rows + i;
                for j in 0..g.cols {
                    let nn = nb * g.cols + j;
                    out.push(if kk < k && nn < n {
                        l.wq[nn * k + kk]
                    } else {
                        0
                    });
                }
            }
        }
    }
    out
}

impl PrunedLayer {
    /// This layer as array tiles.
    pub fn to_tiles(&self) -> LayerTiles {
        let (sqnr, rel) = self.quality();
        LayerTiles {
            name: self.dense.name.clone(),
            source_tensor: self.dense.source.clone(),
            row_offset: self.dense.row_offset,
            k: self.dense.k,
            n: self.dense.n,
            rows: self.grid.rows,
            cols: self.grid.cols,
            kb: self.grid.kb,
            nb: self.grid.nb,
            weight_quant: self.weight_quant,
            weight_scales: self.w_scales.clone(),
            act_scale: self.act_scale,
            tokens: self.tokens,
            sqnr_db: sqnr.is_finite().then_some(sqnr),
            rel_err: rel,
            present: self.kept.clone(),
            tiles: kept_tiles(self),
            act: self.xq.clone(),
            y_ref: self.y_ref.clone(),
        }
    }
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl PrunedModel {
    /// The workload for the simulator.
    pub fn to_workload(&self) -> Workload {
        let c = &self.config;
        let (sqnr, rel) = self.overall_quality();
        let meta = WorkloadMeta {
            source: self.source.display().to_string(),
            source_format: match self.format {
                ModelFormat::Ct2 => "ct2".into(),
                ModelFormat::Safetensors => "safetensors".into(),
            },
            rows: c.rows,
            cols: c.cols,
            target_sparsity: c.sparsity,
            overall_sparsity: self.overall_sparsity(),
            score: kebab(&c.score),
            threshold: kebab(&c.threshold),
            layers_pattern: c.layers.as_str().to_string(),
            act_calib: match &c.calib {
                ActCalib::Gaussian { seed, tokens } => format!("gaussian:{seed}:{tokens}"),
                ActCalib::File(p) => p.display().to_string(),
            },
            overall_sqnr_db: sqnr.is_finite().then_some(sqnr),
            overall_rel_err: rel,
        };
        Workload::new(
            meta,
            self.layers.iter().map(PrunedLayer::to_tiles).collect(),
        )
    }
}
