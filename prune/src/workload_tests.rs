//! Unit tests of the workload writer that need private fields.

use std::fs;

use crate::manifest::{bitmap_hex, bitmap_parse};
use crate::quant::WeightQuant;
use crate::workload::{LayerTiles, Workload, WorkloadMeta};

fn layer(name: &str, tiles: usize) -> LayerTiles {
    LayerTiles {
        name: name.into(),
        source_tensor: name.into(),
        row_offset: 0,
        k: 4,
        n: 4,
        rows: 2,
        cols: 2,
        kb: 2,
        nb: 2,
        weight_quant: WeightQuant::PerTensor,
        weight_scales: vec![0.5],
        act_scale: 0.1,
        tokens: 1,
        sqnr_db: Some(30.0),
        rel_err: 0.03,
        present: vec![true, false, true, true],
        tiles: vec![1; tiles],
        act: vec![2; 4],
        y_ref: vec![0.5; 4],
    }
}

fn meta() -> WorkloadMeta {
    WorkloadMeta {
        source: "x".into(),
        source_format: "ct2".into(),
        rows: 2,
        cols: 2,
        target_sparsity: 0.25,
        overall_sparsity: 0.25,
        score: "mean-abs".into(),
        threshold: "global".into(),
        layers_pattern: "all".into(),
        act_calib: "gaussian:1:1".into(),
        overall_sqnr_db: None,
        overall_rel_err: 0.0,
    }
}

#[test]
fn bitmap_hex_round_trip() {
    let bits: Vec<bool> = (0..19).map(|i| i % 3 == 0).collect();
    assert_eq!(bitmap_parse(&bitmap_hex(&bits), 19).unwrap(), bits);
    assert_eq!(
        bitmap_hex(&[true, false, false, false, false, false, false, false, true]),
        "0101"
    );
}

#[test]
fn error_mid_write_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wl");
    // Layer 0 is written before layer 1 turns out inconsistent (11 tile bytes, not 12).
    let w = Workload::new(meta(), vec![layer("a", 12), layer("b", 11)]);
    let e = w.write(&out).unwrap_err().to_string();
    assert!(e.contains("layer 'b'"), "{e}");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing half-written"
    );
    // The same with a previous workload in place: it survives untouched.
    let good = Workload::new(meta(), vec![layer("a", 12)]);
    good.write(&out).unwrap();
    assert!(w.write(&out).is_err());
    assert_eq!(Workload::open(&out).unwrap().layers(), good.layers());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}
