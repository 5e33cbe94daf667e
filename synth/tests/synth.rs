//! Synthesis of the hand-written fixture with the real tools: structure and bounds,
//! never exact cell counts.

mod common;

use common::{expected_flip_flops, fixture, options};
use skipgrid_synth::{check_design, skip_overhead, synthesize, Group, SynthError, Target};

#[test]
fn fixture_passes_check_and_has_no_latches() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Generic, cache.path()) else {
        return;
    };
    let d = fixture(1, 2, true);
    check_design(d.path(), &opts).expect("check -assert");
    let r = synthesize(d.path(), &opts).unwrap();
    assert_eq!(r.latches, 0);
    assert!(!r.cells_by_type.keys().any(|t| t.contains("DLATCH")));
}

#[test]
fn check_rejects_a_latch() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Generic, cache.path()) else {
        return;
    };
    let d = fixture(1, 2, true);
    let host = d.path().join("fx_host_if.v");
    let text = std::fs::read_to_string(&host).unwrap().replace(
        "    assign start   = host_we & (host_addr == 4'd0);",
        "    reg start_l;\n    always @* if (host_we) start_l = host_addr[0];\n    assign start = start_l;",
    );
    std::fs::write(&host, text).unwrap();
    let e = check_design(d.path(), &opts).unwrap_err();
    assert!(matches!(e, SynthError::Check { .. }), "{e}");
}

#[test]
fn generic_flip_flops_match_the_fixture() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Generic, cache.path()) else {
        return;
    };
    for (rows, cols, skip) in [(1, 2, true), (2, 2, true), (1, 2, false)] {
        let d = fixture(rows, cols, skip);
        let r = synthesize(d.path(), &opts).unwrap();
        let want = expected_flip_flops(rows as u64, cols as u64, skip);
        assert_eq!(
            r.flip_flops,
            want,
            "{rows}x{cols} skip={skip}\n{}",
            r.table()
        );
        // The RAMs are black boxes: their bits are listed, not synthesized.
        assert_eq!(r.memories.len(), 2);
        assert!(r.memories.iter().all(|m| m.counted_as == "black_box"));
        let pe = r.modules.iter().find(|m| m.role == "pe").unwrap();
        assert_eq!(pe.instances, (rows * cols) as u64);
    }
}

#[test]
fn area_grows_with_the_number_of_pes() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Generic, cache.path()) else {
        return;
    };
    let small = synthesize(fixture(1, 2, true).path(), &opts).unwrap();
    let big = synthesize(fixture(2, 2, true).path(), &opts).unwrap();
    assert!(big.cells > small.cells, "{} vs {}", big.cells, small.cells);
    let mesh = |r: &skipgrid_synth::AreaReport| {
        r.breakdown
            .iter()
            .find(|g| g.group == Group::PeMesh)
            .unwrap()
            .counts
            .cells
    };
    // Twice the PEs, (about) twice the mesh.
    let ratio = mesh(&big) as f64 / mesh(&small) as f64;
    assert!((1.8..=2.2).contains(&ratio), "mesh ratio {ratio}");
}

#[test]
fn skip_overhead_is_positive_and_bounded() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Generic, cache.path()) else {
        return;
    };
    let (s, d) = (fixture(1, 2, true), fixture(1, 2, false));
    let o = skip_overhead(s.path(), d.path(), &opts).unwrap();
    assert!(o.logic_pct > 0.0 && o.logic_pct < 20.0, "{}", o.logic_pct);
    assert_eq!(o.skip.skip_overhead_pct, Some(o.logic_pct));
    // Swapped arguments are refused.
    assert!(matches!(
        skip_overhead(d.path(), s.path(), &opts),
        Err(SynthError::Rtl { .. })
    ));
}

#[test]
fn bad_target_is_named() {
    let e = "vhdl".parse::<Target>().unwrap_err();
    assert!(matches!(e, SynthError::UnknownTarget(_)));
    assert!(e.to_string().contains("generic, ice40, xilinx, asic"));
}

#[test]
fn missing_liberty_names_the_script() {
    let cache = tempfile::tempdir().unwrap();
    let mut opts = skipgrid_synth::SynthOptions::new(Target::Asic);
    opts.cache_dir = Some(cache.path().to_path_buf());
    opts.liberty = Some("/nonexistent/osu018_stdcells.lib".into());
    let e = synthesize(fixture(1, 2, true).path(), &opts).unwrap_err();
    assert!(matches!(e, SynthError::LibertyMissing { .. }), "{e}");
    assert!(e.to_string().contains("scripts/setup-liberty.sh"), "{e}");
}

#[test]
fn missing_manifest_is_an_rtl_error() {
    let d = fixture(1, 2, true);
    std::fs::remove_file(d.path().join("manifest.json")).unwrap();
    let opts = skipgrid_synth::SynthOptions::new(Target::Generic);
    let e = synthesize(d.path(), &opts).unwrap_err();
    assert!(matches!(e, SynthError::Rtl { .. }), "{e}");
    assert!(e.to_string().contains("manifest.json"), "{e}");
}

#[test]
fn missing_yosys_names_the_package() {
    let d = fixture(1, 2, true);
    let mut opts = skipgrid_synth::SynthOptions::new(Target::Generic);
    opts.yosys = "skipgrid-no-such-yosys".into();
    let e = synthesize(d.path(), &opts).unwrap_err();
    assert!(matches!(e, SynthError::Yosys(_)), "{e}");
    assert!(e.to_string().contains("apt-get install -y yosys"), "{e}");
}
