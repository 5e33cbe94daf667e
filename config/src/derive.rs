//! Step two: the validated configuration and everything derived from it.

use crate::{ConfigError, RawConfig};
use serde::Serialize;

/// How operands move through the array. Only weight-stationary exists today; the
/// hardware description dispatches on this so another dataflow can be added beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dataflow {
    /// Weights stay in the PEs; activations flow right, partial sums flow down.
    WeightStationary,
}

impl Dataflow {
    /// The name used in configuration files.
    pub fn as_str(self) -> &'static str {
        match self {
            Dataflow::WeightStationary => "weight-stationary",
        }
    }
}

/// A validated array configuration with its derived values. Build it with
/// [`ArrayConfig::from_raw`], [`ArrayConfig::from_toml`] or a preset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArrayConfig {
    /// Optional human name.
    pub name: Option<String>,
    /// PE rows R: the K extent of one weight block.
    pub rows: u32,
    /// PE columns C: the N extent of one weight block.
    pub cols: u32,
    /// Signed activation width in bits.
    pub act_width: u32,
    /// Signed weight width in bits.
    pub weight_width: u32,
    /// Signed accumulator (partial-sum) width in bits.
    pub acc_width: u32,
    /// Operand movement.
    pub dataflow: Dataflow,
    /// Whether the controller skips pruned blocks.
    pub skip: bool,
    /// Whether each PE registers its product before accumulating.
    pub mac_pipeline: bool,
    /// Largest M of one job (activation rows held).
    pub m_depth: u32,
    /// Largest number of K blocks of one job.
    pub k_blocks: u32,
    /// Largest number of N blocks of one job.
    pub n_blocks: u32,
    /// Weight blocks the weight buffer holds.
    pub weight_blocks: u32,
}

/// Ceiling of log2, with clog2(1) = 0: the bits needed to index `n` things.
pub fn clog2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        64 - (n - 1).leading_zeros()
    }
}

fn in_range(field: &'static str, v: u32, lo: u32, hi: u32) -> Result<u32, ConfigError> {
    if v < lo || v > hi {
        return Err(ConfigError::range(field, v, format!("{lo} to {hi}")));
    }
    Ok(v)
}

fn pow2(field: &'static str, v: u32, lo: u32, hi: u32) -> Result<u32, ConfigError> {
    if v < lo || v > hi || !v.is_power_of_two() {
        return Err(ConfigError::range(
            field,
            v,
            format!("a power of two from {lo} to {hi}"),
        ));
    }
    Ok(v)
}

/// The narrowest signed accumulator that cannot overflow summing `k` products of
/// `a`-bit by `w`-bit signed values: k · 2^(a+w-2) ≤ 2^(acc-1) − 1.
pub(crate) fn required_acc_width(a: u32, w: u32, k: u64) -> u32 {
    let worst = (k as u128) << (a + w - 2);
    let mut acc = a + w;
    while worst > (1u128 << (acc - 1)) - 1 {
        acc += 1;
    }
    acc
}

impl ArrayConfig {
    /// Largest bitmap the skip controller holds (k_blocks × n_blocks bits).
    pub const MAX_BITMAP_BITS: u32 = 4096;
    /// Widest accumulator supported (the golden model computes in i64).
    pub const MAX_ACC_WIDTH: u32 = 64;

    /// Parses and validates TOML text.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self, ConfigError> {
        Self::from_raw(&RawConfig::from_toml(text, source_name)?)
    }

    /// Checks every invariant of `raw` and fills in defaults.
    pub fn from_raw(raw: &RawConfig) -> Result<Self, ConfigError> {
        let rows = in_range("rows", raw.rows, 1, 128)?;
        let cols = in_range("cols", raw.cols, 1, 128)?;
        let act_width = in_range("act_width", raw.act_width.unwrap_or(8), 4, 16)?;
        let weight_width = in_range("weight_width", raw.weight_width.unwrap_or(8), 4, 16)?;
        let dataflow = match raw.dataflow.as_deref().unwrap_or("weight-stationary") {
            "weight-stationary" | "ws" => Dataflow::WeightStationary,
            other => {
                return Err(ConfigError::range(
                    "dataflow",
                    format!("\"{other}\""),
                    "\"weight-stationary\"",
                ))
            }
        };
        let b = &raw.buffers;
        let m_depth = pow2("buffers.m_depth", b.m_depth.unwrap_or(128), 2, 4096)?;
        let k_blocks = pow2("buffers.k_blocks", b.k_blocks.unwrap_or(8), 1, 256)?;
        let n_blocks = pow2("buffers.n_blocks", b.n_blocks.unwrap_or(8), 1, 256)?;
        if k_blocks * n_blocks > Self::MAX_BITMAP_BITS {
            return Err(ConfigError::range(
                "buffers.k_blocks",
                k_blocks,
                format!(
                    "k_blocks × n_blocks at most {} (n_blocks is {n_blocks})",
                    Self::MAX_BITMAP_BITS
                ),
            ));
        }
        let weight_blocks = pow2(
            "buffers.weight_blocks",
            b.weight_blocks.unwrap_or((k_blocks * n_blocks).max(2)),
            2,
            Self::MAX_BITMAP_BITS,
        )?;
        let skip = raw.skip.unwrap_or(true);
        if !skip && weight_blocks < k_blocks * n_blocks {
            return Err(ConfigError::range(
                "buffers.weight_blocks",
                weight_blocks,
                format!(
                    "with skip off every block is stored, so at least k_blocks × n_blocks = {}",
                    k_blocks * n_blocks
                ),
            ));
        }
        let k_max = u64::from(k_blocks) * u64::from(rows);
        let need = required_acc_width(act_width, weight_width, k_max);
        if need > Self::MAX_ACC_WIDTH {
            return Err(ConfigError::range(
                "buffers.k_blocks",
                k_blocks,
                format!(
                    "small enough that the accumulator needs at most 64 bits (it needs {need})"
                ),
            ));
        }
        let acc_width = match raw.acc_width {
            None => need,
            Some(w) => in_range("acc_width", w, need, Self::MAX_ACC_WIDTH).map_err(|_| {
                ConfigError::range(
                    "acc_width",
                    w,
                    format!(
                        "{need} to 64: a {act_width}-bit × {weight_width}-bit dot product over K = {k_max} needs {need} bits"
                    ),
                )
            })?,
        };
        Ok(ArrayConfig {
            name: raw.name.clone(),
            rows,
            cols,
            act_width,
            weight_width,
            acc_width,
            dataflow,
            skip,
            mac_pipeline: raw.mac_pipeline.unwrap_or(false),
            m_depth,
            k_blocks,
            n_blocks,
            weight_blocks,
        })
    }

    /// The same configuration with skip switched on or off (the dense baseline).
    pub fn with_skip(&self, skip: bool) -> Result<Self, ConfigError> {
        let mut raw = self.to_raw();
        raw.skip = Some(skip);
        if !skip {
            raw.buffers.weight_blocks = Some(self.weight_blocks.max(self.k_blocks * self.n_blocks));
        }
        Self::from_raw(&raw)
    }

    /// The raw form that validates back to this configuration.
    pub fn to_raw(&self) -> RawConfig {
        RawConfig {
            name: self.name.clone(),
            rows: self.rows,
            cols: self.cols,
            act_width: Some(self.act_width),
            weight_width: Some(self.weight_width),
            acc_width: Some(self.acc_width),
            dataflow: Some(self.dataflow.as_str().to_string()),
            skip: Some(self.skip),
            mac_pipeline: Some(self.mac_pipeline),
            buffers: crate::RawBuffers {
                m_depth: Some(self.m_depth),
                k_blocks: Some(self.k_blocks),
                n_blocks: Some(self.n_blocks),
                weight_blocks: Some(self.weight_blocks),
            },
        }
    }

    /// Largest K of one job: k_blocks × rows.
    pub fn k_max(&self) -> u64 {
        u64::from(self.k_blocks) * u64::from(self.rows)
    }
    /// Largest N of one job: n_blocks × cols.
    pub fn n_max(&self) -> u64 {
        u64::from(self.n_blocks) * u64::from(self.cols)
    }
    /// Cycles from an activation entering a PE to its partial sum leaving it: 1, or 2
    /// with the product registered.
    pub fn mac_latency(&self) -> u32 {
        1 + u32::from(self.mac_pipeline)
    }
    /// Width of the host data bus: the accumulator, at least 32 bits.
    pub fn host_data_width(&self) -> u32 {
        self.acc_width.max(32)
    }
    /// Width of the cycle counter (the host data bus).
    pub fn cycle_counter_width(&self) -> u32 {
        self.host_data_width()
    }
    /// Bits of the row tag that travels with a weight down a column.
    pub fn row_tag_width(&self) -> u32 {
        clog2(u64::from(self.rows)).max(1)
    }
    /// A stable 24-bit hash of every parameter that shapes the hardware.
    pub fn hash24(&self) -> u32 {
        let canon = format!(
            "rows={};cols={};a={};w={};acc={};df={};skip={};m={};kb={};nb={};wb={}{}",
            self.rows,
            self.cols,
            self.act_width,
            self.weight_width,
            self.acc_width,
            self.dataflow.as_str(),
            self.skip,
            self.m_depth,
            self.k_blocks,
            self.n_blocks,
            self.weight_blocks,
            // Absent when off, so the hashes of existing designs do not change.
            if self.mac_pipeline {
                ";mac_pipeline"
            } else {
                ""
            }
        );
        // FNV-1a: stable across Rust versions, unlike DefaultHasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in canon.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        ((h >> 40) ^ (h & 0xff_ffff)) as u32 & 0xff_ffff
    }
    /// Prefix of every module name: a function of all parameters, so two configurations
    /// can live in one design without clashes.
    pub fn module_prefix(&self) -> String {
        format!("sg{}x{}_{:06x}", self.rows, self.cols, self.hash24())
    }
    /// The top module's name.
    pub fn top_name(&self) -> String {
        format!("{}_top", self.module_prefix())
    }
    /// The host address map of this configuration.
    pub fn host_map(&self) -> crate::HostMap {
        crate::HostMap::new(self)
    }
    /// The value of the read-only GEOMETRY register.
    pub fn geometry_word(&self) -> u64 {
        u64::from(self.rows & 0xff)
            | u64::from(self.cols & 0xff) << 8
            | u64::from(self.act_width) << 16
            | u64::from(self.weight_width) << 21
            | u64::from(self.skip) << 26
            | u64::from(self.mac_pipeline) << 27
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clog2_values() {
        assert_eq!([1, 2, 3, 4, 5, 8, 9].map(clog2), [0, 1, 2, 2, 3, 3, 4]);
    }

    #[test]
    fn acc_width_is_tight() {
        // 8x8 bits over K=1: worst product 2^14 fits 16 bits signed, not 15.
        assert_eq!(required_acc_width(8, 8, 1), 16);
        // K = 128 = 2^7: 2^21 needs 23 bits.
        assert_eq!(required_acc_width(8, 8, 128), 23);
        assert_eq!(required_acc_width(8, 8, 3), 17);
    }

    #[test]
    fn minimal_file_is_complete() {
        let c = ArrayConfig::from_toml("rows = 4\ncols = 4\n", "t.toml").unwrap();
        assert_eq!((c.act_width, c.weight_width, c.skip), (8, 8, true));
        assert_eq!(c.acc_width, required_acc_width(8, 8, 32));
        assert_eq!(c.weight_blocks, 64);
    }

    #[test]
    fn rejects_with_field_value_and_range() {
        let cases = [
            ("rows = 0\ncols = 4", "`rows` = 0", "1 to 128"),
            ("rows = 4\ncols = 129", "`cols` = 129", "1 to 128"),
            (
                "rows = 4\ncols = 4\nact_width = 3",
                "`act_width` = 3",
                "4 to 16",
            ),
            (
                "rows = 4\ncols = 4\nacc_width = 12",
                "`acc_width` = 12",
                "needs",
            ),
            (
                "rows = 4\ncols = 4\n[buffers]\nm_depth = 100",
                "`buffers.m_depth` = 100",
                "power of two",
            ),
            (
                "rows = 4\ncols = 4\ndataflow = \"os\"",
                "`dataflow`",
                "weight-stationary",
            ),
        ];
        for (text, field, allowed) in cases {
            let e = ArrayConfig::from_toml(text, "t.toml")
                .unwrap_err()
                .to_string();
            assert!(e.contains(field) && e.contains(allowed), "{text}: {e}");
        }
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        let e = ArrayConfig::from_toml("rows = 4\ncols = 4\nrowz = 3", "bad.toml").unwrap_err();
        assert!(
            e.to_string().contains("rowz") && e.to_string().contains("bad.toml"),
            "{e}"
        );
        let e = ArrayConfig::from_toml("rows = [", "bad.toml").unwrap_err();
        assert!(matches!(e, ConfigError::Parse { .. }));
        let e = ArrayConfig::from_toml("cols = 4", "bad.toml").unwrap_err();
        assert!(e.to_string().contains("rows"), "{e}");
    }

    #[test]
    fn prefix_differs_per_config_and_is_stable() {
        let a = ArrayConfig::from_toml("rows = 4\ncols = 4", "a").unwrap();
        let b = a.with_skip(false).unwrap();
        assert_ne!(a.module_prefix(), b.module_prefix());
        assert_eq!(a.module_prefix(), a.clone().module_prefix());
        let back = ArrayConfig::from_raw(&a.to_raw()).unwrap();
        assert_eq!(back, a);
    }
}
