//! A first-order SRAM macro model for 0.18 µm, used for modules with role `ram` on
//! the `asic` target (they are black boxes for logic synthesis). The numbers are
//! assumptions, documented with their reasoning in docs/area-model.md; they are not a
//! foundry memory compiler's output.

use serde::{Deserialize, Serialize};

/// Parameters of the macro model, all areas in µm².
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SramModel {
    /// Area of one 6T bit cell.
    pub bit_cell_um2: f64,
    /// Row periphery per physical row (address decoder slice and word-line driver).
    pub per_row_um2: f64,
    /// Column periphery per physical column (precharge, column mux, sense amplifier
    /// and write driver share).
    pub per_col_um2: f64,
    /// Fixed periphery (control, timing, address and data latches).
    pub fixed_um2: f64,
}

impl SramModel {
    /// The model for 0.18 µm used by default (see docs/area-model.md).
    pub const OSU018: SramModel = SramModel {
        bit_cell_um2: 5.0,
        per_row_um2: 70.0,
        per_col_um2: 120.0,
        fixed_um2: 15_000.0,
    };

    /// Column-mux factor making the array closest to square (rows ≈ columns), at
    /// least 16 rows when the depth allows it. Returns (mux, rows, columns).
    pub fn organisation(&self, width: u64, depth: u64) -> (u64, u64, u64) {
        let (width, depth) = (width.max(1), depth.max(1));
        let mut best = (1, depth, width);
        let mut best_score = f64::INFINITY;
        for k in 0..=5 {
            let mux = 1u64 << k;
            let rows = depth.div_ceil(mux);
            if mux > 1 && rows < 16 {
                break;
            }
            let cols = width * mux;
            let score = ((rows as f64) / (cols as f64)).ln().abs();
            if score < best_score {
                best_score = score;
                best = (mux, rows, cols);
            }
        }
        best
    }

    /// Area of one `depth` × `width` macro.
    pub fn area_um2(&self, width: u64, depth: u64) -> f64 {
        let (_, rows, cols) = self.organisation(width, depth);
        (rows * cols) as f64 * self.bit_cell_um2
            + rows as f64 * self.per_row_um2
            + cols as f64 * self.per_col_um2
            + self.fixed_um2
    }
}

impl Default for SramModel {
    fn default() -> Self {
        SramModel::OSU018
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_organisation() {
        let m = SramModel::OSU018;
        assert_eq!(m.organisation(16, 256), (4, 64, 64));
        assert_eq!(m.organisation(64, 16), (1, 16, 64));
    }

    #[test]
    fn area_grows_and_beats_flip_flops() {
        let m = SramModel::OSU018;
        let a = m.area_um2(16, 256);
        assert!(a > m.area_um2(16, 128) && a < m.area_um2(16, 512));
        // A DFFPOSX1 alone is 96 µm² per bit in OSU 0.18 µm.
        assert!(a < 16.0 * 256.0 * 96.0 / 4.0, "{a}");
        assert!(a > 16.0 * 256.0 * m.bit_cell_um2);
    }
}
