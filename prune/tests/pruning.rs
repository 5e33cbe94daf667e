//! Scoring, thresholds, quantization and the quality proxy.

mod common;
use common::*;

use skipgrid_prune::score::{block_scores, choose_kept};
use skipgrid_prune::{
    prune_model, quant, ActCalib, Grid, LayerSelect, Linear, ModelFile, PruneConfig, ScoreKind,
    ThresholdMode, WeightQuant,
};

fn lin(k: usize, n: usize, weight: Vec<f32>) -> Linear {
    Linear {
        name: "t".into(),
        source: "t".into(),
        row_offset: 0,
        k,
        n,
        weight,
    }
}

#[test]
fn sparsity_within_one_block_of_target() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    for (r, c) in [(16, 16), (8, 32), (24, 40)] {
        for s in [0.0, 0.05, 0.1234, 0.5, 0.9, 1.0] {
            for mode in [ThresholdMode::Global, ThresholdMode::PerLayer] {
                let mut cfg = PruneConfig::new(r, c, s);
                cfg.threshold = mode;
                cfg.calib = ActCalib::Gaussian { seed: 1, tokens: 1 }; // keep debug builds quick
                let p = prune_model(&m, &cfg).unwrap();
                let total: usize = p.layers.iter().map(|l| l.kept.len()).sum();
                let err = (p.overall_sparsity() - s).abs() * total as f64;
                assert!(err <= 1.0, "{r}x{c} S={s} {mode:?}: off by {err} blocks");
                if mode == ThresholdMode::PerLayer {
                    for l in &p.layers {
                        assert!((l.sparsity() - s).abs() * l.kept.len() as f64 <= 1.0 + 1e-9);
                    }
                }
            }
        }
    }
}

#[test]
fn mean_abs_and_l2_choose_differently() {
    // W is 2x2 on a 2x1 array: block 0 = column 0 = [1.0, 0.0], block 1 = [0.6, 0.6].
    // mean|w|: 0.5 vs 0.6 (prune block 0); L2: 1.0 vs 0.85 (prune block 1).
    let l = lin(2, 2, vec![1.0, 0.0, 0.6, 0.6]);
    let g = Grid::new(2, 2, 2, 1);
    let ma = block_scores(&l, g, ScoreKind::MeanAbs, None);
    let l2 = block_scores(&l, g, ScoreKind::L2, None);
    assert_eq!(ma, vec![0.5, 0.6]);
    assert!((l2[0] - 1.0).abs() < 1e-6 && (l2[1] - 0.72f32.sqrt()).abs() < 1e-6);
    let g_ma = choose_kept(&[ma], 0.5, ThresholdMode::Global);
    let g_l2 = choose_kept(&[l2], 0.5, ThresholdMode::Global);
    assert_eq!(g_ma[0], vec![false, true]);
    assert_eq!(g_l2[0], vec![true, false]);
}

#[test]
fn padded_blocks_average_over_real_elements() {
    // K = 3 on R = 2: the second block row has one real row; its mean ignores the padding.
    let l = lin(3, 1, vec![1.0, 1.0, 1.0]);
    let s = block_scores(&l, Grid::new(3, 1, 2, 1), ScoreKind::MeanAbs, None);
    assert_eq!(s, vec![1.0, 1.0]);
}

#[test]
fn global_and_per_layer_differ() {
    // Layer a is small everywhere: a global threshold takes all of it first.
    let a = vec![0.01f32; 4];
    let b = vec![1.0f32, 2.0, 3.0, 4.0];
    let glob = choose_kept(&[a.clone(), b.clone()], 0.5, ThresholdMode::Global);
    assert_eq!(glob, vec![vec![false; 4], vec![true; 4]]);
    let per = choose_kept(&[a, b], 0.5, ThresholdMode::PerLayer);
    assert_eq!(per[1], vec![false, false, true, true]);
    assert_eq!(per[0].iter().filter(|k| !**k).count(), 2);
    // On real weights the layers' achieved sparsities differ under a global threshold.
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let p = prune_model(&m, &PruneConfig::new(16, 16, 0.3)).unwrap();
    let s: Vec<f64> = p.layers.iter().map(|l| l.sparsity()).collect();
    assert!(s.iter().any(|v| (v - 0.3).abs() > 0.05), "{s:?}");
}

#[test]
fn int8_round_trip_error_bounds() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    for mode in [WeightQuant::PerTensor, WeightQuant::PerChannel] {
        let mut cfg = PruneConfig::new(16, 16, 0.2);
        cfg.weight_quant = mode;
        for l in prune_model(&m, &cfg).unwrap().layers {
            assert_eq!(
                l.w_scales.len(),
                if mode == WeightQuant::PerTensor {
                    1
                } else {
                    l.dense.n
                }
            );
            let deq = quant::dequantize_layer(&l.wq, l.dense.k, &l.w_scales);
            for n in 0..l.dense.n {
                let s = l.w_scales[if l.w_scales.len() == 1 { 0 } else { n }];
                for k in 0..l.dense.k {
                    let i = n * l.dense.k + k;
                    let kept = l.kept[l.grid.index(k / 16, n / 16)];
                    let want = if kept { l.dense.weight[i] } else { 0.0 };
                    assert!(
                        (deq[i] - want).abs() <= s * 0.5 + 1e-7,
                        "{} n={n} k={k}",
                        l.dense.name
                    );
                    assert!(l.wq[i] != -128);
                }
            }
            let (xq, sx) = quant::quantize_tensor(&[0.5, -2.0, 1.0]);
            assert_eq!((xq, sx), (vec![32, -127, 64], 2.0 / 127.0));
        }
    }
}

#[test]
fn quality_proxy_falls_with_sparsity() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let q = |s| {
        prune_model(&m, &PruneConfig::new(16, 16, s))
            .unwrap()
            .overall_quality()
    };
    let (dense, rel0) = q(0.0);
    let (half, rel5) = q(0.5);
    assert!(dense > 30.0 && dense < 50.0, "int8 alone: {dense} dB");
    assert!(half < dense && rel5 > rel0, "{half} vs {dense}");
    let full = q(1.0);
    assert!(
        full.0.abs() < 1e-9 && (full.1 - 1.0).abs() < 1e-9,
        "everything pruned: {full:?}"
    );
}

#[test]
fn activation_aware_score_runs_and_prunes_to_target() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let mut cfg = PruneConfig::new(16, 16, 0.25);
    cfg.score = ScoreKind::ActMeanAbs;
    cfg.layers = LayerSelect::parse("ffn").unwrap();
    let p = prune_model(&m, &cfg).unwrap();
    assert!((p.overall_sparsity() - 0.25).abs() < 1.0 / 4608.0 + 1e-9);
}
