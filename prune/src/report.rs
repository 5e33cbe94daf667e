//! The summary printed by `skipgrid prune`: achieved sparsity and quality per layer
//! and overall, as JSON or as a text table.

use std::fmt::Write;

use crate::pipeline::PrunedModel;

/// One row of the report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayerReport {
    /// Layer name.
    pub name: String,
    /// Input features.
    pub k: usize,
    /// Output features.
    pub n: usize,
    /// Blocks in the layer.
    pub blocks: usize,
    /// Blocks kept.
    pub blocks_kept: usize,
    /// Achieved pruned fraction.
    pub sparsity: f64,
    /// SQNR in dB (`null` when exact).
    pub sqnr_db: Option<f64>,
    /// Relative output error.
    pub rel_err: f64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PruneReport {
    /// Model file.
    pub model: String,
    /// Array rows.
    pub rows: usize,
    /// Array columns.
    pub cols: usize,
    /// Requested sparsity.
    pub target_sparsity: f64,
    /// Achieved sparsity over all selected blocks.
    pub overall_sparsity: f64,
    /// Energy-weighted SQNR over all layers (`null` when exact).
    pub overall_sqnr_db: Option<f64>,
    /// Overall relative error.
    pub overall_rel_err: f64,
    /// Per layer, in file order.
    pub layers: Vec<LayerReport>,
}

impl PrunedModel {
    /// The report for this result.
    pub fn report(&self) -> PruneReport {
        let (s, r) = self.overall_quality();
        PruneReport {
            model: self.source.display().to_string(),
            rows: self.config.rows,
            cols: self.config.cols,
            target_sparsity: self.config.sparsity,
            overall_sparsity: self.overall_sparsity(),
            overall_sqnr_db: s.is_finite().then_some(s),
            overall_rel_err: r,
            layers: self
                .layers
                .iter()
                .map(|l| {
                    let (s, r) = l.quality();
                    LayerReport {
                        name: l.dense.name.clone(),
                        k: l.dense.k,
                        n: l.dense.n,
                        blocks: l.kept.len(),
                        blocks_kept: l.kept.iter().filter(|k| **k).count(),
                        sparsity: l.sparsity(),
                        sqnr_db: s.is_finite().then_some(s),
                        rel_err: r,
                    }
                })
                .collect(),
        }
    }
}

fn db(v: Option<f64>) -> String {
    v.map_or("inf".into(), |v| format!("{v:.2}"))
}

impl PruneReport {
    /// A fixed-width text table, one line per layer and a total line.
    pub fn table(&self) -> String {
        let w = self
            .layers
            .iter()
            .map(|l| l.name.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<w$}  {:>5}  {:>5}  {:>6}  {:>6}  {:>8}  {:>8}  {:>8}",
            "layer", "k", "n", "blocks", "kept", "sparsity", "sqnr_db", "rel_err"
        );
        for l in &self.layers {
            let _ = writeln!(
                s,
                "{:<w$}  {:>5}  {:>5}  {:>6}  {:>6}  {:>8.4}  {:>8}  {:>8.4}",
                l.name,
                l.k,
                l.n,
                l.blocks,
                l.blocks_kept,
                l.sparsity,
                db(l.sqnr_db),
                l.rel_err
            );
        }
        let blocks: usize = self.layers.iter().map(|l| l.blocks).sum();
        let kept: usize = self.layers.iter().map(|l| l.blocks_kept).sum();
        let _ = writeln!(
            s,
            "{:<w$}  {:>5}  {:>5}  {:>6}  {:>6}  {:>8.4}  {:>8}  {:>8.4}",
            "overall",
            "",
            "",
            blocks,
            kept,
            self.overall_sparsity,
            db(self.overall_sqnr_db),
            self.overall_rel_err
        );
        let _ = writeln!(
            s,
            "array {}x{}, target sparsity {}",
            self.rows, self.cols, self.target_sparsity
        );
        s
    }
}
