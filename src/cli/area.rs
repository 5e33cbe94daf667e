//! `skipgrid area`: area and timing estimates of a configuration's RTL with Yosys and
//! OpenSTA (crate `skipgrid-synth`), and the area overhead of block skipping.
//!
//! Exit codes: 0 success; 2 bad input or a missing or failing tool: unknown target,
//! yosys/sta not installed (apt-get install -y yosys opensta), liberty missing
//! (scripts/setup-liberty.sh), synthesis failing or timing out, a bad RTL directory.

use super::common::ConfigArgs;
use skipgrid_synth::{skip_overhead, synthesize, AreaReport, SynthOptions, Target};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `skipgrid area`.
#[derive(clap::Args, Debug, Clone)]
pub struct AreaArgs {
    /// Which configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// generic (Yosys gates), ice40, xilinx, or asic (OSU 0.18 µm cells + OpenSTA).
    #[arg(long, default_value = "generic")]
    pub target: String,
    /// Print one JSON object (the report) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Keep report.json and the raw tool reports (logs, stat JSON, netlist, STA) here;
    /// the skip-off design's go to DIR/dense.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only the configuration as given (skip on); do not synthesize the skip-off twin.
    #[arg(long)]
    pub no_overhead: bool,
    /// Clock period for OpenSTA in ns (asic).
    #[arg(long, default_value_t = 10.0)]
    pub clock_period_ns: f64,
    /// Liberty file (asic); default $SKIPGRID_LIBERTY or scripts/setup-liberty.sh's path.
    #[arg(long)]
    pub liberty: Option<PathBuf>,
    /// Neither read nor write the result cache ($SKIPGRID_CACHE or target/skipgrid-cache).
    #[arg(long)]
    pub no_cache: bool,
    /// Timeout of each Yosys or OpenSTA run, seconds.
    #[arg(long, default_value_t = 1800)]
    pub timeout_s: u64,
}

/// Runs `skipgrid area`. `rtl_dir_for(skip)` generates the configuration's RTL with
/// block skipping on (`true`) or off (`false`) and returns its directory.
pub fn run(
    args: &AreaArgs,
    rtl_dir_for: impl Fn(bool) -> anyhow::Result<PathBuf>,
) -> anyhow::Result<i32> {
    let target = match args.target.parse::<Target>() {
        Ok(t) => t,
        Err(e) => return Ok(fail(&e)),
    };
    if !(args.clock_period_ns > 0.0 && args.clock_period_ns.is_finite()) {
        eprintln!(
            "skipgrid area: --clock-period-ns {} is not a positive number of nanoseconds",
            args.clock_period_ns
        );
        return Ok(2);
    }
    let mut opts = SynthOptions::new(target);
    opts.clock_period_ns = args.clock_period_ns;
    opts.liberty = args.liberty.clone();
    opts.out_dir = args.out.clone();
    opts.use_cache = !args.no_cache;
    opts.timeout = Duration::from_secs(args.timeout_s.max(1));
    if target == Target::Asic {
        // Fail before generating anything when the liberty is missing.
        if let Err(e) = skipgrid_synth::find_liberty(opts.liberty.as_deref()) {
            return Ok(fail(&e));
        }
    }
    let skip_dir = rtl_dir_for(true)?;
    let (report, dense) = if args.no_overhead {
        match synthesize(&skip_dir, &opts) {
            Ok(r) => (r, None),
            Err(e) => return Ok(fail(&e)),
        }
    } else {
        let dense_dir = rtl_dir_for(false)?;
        match skip_overhead(&skip_dir, &dense_dir, &opts) {
            Ok(o) => (o.skip, Some(o.dense)),
            Err(e) => return Ok(fail(&e)),
        }
    };
    let mut text = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        report.table()
    };
    if !args.json {
        if let Some(d) = &dense {
            text += &format!("skip off (for the overhead): {}\n", summary(d));
        }
        if let Some(out) = &args.out {
            text += &format!("reports: {}\n", out.display());
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    Ok(0)
}

fn summary(r: &AreaReport) -> String {
    match r.target {
        Target::Asic => format!(
            "logic {:.0} um^2, total {:.0} um^2",
            r.area_um2.unwrap_or(0.0),
            r.total_area_um2.unwrap_or(0.0)
        ),
        Target::Ice40 | Target::Xilinx => {
            format!("{} LUTs, {} flip-flops", r.luts.unwrap_or(0), r.flip_flops)
        }
        Target::Generic => format!("{} cells, {} flip-flops", r.cells, r.flip_flops),
    }
}

fn fail(e: &skipgrid_synth::SynthError) -> i32 {
    eprintln!("skipgrid area: {e}");
    2
}

/// Runs `skipgrid area`, generating the RTL with skip on and off into temporary
/// directories that live as long as the run.
pub fn run_cmd(args: &AreaArgs) -> anyhow::Result<i32> {
    let cfg = args.config.load()?;
    let tmp = tempfile::Builder::new()
        .prefix("skipgrid-area-")
        .tempdir()?;
    run(args, |skip| {
        let c = cfg.with_skip(skip)?;
        let dir = tmp.path().join(if skip { "skip" } else { "dense" });
        eprintln!(
            "skipgrid area: generated {} with skip {} for the {} flow",
            c.top_name(),
            if skip { "on" } else { "off (the dense twin)" },
            args.target
        );
        skipgrid_gen::write_dir(&dir, &skipgrid_gen::generate(&c).all_files())?;
        Ok(dir)
    })
}
