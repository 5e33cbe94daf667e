//! The golden model of a skipgrid array: what the RTL must compute, bit for bit
//! ([`gemm`]), and how many cycles it must take, cycle for cycle ([`cycles`]).
//!
//! Not for: simulation (see `skipgrid-sim`), which compares the RTL against this model.
#![deny(missing_docs)]

mod cycles;
mod gemm;
mod job;
mod split;

pub use cycles::{cycles, cycles_event, scale_sim_cycles, utilization, CycleBreakdown};
pub use gemm::{gemm, wrap};
pub use job::{Job, JobError, Mask};
pub use split::{split, Tile};
