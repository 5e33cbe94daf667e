//! Named configurations.

use crate::{ArrayConfig, ConfigError, RawConfig};

/// A named configuration.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Name used with `--preset`.
    pub name: &'static str,
    /// One line on what it is for.
    pub summary: &'static str,
    rows: u32,
    cols: u32,
    m_depth: u32,
    k_blocks: u32,
    n_blocks: u32,
}

/// The preset `skipgrid gen` uses when none is named.
pub const DEFAULT_PRESET: &str = "ws16x16";

const PRESETS: [Preset; 3] = [
    Preset {
        name: "ws4x4",
        summary: "4x4 int8 weight-stationary array with skip: small and quick to simulate",
        rows: 4,
        cols: 4,
        m_depth: 64,
        k_blocks: 16,
        n_blocks: 16,
    },
    Preset {
        name: "ws16x16",
        summary: "16x16 int8 weight-stationary array with skip: the default",
        rows: 16,
        cols: 16,
        m_depth: 128,
        k_blocks: 8,
        n_blocks: 8,
    },
    Preset {
        name: "ws32x32",
        summary: "32x32 int8 weight-stationary array with skip",
        rows: 32,
        cols: 32,
        m_depth: 128,
        k_blocks: 4,
        n_blocks: 4,
    },
];

/// Every preset, in a stable order.
pub fn presets() -> &'static [Preset] {
    &PRESETS
}

/// The validated configuration of the preset called `name`.
pub fn preset(name: &str) -> Result<ArrayConfig, ConfigError> {
    let p = PRESETS
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| ConfigError::UnknownPreset(name.to_string()))?;
    p.config()
}

impl Preset {
    /// The validated configuration.
    pub fn config(&self) -> Result<ArrayConfig, ConfigError> {
        let mut raw = RawConfig::new(self.rows, self.cols);
        raw.name = Some(self.name.to_string());
        raw.buffers.m_depth = Some(self.m_depth);
        raw.buffers.k_blocks = Some(self.k_blocks);
        raw.buffers.n_blocks = Some(self.n_blocks);
        ArrayConfig::from_raw(&raw)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn presets_validate_and_unknown_is_listed() {
        for p in super::presets() {
            p.config().unwrap();
        }
        let e = super::preset("nope").unwrap_err().to_string();
        assert!(e.contains("ws16x16"), "{e}");
    }
}
