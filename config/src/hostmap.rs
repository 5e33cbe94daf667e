//! The host interface's address map: which word address reaches which register or
//! buffer element. The hardware decoder and the simulation driver both use it, so they
//! cannot disagree. docs/host-interface.md describes the same map for people.

use crate::{clog2, ArrayConfig};
use serde::Serialize;

/// An address region, selected by the top three address bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Region {
    /// Control and status registers.
    Regs = 0,
    /// Activation buffer X (write only).
    X = 1,
    /// Weight buffer: the stored (nonzero) blocks (write only).
    W = 2,
    /// Output buffer Y (read only).
    Y = 3,
    /// Block bitmap, one bit per (kb, nb) (write only; skip on only).
    Bitmap = 4,
}

/// A register in region [`Region::Regs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Register {
    /// W: writing 1 to bit 0 starts a job (ignored while busy).
    Ctrl = 0,
    /// R: bit 0 busy, bit 1 done (since the last start), bit 2 the job registers were invalid.
    Status = 1,
    /// RW: M, activation rows of the job, 1..=m_depth.
    M = 2,
    /// RW: K blocks of the job (K = KB × rows, zero-padded), 1..=k_blocks.
    Kb = 3,
    /// RW: N blocks of the job (N = NB × cols, zero-padded), 1..=n_blocks.
    Nb = 4,
    /// RW: index of the first stored weight block of the job in the weight buffer.
    WBase = 5,
    /// R: cycles from start to done of the last job.
    Cycles = 6,
    /// R: weight blocks the last job processed.
    Blocks = 7,
    /// R: rows, cols, widths and skip (see `ArrayConfig::geometry_word`).
    Geometry = 8,
    /// R: the 24-bit configuration hash in the module names.
    ConfigHash = 9,
}

/// Field widths of the address map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostMap {
    /// Bits of an activation row index m.
    pub m_bits: u32,
    /// Bits of a K-block index.
    pub kb_bits: u32,
    /// Bits of an N-block index.
    pub nb_bits: u32,
    /// Bits of a stored-block index.
    pub blk_bits: u32,
    /// Bits of a row-in-block index i.
    pub row_bits: u32,
    /// Bits of a column-in-block index j.
    pub col_bits: u32,
    /// Bits of the offset inside a region.
    pub offset_bits: u32,
    /// Total address width: offset plus three region bits.
    pub addr_width: u32,
    /// Host data width.
    pub data_width: u32,
    /// Registers field width.
    pub reg_bits: u32,
}

impl HostMap {
    /// The map of `cfg`.
    pub fn new(cfg: &ArrayConfig) -> Self {
        let m_bits = clog2(cfg.m_depth.into());
        let kb_bits = clog2(cfg.k_blocks.into());
        let nb_bits = clog2(cfg.n_blocks.into());
        let blk_bits = clog2(cfg.weight_blocks.into());
        let row_bits = clog2(cfg.rows.into());
        let col_bits = clog2(cfg.cols.into());
        let reg_bits = 4;
        let offset_bits = [
            reg_bits,
            kb_bits + m_bits + row_bits,
            blk_bits + row_bits + col_bits,
            nb_bits + m_bits + col_bits,
            nb_bits + kb_bits,
        ]
        .into_iter()
        .max()
        .unwrap_or(reg_bits);
        HostMap {
            m_bits,
            kb_bits,
            nb_bits,
            blk_bits,
            row_bits,
            col_bits,
            offset_bits,
            addr_width: offset_bits + 3,
            data_width: cfg.host_data_width(),
            reg_bits,
        }
    }

    fn at(&self, region: Region, offset: u64) -> u32 {
        ((region as u32) << self.offset_bits) | offset as u32
    }
    /// Address of a register.
    pub fn reg(&self, r: Register) -> u32 {
        self.at(Region::Regs, r as u64)
    }
    /// Address of X[m][kb·rows + i].
    pub fn x(&self, m: u32, kb: u32, i: u32) -> u32 {
        let off = (u64::from(kb) << (self.m_bits + self.row_bits))
            | (u64::from(m) << self.row_bits)
            | u64::from(i);
        self.at(Region::X, off)
    }
    /// Address of element (i, j) of stored weight block `blk`.
    pub fn w(&self, blk: u32, i: u32, j: u32) -> u32 {
        let off = (u64::from(blk) << (self.row_bits + self.col_bits))
            | (u64::from(i) << self.col_bits)
            | u64::from(j);
        self.at(Region::W, off)
    }
    /// Address of Y[m][nb·cols + j].
    pub fn y(&self, m: u32, nb: u32, j: u32) -> u32 {
        let off = (u64::from(nb) << (self.m_bits + self.col_bits))
            | (u64::from(m) << self.col_bits)
            | u64::from(j);
        self.at(Region::Y, off)
    }
    /// Address of the present bit of block (kb, nb).
    pub fn bitmap(&self, kb: u32, nb: u32) -> u32 {
        self.at(
            Region::Bitmap,
            (u64::from(nb) << self.kb_bits) | u64::from(kb),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::{ArrayConfig, Register};

    #[test]
    fn regions_do_not_overlap() {
        let c = ArrayConfig::from_toml("rows = 3\ncols = 5", "t").unwrap();
        let h = c.host_map();
        let top = |a: u32| a >> h.offset_bits;
        assert_eq!(top(h.reg(Register::Cycles)), 0);
        assert_eq!(top(h.x(127, 7, 2)), 1);
        assert_eq!(top(h.w(63, 2, 4)), 2);
        assert_eq!(top(h.y(127, 7, 4)), 3);
        assert_eq!(top(h.bitmap(7, 7)), 4);
        assert!(h.x(127, 7, 2) < 1 << h.addr_width);
    }
}
