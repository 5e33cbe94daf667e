//! Verilate a design and compile it, with the shim, into a cached shared library.
//!
//! Steps (each tool call through `skipgrid_toolrun`, with a timeout):
//! `verilator --cc` into `obj/`; g++ on the generated C++ (hot classes at
//! [`VerilatorOptions::opt_fast`], init-only classes unoptimised, as Verilator's own
//! makefile does) and the shim, at most 2 at once per process; the Verilator runtime
//! (`verilated.cpp`, ...) is compiled once per toolchain and flags into its own cache
//! entry; then one `g++ -shared` link.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use skipgrid_toolrun::{version_line, Tool};

use super::cache::{default_cache_dir, entry, publish, staging_dir, KeyHasher};
use super::compile::{compile_all, Compile};
use super::shim::{config_header, model_class, SHIM_CPP};
use super::{VerilatorBuild, VerilatorOptions};
use crate::{RtlDesign, SimError};

/// The library's file name inside a cache entry; its presence marks a finished entry.
pub(crate) const LIB_NAME: &str = "libskipgrid_sim.so";
const RUNTIME_MARKER: &str = "runtime.ok";

/// Verilator flags every build gets (chosen by measurement, see the crate docs).
const BASE_VERILATOR_FLAGS: &[&str] =
    &["-Wno-fatal", "--x-assign", "fast", "--x-initial", "unique"];

/// What `verilated.mk` adds to every compile (Verilator 5.006), minus `-MMD`.
const BASE_CXX_FLAGS: &[&str] = &[
    "-fPIC",
    "-fvisibility=hidden",
    "-faligned-new",
    "-fcf-protection=none",
    "-Wno-bool-operation",
    "-Wno-sign-compare",
    "-Wno-uninitialized",
    "-Wno-unused-but-set-variable",
    "-Wno-unused-parameter",
    "-Wno-unused-variable",
    "-Wno-shadow",
    "-DVM_COVERAGE=0",
    "-DVM_SC=0",
    "-DVM_TRACE_FST=0",
];

/// Facts about the installed tools, looked up once per process.
struct Toolchain {
    verilator_version: String,
    cxx_version: String,
    root: PathBuf,
}

fn toolchain(opts: &VerilatorOptions) -> Result<&'static Toolchain, SimError> {
    static TOOLCHAIN: OnceLock<Toolchain> = OnceLock::new();
    if let Some(t) = TOOLCHAIN.get() {
        return Ok(t);
    }
    let stage = "looking up the Verilator toolchain";
    let verilator_version =
        version_line("verilator", "--version").map_err(|e| SimError::from_tool(stage, e))?;
    let cxx_version =
        version_line("g++", "--version").map_err(|e| SimError::from_tool(stage, e))?;
    let root = Tool::new("verilator")
        .args(["--getenv", "VERILATOR_ROOT"])
        .timeout(opts.tool_timeout)
        .run()
        .map_err(|e| SimError::from_tool(stage, e))?
        .stdout
        .trim()
        .to_string();
    let t = Toolchain {
        verilator_version,
        cxx_version,
        root: PathBuf::from(root),
    };
    Ok(TOOLCHAIN.get_or_init(|| t))
}

/// Builds (or finds in the cache) the simulation library for `design`.
pub(crate) fn build_library(
    design: &RtlDesign,
    opts: &VerilatorOptions,
) -> Result<VerilatorBuild, SimError> {
    let start = Instant::now();
    let tc = toolchain(opts)?;
    let trace = opts.trace.is_some();
    let mut vflags: Vec<String> = BASE_VERILATOR_FLAGS.iter().map(|s| s.to_string()).collect();
    if trace {
        vflags.push("--trace".into());
    }
    vflags.extend(opts.verilator_flags.iter().cloned());
    let cxx = cxx_flags(tc, trace);
    let header = config_header(design, trace);

    let mut h = KeyHasher::new();
    h.add_str("skipgrid-sim verilator library v1")
        .add_str(&tc.verilator_version)
        .add_str(&tc.cxx_version)
        .add_str(design.top())
        .add_str(&header)
        .add_str(SHIM_CPP)
        .add_str(&opts.opt_fast)
        .add_str(&vflags.join("\n"))
        .add_str(&cxx.join("\n"));
    for f in design.files() {
        let text = std::fs::read(f).map_err(|e| SimError::io("reading", f, e))?;
        let name = f.strip_prefix(design.dir()).unwrap_or(f);
        h.add_str(&name.to_string_lossy()).add(&text);
    }
    let key = h.hex();
    let cache = opts.cache_dir.clone().unwrap_or_else(default_cache_dir);
    let (dir, done) = entry(&cache, &key, LIB_NAME);
    let found = |cache_hit| VerilatorBuild {
        library: dir.join(LIB_NAME),
        key: key.clone(),
        cache_hit,
        elapsed: start.elapsed(),
    };
    if done {
        return Ok(found(true));
    }

    let staging = staging_dir(&cache, &key)?;
    let obj = staging.join("obj");
    std::fs::create_dir_all(&obj).map_err(|e| SimError::io("creating", &obj, e))?;
    let class = model_class(design.top());
    let stage = format!("verilating {}", design.top());
    let out = Tool::new("verilator")
        .args([
            "--cc",
            "--prefix",
            &class,
            "--top-module",
            design.top(),
            "-Mdir",
            "obj",
        ])
        .args(&vflags)
        .args(design.files().iter().map(|f| f.to_string_lossy()))
        .dir(&staging)
        .timeout(opts.tool_timeout)
        .run()
        .map_err(|e| SimError::from_tool(&stage, e))?;
    write(&staging.join("verilator.log"), &out.stderr)?;
    write(&obj.join("sg_config.h"), &header)?;
    write(&obj.join("sg_shim.cpp"), SHIM_CPP)?;

    let classes = parse_classes_mk(&obj.join(format!("{class}_classes.mk")))?;
    let runtime = runtime_objects(tc, &cache, &classes.global, &cxx, opts)?;
    let mut jobs = vec![Compile::new(&obj, "sg_shim", &opts.opt_fast)];
    jobs.extend(
        classes
            .fast
            .iter()
            .map(|c| Compile::new(&obj, c, &opts.opt_fast)),
    );
    jobs.extend(classes.slow.iter().map(|c| Compile::new(&obj, c, "-O0")));
    let mut cxx_obj = cxx.clone();
    cxx_obj.push(format!("-I{}", obj.display()));
    compile_all(
        &jobs,
        &cxx_obj,
        opts,
        &format!("compiling {}", design.top()),
    )?;

    let lib = staging.join(LIB_NAME);
    Tool::new("g++")
        .args(["-shared", "-o"])
        .arg(lib.to_string_lossy())
        .args(jobs.iter().map(|j| j.obj.to_string_lossy()))
        .args(runtime.iter().map(|p| p.to_string_lossy()))
        .args(["-pthread", "-latomic", "-Wl,--no-undefined"])
        .dir(&staging)
        .timeout(opts.tool_timeout)
        .run()
        .map_err(|e| SimError::from_tool(&format!("linking {}", design.top()), e))?;
    let _ = std::fs::remove_dir_all(&obj);
    publish(&staging, &dir, LIB_NAME)?;
    Ok(found(false))
}

fn cxx_flags(tc: &Toolchain, trace: bool) -> Vec<String> {
    let include = tc.root.join("include");
    let mut f: Vec<String> = BASE_CXX_FLAGS.iter().map(|s| s.to_string()).collect();
    f.push(format!("-DVM_TRACE={}", u8::from(trace)));
    f.push(format!("-DVM_TRACE_VCD={}", u8::from(trace)));
    f.push(format!("-I{}", include.display()));
    f.push(format!("-I{}", include.join("vltstd").display()));
    f
}

/// The Verilator runtime (`VM_GLOBAL_*` of the classes makefile), compiled once per
/// toolchain and flags and shared by every design's build.
fn runtime_objects(
    tc: &Toolchain,
    cache: &Path,
    names: &[String],
    cxx: &[String],
    opts: &VerilatorOptions,
) -> Result<Vec<PathBuf>, SimError> {
    let mut h = KeyHasher::new();
    h.add_str("skipgrid-sim verilator runtime v1")
        .add_str(&tc.verilator_version)
        .add_str(&tc.cxx_version)
        .add_str(&opts.opt_fast)
        .add_str(&cxx.join("\n"))
        .add_str(&names.join("\n"));
    let key = format!("runtime-{}", h.hex());
    let (dir, done) = entry(cache, &key, RUNTIME_MARKER);
    let objs: Vec<PathBuf> = names.iter().map(|n| dir.join(format!("{n}.o"))).collect();
    if done {
        return Ok(objs);
    }
    let staging = staging_dir(cache, &key)?;
    let src = tc.root.join("include");
    let jobs: Vec<Compile> = names
        .iter()
        .map(|n| Compile {
            src: src.join(format!("{n}.cpp")),
            obj: staging.join(format!("{n}.o")),
            opt: opts.opt_fast.clone(),
        })
        .collect();
    compile_all(&jobs, cxx, opts, "compiling the Verilator runtime")?;
    write(&staging.join(RUNTIME_MARKER), "")?;
    publish(&staging, &dir, RUNTIME_MARKER)?;
    Ok(objs)
}

/// The class lists of `V<top>_classes.mk`.
#[derive(Debug, Default, PartialEq)]
struct Classes {
    fast: Vec<String>,
    slow: Vec<String>,
    global: Vec<String>,
}

fn parse_classes_mk(path: &Path) -> Result<Classes, SimError> {
    let text = std::fs::read_to_string(path).map_err(|e| SimError::io("reading", path, e))?;
    let mut c = Classes::default();
    let mut current: Option<&str> = None;
    for line in text.lines() {
        if let Some(var) = line.strip_suffix("+= \\").map(str::trim) {
            current = Some(var);
            continue;
        }
        let name = line.trim().trim_end_matches('\\').trim();
        if name.is_empty() || !line.starts_with(char::is_whitespace) {
            current = None;
            continue;
        }
        let list = match current {
            Some("VM_CLASSES_FAST" | "VM_SUPPORT_FAST") => &mut c.fast,
            Some("VM_CLASSES_SLOW" | "VM_SUPPORT_SLOW") => &mut c.slow,
            Some("VM_GLOBAL_FAST" | "VM_GLOBAL_SLOW") => &mut c.global,
            _ => continue,
        };
        list.push(name.to_string());
    }
    if c.fast.is_empty() || c.global.is_empty() {
        return Err(SimError::Parse {
            what: path.display().to_string(),
            reason: "no VM_CLASSES_FAST or VM_GLOBAL_FAST entries (unsupported Verilator version?)"
                .into(),
        });
    }
    Ok(c)
}

fn write(path: &Path, text: &str) -> Result<(), SimError> {
    std::fs::write(path, text).map_err(|e| SimError::io("writing", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_mk_is_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("V_classes.mk");
        std::fs::write(
            &p,
            "VM_TRACE = 0\n# Generated\nVM_CLASSES_FAST += \\\n\tVtop \\\n\tVtop__Dep \\\n\n\
             VM_CLASSES_SLOW += \\\n\tVtop__Slow \\\n\nVM_SUPPORT_FAST += \\\n\n\
             VM_SUPPORT_SLOW += \\\n\tVtop__Syms \\\n\nVM_GLOBAL_FAST += \\\n\tverilated \\\n\
             \tverilated_threads \\\n\nVM_GLOBAL_SLOW += \\\n\n",
        )
        .unwrap();
        let c = parse_classes_mk(&p).unwrap();
        assert_eq!(c.fast, ["Vtop", "Vtop__Dep"]);
        assert_eq!(c.slow, ["Vtop__Slow", "Vtop__Syms"]);
        assert_eq!(c.global, ["verilated", "verilated_threads"]);
    }
}
