//! Arguments shared by subcommands: which configuration.

use anyhow::{Context, Result};
use skipgrid_config::{preset, ArrayConfig, DEFAULT_PRESET};
use std::path::PathBuf;

/// `--preset NAME` or `--config FILE`.
#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// A named configuration (see `skipgrid gen --list-presets`); default ws16x16.
    #[arg(long, conflicts_with = "config")]
    pub preset: Option<String>,
    /// A TOML configuration file.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The validated configuration.
    pub fn load(&self) -> Result<ArrayConfig> {
        if let Some(path) = &self.config {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read configuration {}", path.display()))?;
            return Ok(ArrayConfig::from_toml(&text, &path.display().to_string())?);
        }
        Ok(preset(self.preset.as_deref().unwrap_or(DEFAULT_PRESET))?)
    }
}
