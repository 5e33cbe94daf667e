//! Benchmark of the simulation harness on real generated RTL (ws16x16 by default):
//! Verilator build times, cached start time, simulated cycles and MACs per second, per
//! set of build flags, and the same job under Icarus as a ratio.
//!
//! `scripts/bench.sh` runs it; by hand:
//! `skipgrid gen --preset ws16x16 --out /tmp/ws16 && SKIPGRID_BENCH_DESIGN=/tmp/ws16
//! cargo bench -p skipgrid-sim --bench rtl_throughput`. Environment:
//! - `SKIPGRID_BENCH_DESIGN=DIR` (required): the generated RTL;
//! - `SKIPGRID_BENCH_PRESET` (default ws16x16): its configuration;
//! - `SKIPGRID_BENCH_VARIANTS`: comma-separated labels of the build variants to run
//!   (default all: `Os`, `O3`, `O3+vO3`, `O3-native`);
//! - `SKIPGRID_BENCH_JOBS` (default 5): jobs timed per variant;
//! - `SKIPGRID_BENCH_ICARUS=0`: skip Icarus;
//! - `SKIPGRID_BENCH_JSON=FILE`: also write the results as JSON.
//!
//! The job: M = 128, K = N = 128, dense (one job filling ws16x16's buffers: 64 blocks,
//! 8241 compute cycles). Its host program is run in three calls, timed separately:
//! the host writes (X, W, bitmap, registers, start), the wait for done (the compute,
//! exactly the CYCLES register's count), and the reads of the registers and Y. Every
//! job is checked against the golden model, so a broken build cannot look fast.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};
use skipgrid_config::ArrayConfig;
use skipgrid_model::{cycles, split, Job};
use skipgrid_sim::harness::tile_job;
use skipgrid_sim::job::{compare, cycle_limit, decode, job_program};
use skipgrid_sim::stimulus::{random_problem, MaskStructure};
use skipgrid_sim::{
    build_library, Backend, HostOp, IcarusBackend, IcarusOptions, ProgramResult, RtlDesign,
    VerilatorBackend, VerilatorOptions,
};

const SHAPE: (usize, usize, usize) = (128, 128, 128);

/// CPU time as well as wall time: the machine is shared (2 cores), and CPU time is what
/// other processes disturb least. Linux (glibc) only.
mod cpu {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
        fn getrusage(who: i32, usage: *mut [i64; 18]) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    const RUSAGE_CHILDREN: i32 = -1;

    /// CPU seconds of this thread.
    pub fn thread() -> f64 {
        let mut ts = Timespec { sec: 0, nsec: 0 };
        // SAFETY: ts is a valid timespec for the call to fill.
        unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.sec as f64 + ts.nsec as f64 * 1e-9
    }

    /// User + system CPU seconds of all waited-for children (g++, vvp, ...).
    pub fn children() -> f64 {
        // struct rusage on x86_64 Linux: two timevals, then 14 longs.
        let mut u = [0i64; 18];
        // SAFETY: u is as large as struct rusage.
        unsafe { getrusage(RUSAGE_CHILDREN, &mut u) };
        (u[0] + u[2]) as f64 + (u[1] + u[3]) as f64 * 1e-6
    }
}

/// A build variant: g++ flags of the hot code and extra Verilator flags.
struct Variant {
    label: &'static str,
    what: &'static str,
    opt_fast: &'static str,
    verilator: &'static [&'static str],
}

const VARIANTS: &[Variant] = &[
    Variant {
        label: "Os",
        what: "g++ -Os (Verilator's own default)",
        opt_fast: "-Os",
        verilator: &[],
    },
    Variant {
        label: "O3",
        what: "g++ -O3 (skipgrid's default)",
        opt_fast: "-O3",
        verilator: &[],
    },
    Variant {
        label: "O3+vO3",
        what: "g++ -O3, verilator -O3",
        opt_fast: "-O3",
        verilator: &["-O3"],
    },
    Variant {
        label: "O3-native",
        what: "g++ -O3 -march=native",
        opt_fast: "-O3 -march=native",
        verilator: &[],
    },
];

fn options(v: &Variant, cache: &Path) -> VerilatorOptions {
    VerilatorOptions {
        cache_dir: Some(cache.to_path_buf()),
        opt_fast: v.opt_fast.to_string(),
        verilator_flags: v.verilator.iter().map(|s| s.to_string()).collect(),
        ..VerilatorOptions::default()
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn design() -> RtlDesign {
    let dir = std::env::var_os("SKIPGRID_BENCH_DESIGN")
        .map(PathBuf::from)
        .expect(
            "set SKIPGRID_BENCH_DESIGN to a `skipgrid gen --preset ws16x16 --out DIR` directory",
        );
    RtlDesign::open(&dir).expect("design opens")
}

fn config() -> ArrayConfig {
    let p = std::env::var("SKIPGRID_BENCH_PRESET").unwrap_or_else(|_| "ws16x16".into());
    skipgrid_config::preset(&p).expect("known preset")
}

/// The dense job of `seed`.
fn job(cfg: &ArrayConfig, seed: u64) -> Job {
    let p = random_problem(cfg, SHAPE, 0.0, MaskStructure::Random, seed);
    let tiles = split(cfg, p.m, p.mask.kb, p.mask.nb);
    assert_eq!(
        tiles.len(),
        1,
        "the benchmark job must fit one run of the array"
    );
    tile_job(cfg, &p, &tiles[0])
}

/// Timings of one job run in three calls.
struct Timed {
    host_cycles: u64,
    compute_cycles: u64,
    host_s: f64,
    compute_s: f64,
    /// CPU seconds of the three calls.
    cpu_s: f64,
}

fn run_timed(sim: &mut dyn Backend, cfg: &ArrayConfig, job: &Job) -> Timed {
    let model = cycles(cfg, job.m as u64, job.processed_blocks(cfg) as u64).total;
    let prog = job_program(cfg, job, cycle_limit(model));
    let w = prog
        .iter()
        .position(|op| matches!(op, HostOp::WaitDone { .. }))
        .unwrap();
    let c0 = cpu::thread();
    let mut timed = |ops: &[HostOp]| {
        let t = Instant::now();
        let r = sim.run(ops).expect("program runs");
        (r, t.elapsed().as_secs_f64())
    };
    let (load, t_load) = timed(&prog[..w]);
    let (wait, t_wait) = timed(&prog[w..=w]);
    let (read, t_read) = timed(&prog[w + 1..]);
    let cpu_s = cpu::thread() - c0;
    let all = ProgramResult {
        reads: read.reads,
        waits: wait.waits,
        cycles: load.cycles + wait.cycles + read.cycles,
    };
    compare(cfg, job, &decode(cfg, &all)).expect("the RTL matches the golden model");
    Timed {
        host_cycles: load.cycles + read.cycles,
        compute_cycles: wait.cycles,
        host_s: t_load + t_read,
        compute_s: t_wait,
        cpu_s,
    }
}

/// In the child process: open + find in cache + load + reset + a one-op run.
fn cached_start_child(cache: &Path, label: &str) {
    let v = VARIANTS.iter().find(|v| v.label == label).unwrap();
    let t = Instant::now();
    let mut sim = VerilatorBackend::new(&design(), &options(v, cache)).unwrap();
    sim.run(&[HostOp::Idle { cycles: 1 }]).unwrap();
    assert!(sim.build_info().cache_hit, "expected a cache hit");
    println!("{}", t.elapsed().as_secs_f64());
}

fn cached_start(cache: &Path, label: &str) -> f64 {
    let starts = (0..5)
        .map(|_| {
            let out = Command::new(std::env::current_exe().unwrap())
                .arg("--bench")
                .env(
                    "SKIPGRID_BENCH_CHILD",
                    format!("{label}:{}", cache.display()),
                )
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<f64>()
                .unwrap()
        })
        .collect();
    median(starts)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn bench_variant(v: &Variant, d: &RtlDesign, cfg: &ArrayConfig, jobs: &[Job]) -> Value {
    let cache = tempfile::tempdir().unwrap();
    let opts = options(v, cache.path());
    let load_before = load_average();
    let c0 = cpu::children();
    let cold = build_library(d, &opts).expect("builds");
    let c1 = cpu::children();
    std::fs::remove_dir_all(cold.library.parent().unwrap()).unwrap();
    let design_only = build_library(d, &opts).expect("builds");
    let c2 = cpu::children();
    let start = cached_start(cache.path(), v.label);

    let mut sim = VerilatorBackend::new(d, &opts).unwrap();
    run_timed(&mut sim, cfg, &jobs[0]); // warm-up
    let runs: Vec<Timed> = jobs.iter().map(|j| run_timed(&mut sim, cfg, j)).collect();
    let macs = (SHAPE.0 * SHAPE.1 * SHAPE.2) as f64;
    let med = |f: &dyn Fn(&Timed) -> f64| median(runs.iter().map(f).collect());
    let r = json!({
        "label": v.label,
        "flags": v.what,
        "load_average": load_before,
        "cold_build_s": cold.elapsed.as_secs_f64(),
        "cold_build_cpu_s": c1 - c0,
        "design_build_s": design_only.elapsed.as_secs_f64(),
        "design_build_cpu_s": c2 - c1,
        "cached_start_ms": start * 1e3,
        "compute_cycles_per_job": runs[0].compute_cycles,
        "host_cycles_per_job": runs[0].host_cycles,
        "compute_cycles_per_s": med(&|t| t.compute_cycles as f64 / t.compute_s),
        "host_cycles_per_s": med(&|t| t.host_cycles as f64 / t.host_s),
        "all_cycles_per_s": med(&|t| (t.compute_cycles + t.host_cycles) as f64 / (t.compute_s + t.host_s)),
        "macs_per_s_compute": med(&|t| macs / t.compute_s),
        "macs_per_s_job": med(&|t| macs / (t.compute_s + t.host_s)),
        "job_s": med(&|t| t.compute_s + t.host_s),
        "job_cpu_s": med(&|t| t.cpu_s),
        "all_cycles_per_cpu_s": med(&|t| (t.compute_cycles + t.host_cycles) as f64 / t.cpu_s),
        "jobs": runs.len(),
    });
    println!(
        "{:<10} cold build {:>6.1} s (CPU {:>5.1} s; design only {:>5.1} s) | cached start {:>6.1} ms | compute {:>8.0} cycles/s, {:>6.3} GMAC/s | host transfer {:>8.0} cycles/s | whole job {:>8.0} cycles/s ({:>8.0} per CPU s), {:.3} s | load {}",
        v.label,
        r["cold_build_s"].as_f64().unwrap(),
        r["cold_build_cpu_s"].as_f64().unwrap(),
        r["design_build_s"].as_f64().unwrap(),
        r["cached_start_ms"].as_f64().unwrap(),
        r["compute_cycles_per_s"].as_f64().unwrap(),
        r["macs_per_s_compute"].as_f64().unwrap() / 1e9,
        r["host_cycles_per_s"].as_f64().unwrap(),
        r["all_cycles_per_s"].as_f64().unwrap(),
        r["all_cycles_per_cpu_s"].as_f64().unwrap(),
        r["job_s"].as_f64().unwrap(),
        load_before
    );
    r
}

/// The first job under Icarus, whole program in one `vvp` call, from reset.
fn bench_icarus(d: &RtlDesign, cfg: &ArrayConfig, job: &Job) -> Value {
    let t = Instant::now();
    let mut sim = IcarusBackend::new(d, IcarusOptions::default()).expect("iverilog compiles");
    let compile_s = t.elapsed().as_secs_f64();
    let model = cycles(cfg, job.m as u64, job.processed_blocks(cfg) as u64).total;
    let prog = job_program(cfg, job, cycle_limit(model));
    // The first run also compiles the testbench for the program's size: not timed.
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut total_cycles = 0;
    for i in 0..2 {
        sim.reset().unwrap();
        let (t, c) = (Instant::now(), cpu::children());
        let r = sim.run(&prog).expect("icarus runs");
        if i > 0 {
            times.push(t.elapsed().as_secs_f64());
            cpu_times.push(cpu::children() - c);
        }
        compare(cfg, job, &decode(cfg, &r)).expect("Icarus matches the golden model");
        total_cycles = r.cycles;
    }
    let s = median(times);
    let cpu_s = median(cpu_times);
    let r = json!({
        "compile_s": compile_s,
        "job_s": s,
        "job_cpu_s": cpu_s,
        "all_cycles_per_cpu_s": total_cycles as f64 / cpu_s,
        "all_cycles_per_s": total_cycles as f64 / s,
        "cycles_per_job": total_cycles,
        "load_average": load_average(),
    });
    println!(
        "icarus     compile {compile_s:.1} s | whole job {s:.2} s (CPU {cpu_s:.2} s), {:.0} cycles/s (vvp start-up included)",
        total_cycles as f64 / s
    );
    r
}

fn main() {
    if let Ok(child) = std::env::var("SKIPGRID_BENCH_CHILD") {
        let (label, cache) = child.split_once(':').unwrap();
        return cached_start_child(Path::new(cache), label);
    }
    if !std::env::args().any(|a| a == "--bench") {
        println!("rtl_throughput: run with `cargo bench` (skipped in test mode)");
        return;
    }
    let d = design();
    let cfg = config();
    assert_eq!(d.top(), cfg.top_name(), "the design is not the preset's");
    let n_jobs: u64 = std::env::var("SKIPGRID_BENCH_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let jobs: Vec<Job> = (1..=n_jobs).map(|s| job(&cfg, s)).collect();
    let wanted = std::env::var("SKIPGRID_BENCH_VARIANTS").ok();
    println!(
        "{} ({}), job M={} K={} N={} dense, {} jobs per variant, {} ops per job",
        d.top(),
        d.dir().display(),
        SHAPE.0,
        SHAPE.1,
        SHAPE.2,
        jobs.len(),
        job_program(&cfg, &jobs[0], 0).len()
    );
    let mut variants = Vec::new();
    for v in VARIANTS {
        if wanted
            .as_deref()
            .is_some_and(|w| !w.split(',').any(|l| l.trim() == v.label))
        {
            continue;
        }
        variants.push(bench_variant(v, &d, &cfg, &jobs));
    }
    let icarus = if std::env::var("SKIPGRID_BENCH_ICARUS").as_deref() == Ok("0") {
        Value::Null
    } else {
        bench_icarus(&d, &cfg, &jobs[0])
    };
    if let Some(ic) = icarus.get("job_s").and_then(Value::as_f64) {
        for v in &variants {
            let vs = v["job_s"].as_f64().unwrap();
            let cpu = icarus["job_cpu_s"].as_f64().unwrap() / v["job_cpu_s"].as_f64().unwrap();
            println!(
                "verilator {} vs icarus, same job: {:.0}x faster in wall time, {:.0}x in CPU time",
                v["label"].as_str().unwrap(),
                ic / vs,
                cpu
            );
        }
    }
    if let Some(path) = std::env::var_os("SKIPGRID_BENCH_JSON") {
        let out = json!({
            "design": d.top(),
            "shape": [SHAPE.0, SHAPE.1, SHAPE.2],
            "verilator": variants,
            "icarus": icarus,
        });
        std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap())
            .expect("SKIPGRID_BENCH_JSON writable");
    }
}
