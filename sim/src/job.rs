//! One job on the RTL: the host-bus program that loads X, the stored weight blocks, the
//! bitmap and the job registers through the front door, starts the job, waits for done
//! under a watchdog, and reads the cycle counter and Y back; then the comparison with
//! the golden model, which stops at the first difference.

use crate::{HostOp, ProgramResult};
use skipgrid_config::{ArrayConfig, Register};
use skipgrid_model::Job;

/// What the RTL reported for one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtlOutcome {
    /// Y as read back, row-major M × N, sign-extended.
    pub y: Vec<i64>,
    /// The CYCLES register.
    pub cycles: u64,
    /// Cycles the host waited for done (equals `cycles` when the counter is right).
    pub waited: u64,
    /// The BLOCKS register.
    pub blocks: u64,
    /// The STATUS register after the job.
    pub status: u64,
}

/// The first difference between the RTL and the golden model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// An output element differs.
    Output {
        /// Row of Y.
        row: usize,
        /// Column of Y.
        col: usize,
        /// The golden value.
        expected: i64,
        /// The RTL's value.
        actual: i64,
        /// How many elements differ in all.
        count: usize,
    },
    /// The cycle counter differs from the model.
    Cycles {
        /// The model's count.
        expected: u64,
        /// The RTL's CYCLES register.
        actual: u64,
    },
    /// The host's own count of cycles until done differs from the CYCLES register.
    Counter {
        /// Cycles the host waited.
        waited: u64,
        /// The CYCLES register.
        counter: u64,
    },
    /// The number of processed blocks differs.
    Blocks {
        /// Blocks the model processes.
        expected: u64,
        /// The BLOCKS register.
        actual: u64,
    },
    /// STATUS shows an error or no done.
    Status {
        /// The STATUS register.
        status: u64,
    },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::Output { row, col, expected, actual, count } => write!(
                f,
                "Y[{row}][{col}]: expected {expected}, RTL gave {actual} ({count} element(s) differ)"
            ),
            Mismatch::Cycles { expected, actual } => write!(
                f,
                "cycle count: model {expected}, RTL {actual} (RTL {:+})",
                *actual as i64 - *expected as i64
            ),
            Mismatch::Counter { waited, counter } => write!(
                f,
                "the CYCLES register says {counter} but done came after {waited} cycles"
            ),
            Mismatch::Blocks { expected, actual } => {
                write!(f, "blocks processed: model {expected}, RTL {actual}")
            }
            Mismatch::Status { status } => write!(f, "STATUS = {status:#b}: done not set or error"),
        }
    }
}

/// Watchdog for one job: twice the model's count plus slack.
pub fn cycle_limit(model_cycles: u64) -> u64 {
    2 * model_cycles + 1000
}

fn as_bits(v: i64, bits: u32) -> u64 {
    if bits >= 64 {
        v as u64
    } else {
        (v as u64) & ((1u64 << bits) - 1)
    }
}

/// The program that runs `job` through the front door.
pub fn job_program(cfg: &ArrayConfig, job: &Job, limit: u64) -> Vec<HostOp> {
    let hm = cfg.host_map();
    let (r, c) = (cfg.rows as usize, cfg.cols as usize);
    let (k, n) = (job.k(cfg), job.n(cfg));
    let mut ops = Vec::new();
    let w = |addr, data| HostOp::Write { addr, data };
    for mi in 0..job.m {
        for kk in 0..k {
            let v = as_bits(job.x[mi * k + kk], cfg.act_width);
            ops.push(w(hm.x(mi as u32, (kk / r) as u32, (kk % r) as u32), v));
        }
    }
    let stored: Vec<(usize, usize)> = if cfg.skip {
        job.mask.order()
    } else {
        (0..job.mask.nb)
            .flat_map(|nb| (0..job.mask.kb).map(move |kb| (kb, nb)))
            .collect()
    };
    for (blk, &(kb, nb)) in stored.iter().enumerate() {
        for i in 0..r {
            for j in 0..c {
                let v = as_bits(job.w[(kb * r + i) * n + nb * c + j], cfg.weight_width);
                ops.push(w(hm.w(blk as u32, i as u32, j as u32), v));
            }
        }
    }
    if cfg.skip {
        for nb in 0..job.mask.nb {
            for kb in 0..job.mask.kb {
                ops.push(w(
                    hm.bitmap(kb as u32, nb as u32),
                    u64::from(job.mask.get(kb, nb)),
                ));
            }
        }
    }
    ops.push(w(hm.reg(Register::M), job.m as u64));
    ops.push(w(hm.reg(Register::Kb), job.mask.kb as u64));
    ops.push(w(hm.reg(Register::Nb), job.mask.nb as u64));
    ops.push(w(hm.reg(Register::WBase), 0));
    ops.push(w(hm.reg(Register::Ctrl), 1));
    ops.push(HostOp::WaitDone { limit });
    for reg in [Register::Cycles, Register::Blocks, Register::Status] {
        ops.push(HostOp::Read { addr: hm.reg(reg) });
    }
    for mi in 0..job.m {
        for nn in 0..n {
            ops.push(HostOp::Read {
                addr: hm.y(mi as u32, (nn / c) as u32, (nn % c) as u32),
            });
        }
    }
    ops
}

fn sext(v: u64, bits: u32) -> i64 {
    if bits >= 64 {
        return v as i64;
    }
    let shift = 64 - bits;
    ((v << shift) as i64) >> shift
}

/// Decodes the result of [`job_program`].
pub fn decode(cfg: &ArrayConfig, res: &ProgramResult) -> RtlOutcome {
    let dw = cfg.host_data_width();
    let reads = &res.reads;
    RtlOutcome {
        cycles: reads[0],
        blocks: reads[1],
        status: reads[2],
        waited: res.waits.first().copied().unwrap_or(0),
        y: reads[3..].iter().map(|&v| sext(v, dw)).collect(),
    }
}

/// Compares the RTL's outcome with the golden model; the first difference wins, outputs
/// before cycles.
pub fn compare(cfg: &ArrayConfig, job: &Job, rtl: &RtlOutcome) -> Result<(), Mismatch> {
    let golden = skipgrid_model::gemm(cfg, job);
    let n = job.n(cfg);
    let diffs: Vec<usize> = (0..golden.len())
        .filter(|&i| golden[i] != rtl.y[i])
        .collect();
    if let Some(&i) = diffs.first() {
        return Err(Mismatch::Output {
            row: i / n,
            col: i % n,
            expected: golden[i],
            actual: rtl.y[i],
            count: diffs.len(),
        });
    }
    if rtl.status & 0b110 != 0b010 {
        return Err(Mismatch::Status { status: rtl.status });
    }
    let blocks = job.processed_blocks(cfg) as u64;
    if rtl.blocks != blocks {
        return Err(Mismatch::Blocks {
            expected: blocks,
            actual: rtl.blocks,
        });
    }
    let expected = skipgrid_model::cycles(cfg, job.m as u64, blocks).total;
    if rtl.cycles != expected {
        return Err(Mismatch::Cycles {
            expected,
            actual: rtl.cycles,
        });
    }
    if rtl.waited != rtl.cycles {
        return Err(Mismatch::Counter {
            waited: rtl.waited,
            counter: rtl.cycles,
        });
    }
    Ok(())
}
