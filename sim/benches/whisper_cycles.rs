//! The golden cycle model over every pruned linear layer of Whisper tiny.en:
//! `cargo bench -p skipgrid-sim --bench whisper_cycles` (needs scripts/setup-models.sh).
//! Prunes all layers once for ws16x16 at 30 % (not timed), then times the cycle estimate
//! of all of them (host split included) at M = 128 tokens: median of 101 runs.

use skipgrid_model::{cycles, split};
use skipgrid_prune::{find_model, prune_model, KnownModel, ModelFile, PruneConfig};
use std::time::Instant;

fn main() {
    let Some(path) = find_model(KnownModel::WhisperTinyEn) else {
        println!("SKIPPED: Whisper tiny.en not installed (run scripts/setup-models.sh)");
        return;
    };
    let cfg = skipgrid_config::preset("ws16x16").unwrap();
    let model = ModelFile::open(&path).unwrap();
    let pruned = prune_model(&model, &PruneConfig::new(16, 16, 0.3)).unwrap();
    let m = 128usize;
    let estimate = || -> u64 {
        let mut total = 0;
        for l in &pruned.layers {
            let g = l.grid;
            for t in split(&cfg, m, g.kb, g.nb) {
                let present = (t.nb0..t.nb0 + t.nb)
                    .flat_map(|nb| (t.kb0..t.kb0 + t.kb).map(move |kb| (kb, nb)))
                    .filter(|&(kb, nb)| l.kept[g.index(kb, nb)])
                    .count();
                total += cycles(&cfg, t.m as u64, present as u64).total;
            }
        }
        total
    };
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..101 {
        let t = Instant::now();
        total = std::hint::black_box(estimate());
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "cycle model, all {} pruned Whisper tiny.en layers on ws16x16 (M = {m}): {:.1} us median; {total} cycles",
        pruned.layers.len(),
        times[50]
    );
}
