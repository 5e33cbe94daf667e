//! `skipgrid prune` with `--preset`: the preset names the array whose tile is the block.

use super::prune::{self, PruneArgs};
use anyhow::Result;

/// `skipgrid prune` arguments, plus `--preset`.
#[derive(clap::Args, Debug)]
pub struct PruneCmdArgs {
    #[command(flatten)]
    inner: PruneArgs,
    /// Take the block size from a preset's array instead of --array.
    #[arg(long, conflicts_with = "array")]
    preset: Option<String>,
}

/// Runs `skipgrid prune`.
pub fn run(a: &PruneCmdArgs) -> Result<i32> {
    let mut args = a.inner.clone();
    if let Some(p) = &a.preset {
        let cfg = skipgrid_config::preset(p)?;
        args.array = Some(format!("{}x{}", cfg.rows, cfg.cols));
    }
    if args.array.is_none() {
        let cfg = skipgrid_config::preset(skipgrid_config::DEFAULT_PRESET)?;
        args.array = Some(format!("{}x{}", cfg.rows, cfg.cols));
    }
    prune::run(&args)
}
