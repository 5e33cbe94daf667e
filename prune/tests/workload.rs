//! Workload directories: layout, write/read identity, atomic replacement.

mod common;
use common::*;

use skipgrid_prune::{
    calib, prune_model, LayerSelect, ModelFile, PruneConfig, PruneError, Workload,
};

fn pruned(r: usize, c: usize, s: f64) -> skipgrid_prune::PrunedModel {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    prune_model(&m, &PruneConfig::new(r, c, s)).unwrap()
}

#[test]
fn write_read_identity_and_tile_order() {
    let p = pruned(24, 40, 0.4); // neither divides 384 or 1536 evenly: padding exercised
    let w = p.to_workload();
    let dir = scratch();
    let out = dir.path().join("wl");
    w.write(&out).unwrap();
    assert_eq!(listing(&out), vec!["layers", "manifest.json"]);
    let r = Workload::open(&out).unwrap();
    assert_eq!(r.meta, w.meta);
    assert_eq!(r.layers(), w.layers());
    for (l, pl) in r.layers().iter().zip(&p.layers) {
        assert_eq!((l.kb, l.nb), (l.k.div_ceil(24), l.n.div_ceil(40)));
        let dense = l.weight_i8_padded();
        let cp = l.nb * l.cols;
        // Padded W agrees with the stored [N, K] int8 weights: W[k][n] = wq[n][k].
        for k in 0..l.kb * l.rows {
            for n in 0..cp {
                let want = if k < l.k && n < l.n {
                    pl.wq[n * l.k + k]
                } else {
                    0
                };
                assert_eq!(dense[k * cp + n], want);
            }
        }
        // Tiles are in processing order: nb-major, kb ascending, row i then column j.
        let mut t = l.tiles().chunks_exact(l.rows * l.cols);
        for nb in 0..l.nb {
            for kb in 0..l.kb {
                assert_eq!(l.block_present(kb, nb), l.block(kb, nb).is_some());
                if let Some(b) = l.block(kb, nb) {
                    assert_eq!(t.next().unwrap(), b);
                    assert_eq!(
                        b[l.cols + 2],
                        dense[(kb * l.rows + 1) * cp + nb * l.cols + 2]
                    );
                } else {
                    assert!((0..l.rows)
                        .all(|i| dense[(kb * l.rows + i) * cp + nb * l.cols..][..l.cols]
                            .iter()
                            .all(|v| *v == 0)));
                }
            }
        }
        assert!(t.next().is_none());
    }
}

#[test]
fn quality_recomputes_from_the_workload_alone() {
    let w = pruned(16, 16, 0.25).to_workload();
    for l in w.layers() {
        // What the array computes: X_q · W_q with i32 accumulation.
        let wp = l.weight_i8_padded();
        let cp = l.nb * l.cols;
        let acc: Vec<i32> = (0..l.tokens)
            .flat_map(|m| {
                let x = &l.act_i8()[m * l.k..(m + 1) * l.k];
                let wp = &wp;
                (0..l.n).map(move |n| {
                    x.iter()
                        .enumerate()
                        .map(|(k, &a)| a as i32 * wp[k * cp + n] as i32)
                        .sum()
                })
            })
            .collect();
        let (sqnr, rel) = l.quality_of_acc(&acc);
        assert!(
            (sqnr - l.sqnr_db.unwrap()).abs() < 1e-3,
            "{}: {sqnr} vs {:?}",
            l.name,
            l.sqnr_db
        );
        assert!((rel - l.rel_err).abs() < 1e-6);
    }
    // The reference output is X·W with the documented Gaussian X.
    let l = &w.layers()[0];
    let x = calib::gaussian(0x5EED ^ calib::fnv1a64(&l.source_tensor), l.tokens * l.k);
    let (xq, sx) = skipgrid_prune::quant::quantize_tensor(&x);
    assert_eq!((xq.as_slice(), sx), (l.act_i8(), l.act_scale));
}

#[test]
fn replaces_only_its_own_output() {
    let dir = scratch();
    let out = dir.path().join("wl");
    pruned(16, 16, 0.1).to_workload().write(&out).unwrap();
    // A second write replaces a previous workload...
    let w2 = pruned(32, 32, 0.5).to_workload();
    w2.write(&out).unwrap();
    assert_eq!(Workload::open(&out).unwrap().meta, w2.meta);
    assert_eq!(listing(dir.path()), vec!["wl"], "no temp dirs left");
    // ...but not a directory holding a file skipgrid did not write.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let e = w2.write(&out).unwrap_err();
    assert!(matches!(e, PruneError::OutputExists { .. }), "{e}");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(listing(dir.path()), vec!["wl"]);
    // An empty directory is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    w2.write(&empty).unwrap();
}

#[test]
fn corrupt_workload_is_rejected() {
    let dir = scratch();
    let out = dir.path().join("wl");
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let mut cfg = PruneConfig::new(16, 16, 0.5);
    cfg.layers = LayerSelect::parse("ffn").unwrap();
    prune_model(&m, &cfg)
        .unwrap()
        .to_workload()
        .write(&out)
        .unwrap();
    let tiles = out.join("layers/0000.tiles");
    let mut b = std::fs::read(&tiles).unwrap();
    b.pop();
    std::fs::write(&tiles, b).unwrap();
    let e = Workload::open(&out).unwrap_err().to_string();
    assert!(e.contains("0000.tiles") && e.contains("bytes"), "{e}");
    std::fs::write(out.join("manifest.json"), "{}").unwrap();
    assert!(matches!(
        Workload::open(&out),
        Err(PruneError::Corrupt { .. })
    ));
}
