//! `skipgrid gen`: configuration in, Verilog directory out.

use super::common::ConfigArgs;
use anyhow::Result;
use serde_json::json;
use std::path::PathBuf;

/// Arguments of `skipgrid gen`.
#[derive(clap::Args, Debug)]
pub struct GenArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Output directory (created; replaced only if a previous `skipgrid gen` wrote it).
    #[arg(long, required_unless_present = "list_presets")]
    out: Option<PathBuf>,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
    /// List the presets, one per line, name first.
    #[arg(long)]
    list_presets: bool,
}

/// Runs `skipgrid gen`.
pub fn run(a: &GenArgs) -> Result<i32> {
    if a.list_presets {
        for p in skipgrid_config::presets() {
            println!("{:<10} {}", p.name, p.summary);
        }
        return Ok(0);
    }
    let cfg = a.config.load()?;
    let out = a.out.clone().unwrap_or_default();
    let g = skipgrid_gen::generate(&cfg);
    skipgrid_gen::write_dir(&out, &g.all_files())?;
    if a.json {
        let summary = json!({
            "top": g.top(),
            "files": g.manifest.files,
            "dir": out,
            "rows": cfg.rows,
            "cols": cfg.cols,
            "skip": cfg.skip,
            "acc_width": cfg.acc_width,
            "config_hash": format!("{:06x}", cfg.hash24()),
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{}: {} x {} array, skip {}, {} modules in {}",
            g.top(),
            cfg.rows,
            cfg.cols,
            if cfg.skip { "on" } else { "off" },
            g.verilog.len(),
            out.display()
        );
    }
    Ok(0)
}
