//! The Verilator backend: the design is verilated and compiled once into a cached
//! shared library (see [`build_library`]), loaded with `libloading`, and whole
//! programs run inside C++ per FFI call.

mod build;
mod cache;
mod compile;
mod shim;

use std::ffi::{c_char, c_void, CString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use libloading::Library;

pub use cache::default_cache_dir;

use crate::program::{check_program, result_counts};
use crate::{Backend, HostOp, ProgramResult, RtlDesign, SimError};

/// How to build and run a design under Verilator.
#[derive(Debug, Clone)]
pub struct VerilatorOptions {
    /// Cache of built libraries; `None` means [`default_cache_dir`].
    pub cache_dir: Option<PathBuf>,
    /// Write a VCD of everything the backend simulates to this file. Needs a library
    /// built with `--trace`, which is cached under its own key.
    pub trace: Option<PathBuf>,
    /// g++ flags for the model's hot code and the runtime, split at whitespace
    /// (default `-O3`; Verilator's own default is `-Os`, ~3x slower here). Part of
    /// the cache key; the CPU model is not, so `-march=native` suits only a cache
    /// that stays on one machine.
    pub opt_fast: String,
    /// Extra Verilator flags (part of the cache key).
    pub verilator_flags: Vec<String>,
    /// g++ jobs in parallel for one build; clamped to 1..=2.
    pub jobs: usize,
    /// Timeout of each tool call (verilator, each g++).
    pub tool_timeout: Duration,
    /// Start from random instead of all-zero state (Verilator's `randReset(2)`) with
    /// this seed: a design whose results change with it reads unreset state.
    pub random_init_seed: Option<u32>,
}

impl Default for VerilatorOptions {
    fn default() -> Self {
        VerilatorOptions {
            cache_dir: None,
            trace: None,
            opt_fast: "-O3".to_string(),
            verilator_flags: Vec::new(),
            jobs: 2,
            tool_timeout: Duration::from_secs(20 * 60),
            random_init_seed: None,
        }
    }
}

/// A built (or cached) simulation library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerilatorBuild {
    /// The shared library.
    pub library: PathBuf,
    /// The cache key: a hash of the Verilog files, top name, flags, shim and tool versions.
    pub key: String,
    /// `true` when the library was already in the cache (no tool but the version
    /// queries ran).
    pub cache_hit: bool,
    /// Time to find or build the library.
    pub elapsed: Duration,
}

/// Builds the simulation library for `design`, or finds it in the cache.
///
/// Safe to call from several threads or processes for the same design at once.
pub fn build_library(
    design: &RtlDesign,
    opts: &VerilatorOptions,
) -> Result<VerilatorBuild, SimError> {
    build::build_library(design, opts)
}

#[repr(C)]
struct RawOp {
    kind: u32,
    addr: u32,
    arg: u64,
}

#[repr(C)]
#[derive(Default)]
struct RawStatus {
    code: u32,
    reserved: u32,
    op: u64,
    cycles: u64,
    detail: u64,
}

// Status codes of shim.cpp.
const SG_OK: u32 = 0;
const SG_HANG: u32 = 1;
const SG_NO_RVALID: u32 = 2;
const SG_FINISHED: u32 = 4;

type NewFn = unsafe extern "C" fn(*const c_char, u32, u32) -> *mut c_void;
type HandleFn = unsafe extern "C" fn(*mut c_void);
type CyclesFn = unsafe extern "C" fn(*mut c_void) -> u64;
type RunFn =
    unsafe extern "C" fn(*mut c_void, *const RawOp, u64, *mut u64, *mut u64, *mut RawStatus);
type AbiFn = unsafe extern "C" fn() -> u32;

/// A design running under Verilator in this process.
pub struct VerilatorBackend {
    handle: *mut c_void,
    free: HandleFn,
    reset: HandleFn,
    run: RunFn,
    cycles: CyclesFn,
    addr_width: u32,
    data_width: u32,
    broken: bool,
    build: VerilatorBuild,
    // Dropped after `handle` is freed (see Drop).
    _lib: Library,
}

// The model is only touched through `&mut self`; Verilator models may move between
// threads as long as one thread at a time evaluates them.
unsafe impl Send for VerilatorBackend {}

impl VerilatorBackend {
    /// Builds (or finds in the cache) and loads `design`, then resets it.
    pub fn new(design: &RtlDesign, opts: &VerilatorOptions) -> Result<Self, SimError> {
        let build = build_library(design, opts)?;
        let path = build.library.clone();
        let load_err = |message: String| SimError::Load {
            path: path.clone(),
            message,
        };
        // SAFETY: the library is one we built from shim.cpp; its initialisers are
        // Verilator's and ours, and the ABI version is checked before anything else.
        let lib = unsafe { Library::new(&path) }.map_err(|e| load_err(e.to_string()))?;
        // SAFETY: the symbol types match the declarations in shim.cpp; the ABI version
        // is checked first.
        let (new, free, reset, run, cycles) = unsafe {
            let abi: AbiFn = symbol(&lib, b"sg_abi_version\0", &path)?;
            if abi() != shim::ABI_VERSION {
                return Err(load_err(format!(
                    "shim ABI version {} but this crate expects {}; delete the cache entry",
                    abi(),
                    shim::ABI_VERSION
                )));
            }
            (
                symbol::<NewFn>(&lib, b"sg_new\0", &path)?,
                symbol::<HandleFn>(&lib, b"sg_free\0", &path)?,
                symbol::<HandleFn>(&lib, b"sg_reset\0", &path)?,
                symbol::<RunFn>(&lib, b"sg_run\0", &path)?,
                symbol::<CyclesFn>(&lib, b"sg_cycles\0", &path)?,
            )
        };
        let trace = match &opts.trace {
            Some(p) => Some(
                CString::new(p.to_string_lossy().as_bytes())
                    .map_err(|_| load_err(format!("trace path {} contains NUL", p.display())))?,
            ),
            None => None,
        };
        let trace_ptr = trace.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
        let (random, seed) = match opts.random_init_seed {
            Some(s) => (1, s),
            None => (0, 0),
        };
        // SAFETY: sg_new copies the path; it returns null on failure.
        let handle = unsafe { new(trace_ptr, random, seed) };
        if handle.is_null() {
            return Err(load_err(match &opts.trace {
                Some(p) => format!("could not create the model or open the VCD {}", p.display()),
                None => "could not create the model".to_string(),
            }));
        }
        Ok(VerilatorBackend {
            handle,
            free,
            reset,
            run,
            cycles,
            addr_width: design.addr_width(),
            data_width: design.data_width(),
            broken: false,
            build,
            _lib: lib,
        })
    }

    /// How the library was found or built.
    pub fn build_info(&self) -> &VerilatorBuild {
        &self.build
    }

    /// Rising edges simulated since the model was created, resets included.
    pub fn total_cycles(&self) -> u64 {
        // SAFETY: handle is live until Drop.
        unsafe { (self.cycles)(self.handle) }
    }
}

impl Backend for VerilatorBackend {
    fn name(&self) -> &'static str {
        "verilator"
    }

    fn run(&mut self, prog: &[HostOp]) -> Result<ProgramResult, SimError> {
        if self.broken {
            return Err(SimError::NeedsReset);
        }
        check_program(prog, self.addr_width, self.data_width)?;
        let raw: Vec<RawOp> = prog
            .iter()
            .map(|op| {
                let (kind, addr, arg) = op.encode();
                RawOp { kind, addr, arg }
            })
            .collect();
        let (n_reads, n_waits) = result_counts(prog);
        let mut reads = vec![0u64; n_reads];
        let mut waits = vec![0u64; n_waits];
        let mut st = RawStatus::default();
        // SAFETY: the buffers have room for every Read and WaitDone in `raw`.
        unsafe {
            (self.run)(
                self.handle,
                raw.as_ptr(),
                raw.len() as u64,
                reads.as_mut_ptr(),
                waits.as_mut_ptr(),
                &mut st,
            )
        };
        let op = st.op as usize;
        self.broken = st.code != SG_OK;
        match st.code {
            SG_OK => Ok(ProgramResult {
                reads,
                waits,
                cycles: st.cycles,
            }),
            SG_HANG => Err(SimError::Hang {
                op,
                cycles: st.detail,
            }),
            SG_NO_RVALID => Err(SimError::Protocol {
                op,
                message: "host_rvalid was 0 after the read edge".into(),
            }),
            SG_FINISHED => Err(SimError::Protocol {
                op,
                message: "the design called $finish".into(),
            }),
            code => Err(SimError::Protocol {
                op,
                message: format!("the simulation library returned status {code}"),
            }),
        }
    }

    fn reset(&mut self) -> Result<(), SimError> {
        // SAFETY: handle is live until Drop.
        unsafe { (self.reset)(self.handle) };
        self.broken = false;
        Ok(())
    }
}

/// # Safety
/// `T` must be the function-pointer type of the symbol `name`.
unsafe fn symbol<T: Copy>(lib: &Library, name: &[u8], path: &Path) -> Result<T, SimError> {
    lib.get::<T>(name).map(|s| *s).map_err(|e| SimError::Load {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl Drop for VerilatorBackend {
    fn drop(&mut self) {
        // SAFETY: handle came from sg_new of the still-loaded library, freed once.
        unsafe { (self.free)(self.handle) };
    }
}
