//! Real transformer weights → block-pruned, int8-quantized tiles for a rows×cols
//! systolic array.
//!
//! What it is for: reading the linear layers of a real model (CTranslate2 `model.bin`
//! such as Whisper tiny.en, or `.safetensors` such as MiniLM), pruning whole R×C blocks
//! (the array's tile, so a pruned block is one the array skips), quantizing to
//! symmetric int8, measuring a per-layer quality proxy, and writing (a) a workload
//! directory the simulator runs (`docs/workload-format.md`) and (b) the pruned model
//! back in its own format for end-to-end tests. It knows nothing about Verilog,
//! simulators or the array's timing.
//!
//! Orientation: the array computes `Y = X·W` with X = M×K (tokens × input features)
//! and W = K×N. PyTorch and CTranslate2 store linear weights as `[out, in]` = `[N, K]`,
//! so **W = weight^T**. Block (kb, nb) covers `W[kb·R..kb·R+R][nb·C..nb·C+C]`, padded
//! with zeros where K or N is not a multiple.
//!
//! ```no_run
//! use skipgrid_prune::{ModelFile, PruneConfig, prune_model, Workload};
//! let model = ModelFile::open("model_dir")?;
//! let pruned = prune_model(&model, &PruneConfig::new(16, 16, 0.25))?;
//! pruned.to_workload().write("work")?;
//! let w = Workload::open("work")?;
//! for l in w.layers() {
//!     println!("{} {}x{} kept {}", l.name, l.k, l.n, l.blocks_kept());
//! }
//! # Ok::<(), skipgrid_prune::PruneError>(())
//! ```
#![deny(missing_docs)]

pub mod calib;
pub mod ct2;
mod error;
pub mod linear;
pub mod locate;
mod manifest;
mod pipeline;
pub mod quant;
pub mod report;
pub mod score;
pub mod source;
pub mod st;
mod tiles;
pub mod workload;
mod workload_read;
mod workload_write;
pub mod writer;

pub use calib::ActCalib;
pub use error::{PruneError, Result};
pub use linear::{LayerSelect, Linear};
pub use locate::{find_model, KnownModel};
pub use pipeline::{prune_model, PruneConfig, PrunedLayer, PrunedModel, MAX_ARRAY_DIM};
pub use quant::WeightQuant;
pub use report::{LayerReport, PruneReport};
pub use score::{Grid, ScoreKind, ThresholdMode};
pub use source::{DType, ModelFile, ModelFormat, TensorEntry};
pub use tiles::kept_tiles;
pub use workload::{LayerTiles, Workload, WorkloadMeta};
pub use writer::{pruned_model_bytes, write_pruned_model};
