//! The one error type of this crate.

use std::path::PathBuf;

/// The script that installs the OSU 0.18 µm liberty.
pub const LIBERTY_SCRIPT: &str = "scripts/setup-liberty.sh";

/// What went wrong while estimating area or timing.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The target name is not one of the supported targets.
    #[error("unknown synthesis target `{0}`; expected one of: generic, ice40, xilinx, asic")]
    UnknownTarget(String),
    /// The RTL directory lacks a file of the contract (docs/rtl-interface.md) or it is malformed.
    #[error("bad RTL directory {}: {msg}", dir.display())]
    Rtl {
        /// The RTL directory.
        dir: PathBuf,
        /// What is wrong with it.
        msg: String,
    },
    /// No liberty file was found.
    #[error(
        "no standard-cell liberty found (looked at {}); run `{LIBERTY_SCRIPT}` \
         (installs Debian package qflow-tech-osu018's osu018_stdcells.lib) or set SKIPGRID_LIBERTY",
        looked.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    LibertyMissing {
        /// The places that were tried.
        looked: Vec<PathBuf>,
    },
    /// Yosys is not installed, failed or timed out.
    #[error("yosys: {0}")]
    Yosys(#[source] skipgrid_toolrun::ToolError),
    /// OpenSTA is not installed, failed or timed out.
    #[error("sta (OpenSTA): {0}")]
    Sta(#[source] skipgrid_toolrun::ToolError),
    /// OpenSTA ran but reported errors (it exits 0 on most of them).
    #[error("sta (OpenSTA) reported errors:\n{0}")]
    StaReport(String),
    /// A tool's output could not be understood.
    #[error("could not parse {what}: {msg}")]
    Parse {
        /// Which report.
        what: String,
        /// What was wrong.
        msg: String,
    },
    /// The design failed `check -assert` (latches, multiple drivers, loops...).
    #[error("design check failed for top `{top}`:\n{tail}")]
    Check {
        /// Top module.
        top: String,
        /// Yosys' last lines.
        tail: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl SynthError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> SynthError {
        let path = path.into();
        move |source| SynthError::Io { path, source }
    }
}

/// Results of this crate.
pub type Result<T, E = SynthError> = std::result::Result<T, E>;
