//! A small runner for the external tools skipgrid drives (Verilator, Icarus, Yosys,
//! OpenSTA, g++): every call gets a working directory, a timeout, and captured
//! stdout/stderr, and every failure becomes a [`ToolError`] that names the tool and
//! says what to do.
//!
//! Not for: parsing tool output. Each stage (sim, synth) interprets what its tools print.
#![deny(missing_docs)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

/// What went wrong when running an external tool.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The executable is not on `PATH`.
    #[error("`{tool}` was not found on PATH; install it with: {install_hint}")]
    Missing {
        /// Executable name.
        tool: String,
        /// How to install it (a package name or a script).
        install_hint: String,
    },
    /// The tool ran longer than its timeout and was killed.
    #[error("`{tool}` did not finish within {seconds} s and was stopped (in {dir})")]
    Timeout {
        /// Executable name.
        tool: String,
        /// The timeout that expired.
        seconds: u64,
        /// Working directory, kept for inspection.
        dir: PathBuf,
    },
    /// The tool exited with a non-zero status.
    #[error("`{tool}` failed with exit status {status} (in {dir}):\n{tail}")]
    Failed {
        /// Executable name.
        tool: String,
        /// Exit status, or -1 when killed by a signal.
        status: i32,
        /// Working directory.
        dir: PathBuf,
        /// The last lines of stderr and stdout.
        tail: String,
    },
    /// Spawning or waiting on the process failed.
    #[error("could not run `{tool}`: {source}")]
    Io {
        /// Executable name.
        tool: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The captured result of a successful run.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    /// Everything the tool wrote to stdout.
    pub stdout: String,
    /// Everything the tool wrote to stderr.
    pub stderr: String,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

/// One invocation of an external tool.
#[derive(Debug, Clone)]
pub struct Tool {
    program: String,
    args: Vec<String>,
    dir: Option<PathBuf>,
    timeout: Duration,
    install_hint: String,
    env: Vec<(String, String)>,
}

impl Tool {
    /// A call of `program` with a default timeout of 10 minutes.
    pub fn new(program: &str) -> Self {
        Tool {
            program: program.to_string(),
            args: Vec::new(),
            dir: None,
            timeout: Duration::from_secs(600),
            install_hint: "scripts/setup.sh".to_string(),
            env: Vec::new(),
        }
    }
    /// Adds one argument.
    pub fn arg(mut self, a: impl AsRef<str>) -> Self {
        self.args.push(a.as_ref().to_string());
        self
    }
    /// Adds several arguments.
    pub fn args<I, S>(mut self, it: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(it.into_iter().map(|s| s.as_ref().to_string()));
        self
    }
    /// Runs in `dir` instead of the current directory.
    pub fn dir(mut self, dir: &Path) -> Self {
        self.dir = Some(dir.to_path_buf());
        self
    }
    /// Sets an environment variable for the child.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }
    /// Kills the tool after `t`.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// What a user should run when the tool is missing.
    pub fn install_hint(mut self, hint: &str) -> Self {
        self.install_hint = hint.to_string();
        self
    }

    /// Runs the tool to completion; a non-zero exit is an error.
    pub fn run(&self) -> Result<ToolOutput, ToolError> {
        if which(&self.program).is_none() {
            return Err(ToolError::Missing {
                tool: self.program.clone(),
                install_hint: self.install_hint.clone(),
            });
        }
        let dir = self
            .dir
            .clone()
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")));
        let io_err = |source| ToolError::Io {
            tool: self.program.clone(),
            source,
        };
        let start = Instant::now();
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().map_err(io_err)?;
        // Drain pipes on threads so a chatty tool cannot block on a full pipe.
        let mut out_pipe = child.stdout.take().expect("stdout piped");
        let mut err_pipe = child.stderr.take().expect("stderr piped");
        let out_t = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = out_pipe.read_to_end(&mut s);
            s
        });
        let err_t = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = err_pipe.read_to_end(&mut s);
            s
        });
        let status = match child.wait_timeout(self.timeout).map_err(io_err)? {
            Some(s) => s,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ToolError::Timeout {
                    tool: self.program.clone(),
                    seconds: self.timeout.as_secs(),
                    dir,
                });
            }
        };
        let stdout = String::from_utf8_lossy(&out_t.join().unwrap_or_default()).into_owned();
        let stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
        if !status.success() {
            return Err(ToolError::Failed {
                tool: self.program.clone(),
                status: status.code().unwrap_or(-1),
                dir,
                tail: tail(&stderr, &stdout, 30),
            });
        }
        Ok(ToolOutput {
            stdout,
            stderr,
            elapsed: start.elapsed(),
        })
    }
}

/// The full path of `program` if it is on `PATH` (or is itself a path that exists).
pub fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// The first line a tool prints for `--version` (or `-V`), for cache keys and reports.
pub fn version_line(program: &str, flag: &str) -> Result<String, ToolError> {
    let out = Tool::new(program)
        .arg(flag)
        .timeout(Duration::from_secs(30))
        .run()?;
    let text = if out.stdout.trim().is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    Ok(text.lines().next().unwrap_or("").trim().to_string())
}

fn tail(stderr: &str, stdout: &str, n: usize) -> String {
    let mut lines: Vec<&str> = stderr.lines().collect();
    if lines.is_empty() {
        lines = stdout.lines().collect();
    }
    let start = lines.len().saturating_sub(n);
    lines[start..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tool_is_named() {
        let e = Tool::new("skipgrid-no-such-tool").run().unwrap_err();
        assert!(matches!(e, ToolError::Missing { .. }));
        assert!(e.to_string().contains("skipgrid-no-such-tool"));
    }

    #[test]
    fn timeout_kills() {
        let e = Tool::new("sleep")
            .arg("5")
            .timeout(Duration::from_millis(200))
            .run()
            .unwrap_err();
        assert!(matches!(e, ToolError::Timeout { .. }), "{e}");
    }

    #[test]
    fn failure_keeps_stderr_tail() {
        let e = Tool::new("sh")
            .args(["-c", "echo boom >&2; exit 3"])
            .run()
            .unwrap_err();
        match e {
            ToolError::Failed { status, tail, .. } => {
                assert_eq!(status, 3);
                assert!(tail.contains("boom"));
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn success_captures_stdout() {
        let out = Tool::new("sh").args(["-c", "echo hi"]).run().unwrap();
        assert_eq!(out.stdout.trim(), "hi");
    }
}
