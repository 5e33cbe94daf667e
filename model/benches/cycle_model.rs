//! Golden cycle-model benchmark: the time of [`skipgrid_model::cycles`] per job, and of
//! the whole cycle estimate of a 6-layer transformer encoder on ws16x16.
//!
//! `cargo bench -p skipgrid-model --bench cycle_model` prints medians; with
//! `SKIPGRID_BENCH_JSON=FILE` it also writes them as one JSON object (used by
//! `scripts/bench.sh`). `SKIPGRID_BENCH_PRESET` picks another preset.
//!
//! The encoder: d_model 512, d_ff 2048, 8 heads of 64, 128 tokens, 6 layers. Per layer
//! the weight GEMMs Q, K, V, O (128 × 512 × 512), FFN up (128 × 512 × 2048) and FFN down
//! (128 × 2048 × 512), each with a random mask pruning exactly half of its 16 × 16
//! blocks; and per head the attention GEMMs scores = Q·Kᵀ (128 × 64 × 128) and
//! context = P·V (128 × 128 × 64), dense (their "weights" are activations, nothing to
//! prune). Each GEMM is split into jobs the buffers hold (`skipgrid_model::split`) and
//! every job costed with `cycles`; the timed part is split + per-job block count +
//! `cycles`, the masks are drawn before timing.

use std::hint::black_box;
use std::time::Instant;

use skipgrid_config::ArrayConfig;
use skipgrid_model::{cycles, cycles_event, split, Mask};

/// SplitMix64, seeded: the same masks on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Exactly `round(kb · nb · sparsity)` blocks pruned, chosen uniformly.
fn random_mask(kb: usize, nb: usize, sparsity: f64, rng: &mut Rng) -> Mask {
    let n = kb * nb;
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    let mut present = vec![true; n];
    for &i in order.iter().take((n as f64 * sparsity).round() as usize) {
        present[i] = false;
    }
    Mask { kb, nb, present }
}

/// One GEMM of the workload: M × K × N with its block mask.
struct Gemm {
    name: String,
    m: usize,
    mask: Mask,
}

fn encoder(cfg: &ArrayConfig, rng: &mut Rng) -> Vec<Gemm> {
    let (r, c) = (cfg.rows as usize, cfg.cols as usize);
    let (tokens, d_model, d_ff, heads) = (128, 512, 2048, 8);
    let d_head = d_model / heads;
    let mut v = Vec::new();
    let mut add = |name: String, m: usize, k: usize, n: usize, sparsity: f64, rng: &mut Rng| {
        let (kb, nb) = (k.div_ceil(r), n.div_ceil(c));
        v.push(Gemm {
            name,
            m,
            mask: random_mask(kb, nb, sparsity, rng),
        });
    };
    for layer in 0..6 {
        for w in ["q", "k", "v", "o"] {
            add(format!("L{layer}.{w}"), tokens, d_model, d_model, 0.5, rng);
        }
        add(format!("L{layer}.ffn_up"), tokens, d_model, d_ff, 0.5, rng);
        add(
            format!("L{layer}.ffn_down"),
            tokens,
            d_ff,
            d_model,
            0.5,
            rng,
        );
        for h in 0..heads {
            add(
                format!("L{layer}.h{h}.scores"),
                tokens,
                d_head,
                tokens,
                0.0,
                rng,
            );
            add(
                format!("L{layer}.h{h}.context"),
                tokens,
                tokens,
                d_head,
                0.0,
                rng,
            );
        }
    }
    v
}

/// Totals of the cycle model over a workload.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
struct Totals {
    jobs: u64,
    cycles: u64,
    dense_cycles: u64,
    macs: u64,
}

/// What the host and the harness do per GEMM: split, count each job's present blocks,
/// cost each job.
fn cost(cfg: &ArrayConfig, gemms: &[Gemm]) -> Totals {
    let mut t = Totals::default();
    for g in gemms {
        for tile in split(cfg, g.m, g.mask.kb, g.mask.nb) {
            let mut blocks = 0u64;
            for kb in tile.kb0..tile.kb0 + tile.kb {
                for nb in tile.nb0..tile.nb0 + tile.nb {
                    blocks += u64::from(g.mask.get(kb, nb));
                }
            }
            let m = tile.m as u64;
            t.jobs += 1;
            t.cycles += cycles(cfg, m, blocks).total;
            t.dense_cycles += cycles(cfg, m, (tile.kb * tile.nb) as u64).total;
            t.macs += m * blocks * u64::from(cfg.rows * cfg.cols);
        }
    }
    t
}

/// Median nanoseconds per call of `f`, over `samples` batches of `batch` calls.
fn ns_per_call(samples: usize, batch: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let mut v: Vec<f64> = (0..samples)
        .map(|s| {
            let t = Instant::now();
            for i in 0..batch {
                f(s * batch + i);
            }
            t.elapsed().as_secs_f64() * 1e9 / batch as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0])
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("cycle_model: run with `cargo bench` (skipped in test mode)");
        return;
    }
    let preset = std::env::var("SKIPGRID_BENCH_PRESET").unwrap_or_else(|_| "ws16x16".into());
    let cfg = skipgrid_config::preset(&preset).expect("known preset");
    let (r, m_depth) = (u64::from(cfg.rows), u64::from(cfg.m_depth));
    let max_blocks = u64::from(cfg.k_blocks * cfg.n_blocks);

    // One job, closed form: inputs vary per call so nothing is hoisted out of the loop.
    let (closed, closed_min) = ns_per_call(101, 100_000, |i| {
        let i = i as u64;
        black_box(cycles(
            black_box(&cfg),
            1 + i % m_depth,
            i % (max_blocks + 1),
        ));
    });
    // One job as the harness costs it: count the present blocks of a full-size mask,
    // then the closed form.
    let mut rng = Rng(7);
    let masks: Vec<Mask> = (0..64)
        .map(|_| random_mask(cfg.k_blocks as usize, cfg.n_blocks as usize, 0.5, &mut rng))
        .collect();
    let (per_job, per_job_min) = ns_per_call(101, 20_000, |i| {
        let mask = black_box(&masks[i % masks.len()]);
        black_box(cycles(&cfg, m_depth, mask.count() as u64));
    });
    // The event-by-event model (kept as a cross-check) on a full job.
    let (event, _) = ns_per_call(21, 2_000, |i| {
        black_box(cycles_event(
            black_box(&cfg),
            m_depth,
            max_blocks - (i as u64 % 2),
        ));
    });

    let gemms = encoder(&cfg, &mut Rng(1));
    let totals = cost(&cfg, &gemms);
    let (enc_ns, enc_min) = ns_per_call(101, 20, |_| {
        black_box(cost(black_box(&cfg), black_box(&gemms)));
    });
    let weight_gemms = gemms.iter().filter(|g| !g.name.contains(".h")).count();

    println!(
        "cycle model on {preset} ({}x{}, m_depth {m_depth}, {} x {} blocks per job)",
        cfg.rows, cfg.cols, cfg.k_blocks, cfg.n_blocks
    );
    println!(
        "  cycles() per call:                      median {closed:.1} ns (min {closed_min:.1})"
    );
    println!(
        "  per job incl. counting the mask:        median {per_job:.1} ns (min {per_job_min:.1})"
    );
    println!("  cycles_event() per full job ({max_blocks} blocks): median {event:.1} ns");
    println!(
        "  6-layer encoder: {} GEMMs ({weight_gemms} weight GEMMs at 50% block sparsity, {} dense attention GEMMs), {} jobs",
        gemms.len(),
        gemms.len() - weight_gemms,
        totals.jobs
    );
    println!(
        "    model time for all of it: median {:.1} us (min {:.1}), {:.1} ns per job",
        enc_ns / 1e3,
        enc_min / 1e3,
        enc_ns / totals.jobs as f64
    );
    println!(
        "    predicted: {} cycles ({} dense, {:.3}x), {} MACs, utilization {:.3}",
        totals.cycles,
        totals.dense_cycles,
        totals.dense_cycles as f64 / totals.cycles as f64,
        totals.macs,
        totals.macs as f64 / (totals.cycles * r * u64::from(cfg.cols)) as f64
    );

    if let Some(path) = std::env::var_os("SKIPGRID_BENCH_JSON") {
        let json = json_object(&[
            ("preset", format!("\"{preset}\"")),
            ("cycles_ns_median", format!("{closed:.2}")),
            ("per_job_ns_median", format!("{per_job:.2}")),
            ("cycles_event_ns_median", format!("{event:.2}")),
            ("encoder_gemms", gemms.len().to_string()),
            ("encoder_weight_gemms", weight_gemms.to_string()),
            ("encoder_jobs", totals.jobs.to_string()),
            ("encoder_us_median", format!("{:.3}", enc_ns / 1e3)),
            ("encoder_cycles", totals.cycles.to_string()),
            ("encoder_dense_cycles", totals.dense_cycles.to_string()),
            ("encoder_macs", totals.macs.to_string()),
        ]);
        std::fs::write(&path, json).expect("SKIPGRID_BENCH_JSON writable");
    }
}

/// A flat JSON object from already-encoded values (the model crate has no serde_json).
fn json_object(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {v}"))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}
