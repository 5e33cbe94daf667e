//! Area and timing estimates of a generated skipgrid RTL directory (the layout of
//! docs/rtl-interface.md) with Yosys and OpenSTA.
//!
//! [`synthesize`] maps the design for one [`Target`] — Yosys' generic gates, iCE40,
//! Xilinx 7-series or OSU 0.18 µm standard cells — keeping the module hierarchy, and
//! returns an [`AreaReport`]: cells, flip-flops, FPGA resources or µm² and transistors,
//! OpenSTA's worst path (asic), and a breakdown by module role computed from per-module
//! statistics times instance counts. Modules with role `ram` become SRAM macros on asic
//! (see [`SramModel`]) and block RAMs on FPGAs. [`skip_overhead`] compares a design with
//! skipping against its dense twin. Results are cached by content hash.
//!
//! Not for: generating RTL, simulating it, or place-and-route accuracy: these are
//! synthesis estimates (no wires, no clock tree). docs/area-model.md says what is
//! counted how.
#![deny(missing_docs)]

mod account;
pub mod cache;
mod error;
mod flow;
pub mod liberty;
mod overhead;
mod report;
mod rtl;
mod sram;
pub mod sta;
mod target;
pub mod yosys;

pub use error::{Result, SynthError, LIBERTY_SCRIPT};
pub use flow::{check_design, synthesize, SynthOptions};
pub use liberty::{find_liberty, DEFAULT_LIBERTY};
pub use overhead::{skip_overhead, SkipOverhead};
pub use report::{AreaReport, Counts, GroupStats, MemoryInfo, ModuleStats};
pub use rtl::{Group, RtlDir};
pub use sram::SramModel;
pub use target::Target;
