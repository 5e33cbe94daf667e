//! The asic target on the fixture: area, transistors, SRAM macros and OpenSTA timing.

mod common;

use common::{expected_flip_flops, fixture, options};
use skipgrid_synth::{synthesize, Group, Target};

#[test]
fn asic_report_has_area_transistors_and_timing() {
    let cache = tempfile::tempdir().unwrap();
    let Some(mut opts) = options(Target::Asic, cache.path()) else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    opts.out_dir = Some(out.path().to_path_buf());
    let d = fixture(1, 2, true);
    let r = synthesize(d.path(), &opts).unwrap();
    eprintln!("{}", r.table());
    let area = r.area_um2.unwrap();
    assert!(area > 10_000.0 && area < 5_000_000.0, "{area}");
    assert!(r.transistors.unwrap() > 1_000);
    assert_eq!(r.flip_flops, expected_flip_flops(1, 2, true));
    assert_eq!(r.latches, 0);
    // Two RAMs become macros, kept out of the logic area.
    let sram = r.sram_area_um2.unwrap();
    assert!(sram > 0.0);
    assert!(r.memories.iter().all(|m| m.counted_as == "sram_macro"));
    assert!((r.total_area_um2.unwrap() - area - sram).abs() < 1e-6);
    // Timing: a positive fmax and named register ends.
    let fmax = r.fmax_mhz.unwrap();
    assert!(fmax > 10.0 && fmax < 2_000.0, "{fmax}");
    let (start, end) = (r.path_start.clone().unwrap(), r.path_end.clone().unwrap());
    assert!(!start.is_empty() && !end.is_empty());
    assert!(end.contains('/'), "hierarchical end point: {end}");
    // The breakdown adds up to the total, and the mesh dominates the logic.
    let sum: f64 = r.breakdown.iter().filter_map(|g| g.counts.area_um2).sum();
    assert!((sum - area).abs() < 1e-3 * area, "{sum} vs {area}");
    let mesh = r
        .breakdown
        .iter()
        .find(|g| g.group == Group::PeMesh)
        .unwrap();
    assert!(mesh.counts.area_um2.unwrap() > 0.3 * area);
    let buffers = r
        .breakdown
        .iter()
        .find(|g| g.group == Group::Buffers)
        .unwrap();
    assert!((buffers.counts.sram_area_um2.unwrap() - sram).abs() < 1e-6);
    // Raw reports are kept next to the JSON.
    for f in [
        "report.json",
        "synth.log",
        "stat_liberty.json",
        "netlist.v",
        "sta.rpt",
    ] {
        assert!(out.path().join(f).is_file(), "{f} missing");
    }
}

#[test]
fn asic_area_grows_with_the_number_of_pes() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Asic, cache.path()) else {
        return;
    };
    let small = synthesize(fixture(1, 2, true).path(), &opts).unwrap();
    let big = synthesize(fixture(2, 2, true).path(), &opts).unwrap();
    assert!(big.area_um2.unwrap() > small.area_um2.unwrap());
    assert!(big.transistors.unwrap() > small.transistors.unwrap());
}
