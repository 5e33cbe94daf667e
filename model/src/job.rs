//! One job: X, W and the block mask, in the shapes the hardware takes.

use skipgrid_config::ArrayConfig;

/// Which weight blocks are present: `present[kb * nb_count + nb]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    /// K blocks.
    pub kb: usize,
    /// N blocks.
    pub nb: usize,
    /// Present bits, K-block major.
    pub present: Vec<bool>,
}

impl Mask {
    /// All blocks present.
    pub fn dense(kb: usize, nb: usize) -> Self {
        Mask {
            kb,
            nb,
            present: vec![true; kb * nb],
        }
    }
    /// Whether block (kb, nb) is present.
    pub fn get(&self, kb: usize, nb: usize) -> bool {
        self.present[kb * self.nb + nb]
    }
    /// Number of present blocks.
    pub fn count(&self) -> usize {
        self.present.iter().filter(|&&p| p).count()
    }
    /// Present blocks in the order the hardware processes them: N-major, K-minor.
    pub fn order(&self) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for nb in 0..self.nb {
            for kb in 0..self.kb {
                if self.get(kb, nb) {
                    v.push((kb, nb));
                }
            }
        }
        v
    }
}

/// A job for one array: Y = X · W, X of M × K and W of K × N, K = kb · rows and
/// N = nb · cols (zero-padded), with the block mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Activation rows.
    pub m: usize,
    /// X, row-major M × K.
    pub x: Vec<i64>,
    /// W, row-major K × N. Blocks the mask marks absent are ignored by the hardware.
    pub w: Vec<i64>,
    /// The block mask.
    pub mask: Mask,
}

/// Why a job does not fit a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// A dimension is outside what one job of the array may have.
    #[error("{what} = {value} does not fit one job of this array: allowed {allowed}")]
    Shape {
        /// Which dimension.
        what: &'static str,
        /// Its value.
        value: usize,
        /// The allowed range.
        allowed: String,
    },
    /// A value does not fit its signed width.
    #[error("{what}[{index}] = {value} does not fit {bits} signed bits")]
    Value {
        /// X or W.
        what: &'static str,
        /// Flat index.
        index: usize,
        /// The value.
        value: i64,
        /// The width.
        bits: u32,
    },
    /// More present blocks than the weight buffer holds.
    #[error("{blocks} stored blocks do not fit the weight buffer of {capacity} blocks")]
    WeightBuffer {
        /// Blocks that would be stored.
        blocks: usize,
        /// Capacity.
        capacity: usize,
    },
}

fn fits(v: i64, bits: u32) -> bool {
    let lo = -(1i64 << (bits - 1));
    let hi = (1i64 << (bits - 1)) - 1;
    (lo..=hi).contains(&v)
}

impl Job {
    /// K of the job.
    pub fn k(&self, cfg: &ArrayConfig) -> usize {
        self.mask.kb * cfg.rows as usize
    }
    /// N of the job.
    pub fn n(&self, cfg: &ArrayConfig) -> usize {
        self.mask.nb * cfg.cols as usize
    }
    /// Blocks the hardware processes: the present ones with skip on, all with skip off.
    pub fn processed_blocks(&self, cfg: &ArrayConfig) -> usize {
        if cfg.skip {
            self.mask.count()
        } else {
            self.mask.kb * self.mask.nb
        }
    }
    /// Checks that the job fits one run of `cfg`.
    pub fn check(&self, cfg: &ArrayConfig) -> Result<(), JobError> {
        let range = |what, value: usize, max: u32| {
            if value == 0 || value > max as usize {
                Err(JobError::Shape {
                    what,
                    value,
                    allowed: format!("1 to {max}"),
                })
            } else {
                Ok(())
            }
        };
        range("M", self.m, cfg.m_depth)?;
        range("K blocks", self.mask.kb, cfg.k_blocks)?;
        range("N blocks", self.mask.nb, cfg.n_blocks)?;
        assert_eq!(self.x.len(), self.m * self.k(cfg), "X shape");
        assert_eq!(self.w.len(), self.k(cfg) * self.n(cfg), "W shape");
        let stored = self.processed_blocks(cfg);
        if stored > cfg.weight_blocks as usize {
            return Err(JobError::WeightBuffer {
                blocks: stored,
                capacity: cfg.weight_blocks as usize,
            });
        }
        for (what, v, bits) in [
            ("X", &self.x, cfg.act_width),
            ("W", &self.w, cfg.weight_width),
        ] {
            if let Some((index, &value)) = v.iter().enumerate().find(|(_, &x)| !fits(x, bits)) {
                return Err(JobError::Value {
                    what,
                    index,
                    value,
                    bits,
                });
            }
        }
        Ok(())
    }
}
