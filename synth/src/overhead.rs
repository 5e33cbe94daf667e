//! The area cost of block skipping: the same configuration with skipping on and off.

use crate::error::{Result, SynthError};
use crate::flow::{synthesize, SynthOptions};
use crate::report::AreaReport;
use crate::rtl::RtlDir;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Skip-on versus skip-off on one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkipOverhead {
    /// What `logic_pct` compares: `area_um2` (asic), `luts` (FPGA) or `cells` (generic).
    pub metric: String,
    /// (logic with skip − logic without) / logic without, percent; SRAM macros excluded.
    pub logic_pct: f64,
    /// The same with SRAM macro area included (asic only).
    pub total_pct: Option<f64>,
    /// The report with skipping, its overhead fields set.
    pub skip: AreaReport,
    /// The report without skipping.
    pub dense: AreaReport,
}

/// Synthesizes `skip_dir` (a `skip_ctrl` design) and `dense_dir` (its `dense_seq` twin)
/// and compares them. Both go through the cache. With `opts.out_dir`, the skip design's
/// reports go there (its report.json with the overhead set) and the dense one's into
/// `dense/` below it.
pub fn skip_overhead(
    skip_dir: &Path,
    dense_dir: &Path,
    opts: &SynthOptions,
) -> Result<SkipOverhead> {
    for (dir, want) in [(skip_dir, true), (dense_dir, false)] {
        if RtlDir::open(dir)?.has_skip() == Some(!want) {
            return Err(SynthError::Rtl {
                dir: dir.to_path_buf(),
                msg: format!(
                    "expected a design with skipping {} (role `{}`)",
                    if want { "on" } else { "off" },
                    if want { "skip_ctrl" } else { "dense_seq" }
                ),
            });
        }
    }
    let mut skip = synthesize(skip_dir, opts)?;
    let mut dense_opts = opts.clone();
    dense_opts.out_dir = opts.out_dir.as_ref().map(|o| o.join("dense"));
    let dense = synthesize(dense_dir, &dense_opts)?;
    let pct = |a: f64, b: f64| if b > 0.0 { 100.0 * (a - b) / b } else { 0.0 };
    let logic_pct = pct(skip.logic_metric(), dense.logic_metric());
    let total_pct = match (skip.total_metric(), dense.total_metric()) {
        (Some(a), Some(b)) => Some(pct(a, b)),
        _ => None,
    };
    skip.skip_overhead_pct = Some(logic_pct);
    skip.skip_overhead_total_pct = total_pct;
    if let Some(out) = &opts.out_dir {
        crate::cache::write_report(out, &skip)?;
    }
    let metric = match opts.target {
        crate::Target::Asic => "area_um2",
        crate::Target::Ice40 | crate::Target::Xilinx => "luts",
        crate::Target::Generic => "cells",
    };
    Ok(SkipOverhead {
        metric: metric.into(),
        logic_pct,
        total_pct,
        skip,
        dense,
    })
}
