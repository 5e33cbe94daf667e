//! `skipgrid sim --workload DIR`: every selected layer of a pruned workload through the
//! RTL, checked exactly against the golden model, with a per-layer table and a total.

use super::{checked_backend, config_flag, SimArgs};
use anyhow::{bail, Context, Result};
use skipgrid_config::ArrayConfig;
use skipgrid_prune::Workload;
use skipgrid_sim::workload::{
    check_fits, exact_pattern, run_workload, select, LayerReport, WorkloadReport,
};
use std::path::Path;

/// Runs the workload in `dir`; exit 0 when every layer matches, 1 at the first layer
/// that differs.
pub fn run(a: &SimArgs, cfg: &ArrayConfig, dir: &Path) -> Result<i32> {
    if a.m == Some(0) {
        bail!("--m must be at least 1 (got 0)");
    }
    let w = Workload::open(dir)
        .with_context(|| format!("cannot read the workload {}", dir.display()))?;
    check_fits(cfg, &w)?;
    let layers = select(&w, a.layers.as_deref())?;
    let (_tmp, mut backend) = checked_backend(a, cfg)?;
    let width = layers
        .iter()
        .map(|l| l.name.len())
        .max()
        .unwrap_or(0)
        .max(5);
    if !a.json {
        println!("{}", header(width));
    }
    let rep = run_workload(backend.as_mut(), cfg, &layers, a.m, a.seed, |l| {
        if !a.json {
            println!("{}", row(width, l));
        }
    })?;
    if a.json {
        let mut v = serde_json::to_value(&rep)?;
        v["workload"] = dir.display().to_string().into();
        v["reproduce"] = repro(a, dir, None).into();
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{}", total(width, &rep));
    }
    if let Some(bad) = rep
        .layers
        .iter()
        .find(|l| Some(&l.name) == rep.failed_layer.as_ref())
    {
        eprintln!(
            "layer {} differs from the golden model: {}\nreproduce: {}",
            bad.name,
            bad.sim.first_mismatch.as_deref().unwrap_or("(no detail)"),
            repro(a, dir, Some(&bad.name))
        );
        return Ok(1);
    }
    Ok(0)
}

fn header(width: usize) -> String {
    format!(
        "{:<width$} {:>5} {:>5} {:>5} {:>11} {:>10} {:>10} {:>7} {:>5} {:>5} {:>8} {:>7}",
        "layer",
        "k",
        "n",
        "m",
        "blocks",
        "rtl_cyc",
        "dense_cyc",
        "speedup",
        "util",
        "check",
        "sqnr_db",
        "rel_err"
    )
}

fn quality(sqnr_db: Option<f64>, rel_err: Option<f64>) -> (String, String) {
    match rel_err {
        None => ("-".into(), "-".into()),
        Some(e) => (
            sqnr_db.map_or("exact".into(), |s| format!("{s:.2}")),
            format!("{e:.4}"),
        ),
    }
}

fn check(outputs: bool, cycles: bool) -> &'static str {
    match (outputs, cycles) {
        (true, true) => "PASS",
        (false, _) => "Y!=",
        (true, false) => "CYC!=",
    }
}

fn row(width: usize, l: &LayerReport) -> String {
    let (q, e) = quality(l.sqnr_db, l.rel_err);
    format!(
        "{:<width$} {:>5} {:>5} {:>5} {:>11} {:>10} {:>10} {:>6.3}x {:>5.3} {:>5} {:>8} {:>7}",
        l.name,
        l.k,
        l.n,
        l.m,
        format!("{}/{}", l.sim.nonzero_blocks, l.sim.total_blocks),
        l.sim.rtl_cycles,
        l.sim.dense_cycles,
        l.sim.speedup_vs_dense,
        l.sim.utilization,
        check(l.sim.outputs_match, l.sim.cycles_match),
        q,
        e
    )
}

fn total(width: usize, r: &WorkloadReport) -> String {
    let (q, e) = quality(r.sqnr_db, r.rel_err);
    let ran = r.layers.len();
    format!(
        "{:<width$} {:>5} {:>5} {:>5} {:>11} {:>10} {:>10} {:>6.3}x {:>5.3} {:>5} {:>8} {:>7}\n\
         {}: {ran}/{} layer(s) on the RTL, outputs {}, cycles {} (RTL {}, model {}); \
         speedup vs dense {:.3}x; {:.1} s",
        format!("total ({ran} layers)"),
        "",
        "",
        "",
        format!("{}/{}", r.nonzero_blocks, r.total_blocks),
        r.rtl_cycles,
        r.dense_cycles,
        r.speedup_vs_dense,
        r.utilization,
        check(r.outputs_match, r.cycles_match),
        q,
        e,
        if r.outputs_match && r.cycles_match {
            "PASS"
        } else {
            "FAIL"
        },
        r.layers_selected,
        if r.outputs_match { "match" } else { "DIFFER" },
        if r.cycles_match { "match" } else { "DIFFER" },
        r.rtl_cycles,
        r.model_cycles,
        r.speedup_vs_dense,
        r.seconds
    )
}

/// The command that reproduces this run, or only `layer` of it.
fn repro(a: &SimArgs, dir: &Path, layer: Option<&str>) -> String {
    let layers = match (layer, &a.layers) {
        (Some(name), _) => format!(" --layers '{}'", exact_pattern(name)),
        (None, Some(p)) => format!(" --layers '{p}'"),
        (None, None) => String::new(),
    };
    let m = a.m.map(|m| format!(" --m {m}")).unwrap_or_default();
    let rtl = a
        .rtl
        .as_ref()
        .map(|d| format!(" --rtl {}", d.display()))
        .unwrap_or_default();
    format!(
        "skipgrid sim {} --workload {}{layers}{m} --seed {}{rtl} --backend {}{}",
        config_flag(a),
        dir.display(),
        a.seed,
        a.backend,
        a.random_init
            .map(|s| format!(" --random-init {s}"))
            .unwrap_or_default()
    )
}
