//! The interface every simulation backend implements.

use crate::{HostOp, ProgramResult, SimError};

/// A simulator running one design behind its host bus.
///
/// A new backend starts freshly reset. [`Backend::run`] continues from the state the
/// previous run left; [`Backend::reset`] starts over. Given the same calls, every
/// backend returns the same results (the design's behaviour after reset must not
/// depend on uninitialised state for this to hold).
pub trait Backend {
    /// A short name for reports, e.g. `"verilator"`.
    fn name(&self) -> &'static str;

    /// Runs `prog` (see [`crate::program`] for the exact bus protocol).
    fn run(&mut self, prog: &[HostOp]) -> Result<ProgramResult, SimError>;

    /// Holds `rst` high for 2 rising edges, then releases it.
    fn reset(&mut self) -> Result<(), SimError>;
}
