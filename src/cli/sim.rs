//! `skipgrid sim`: a seeded random job (or a workload) on the RTL, checked exactly.

use super::common::ConfigArgs;
use anyhow::{bail, Context, Result};
use skipgrid_config::{ArrayConfig, Register};
use skipgrid_sim::harness::{run_problem, ProblemReport};
use skipgrid_sim::stimulus::{random_problem, MaskStructure};
use skipgrid_sim::{
    Backend, HostOp, IcarusBackend, IcarusOptions, RtlDesign, VerilatorBackend, VerilatorOptions,
};
use std::path::{Path, PathBuf};

mod workload;

/// Arguments of `skipgrid sim`.
#[derive(clap::Args, Debug)]
pub struct SimArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Activation rows (tokens) [default: 64; with --workload each layer's recorded
    /// tokens].
    #[arg(long)]
    m: Option<usize>,
    /// Reduction dimension (zero-padded to whole blocks).
    #[arg(long, default_value_t = 64)]
    k: usize,
    /// Output columns (zero-padded to whole blocks).
    #[arg(long, default_value_t = 64)]
    n: usize,
    /// Fraction of weight blocks pruned, in [0, 1].
    #[arg(long, default_value_t = 0.5)]
    sparsity: f64,
    /// Seed of X, W and the mask.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Structure of the pruned blocks: random, cols (whole block-columns), rows, single.
    #[arg(long, default_value = "random")]
    mask: MaskStructure,
    /// Simulate this directory of Verilog (hand-edited RTL, a netlist) instead of
    /// freshly generated RTL; its top must be the configuration's.
    #[arg(long)]
    rtl: Option<PathBuf>,
    /// Simulator.
    #[arg(long, default_value = "verilator", value_parser = ["verilator", "icarus"])]
    backend: String,
    /// Write a VCD waveform of the run here.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Verilator only: start from random register and memory contents drawn from this
    /// seed instead of zeros, to expose RTL that reads state reset never defined.
    #[arg(long)]
    random_init: Option<u32>,
    /// Run every layer of this workload (written by `skipgrid prune`) instead of a
    /// random job: its int8 weights and block masks, its recorded activations for the
    /// first rows and seeded random int8 for any further rows (see --m, --seed).
    #[arg(long, conflicts_with_all = ["k", "n", "sparsity", "mask"])]
    workload: Option<PathBuf>,
    /// With --workload: only the layers whose names this regex matches.
    #[arg(long, requires = "workload")]
    layers: Option<String>,
}

/// Default M of a random job.
const DEFAULT_M: usize = 64;

/// Opens a backend for `dir`.
pub fn open_backend(
    dir: &Path,
    backend: &str,
    trace: Option<PathBuf>,
    random_init: Option<u32>,
) -> Result<Box<dyn Backend>> {
    if random_init.is_some() && backend == "icarus" {
        anyhow::bail!("--random-init is a Verilator option; Icarus starts every register at X");
    }
    let design = RtlDesign::open(dir)?;
    Ok(match backend {
        "icarus" => Box::new(IcarusBackend::new(
            &design,
            IcarusOptions {
                trace,
                ..Default::default()
            },
        )?),
        _ => Box::new(VerilatorBackend::new(
            &design,
            &VerilatorOptions {
                trace,
                random_init_seed: random_init,
                ..Default::default()
            },
        )?),
    })
}

/// Generates the RTL of `cfg` into a fresh temporary directory.
pub fn generated_rtl(cfg: &ArrayConfig) -> Result<tempfile::TempDir> {
    let tmp = tempfile::Builder::new().prefix("skipgrid-rtl-").tempdir()?;
    let dir = tmp.path().join("rtl");
    skipgrid_gen::write_dir(&dir, &skipgrid_gen::generate(cfg).all_files())?;
    Ok(tmp)
}

/// Refuses a design whose CONFIG_HASH register is not the configuration's.
pub fn check_identity(b: &mut dyn Backend, cfg: &ArrayConfig, dir: &Path) -> Result<()> {
    let hm = cfg.host_map();
    let r = b.run(&[HostOp::Read {
        addr: hm.reg(Register::ConfigHash),
    }])?;
    let got = r.reads[0] & 0xff_ffff;
    if got != u64::from(cfg.hash24()) {
        bail!(
            "{} holds a design for another configuration: its CONFIG_HASH is {got:06x}, this configuration's is {:06x}",
            dir.display(),
            cfg.hash24()
        );
    }
    Ok(())
}

/// The one-line command that reproduces this run.
fn repro(a: &SimArgs) -> String {
    let cfg = config_flag(a);
    let rtl = a
        .rtl
        .as_ref()
        .map(|d| format!(" --rtl {}", d.display()))
        .unwrap_or_default();
    format!(
        "skipgrid sim {cfg} --m {} --k {} --n {} --sparsity {} --mask {} --seed {}{rtl} --backend {}{}",
        a.m.unwrap_or(DEFAULT_M),
        a.k,
        a.n,
        a.sparsity,
        serde_json::to_value(a.mask).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
        a.seed,
        a.backend,
        a.random_init.map(|s| format!(" --random-init {s}")).unwrap_or_default()
    )
}

/// The backend of `--rtl` or of freshly generated RTL (its temporary directory comes
/// first and must outlive the backend), checked to be the configuration's design.
pub fn checked_backend(
    a: &SimArgs,
    cfg: &ArrayConfig,
) -> Result<(Option<tempfile::TempDir>, Box<dyn Backend>)> {
    let mut tmp = None;
    let dir = match &a.rtl {
        Some(d) => d.clone(),
        None => tmp.insert(generated_rtl(cfg)?).path().join("rtl"),
    };
    let mut backend = open_backend(&dir, &a.backend, a.trace.clone(), a.random_init)
        .with_context(|| format!("cannot simulate {}", dir.display()))?;
    check_identity(backend.as_mut(), cfg, &dir)?;
    Ok((tmp, backend))
}

/// `--preset NAME` or `--config FILE` as given, for reproduce lines.
pub fn config_flag(a: &SimArgs) -> String {
    match (&a.config.config, &a.config.preset) {
        (Some(c), _) => format!("--config {}", c.display()),
        (None, Some(p)) => format!("--preset {p}"),
        (None, None) => String::new(),
    }
}

/// Runs `skipgrid sim`.
pub fn run(a: &SimArgs) -> Result<i32> {
    let cfg = a.config.load()?;
    if let Some(dir) = &a.workload {
        return workload::run(a, &cfg, dir);
    }
    let m = a.m.unwrap_or(DEFAULT_M);
    if !(0.0..=1.0).contains(&a.sparsity) || a.sparsity.is_nan() {
        bail!("--sparsity {} is outside [0, 1]", a.sparsity);
    }
    if m == 0 || a.k == 0 || a.n == 0 {
        bail!(
            "--m, --k and --n must be at least 1 (got {}, {}, {})",
            m,
            a.k,
            a.n
        );
    }
    let (tmp, mut backend) = checked_backend(a, &cfg)?;
    let problem = random_problem(&cfg, (m, a.k, a.n), a.sparsity, a.mask, a.seed);
    let rep = run_problem(backend.as_mut(), &cfg, &problem)?;
    print_report(a, &rep)?;
    if rep.mismatch.is_some() && a.trace.is_none() {
        // Replay the failing run with a waveform, so the first look needs no second command.
        let vcd = PathBuf::from(format!(
            "out/failures/sim-{}-seed{}.vcd",
            cfg.top_name(),
            a.seed
        ));
        if let Some(parent) = vcd.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let dir = match (&a.rtl, &tmp) {
            (Some(d), _) => d.clone(),
            (None, Some(t)) => t.path().join("rtl"),
            (None, None) => unreachable!("generated RTL always has a directory"),
        };
        let mut traced = open_backend(&dir, &a.backend, Some(vcd.clone()), a.random_init)?;
        let _ = run_problem(traced.as_mut(), &cfg, &problem)?;
        eprintln!("waveform of the failing run: {}", vcd.display());
    }
    Ok(if rep.outputs_match && rep.cycles_match {
        0
    } else {
        1
    })
}

fn print_report(a: &SimArgs, rep: &ProblemReport) -> Result<()> {
    if a.json {
        let mut v = serde_json::to_value(rep)?;
        v["reproduce"] = serde_json::Value::String(repro(a));
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{} | outputs {} | cycles: RTL {} model {} dense {} (SCALE-Sim formula {}) | blocks {}/{} | utilization {:.3} | speedup vs dense {:.3}x | {} job(s)",
            if rep.outputs_match && rep.cycles_match { "PASS" } else { "FAIL" },
            if rep.outputs_match { "match" } else { "DIFFER" },
            rep.rtl_cycles,
            rep.model_cycles,
            rep.dense_cycles,
            rep.scale_sim_cycles,
            rep.nonzero_blocks,
            rep.total_blocks,
            rep.utilization,
            rep.speedup_vs_dense,
            rep.jobs
        );
    }
    if let Some(m) = &rep.first_mismatch {
        eprintln!("first difference: {m}\nreproduce: {}", repro(a));
    }
    Ok(())
}
