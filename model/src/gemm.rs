//! The functional model: the integer GEMM the RTL computes, with its widths.

use crate::Job;
use skipgrid_config::ArrayConfig;

/// `v` wrapped to a `bits`-bit two's-complement value, as the accumulator holds it.
pub fn wrap(v: i64, bits: u32) -> i64 {
    if bits >= 64 {
        return v;
    }
    let shift = 64 - bits;
    (v << shift) >> shift
}

/// Y = X · W over the blocks the hardware processes (with skip on, absent blocks count
/// as zero whatever W holds there), accumulated in `acc_width` bits. Row-major M × N.
pub fn gemm(cfg: &ArrayConfig, job: &Job) -> Vec<i64> {
    let (r, c) = (cfg.rows as usize, cfg.cols as usize);
    let (k, n) = (job.k(cfg), job.n(cfg));
    let mut y = vec![0i64; job.m * n];
    for kb in 0..job.mask.kb {
        for nb in 0..job.mask.nb {
            if cfg.skip && !job.mask.get(kb, nb) {
                continue;
            }
            for mi in 0..job.m {
                let xrow = &job.x[mi * k..(mi + 1) * k];
                for j in nb * c..(nb + 1) * c {
                    let s = (kb * r..(kb + 1) * r).fold(0i64, |s, kk| {
                        s.wrapping_add(xrow[kk].wrapping_mul(job.w[kk * n + j]))
                    });
                    let cell = &mut y[mi * n + j];
                    *cell = wrap(cell.wrapping_add(s), cfg.acc_width);
                }
            }
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mask;

    #[test]
    fn wrap_is_twos_complement() {
        assert_eq!(wrap(127, 8), 127);
        assert_eq!(wrap(128, 8), -128);
        assert_eq!(wrap(-129, 8), 127);
    }

    #[test]
    fn absent_blocks_are_skipped_only_with_skip_on() {
        let cfg = ArrayConfig::from_toml("rows = 1\ncols = 1", "t").unwrap();
        let job = Job {
            m: 1,
            x: vec![2, 3],
            w: vec![5, 7],
            mask: Mask {
                kb: 2,
                nb: 1,
                present: vec![true, false],
            },
        };
        assert_eq!(gemm(&cfg, &job), vec![10]);
        assert_eq!(gemm(&cfg.with_skip(false).unwrap(), &job), vec![31]);
    }
}
