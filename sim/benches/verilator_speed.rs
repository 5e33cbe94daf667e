//! Verilator backend benchmark: cold build time, cached start time (in a fresh
//! process, as a user sees it) and simulated cycles per second.
//!
//! `cargo bench -p skipgrid-sim --bench verilator_speed` runs it on the 16x16 MAC
//! grid fixture. Environment:
//! - `SKIPGRID_BENCH_DESIGN=DIR`: another design directory (e.g. `skipgrid gen` output);
//! - `SKIPGRID_BENCH_PROGRAM=FILE`: the program timed for cycles/s, one op a line:
//!   `write ADDR DATA`, `read ADDR`, `wait LIMIT`, `idle CYCLES` (numbers decimal or
//!   0x-hex, `#` comments). Default: a fixture job of `SKIPGRID_BENCH_CYCLES` cycles
//!   (default 1000000), or that many idle cycles for another design;
//! - `SKIPGRID_BENCH_OPT=-Os`, `SKIPGRID_BENCH_VFLAGS="-O3 --x-assign 0"`: build flags.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use skipgrid_sim::{build_library, Backend, HostOp, RtlDesign, VerilatorBackend, VerilatorOptions};

fn options(cache: &Path) -> VerilatorOptions {
    let mut o = VerilatorOptions {
        cache_dir: Some(cache.to_path_buf()),
        ..VerilatorOptions::default()
    };
    if let Ok(opt) = std::env::var("SKIPGRID_BENCH_OPT") {
        o.opt_fast = opt;
    }
    if let Ok(flags) = std::env::var("SKIPGRID_BENCH_VFLAGS") {
        o.verilator_flags = flags.split_whitespace().map(str::to_string).collect();
    }
    o
}

fn design_dir() -> PathBuf {
    std::env::var_os("SKIPGRID_BENCH_DESIGN").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/macgrid"),
        PathBuf::from,
    )
}

fn parse_program(text: &str) -> Vec<HostOp> {
    let num = |s: &str| match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    };
    let mut prog = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        let w: Vec<&str> = line.split_whitespace().collect();
        let arg = |k: usize| {
            w.get(k)
                .and_then(|s| num(s).ok())
                .unwrap_or_else(|| panic!("program line {}: bad number in {line:?}", i + 1))
        };
        prog.push(match w.first().copied() {
            None => continue,
            Some("write") => HostOp::Write {
                addr: arg(1) as u32,
                data: arg(2),
            },
            Some("read") => HostOp::Read {
                addr: arg(1) as u32,
            },
            Some("wait") => HostOp::WaitDone { limit: arg(1) },
            Some("idle") => HostOp::Idle { cycles: arg(1) },
            Some(other) => panic!("program line {}: unknown op {other:?}", i + 1),
        });
    }
    prog
}

fn program(design: &RtlDesign) -> Vec<HostOp> {
    if let Some(p) = std::env::var_os("SKIPGRID_BENCH_PROGRAM") {
        let text = std::fs::read_to_string(&p).expect("SKIPGRID_BENCH_PROGRAM readable");
        return parse_program(&text);
    }
    let cycles: u64 = std::env::var("SKIPGRID_BENCH_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    if design.top() == "macgrid_top" {
        vec![
            HostOp::Write {
                addr: 3,
                data: 0x1234_5678,
            },
            HostOp::Write {
                addr: 2,
                data: cycles,
            },
            HostOp::Write { addr: 0, data: 1 },
            HostOp::WaitDone { limit: cycles + 10 },
            HostOp::Read { addr: 0x100 },
        ]
    } else {
        vec![HostOp::Idle { cycles }]
    }
}

/// In the child process: time find-in-cache + load + reset + a one-op run.
fn cached_start_child(cache: &Path) {
    let t = Instant::now();
    let design = RtlDesign::open(design_dir()).unwrap();
    let mut sim = VerilatorBackend::new(&design, &options(cache)).unwrap();
    sim.run(&[HostOp::Idle { cycles: 1 }]).unwrap();
    assert!(sim.build_info().cache_hit, "expected a cache hit");
    println!("{}", t.elapsed().as_secs_f64());
}

fn main() {
    if let Ok(cache) = std::env::var("SKIPGRID_BENCH_CHILD_CACHE") {
        return cached_start_child(Path::new(&cache));
    }
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` probes with --list
    }
    let design = RtlDesign::open(design_dir()).expect("design opens");
    let cache = tempfile::tempdir().unwrap();
    let opts = options(cache.path());
    println!(
        "design {} ({}), opt_fast {}, verilator flags {:?}",
        design.top(),
        design.dir().display(),
        opts.opt_fast,
        opts.verilator_flags
    );

    let cold = build_library(&design, &opts).expect("builds");
    println!(
        "cold build (empty cache, runtime included): {:.2} s",
        cold.elapsed.as_secs_f64()
    );
    std::fs::remove_dir_all(cold.library.parent().unwrap()).unwrap();
    let again = build_library(&design, &opts).unwrap();
    println!(
        "cold build (runtime cached):                {:.2} s",
        again.elapsed.as_secs_f64()
    );

    let mut starts = Vec::new();
    for _ in 0..5 {
        let out = Command::new(std::env::current_exe().unwrap())
            .env("SKIPGRID_BENCH_CHILD_CACHE", cache.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        starts.push(
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<f64>()
                .unwrap(),
        );
    }
    starts.sort_by(f64::total_cmp);
    println!(
        "cached start, fresh process (open + find + load + reset + run): median {:.3} s, min {:.3} s",
        starts[2], starts[0]
    );

    let mut sim = VerilatorBackend::new(&design, &opts).unwrap();
    let prog = program(&design);
    sim.run(&prog).expect("warm-up run");
    let mut rates = Vec::new();
    for _ in 0..3 {
        sim.reset().unwrap();
        let t = Instant::now();
        let r = sim.run(&prog).expect("program runs");
        rates.push(r.cycles as f64 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "simulation: {:.0} cycles/s median of 3 ({:.0}..{:.0}), {} cycles per run",
        rates[1],
        rates[0],
        rates[2],
        sim.run(&prog).unwrap().cycles
    );

    // Per-call cost: one Read per FFI call.
    let calls = 20_000;
    let t = Instant::now();
    for _ in 0..calls {
        sim.run(&[HostOp::Read { addr: 1 }]).unwrap();
    }
    let per_call = t.elapsed().as_secs_f64() / f64::from(calls);
    println!(
        "one-op run() calls: {:.2} us per call (one cycle each)",
        per_call * 1e6
    );
}
