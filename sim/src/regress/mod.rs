//! The regression matrix: configurations × shapes × mask structures × sparsities ×
//! seeds, read from TOML ([`Matrix`]), expanded into numbered [`Case`]s in a fixed
//! order, split into shards ([`Shard`]), run on Verilator in parallel ([`run()`]) and
//! reported as JSON and JUnit XML ([`report`]).
//!
//! Not for: generating RTL (the caller passes an [`RtlWriter`], so this crate stays
//! independent of the emitter) or drawing progress bars (the caller gets [`Event`]s).
//! The matrix format is documented in `docs/regress.md`.

mod matrix;
pub mod report;
mod run;

pub use matrix::{Case, CaseGroup, ConfigSource, Matrix, MatrixConfig, Shard};
pub use report::{CaseResult, ConfigBuild, Summary};
pub use run::{run, Event, RtlWriter, RunOptions};

use std::path::PathBuf;

use crate::SimError;

/// Why a regression could not run (a failing case is not an error: it is a result).
#[derive(Debug, thiserror::Error)]
pub enum RegressError {
    /// The matrix file is malformed: a TOML error, an unknown key or a bad value.
    #[error("{file}: {message}")]
    Matrix {
        /// The matrix file.
        file: String,
        /// What is wrong, naming the key and what would be accepted.
        message: String,
    },
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// "read", "write", "create".
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The simulator cannot run at all (e.g. Verilator is not installed); no case
    /// could say anything about the RTL.
    #[error(transparent)]
    Sim(#[from] SimError),
}

impl RegressError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, e: std::io::Error) -> Self {
        RegressError::Io {
            action,
            path: path.into(),
            source: e,
        }
    }
}
