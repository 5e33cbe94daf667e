//! The area cost of block skipping: the same configuration with skipping on and off.

use crate::error::{Result, SynthError};
use crate::flow::{synthesize, SynthOptions};
use crate::report::{AreaReport, ModuleStats};
use crate::rtl::RtlDir;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Skip-on versus skip-off on one target.
///
/// Modules whose Verilog is the same in both designs apart from the name prefix (the
/// PE, the skews, the buffers) are counted with the skip design's numbers on both sides:
/// ABC maps identical logic differently when names differ (seen: one PE 5 % larger in
/// one of the twins, which at 256 PEs reversed the sign of the overhead), and that noise
/// is not a cost of skipping. `logic_pct_unmatched` keeps the plain comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkipOverhead {
    /// What `logic_pct` compares: `area_um2` (asic), `luts` (FPGA) or `cells` (generic).
    pub metric: String,
    /// (logic with skip − logic without) / logic without, percent; SRAM macros excluded.
    pub logic_pct: f64,
    /// The same with SRAM macro area included (asic only).
    pub total_pct: Option<f64>,
    /// (logic with skip − logic without) / logic without, percent, every module taken
    /// from its own synthesis run (includes ABC's mapping noise on identical modules).
    pub logic_pct_unmatched: f64,
    /// Source names (prefix removed) of the modules counted as identical.
    pub identical_modules: Vec<String>,
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
    let identical = identical_modules(skip_dir, dense_dir)?;
    // Dense metric with every identical module priced as in the skip design.
    let mut shift = 0.0;
    for (skip_name, dense_name) in identical.values() {
        let find =
            |r: &AreaReport, n: &str| r.modules.iter().find(|m| m.source_name == *n).cloned();
        if let (Some(s), Some(d)) = (find(&skip, skip_name), find(&dense, dense_name)) {
            let metric = |m: &ModuleStats| match opts.target {
                crate::Target::Asic => m.per_instance.area_um2.unwrap_or(0.0),
                crate::Target::Ice40 | crate::Target::Xilinx => {
                    m.per_instance.luts.unwrap_or(0) as f64
                }
                crate::Target::Generic => m.per_instance.cells as f64,
            };
            shift += (metric(&s) - metric(&d)) * d.instances as f64;
        }
    }
    let logic_pct_unmatched = pct(skip.logic_metric(), dense.logic_metric());
    let logic_pct = pct(skip.logic_metric(), dense.logic_metric() + shift);
    let total_pct = match (skip.total_metric(), dense.total_metric()) {
        (Some(a), Some(b)) => Some(pct(a, b + shift)),
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
        logic_pct_unmatched,
        identical_modules: identical.keys().cloned().collect(),
        skip,
        dense,
    })
}

/// Modules of the manifest as (name prefix, [(name, file)]); no prefix: no matching.
fn manifest_modules(dir: &Path) -> Result<(String, Vec<(String, String)>)> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(SynthError::io(&path))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| SynthError::Rtl {
        dir: dir.to_path_buf(),
        msg: format!("manifest.json: {e}"),
    })?;
    let prefix = v["prefix"].as_str().unwrap_or("").to_string();
    let mods = v["modules"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| Some((m["name"].as_str()?.into(), m["file"].as_str()?.into())))
                .collect()
        })
        .unwrap_or_default();
    Ok((prefix, mods))
}

/// Stem (module name without the prefix) → (name in `a`, name in `b`) for every module
/// whose file is the same text in both directories once each prefix is removed.
fn identical_modules(a: &Path, b: &Path) -> Result<BTreeMap<String, (String, String)>> {
    let (pa, ma) = manifest_modules(a)?;
    let (pb, mb) = manifest_modules(b)?;
    let mut out = BTreeMap::new();
    if pa.is_empty() || pb.is_empty() {
        return Ok(out);
    }
    // Whole-line comments (the header names the config hash) do not change the logic.
    let norm = |dir: &Path, prefix: &str, file: &str| {
        std::fs::read_to_string(dir.join(file)).ok().map(|t| {
            t.lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n")
                .replace(prefix, "@PREFIX@")
        })
    };
    for (na, fa) in &ma {
        let Some(stem) = na.strip_prefix(pa.as_str()) else {
            continue;
        };
        let Some((nb, fb)) = mb
            .iter()
            .find(|(n, _)| n.strip_prefix(pb.as_str()) == Some(stem))
        else {
            continue;
        };
        match (norm(a, &pa, fa), norm(b, &pb, fb)) {
            (Some(ta), Some(tb)) if ta == tb => {
                let stem = stem.trim_start_matches('_').to_string();
                out.insert(stem, (na.clone(), nb.clone()));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(prefix: &str, pe_body: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let m = serde_json::json!({"top": format!("{prefix}_top"), "prefix": prefix, "modules": [
            {"name": format!("{prefix}_pe"), "role": "pe", "file": "pe.v"},
            {"name": format!("{prefix}_top"), "role": "top", "file": "top.v"}]});
        std::fs::write(d.path().join("manifest.json"), m.to_string()).unwrap();
        let pe = format!("// config hash {prefix}\nmodule {prefix}_pe;\n{pe_body}\nendmodule\n");
        std::fs::write(d.path().join("pe.v"), pe).unwrap();
        let top = format!("module {prefix}_top;\n{prefix}_pe pe();\n// {prefix}\nendmodule\n");
        std::fs::write(d.path().join("top.v"), top + "// skip\n").unwrap();
        d
    }

    #[test]
    fn matches_modules_identical_up_to_prefix_and_comments() {
        let (a, b) = (dir("sg_aa", "wire x;"), dir("sg_bb", "wire x;"));
        let m = identical_modules(a.path(), b.path()).unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), ["pe", "top"]);
        assert_eq!(m["pe"], ("sg_aa_pe".into(), "sg_bb_pe".into()));
        let c = dir("sg_cc", "wire y;");
        let m = identical_modules(a.path(), c.path()).unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), ["top"]);
    }
}
