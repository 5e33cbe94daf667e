//! Timing of prune + quantize over all linear layers of Whisper tiny.en (target: < 2 s).
//!
//! `cargo bench -p skipgrid-prune --bench prune_whisper` (release build). Prints the
//! median of 11 runs of each stage; skips when the model is not installed
//! (`scripts/setup-models.sh`, or `SKIPGRID_WHISPER=path`). No criterion: a plain
//! median keeps the dependency tree small.

use std::time::{Duration, Instant};

use skipgrid_prune::{
    find_model, prune_model, ActCalib, KnownModel, LayerSelect, ModelFile, PruneConfig,
};

fn median(mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..11)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

fn main() {
    let Some(path) = find_model(KnownModel::WhisperTinyEn) else {
        eprintln!("SKIP: Whisper tiny.en not installed (scripts/setup-models.sh)");
        return;
    };
    let mut cfg = PruneConfig::new(16, 16, 0.05);
    cfg.layers = LayerSelect::All;
    let open_prune = median(|| {
        let m = ModelFile::open(&path).unwrap();
        let p = prune_model(&m, &cfg).unwrap();
        assert_eq!(p.layers.len(), 64);
    });
    let m = ModelFile::open(&path).unwrap();
    let mut one_token = cfg.clone();
    one_token.calib = ActCalib::Gaussian {
        seed: 0x5EED,
        tokens: 1,
    };
    let prune_min_calib = median(|| {
        prune_model(&m, &one_token).unwrap();
    });
    let p = prune_model(&m, &cfg).unwrap();
    let to_workload = median(|| {
        p.to_workload();
    });
    let dir = tempfile::tempdir().unwrap();
    let mut i = 0;
    let write = median(|| {
        i += 1;
        p.to_workload()
            .write(dir.path().join(format!("w{i}")))
            .unwrap();
    });
    println!("whisper tiny.en, 44 linear tensors -> 64 layers, 16x16, S=0.05 (median of 11):");
    println!("  open + prune + quantize + quality (32 tokens): {open_prune:?}");
    println!("  prune + quantize (1 calibration token):        {prune_min_calib:?}");
    println!("  build workload tiles:                          {to_workload:?}");
    println!("  build + write workload directory:              {write:?}");
    assert!(open_prune < Duration::from_secs(2), "over the 2 s budget");
}
