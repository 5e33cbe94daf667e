//! A small directed simulation in Icarus Verilog: one dense and one sparse job on the
//! generated ws4x4 array compute the right Y, element by element, with the exact cycle
//! count of the golden model. (The full cross-checking harness runs on Verilator in
//! `skipgrid regress`; this one uses the other simulator.)

mod common;
use skipgrid_config::preset;
use skipgrid_model::{gemm, Job, Mask};
use skipgrid_sim::harness::run_problem;
use skipgrid_sim::job::{compare, decode, job_program};
use skipgrid_sim::stimulus::{random_problem, MaskStructure};
use skipgrid_sim::{Backend, IcarusBackend, IcarusOptions, RtlDesign};

fn icarus(cfg: &skipgrid_config::ArrayConfig) -> (tempfile::TempDir, IcarusBackend) {
    let (t, dir) = common::generate(cfg);
    let b = IcarusBackend::new(&RtlDesign::open(&dir).unwrap(), IcarusOptions::default()).unwrap();
    (t, b)
}

#[test]
fn dense_job_by_hand() {
    // X = [[1, 2, ..., 8]; [-1, ..., -8]], W = identity-like pattern over 2 x 2 blocks.
    let cfg = preset("ws4x4").unwrap();
    let (m, k, n) = (2, 8, 8);
    let x: Vec<i64> = (0..m * k)
        .map(|i| {
            if i < k {
                i as i64 + 1
            } else {
                -((i - k) as i64 + 1)
            }
        })
        .collect();
    let w: Vec<i64> = (0..k * n)
        .map(|i| {
            if i / n == i % n {
                1
            } else if i % 3 == 0 {
                -2
            } else {
                0
            }
        })
        .collect();
    let job = Job {
        m,
        x,
        w,
        mask: Mask::dense(2, 2),
    };
    let (_t, mut b) = icarus(&cfg);
    let out = decode(&cfg, &b.run(&job_program(&cfg, &job, 10_000)).unwrap());
    // Hand-checked element: Y[0][0] = sum_k X[0][k] W[k][0] = 1·1 + (k=3: 4·-2) + (k=6: 7·-2) = -21.
    assert_eq!(out.y[0], -21);
    assert_eq!(out.y, gemm(&cfg, &job));
    compare(&cfg, &job, &out).unwrap();
}

#[test]
fn sparse_job_matches_model_and_skips() {
    let cfg = preset("ws4x4").unwrap();
    let p = random_problem(&cfg, (6, 16, 16), 0.5, MaskStructure::Random, 7);
    let (_t, mut b) = icarus(&cfg);
    let rep = run_problem(&mut b, &cfg, &p).unwrap();
    assert!(
        rep.outputs_match && rep.cycles_match,
        "{:?}",
        rep.first_mismatch
    );
    assert_eq!(rep.nonzero_blocks, 8);
    assert!(
        rep.rtl_cycles < rep.dense_cycles,
        "{} vs {}",
        rep.rtl_cycles,
        rep.dense_cycles
    );
}
