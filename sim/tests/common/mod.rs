//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use skipgrid_sim::{HostOp, RtlDesign};

/// The hand-written fixture with the generated RTL's port bundle (8-bit addresses,
/// 64-bit data); see tests/fixtures/regjob/regjob_top.v for its register map.
pub fn regjob() -> RtlDesign {
    RtlDesign::open(fixture_dir("regjob")).expect("fixture opens")
}

/// The benchmark fixture: 16-bit addresses, 32-bit data, an 8x8 MAC grid.
pub fn macgrid() -> RtlDesign {
    RtlDesign::open(fixture_dir("macgrid")).expect("fixture opens")
}

pub fn fixture_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// Whether all of `tools` are installed; prints why a test is skipped otherwise.
/// In CI (`CI` set) a missing tool is a failure, not a skip.
pub fn have(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| skipgrid_toolrun::which(t).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{missing:?} missing in CI; run scripts/setup.sh"
    );
    eprintln!("skipping: {missing:?} not installed (run scripts/setup.sh)");
    false
}

/// A start-a-job sequence on regjob: length, start, wait.
pub fn job(length: u64, limit: u64) -> Vec<HostOp> {
    vec![
        HostOp::Write {
            addr: 2,
            data: length,
        },
        HostOp::Write { addr: 0, data: 1 },
        HostOp::WaitDone { limit },
    ]
}

/// A small seeded generator (SplitMix64), so tests need no random crate and every
/// failure reproduces from its printed seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random regjob program: writes and reads of every register (reserved ones
/// included), jobs of random length, idle stretches.
pub fn random_regjob_program(seed: u64, len: usize) -> Vec<HostOp> {
    let mut rng = Rng(seed);
    let mut prog = Vec::new();
    while prog.len() < len {
        match rng.below(6) {
            0 | 1 => prog.push(HostOp::Write {
                addr: 2 + rng.below(18) as u32,
                data: rng.next(),
            }),
            2 | 3 => prog.push(HostOp::Read {
                addr: rng.below(20) as u32,
            }),
            4 => {
                prog.push(HostOp::Write {
                    addr: 5,
                    data: rng.next(),
                });
                prog.extend(job(rng.below(40), 100));
                prog.push(HostOp::Read { addr: 4 });
                prog.push(HostOp::Read { addr: 3 });
            }
            _ => prog.push(HostOp::Idle {
                cycles: rng.below(5),
            }),
        }
    }
    prog
}
