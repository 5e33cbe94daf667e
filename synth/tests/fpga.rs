//! FPGA targets on the fixture: RAMs inferred as block RAMs, multipliers as DSPs.

mod common;

use common::{fixture, options};
use skipgrid_synth::{synthesize, Target};

#[test]
fn ice40_infers_brams_and_dsps() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Ice40, cache.path()) else {
        return;
    };
    let r = synthesize(fixture(1, 2, true).path(), &opts).unwrap();
    assert!(r.luts.unwrap() > 0);
    assert!(r.carries.unwrap() > 0);
    assert!(r.brams.unwrap() >= 2, "{}", r.table());
    assert_eq!(r.dsps, Some(2), "one MAC16 per PE");
    assert!(r.flip_flops > 0);
    assert!(r.memories.iter().all(|m| m.counted_as == "inferred"));
}

#[test]
fn xilinx_counts_luts_and_dsps() {
    let cache = tempfile::tempdir().unwrap();
    let Some(opts) = options(Target::Xilinx, cache.path()) else {
        return;
    };
    let r = synthesize(fixture(2, 2, true).path(), &opts).unwrap();
    assert!(r.luts.unwrap() > 0);
    assert_eq!(r.dsps, Some(4), "one DSP48 per PE");
    assert!(r.brams.unwrap() + r.lut_rams.unwrap() >= 2, "{}", r.table());
}
