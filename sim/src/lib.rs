//! Simulation backends for skipgrid's generated RTL.
//!
//! A design is a directory written by `skipgrid gen` (see `docs/rtl-interface.md`),
//! opened as an [`RtlDesign`]. Every backend runs the same stimulus, a host-bus
//! program of [`HostOp`]s, with exactly the same bus protocol (see [`program`]), and
//! returns a [`ProgramResult`]:
//! - [`VerilatorBackend`]: fast. The design is verilated and compiled once into a
//!   shared library cached by content, then runs in this process; a whole program
//!   runs in C++ per call.
//! - [`IcarusBackend`]: the reference. `iverilog` + `vvp` in batch, driven by a
//!   generated testbench.
//!
//! Build flags, measured on the 16x16 MAC-grid fixture (2 busy cores, noisy):
//! g++ `-O3` on the generated C++ ran ~3x faster than Verilator's default `-Os`
//! (and `-O2`); Verilator's own `-O3`, `--x-assign 0 --x-initial 0` made no
//! difference above the noise, and `--threads` is not used on 2 cores. `-march=native`
//! looked faster but ties the cache to one CPU, so it is opt-in via
//! [`VerilatorOptions::opt_fast`]. `sim/benches/verilator_speed.rs` re-measures.
//!
//! Not for: generating RTL, golden models, or deciding what a result means; those
//! live in other crates. External tools run through `skipgrid-toolrun`.
#![deny(missing_docs)]

mod backend;
mod design;
mod error;
pub mod harness;
mod icarus;
pub mod job;
pub mod program;
pub mod regress;
pub mod stimulus;
mod verilator;
pub mod workload;

pub use backend::Backend;
pub use design::RtlDesign;
pub use error::SimError;
pub use icarus::{IcarusBackend, IcarusOptions};
pub use program::{HostOp, ProgramResult};
pub use verilator::{
    build_library, default_cache_dir, VerilatorBackend, VerilatorBuild, VerilatorOptions,
};
