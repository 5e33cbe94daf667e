//! Step one: the configuration exactly as written, parsed with serde.

use crate::ConfigError;
use serde::{Deserialize, Serialize};

/// A configuration file as written. Only `rows` and `cols` are required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Optional human name, carried into the manifest.
    pub name: Option<String>,
    /// PE rows (the K dimension of a weight block), 1..=128.
    pub rows: u32,
    /// PE columns (the N dimension of a weight block), 1..=128.
    pub cols: u32,
    /// Signed activation width in bits, 4..=16 (default 8).
    pub act_width: Option<u32>,
    /// Signed weight width in bits, 4..=16 (default 8).
    pub weight_width: Option<u32>,
    /// Accumulator width; derived by default so that no job the buffers hold can overflow.
    pub acc_width: Option<u32>,
    /// `"weight-stationary"` (the only dataflow so far).
    pub dataflow: Option<String>,
    /// Sparsity skip on (default) or off (the dense baseline).
    pub skip: Option<bool>,
    /// Register each PE's product before the accumulate (default off): a shorter clock
    /// period for one more cycle of latency per job and act_width + weight_width
    /// flip-flops per PE.
    pub mac_pipeline: Option<bool>,
    /// Buffer capacities.
    #[serde(default)]
    pub buffers: RawBuffers,
}

/// Buffer capacities as written; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBuffers {
    /// Activation rows a job may have (M), a power of two, 2..=4096 (default 128).
    pub m_depth: Option<u32>,
    /// Weight blocks along K a job may have, a power of two, 1..=256 (default 8).
    pub k_blocks: Option<u32>,
    /// Weight blocks along N a job may have, a power of two, 1..=256 (default 8).
    pub n_blocks: Option<u32>,
    /// Nonzero weight blocks the weight buffer holds, a power of two, 2..=4096 (default k_blocks × n_blocks, at least 2).
    pub weight_blocks: Option<u32>,
}

impl RawConfig {
    /// Parses TOML text; `source_name` names the file in error messages.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            source_name: source_name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })
    }

    /// A configuration with only rows and cols set.
    pub fn new(rows: u32, cols: u32) -> Self {
        RawConfig {
            name: None,
            rows,
            cols,
            act_width: None,
            weight_width: None,
            acc_width: None,
            dataflow: None,
            skip: None,
            mac_pipeline: None,
            buffers: RawBuffers::default(),
        }
    }
}
