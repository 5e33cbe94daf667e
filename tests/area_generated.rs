//! Area and timing of GENERATED designs with the real tools (Yosys, OpenSTA, the OSU
//! 0.18 µm liberty). Bounds and structure only, never exact cell counts, which move with
//! a Yosys release: no latches, logic area grows with rows × cols, the skip overhead stays
//! under its bound, the PE mesh has exactly the flip-flops the configuration implies,
//! and `skipgrid area --out` keeps the raw reports next to the JSON.
//!
//! A missing tool or liberty skips a test with a message naming what to install (CI
//! installs them: scripts/setup.sh, scripts/setup-liberty.sh). Nothing is cached, so
//! every run really synthesizes (~1–2 minutes of CPU for the whole file).

mod common;

use skipgrid_config::{preset, ArrayConfig, RawConfig};
use skipgrid_synth::{
    check_design, skip_overhead, synthesize, AreaReport, Group, SynthOptions, Target,
};
use std::path::Path;
use std::process::Command;

/// The skip logic's bound at 16 × 16 (8 × 8-block bitmap, the ws16x16 preset), percent
/// of the logic area (SRAM macros excluded). It is the goal; measured: 0.57 %
/// (docs/area-results.md), so the bound has ~5x margin for Yosys/ABC drift, and the
/// controller may still grow (e.g. pipelining) without failing it.
const SKIP_OVERHEAD_BOUND_PCT: f64 = 3.0;

/// Whether `program flag` runs; prints why the test is skipped when not.
fn have(program: &str, flag: &str, hint: &str) -> bool {
    let ok = Command::new(program)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: `{program}` not found or failing ({hint})");
    }
    ok
}

fn have_yosys() -> bool {
    have("yosys", "-V", "apt-get install -y yosys")
}

/// Yosys, OpenSTA and the liberty, all needed by the asic target.
fn have_asic_tools() -> bool {
    if !have_yosys() || !have("sta", "-version", "apt-get install -y opensta") {
        return false;
    }
    match skipgrid_synth::find_liberty(None) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("SKIPPED: {e}");
            false
        }
    }
}

fn opts(target: Target) -> SynthOptions {
    let mut o = SynthOptions::new(target);
    o.use_cache = false;
    o
}

/// A configuration with small buffers: a 4 × 4-block bitmap, 16 activation rows.
fn small(rows: u32, cols: u32, skip: bool) -> ArrayConfig {
    let mut raw = RawConfig::new(rows, cols);
    raw.skip = Some(skip);
    raw.buffers.m_depth = Some(16);
    raw.buffers.k_blocks = Some(4);
    raw.buffers.n_blocks = Some(4);
    ArrayConfig::from_raw(&raw).unwrap()
}

fn group(r: &AreaReport, g: Group) -> &skipgrid_synth::Counts {
    &r.breakdown
        .iter()
        .find(|s| s.group == g)
        .unwrap_or_else(|| panic!("no group {g:?} in the breakdown"))
        .counts
}

/// Flip-flops of one PE, from hdl/src/pe.rs: activation and bank bit towards the right,
/// the partial sum downwards, two weight banks, and the weight pass register (weight,
/// destination row tag, destination bank, valid), and the reset passed on to the
/// neighbour.
fn pe_flip_flops(cfg: &ArrayConfig) -> u64 {
    let (a, w, acc, t) = (
        u64::from(cfg.act_width),
        u64::from(cfg.weight_width),
        u64::from(cfg.acc_width),
        u64::from(cfg.row_tag_width()),
    );
    (a + 1) + acc + 2 * w + (w + t + 2) + 1
}

#[test]
fn no_latches_and_mesh_flip_flops_match_the_configuration() {
    if !have_yosys() {
        return;
    }
    let cases = [
        ("ws4x4", preset("ws4x4").unwrap()),
        ("8x8", small(8, 8, true)),
        ("3x5", small(3, 5, true)),
    ];
    for (name, cfg) in cases {
        let (_t, dir) = common::generate(&cfg);
        check_design(&dir, &opts(Target::Generic))
            .unwrap_or_else(|e| panic!("{name}: check -assert / latches: {e}"));
        let r = synthesize(&dir, &opts(Target::Generic)).unwrap();
        assert_eq!(r.latches, 0, "{name}: latches after synthesis");
        let pes = u64::from(cfg.rows * cfg.cols);
        let mesh = group(&r, Group::PeMesh);
        assert_eq!(
            mesh.flip_flops,
            pe_flip_flops(&cfg) * pes,
            "{name}: PE mesh flip-flops vs {} per PE x {pes} PEs (act {}, weight {}, acc {}, row tag {})",
            pe_flip_flops(&cfg),
            cfg.act_width,
            cfg.weight_width,
            cfg.acc_width,
            cfg.row_tag_width()
        );
        // Nothing else may hide flip-flops per PE: the rest grows with rows + cols
        // (skew triangles, per-column buffers), never with rows × cols.
        assert!(
            r.flip_flops > mesh.flip_flops,
            "{name}: only mesh flip-flops?"
        );
    }
}

#[test]
fn logic_area_grows_with_rows_times_cols_and_latches_stay_zero() {
    if !have_asic_tools() {
        return;
    }
    let mut prev: Option<(u32, AreaReport)> = None;
    for n in [2, 4, 8] {
        let cfg = small(n, n, true);
        let (_t, dir) = common::generate(&cfg);
        let mut o = opts(Target::Asic);
        o.timeout = std::time::Duration::from_secs(300);
        let r = synthesize(&dir, &o).unwrap();
        assert_eq!(r.latches, 0, "{n}x{n}: latches");
        let area = r.area_um2.unwrap();
        let mesh = group(&r, Group::PeMesh).area_um2.unwrap();
        assert!(r.fmax_mhz.is_some_and(|f| f > 0.0), "{n}x{n}: no timing");
        if let Some((m, p)) = &prev {
            let (pa, pm) = (
                p.area_um2.unwrap(),
                group(p, Group::PeMesh).area_um2.unwrap(),
            );
            assert!(area > pa, "{n}x{n} logic {area} <= {m}x{m} logic {pa}");
            // 4x the PEs: the mesh is 4x a PE module (its row tag may widen by a bit).
            let ratio = mesh / pm;
            assert!(
                (3.5..=5.0).contains(&ratio),
                "{n}x{n} mesh area / {m}x{m} mesh area = {ratio:.2}, expected ~4"
            );
            // Same bitmap and buffer depths: the controller does not grow with the array.
            let (s, ps) = (
                group(&r, Group::SkipController).area_um2.unwrap(),
                group(p, Group::SkipController).area_um2.unwrap(),
            );
            assert!(
                s < 1.5 * ps,
                "{n}x{n} controller {s} vs {m}x{m} {ps}: grows with the array"
            );
        }
        prev = Some((n, r));
    }
}

#[test]
fn skip_overhead_at_16x16_is_under_its_bound() {
    if !have_asic_tools() {
        return;
    }
    let cfg = preset("ws16x16").unwrap();
    assert_eq!((cfg.k_blocks, cfg.n_blocks), (8, 8), "preset changed");
    let (_ts, skip) = common::generate(&cfg);
    let (_td, dense) = common::generate(&cfg.with_skip(false).unwrap());
    let o = skip_overhead(&skip, &dense, &opts(Target::Asic)).unwrap();
    eprintln!(
        "16x16 skip overhead: logic {:.3} %, with SRAM {:.3} %",
        o.logic_pct,
        o.total_pct.unwrap_or(f64::NAN)
    );
    assert!(
        o.logic_pct > 0.0,
        "skip on is not larger than skip off: twin not built?"
    );
    assert!(
        o.logic_pct < SKIP_OVERHEAD_BOUND_PCT,
        "skip overhead {:.3} % >= {SKIP_OVERHEAD_BOUND_PCT} %",
        o.logic_pct
    );
    assert!(
        o.total_pct.unwrap() < o.logic_pct,
        "SRAM dilutes the overhead"
    );
    assert_eq!(o.skip.latches + o.dense.latches, 0);
}

#[test]
fn cli_keeps_raw_reports_next_to_the_json() {
    if !have_asic_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("c.toml");
    std::fs::write(
        &cfg,
        "rows = 2\ncols = 2\n[buffers]\nm_depth = 16\nk_blocks = 2\nn_blocks = 2\n",
    )
    .unwrap();
    let out = tmp.path().join("area");
    let run = Command::new(env!("CARGO_BIN_EXE_skipgrid"))
        .args([
            "area",
            "--target",
            "asic",
            "--json",
            "--no-cache",
            "--config",
        ])
        .arg(&cfg)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "skipgrid area failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(printed["skip_overhead_pct"].is_number(), "{printed}");
    for (dir, skip) in [(out.clone(), true), (out.join("dense"), false)] {
        let rep: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap())
                .unwrap();
        assert_eq!(rep["target"], "asic");
        assert_eq!(rep["skip_overhead_pct"].is_number(), skip);
        for f in [
            "synth.ys",
            "synth.log",
            "elab.log",
            "stat_synth.json",
            "stat_cmos.json",
            "stat_liberty.json",
            "netlist.v",
            "sta.tcl",
            "sta.rpt",
        ] {
            let p = dir.join(f);
            assert!(non_empty(&p), "{} missing or empty", p.display());
        }
        let sta = std::fs::read_to_string(dir.join("sta.rpt")).unwrap();
        assert!(sta.contains("slack"), "sta.rpt has no path:\n{sta}");
    }
}

fn non_empty(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
}
