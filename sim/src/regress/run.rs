//! Running a shard: each configuration's RTL is generated and its Verilator library
//! built once (configurations in parallel), then worker threads take cases in matrix
//! order, each keeping one loaded backend for the configuration it is on.
//!
//! A case that differs, hangs (the harness's watchdog) or panics is a failed result,
//! never an aborted run; only a simulator that cannot run at all aborts.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use skipgrid_config::ArrayConfig;

use super::report::{config_file, mismatch_json, reproduce, CaseResult, ConfigBuild, Summary};
use super::{Case, ConfigSource, Matrix, RegressError, Shard};
use crate::harness::{run_problem, ProblemReport};
use crate::stimulus::random_problem;
use crate::{build_library, Backend, RtlDesign, SimError, VerilatorBackend, VerilatorOptions};

/// Writes the RTL of a configuration into a directory (`skipgrid gen`'s output).
/// The binary passes the emitter in, so this crate does not depend on it.
pub trait RtlWriter: Sync {
    /// Generates `cfg` into `dir` (which does not exist yet).
    fn write_rtl(&self, cfg: &ArrayConfig, dir: &Path) -> Result<(), String>;
}

impl<F> RtlWriter for F
where
    F: Fn(&ArrayConfig, &Path) -> Result<(), String> + Sync,
{
    fn write_rtl(&self, cfg: &ArrayConfig, dir: &Path) -> Result<(), String> {
        self(cfg, dir)
    }
}

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads (builds and cases), at least 1.
    pub jobs: usize,
    /// The output directory; reproduction commands and waveforms point into it.
    pub out: PathBuf,
    /// Which part of the matrix.
    pub shard: Shard,
    /// At most this many failing cases are re-run with a VCD waveform.
    pub max_waveforms: usize,
    /// Verilator build and run options (`trace` is ignored: waveforms are per case).
    pub verilator: VerilatorOptions,
}

/// Progress, reported from the worker threads.
#[derive(Debug)]
pub enum Event<'a> {
    /// Building starts for this many configurations.
    Building {
        /// Configurations with cases in the shard.
        configs: usize,
    },
    /// A configuration is built (or failed to build: see its `error`).
    Built(&'a ConfigBuild),
    /// Cases start.
    Running {
        /// Cases in the shard.
        cases: usize,
    },
    /// A case finished.
    CaseDone {
        /// Its result.
        result: &'a CaseResult,
        /// Cases finished so far, this one included.
        done: usize,
        /// Cases in the shard.
        total: usize,
    },
}

/// Runs the shard `opts.shard` of `matrix`, writing inline configurations to
/// `OUT/configs/` (the reproduction commands use them) and waveforms of failing cases
/// to `OUT/waves/`. Does not write the reports; see [`Summary::write`].
pub fn run(
    matrix: &Matrix,
    opts: &RunOptions,
    rtl: &dyn RtlWriter,
    on_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<Summary, RegressError> {
    let start = Instant::now();
    let all = matrix.cases();
    let cases = opts.shard.select(&all);
    let mut used: Vec<usize> = cases.iter().map(|c| c.config).collect();
    used.dedup();
    write_config_files(matrix, &used, &opts.out)?;
    let tmp = tempfile::Builder::new()
        .prefix("skipgrid-regress-")
        .tempdir()
        .map_err(|e| RegressError::io("create", std::env::temp_dir(), e))?;
    let jobs = opts.jobs.max(1);

    on_event(Event::Building {
        configs: used.len(),
    });
    let (builds, designs) = build_all(matrix, cases, &used, tmp.path(), jobs, opts, rtl, on_event)?;

    on_event(Event::Running { cases: cases.len() });
    let slots: Vec<Mutex<Option<CaseResult>>> = cases.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let waves = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(cases.len()) {
            s.spawn(|| {
                let mut w = Worker {
                    matrix,
                    opts,
                    designs: &designs,
                    waves: &waves,
                    current: None,
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let r = w.case(case);
                    let d = done.fetch_add(1, Ordering::SeqCst) + 1;
                    on_event(Event::CaseDone {
                        result: &r,
                        done: d,
                        total: cases.len(),
                    });
                    *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                }
            });
        }
    });
    let results = slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .expect("every case ran")
        })
        .collect();
    Ok(Summary::new(
        matrix,
        opts.shard,
        all.len(),
        builds,
        results,
        start.elapsed().as_secs_f64(),
    ))
}

fn write_config_files(matrix: &Matrix, used: &[usize], out: &Path) -> Result<(), RegressError> {
    for &ci in used {
        let c = &matrix.configs[ci];
        if c.source != ConfigSource::Inline {
            continue;
        }
        let path = config_file(out, &c.name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| RegressError::io("create", dir, e))?;
        }
        let text = format!(
            "# Configuration `{}` of the regression matrix {}.\n{}",
            c.name,
            matrix.file,
            toml::to_string(&c.config.to_raw()).expect("a configuration always serializes")
        );
        std::fs::write(&path, text).map_err(|e| RegressError::io("write", &path, e))?;
    }
    Ok(())
}

/// A configuration's build report, and its design when it built.
type Built = (ConfigBuild, Option<RtlDesign>);

/// Builds every used configuration; `designs[config index]` is `Some` when it built.
#[allow(clippy::too_many_arguments)]
fn build_all(
    matrix: &Matrix,
    cases: &[Case],
    used: &[usize],
    tmp: &Path,
    jobs: usize,
    opts: &RunOptions,
    rtl: &dyn RtlWriter,
    on_event: &(dyn Fn(Event<'_>) + Sync),
) -> Result<(Vec<ConfigBuild>, Vec<Option<RtlDesign>>), RegressError> {
    let slots: Vec<Mutex<Option<Built>>> = used.iter().map(|_| Mutex::new(None)).collect();
    let fatal: Mutex<Option<SimError>> = Mutex::new(None);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(used.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(&ci) = used.get(i) else { break };
                if fatal.lock().map(|f| f.is_some()).unwrap_or(true) {
                    break;
                }
                let c = &matrix.configs[ci];
                let t0 = Instant::now();
                let mut b = ConfigBuild {
                    name: c.name.clone(),
                    preset: match &c.source {
                        ConfigSource::Preset(p) => Some(p.clone()),
                        ConfigSource::Inline => None,
                    },
                    config_file: (c.source == ConfigSource::Inline)
                        .then(|| config_file(&opts.out, &c.name)),
                    top: c.config.top_name(),
                    cases: cases.iter().filter(|k| k.config == ci).count(),
                    build_s: 0.0,
                    cache_hit: false,
                    error: None,
                };
                let dir = tmp.join(&c.name).join("rtl");
                // A generator that panics fails this configuration's cases, not the run.
                let built = catch_unwind(AssertUnwindSafe(|| rtl.write_rtl(&c.config, &dir)))
                    .unwrap_or_else(|p| Err(format!("panic: {}", panic_text(p.as_ref()))))
                    .map_err(|e| format!("generating the RTL failed: {e}"))
                    .and_then(|()| RtlDesign::open(&dir).map_err(|e| e.to_string()))
                    .and_then(|d| match build_library(&d, &opts.verilator) {
                        Ok(v) => Ok((d, v.cache_hit)),
                        Err(e @ SimError::ToolMissing { .. }) => {
                            if let Ok(mut f) = fatal.lock() {
                                f.get_or_insert(e);
                            }
                            Err("the simulator is missing".into())
                        }
                        Err(e) => Err(e.to_string()),
                    });
                b.build_s = t0.elapsed().as_secs_f64();
                let design = match built {
                    Ok((d, hit)) => {
                        b.cache_hit = hit;
                        Some(d)
                    }
                    Err(e) => {
                        b.error = Some(e);
                        None
                    }
                };
                on_event(Event::Built(&b));
                *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some((b, design));
            });
        }
    });
    if let Some(e) = fatal.into_inner().unwrap_or(None) {
        return Err(e.into());
    }
    let mut designs = vec![None; matrix.configs.len()];
    let mut builds = Vec::new();
    for (slot, &ci) in slots.into_iter().zip(used) {
        let (b, d) = slot
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .expect("every configuration was built");
        designs[ci] = d;
        builds.push(b);
    }
    Ok((builds, designs))
}

/// One worker thread's state: the backend of the configuration it is on.
struct Worker<'a> {
    matrix: &'a Matrix,
    opts: &'a RunOptions,
    designs: &'a [Option<RtlDesign>],
    waves: &'a AtomicUsize,
    current: Option<(usize, VerilatorBackend)>,
}

impl Worker<'_> {
    fn case(&mut self, case: &Case) -> CaseResult {
        let mut r = CaseResult {
            index: case.index,
            config: self.matrix.configs[case.config].name.clone(),
            name: case.label(),
            m: case.m,
            k: case.k,
            n: case.n,
            mask: case.mask,
            sparsity: case.sparsity,
            seed: case.seed,
            passed: false,
            outputs_match: false,
            cycles_match: false,
            rtl_cycles: 0,
            model_cycles: 0,
            dense_cycles: 0,
            speedup_vs_dense: 0.0,
            utilization: 0.0,
            jobs: 0,
            duration_s: 0.0,
            failure: None,
            mismatch: None,
            waveform: None,
            reproduce: reproduce(self.matrix, case, &self.opts.out),
        };
        let Some(design) = &self.designs[case.config] else {
            r.failure = Some(
                "the configuration's RTL did not build (see `configs` in results.json)".into(),
            );
            return r;
        };
        let cfg = &self.matrix.configs[case.config].config;
        if self.current.as_ref().map(|(c, _)| *c) != Some(case.config) {
            self.current = None;
            match VerilatorBackend::new(design, &self.verilator(None)) {
                Ok(b) => self.current = Some((case.config, b)),
                Err(e) => {
                    r.failure = Some(format!("cannot load the simulation: {e}"));
                    return r;
                }
            }
        }
        let (_, backend) = self.current.as_mut().expect("loaded above");
        let t0 = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| simulate(backend, cfg, case)));
        r.duration_s = t0.elapsed().as_secs_f64();
        match outcome {
            Ok(Ok(rep)) => {
                r.passed = rep.outputs_match && rep.cycles_match;
                r.outputs_match = rep.outputs_match;
                r.cycles_match = rep.cycles_match;
                r.rtl_cycles = rep.rtl_cycles;
                r.model_cycles = rep.model_cycles;
                r.dense_cycles = rep.dense_cycles;
                r.speedup_vs_dense = rep.speedup_vs_dense;
                r.utilization = rep.utilization;
                r.jobs = rep.jobs;
                r.mismatch = rep.mismatch.as_ref().map(mismatch_json);
                r.failure = rep.first_mismatch;
                if !r.passed && r.failure.is_none() {
                    r.failure = Some("the RTL differs from the model".into());
                }
            }
            Ok(Err(e)) => r.failure = Some(format!("simulation error: {e}")),
            Err(panic) => {
                let msg = panic_text(panic.as_ref());
                r.failure = Some(format!("panic while simulating: {msg}"));
                // The model may be mid-run; start the next case from a fresh one.
                self.current = None;
            }
        }
        if !r.passed && self.waves.fetch_add(1, Ordering::SeqCst) < self.opts.max_waveforms {
            match self.waveform(design, cfg, case) {
                Ok(p) => r.waveform = Some(p),
                Err(e) => {
                    let f = r.failure.get_or_insert_with(String::new);
                    f.push_str(&format!(" (no waveform: {e})"));
                }
            }
        }
        r
    }

    fn verilator(&self, trace: Option<PathBuf>) -> VerilatorOptions {
        VerilatorOptions {
            trace,
            ..self.opts.verilator.clone()
        }
    }

    /// Re-runs `case` on a fresh traced backend into `OUT/waves/CONFIG-INDEX.vcd`.
    fn waveform(
        &self,
        design: &RtlDesign,
        cfg: &ArrayConfig,
        case: &Case,
    ) -> Result<PathBuf, String> {
        let dir = self.opts.out.join("waves");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let name = &self.matrix.configs[case.config].name;
        let path = dir.join(format!("{name}-{:05}.vcd", case.index));
        let mut b = VerilatorBackend::new(design, &self.verilator(Some(path.clone())))
            .map_err(|e| e.to_string())?;
        // The re-run fails the same way; what matters is the trace it leaves.
        let _ = catch_unwind(AssertUnwindSafe(|| simulate(&mut b, cfg, case)));
        drop(b);
        Ok(path)
    }
}

fn simulate(
    backend: &mut dyn Backend,
    cfg: &ArrayConfig,
    case: &Case,
) -> Result<ProblemReport, SimError> {
    // Every case starts from reset, as `skipgrid sim` does, so the reproduction is exact.
    backend.reset()?;
    let p = random_problem(
        cfg,
        (case.m, case.k, case.n),
        case.sparsity,
        case.mask,
        case.seed,
    );
    run_problem(backend, cfg, &p)
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}
