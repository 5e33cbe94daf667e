//! The RTL does not depend on state that reset leaves undefined: started from random
//! register and memory contents (Verilator's random initialisation, three seeds), every
//! job still matches the golden model, outputs and cycles.

mod common;
use skipgrid_sim::harness::run_problem;
use skipgrid_sim::stimulus::{random_problem, MaskStructure};
use skipgrid_sim::{RtlDesign, VerilatorBackend, VerilatorOptions};

#[test]
fn random_initial_state_changes_nothing() {
    let mut raw = skipgrid_config::RawConfig::new(3, 2);
    raw.buffers.m_depth = Some(8);
    raw.buffers.k_blocks = Some(2);
    raw.buffers.n_blocks = Some(4);
    for skip in [true, false] {
        raw.skip = Some(skip);
        let cfg = skipgrid_config::ArrayConfig::from_raw(&raw).unwrap();
        let (_t, dir) = common::generate(&cfg);
        let design = RtlDesign::open(&dir).unwrap();
        for seed in [1u32, 2, 3] {
            let opts = VerilatorOptions {
                random_init_seed: Some(seed),
                ..Default::default()
            };
            let mut b = VerilatorBackend::new(&design, &opts).unwrap();
            for (case, mask) in [
                MaskStructure::Random,
                MaskStructure::Cols,
                MaskStructure::Single,
            ]
            .into_iter()
            .enumerate()
            {
                let p = random_problem(&cfg, (5, 6, 8), 0.5, mask, 10 + case as u64);
                let rep = run_problem(&mut b, &cfg, &p).unwrap();
                assert!(
                    rep.outputs_match && rep.cycles_match,
                    "skip {skip}, init seed {seed}, {mask:?}: {:?}",
                    rep.first_mismatch
                );
            }
        }
    }
}

#[test]
fn random_initial_state_exposes_an_accumulator_that_never_overwrites() {
    // Column 0's accumulator adds to whatever the output buffer held instead of
    // overwriting on a block's first K slice. From all-zero memory a single job cannot
    // tell; from random memory it must.
    let mut raw = skipgrid_config::RawConfig::new(3, 2);
    raw.buffers.m_depth = Some(8);
    raw.buffers.k_blocks = Some(2);
    raw.buffers.n_blocks = Some(4);
    let cfg = skipgrid_config::ArrayConfig::from_raw(&raw).unwrap();
    let (_t, dir) = common::generate(&cfg);
    let file = dir.join(format!("{}_accum.v", cfg.module_prefix()));
    let text = std::fs::read_to_string(&file).unwrap();
    let good = "assign sum_0 = first_d_0 ? psum_0 : (rdata_0 + psum_0);";
    assert_eq!(text.matches(good).count(), 1, "the line to break is gone");
    std::fs::write(
        &file,
        text.replace(good, "assign sum_0 = rdata_0 + psum_0;"),
    )
    .unwrap();
    let design = RtlDesign::open(&dir).unwrap();
    let p = random_problem(&cfg, (5, 6, 8), 0.0, MaskStructure::Random, 3);
    let run = |seed| {
        let opts = VerilatorOptions {
            random_init_seed: seed,
            ..Default::default()
        };
        let mut b = VerilatorBackend::new(&design, &opts).unwrap();
        run_problem(&mut b, &cfg, &p).unwrap()
    };
    assert!(
        run(None).outputs_match,
        "zero-initialised memory hides the fault in one job"
    );
    assert!(
        !run(Some(1)).outputs_match,
        "random initial memory must expose it"
    );
}
