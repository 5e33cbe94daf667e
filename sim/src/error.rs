//! The one error type of this crate.

use std::path::PathBuf;

use skipgrid_toolrun::ToolError;

/// Everything that can go wrong while opening, building or simulating a design.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The design directory, its manifest or one of its files is missing or wrong.
    #[error("bad design directory {dir}: {reason}")]
    BadDesign {
        /// The design directory.
        dir: PathBuf,
        /// What is wrong and what would be accepted.
        reason: String,
    },
    /// An external tool is not installed.
    #[error("`{tool}` was not found on PATH; run scripts/setup.sh (it installs Verilator, Icarus and g++)")]
    ToolMissing {
        /// Executable name.
        tool: String,
    },
    /// A build step (verilator, g++, iverilog) failed.
    #[error(
        "{stage} failed: `{tool}` exited with status {status} (in {dir}); last lines:\n{tail}"
    )]
    BuildFailed {
        /// What was being done, e.g. "verilating regjob_top".
        stage: String,
        /// Executable name.
        tool: String,
        /// Exit status, -1 when killed by a signal.
        status: i32,
        /// Working directory, kept for inspection.
        dir: PathBuf,
        /// The last lines the tool printed.
        tail: String,
    },
    /// A tool ran past its wall-clock timeout and was stopped.
    #[error("{stage}: `{tool}` did not finish within {seconds} s and was stopped")]
    Timeout {
        /// What was being done.
        stage: String,
        /// Executable name.
        tool: String,
        /// The timeout that expired.
        seconds: u64,
    },
    /// `done` did not rise within a `WaitDone`'s cycle limit.
    #[error("hang: `done` did not rise within {cycles} cycles (WaitDone at op #{op})")]
    Hang {
        /// Index of the `WaitDone` op in the program passed to `run`.
        op: usize,
        /// Cycles waited before giving up (the op's limit).
        cycles: u64,
    },
    /// The design broke the host-bus protocol (e.g. no `host_rvalid` after a read).
    #[error("protocol error at op #{op}: {message}")]
    Protocol {
        /// Index of the op in the program passed to `run`.
        op: usize,
        /// What the design did wrong.
        message: String,
    },
    /// A previous run failed, so the design's state is undefined until a reset.
    #[error("a previous run failed and left the design in an undefined state; call reset() first")]
    NeedsReset,
    /// The program does not fit the design (address or data wider than the bus).
    #[error("bad program op #{op}: {reason}")]
    BadProgram {
        /// Index of the op.
        op: usize,
        /// What is wrong and what would be accepted.
        reason: String,
    },
    /// A simulator's output could not be understood.
    #[error("could not parse {what}: {reason}")]
    Parse {
        /// Which output (a file name or a description).
        what: String,
        /// What was wrong with it.
        reason: String,
    },
    /// Loading the compiled simulation library failed.
    #[error("could not load simulation library {path}: {message}")]
    Load {
        /// The shared library.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// A file-system operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "writing".
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl SimError {
    /// Maps a tool-runner error to ours, naming the `stage` it happened in.
    pub(crate) fn from_tool(stage: &str, e: ToolError) -> SimError {
        match e {
            ToolError::Missing { tool, .. } => SimError::ToolMissing { tool },
            ToolError::Timeout { tool, seconds, .. } => SimError::Timeout {
                stage: stage.to_string(),
                tool,
                seconds,
            },
            ToolError::Failed {
                tool,
                status,
                dir,
                tail,
            } => SimError::BuildFailed {
                stage: stage.to_string(),
                tool,
                status,
                dir,
                tail,
            },
            ToolError::Io { tool, source } => SimError::Io {
                action: "running",
                path: PathBuf::from(tool),
                source,
            },
        }
    }

    /// An I/O error on `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        SimError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_tool_points_to_the_setup_script() {
        let e = SimError::from_tool(
            "verilating",
            ToolError::Missing {
                tool: "verilator".into(),
                install_hint: "scripts/setup.sh".into(),
            },
        );
        assert!(matches!(e, SimError::ToolMissing { .. }));
        let msg = e.to_string();
        assert!(msg.contains("`verilator` was not found") && msg.contains("scripts/setup.sh"));
    }

    #[test]
    fn a_failed_build_keeps_the_tools_last_lines() {
        let e = SimError::from_tool(
            "verilating top",
            ToolError::Failed {
                tool: "verilator".into(),
                status: 1,
                dir: PathBuf::from("/tmp/x"),
                tail: "%Error: top.v:3: syntax error".into(),
            },
        );
        let msg = e.to_string();
        assert!(msg.starts_with("verilating top failed"), "{msg}");
        assert!(msg.contains("%Error: top.v:3"), "{msg}");
    }
}
