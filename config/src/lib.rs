//! The parameters of a skipgrid array, in two steps: [`RawConfig`] is what a TOML file
//! says (unknown keys rejected, everything but `rows` and `cols` optional), and
//! [`ArrayConfig`] is the validated object that checks every invariant and derives every
//! width and depth the hardware, the golden model and the harness use.
//!
//! Not for: hardware structure (see `skipgrid-hdl`) or Verilog text (`skipgrid-gen`).
#![deny(missing_docs)]

mod derive;
mod error;
mod hostmap;
mod presets;
mod raw;

pub use derive::{clog2, ArrayConfig, Dataflow};
pub use error::ConfigError;
pub use hostmap::{HostMap, Region, Register};
pub use presets::{preset, presets, Preset, DEFAULT_PRESET};
pub use raw::{RawBuffers, RawConfig};
