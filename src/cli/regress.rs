//! `skipgrid regress`: the regression matrix (see docs/regress.md) on Verilator, in
//! parallel, with a progress bar, shards, JSON and JUnit reports and a reproduction
//! command for every failure.

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use skipgrid_config::ArrayConfig;
use skipgrid_sim::regress::{run, Event, Matrix, RunOptions, Shard, Summary};
use skipgrid_sim::VerilatorOptions;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments of `skipgrid regress`.
#[derive(clap::Args, Debug)]
pub struct RegressArgs {
    /// The matrix: configurations × shapes × masks × sparsities × seeds (TOML).
    #[arg(long, default_value = "tests/regress/default.toml")]
    matrix: PathBuf,
    /// Output directory: results.json, junit.xml, configs/ (inline configurations
    /// the reproduction commands use) and waves/ (VCDs of failing cases).
    #[arg(long, default_value = "out/regress")]
    out: PathBuf,
    /// Run only part K of N (1-based), e.g. `2/4`; the N parts partition the matrix.
    #[arg(long, default_value = "1/1")]
    shard: Shard,
    /// Worker threads (builds and simulations).
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Re-run at most this many failing cases with a VCD waveform.
    #[arg(long, default_value_t = 5)]
    max_waveforms: usize,
    /// Print the shard's cases (index, configuration, name) and exit.
    #[arg(long)]
    list: bool,
}

fn write_rtl(cfg: &ArrayConfig, dir: &Path) -> Result<(), String> {
    skipgrid_gen::write_dir(dir, &skipgrid_gen::generate(cfg).all_files())
        .map_err(|e| e.to_string())
}

/// Runs `skipgrid regress`: exit 0 when every case agrees, 1 when any fails.
pub fn run_cmd(a: &RegressArgs) -> Result<i32> {
    if a.jobs == 0 {
        bail!("--jobs 0: give at least 1 worker thread");
    }
    let matrix = Matrix::load(&a.matrix)?;
    if a.list {
        let all = matrix.cases();
        for c in a.shard.select(&all) {
            println!(
                "{:5} {} {}",
                c.index,
                matrix.configs[c.config].name,
                c.label()
            );
        }
        return Ok(0);
    }
    let opts = RunOptions {
        jobs: a.jobs,
        out: a.out.clone(),
        shard: a.shard,
        max_waveforms: a.max_waveforms,
        verilator: VerilatorOptions::default(),
    };
    let progress = Progress::new();
    let summary = run(&matrix, &opts, &write_rtl, &|e| progress.event(e))?;
    progress.finish();
    summary.write(&a.out)?;
    print_summary(&summary, &a.out);
    Ok(if summary.failed == 0 { 0 } else { 1 })
}

fn print_summary(s: &Summary, out: &Path) {
    for r in s.results.iter().filter(|r| !r.passed) {
        println!(
            "FAIL {} {}: {}",
            r.config,
            r.name,
            r.failure.as_deref().unwrap_or("failed")
        );
        println!("  reproduce: {}", r.reproduce);
        if let Some(w) = &r.waveform {
            println!("  waveform: {}", w.display());
        }
    }
    for c in s.configs.iter().filter(|c| c.error.is_some()) {
        println!(
            "build of {} failed: {}",
            c.name,
            c.error.as_deref().unwrap_or_default()
        );
    }
    println!(
        "{} of {} cases (shard {}) on {} configuration(s) in {:.1} s; reports in {} and {}",
        s.cases,
        s.matrix_cases,
        s.shard,
        s.configs.len(),
        s.duration_s,
        out.join("results.json").display(),
        out.join("junit.xml").display()
    );
    println!("{}", s.closing_line());
}

/// A progress bar on a terminal; otherwise a line every tenth of the cases.
struct Progress {
    bar: Option<ProgressBar>,
    failed: AtomicUsize,
    decile: AtomicUsize,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            bar: std::io::stderr().is_terminal().then(ProgressBar::no_length),
            failed: AtomicUsize::new(0),
            decile: AtomicUsize::new(0),
        }
    }

    fn say(&self, line: String) {
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn start(&self, len: usize, what: &str) {
        if let Some(b) = &self.bar {
            b.set_style(
                ProgressStyle::with_template(
                    "{prefix} [{bar:30}] {pos}/{len} {msg} ({elapsed}, ETA {eta})",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            b.set_prefix(what.to_string());
            b.set_length(len as u64);
            b.set_position(0);
        }
    }

    fn event(&self, e: Event<'_>) {
        match e {
            Event::Building { configs } => {
                self.start(configs, "building");
                self.say(format!("regress: building {configs} configuration(s)"));
            }
            Event::Built(b) => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
                match &b.error {
                    Some(err) => self.say(format!("build of {} FAILED: {err}", b.name)),
                    None => self.say(format!(
                        "built {} ({}) in {:.1} s{}",
                        b.name,
                        b.top,
                        b.build_s,
                        if b.cache_hit { ", cached" } else { "" }
                    )),
                }
            }
            Event::Running { cases } => {
                self.start(cases, "simulating");
                self.say(format!("regress: running {cases} case(s)"));
            }
            Event::CaseDone {
                result,
                done,
                total,
            } => {
                if !result.passed {
                    let f = self.failed.fetch_add(1, Ordering::SeqCst) + 1;
                    self.say(format!(
                        "FAIL {} {}: {}",
                        result.config,
                        result.name,
                        result.failure.as_deref().unwrap_or("failed")
                    ));
                    if let Some(b) = &self.bar {
                        b.set_message(format!("{f} failed"));
                    }
                }
                match &self.bar {
                    Some(b) => b.inc(1),
                    None => {
                        let d = done * 10 / total.max(1);
                        if self.decile.fetch_max(d, Ordering::SeqCst) < d {
                            eprintln!(
                                "regress: {done}/{total} cases ({}%), {} failed",
                                done * 100 / total.max(1),
                                self.failed.load(Ordering::SeqCst)
                            );
                        }
                    }
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
