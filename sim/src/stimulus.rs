//! Seeded random stimulus: a problem (X, W and a block mask of a chosen structure and
//! sparsity) reproducible from its seed alone.

use skipgrid_config::ArrayConfig;
use skipgrid_model::Mask;

/// SplitMix64: tiny, seeded, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A uniform signed value of `bits` bits.
    pub fn signed(&mut self, bits: u32) -> i64 {
        let v = self.next_u64() >> (64 - bits);
        let shift = 64 - bits;
        ((v << shift) as i64) >> shift
    }
    /// A permutation of 0..n.
    pub fn shuffle(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
        v
    }
}

/// How pruned blocks are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaskStructure {
    /// Any blocks.
    Random,
    /// Whole block-columns (all K blocks of an N block).
    Cols,
    /// Whole block-rows (all N blocks of a K block).
    Rows,
    /// Exactly one present block.
    Single,
}

impl std::str::FromStr for MaskStructure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "random" => Ok(MaskStructure::Random),
            "cols" => Ok(MaskStructure::Cols),
            "rows" => Ok(MaskStructure::Rows),
            "single" => Ok(MaskStructure::Single),
            _ => Err(format!(
                "unknown mask structure `{s}`; accepted: random, cols, rows, single"
            )),
        }
    }
}

/// A whole problem: X (M × K) and W (K × N) at block granularity (K and N padded to
/// whole blocks with zeros), and its mask.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Activation rows.
    pub m: usize,
    /// Unpadded K.
    pub k: usize,
    /// Unpadded N.
    pub n: usize,
    /// X, M × (kb · rows), padding zero.
    pub x: Vec<i64>,
    /// W, (kb · rows) × (nb · cols), padding and pruned blocks zero.
    pub w: Vec<i64>,
    /// Block mask.
    pub mask: Mask,
}

/// Which blocks survive at `sparsity` (fraction of blocks pruned, rounded to the nearest
/// count the structure allows).
pub fn random_mask(
    kb: usize,
    nb: usize,
    sparsity: f64,
    structure: MaskStructure,
    rng: &mut Rng,
) -> Mask {
    let mut present = vec![true; kb * nb];
    let prune = |units: usize| ((units as f64) * sparsity).round() as usize;
    match structure {
        MaskStructure::Random => {
            for &i in rng.shuffle(kb * nb).iter().take(prune(kb * nb)) {
                present[i] = false;
            }
        }
        MaskStructure::Cols => {
            for &c in rng.shuffle(nb).iter().take(prune(nb)) {
                (0..kb).for_each(|r| present[r * nb + c] = false);
            }
        }
        MaskStructure::Rows => {
            for &r in rng.shuffle(kb).iter().take(prune(kb)) {
                (0..nb).for_each(|c| present[r * nb + c] = false);
            }
        }
        MaskStructure::Single => {
            let keep = (rng.next_u64() % (kb * nb) as u64) as usize;
            present
                .iter_mut()
                .enumerate()
                .for_each(|(i, p)| *p = i == keep);
        }
    }
    Mask { kb, nb, present }
}

/// A seeded random problem for `cfg`.
pub fn random_problem(
    cfg: &ArrayConfig,
    (m, k, n): (usize, usize, usize),
    sparsity: f64,
    structure: MaskStructure,
    seed: u64,
) -> Problem {
    let mut rng = Rng::new(seed);
    let (r, c) = (cfg.rows as usize, cfg.cols as usize);
    let (kb, nb) = (k.div_ceil(r), n.div_ceil(c));
    let (kp, np) = (kb * r, nb * c);
    let mask = random_mask(kb, nb, sparsity, structure, &mut rng);
    let mut x = vec![0; m * kp];
    for mi in 0..m {
        for kk in 0..k {
            x[mi * kp + kk] = rng.signed(cfg.act_width);
        }
    }
    let mut w = vec![0; kp * np];
    for kk in 0..k {
        for nn in 0..n {
            if mask.get(kk / r, nn / c) {
                w[kk * np + nn] = rng.signed(cfg.weight_width);
            }
        }
    }
    Problem {
        m,
        k,
        n,
        x,
        w,
        mask,
    }
}
