//! The Icarus Verilog backend, the reference: `iverilog -g2005` compiles the design
//! with a generated testbench (`tb.v`) once per backend; every run is one batch `vvp`
//! call that reads the program with `$readmemh` and writes its results to a file.
//!
//! A batch simulator keeps no state between calls, so to give [`Backend::run`] the
//! same meaning as in the Verilator backend (continue from where the last run
//! stopped), the backend replays every op since the last reset and reports only the
//! new results. That makes a long chain of small runs quadratic: fine for a reference.

mod parse;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use skipgrid_toolrun::Tool;

use crate::program::{check_program, result_counts};
use crate::{Backend, HostOp, ProgramResult, RtlDesign, SimError};

/// The testbench; `SKIPGRID_TOP`, `AW`, `DW` and `MAX_OPS` are set on the command line.
const TB_V: &str = include_str!("icarus/tb.v");

/// How to run a design under Icarus.
#[derive(Debug, Clone)]
pub struct IcarusOptions {
    /// Wall-clock timeout of each `iverilog` and `vvp` call (a second watchdog beside
    /// the per-`WaitDone` cycle limits).
    pub timeout: Duration,
    /// Write a VCD of each run (the replayed history included) to this file.
    pub trace: Option<PathBuf>,
}

impl Default for IcarusOptions {
    fn default() -> Self {
        IcarusOptions {
            timeout: Duration::from_secs(20 * 60),
            trace: None,
        }
    }
}

/// A design under Icarus Verilog.
pub struct IcarusBackend {
    design: RtlDesign,
    opts: IcarusOptions,
    work: tempfile::TempDir,
    /// Compiled testbenches by program capacity (`MAX_OPS`).
    compiled: HashMap<usize, PathBuf>,
    /// Ops since the last reset, and what they produced.
    history: Vec<HostOp>,
    done_so_far: ProgramResult,
    broken: bool,
}

const MIN_CAPACITY: usize = 1024;

impl IcarusBackend {
    /// Compiles `design` with the testbench (failing early on a design Icarus rejects).
    pub fn new(design: &RtlDesign, opts: IcarusOptions) -> Result<Self, SimError> {
        let work = tempfile::Builder::new()
            .prefix("skipgrid-icarus-")
            .tempdir()
            .map_err(|e| {
                SimError::io("creating a temporary directory in", std::env::temp_dir(), e)
            })?;
        let tb = work.path().join("skipgrid_tb.v");
        std::fs::write(&tb, TB_V).map_err(|e| SimError::io("writing", &tb, e))?;
        let mut b = IcarusBackend {
            design: design.clone(),
            opts,
            work,
            compiled: HashMap::new(),
            history: Vec::new(),
            done_so_far: ProgramResult::default(),
            broken: false,
        };
        b.compiled_for(MIN_CAPACITY)?;
        Ok(b)
    }

    /// The compiled testbench that holds at least `ops` ops.
    fn compiled_for(&mut self, ops: usize) -> Result<PathBuf, SimError> {
        let cap = ops.max(MIN_CAPACITY).next_power_of_two();
        if let Some(p) = self.compiled.get(&cap) {
            return Ok(p.clone());
        }
        let out = self.work.path().join(format!("tb_{cap}.vvp"));
        let d = &self.design;
        Tool::new("iverilog")
            .args(["-g2005", "-s", "skipgrid_tb", "-o"])
            .arg(out.to_string_lossy())
            .arg(format!("-DSKIPGRID_TOP={}", d.top()))
            .arg(format!("-Pskipgrid_tb.AW={}", d.addr_width()))
            .arg(format!("-Pskipgrid_tb.DW={}", d.data_width()))
            .arg(format!("-Pskipgrid_tb.MAX_OPS={cap}"))
            .arg("skipgrid_tb.v")
            .args(d.files().iter().map(|f| f.to_string_lossy()))
            .dir(self.work.path())
            .timeout(self.opts.timeout)
            .run()
            .map_err(|e| SimError::from_tool(&format!("compiling {} with Icarus", d.top()), e))?;
        self.compiled.insert(cap, out.clone());
        Ok(out)
    }

    /// Runs `ops` from reset in one `vvp` call.
    fn simulate(&mut self, ops: &[HostOp]) -> Result<ProgramResult, SimError> {
        let vvp = self.compiled_for(ops.len())?;
        let prog = self.work.path().join("prog.hex");
        let out = self.work.path().join("results.txt");
        std::fs::write(&prog, encode_hex(ops)).map_err(|e| SimError::io("writing", &prog, e))?;
        let _ = std::fs::remove_file(&out);
        let mut tool = Tool::new("vvp")
            .args(["-n"])
            .arg(vvp.to_string_lossy())
            .arg(format!("+prog={}", prog.display()))
            .arg(format!("+out={}", out.display()))
            .arg(format!("+n={}", ops.len()))
            .dir(self.work.path())
            .timeout(self.opts.timeout);
        if let Some(vcd) = &self.opts.trace {
            tool = tool.arg(format!("+vcd={}", vcd.display()));
        }
        tool.run().map_err(|e| {
            SimError::from_tool(&format!("simulating {} with vvp", self.design.top()), e)
        })?;
        let text = std::fs::read_to_string(&out).map_err(|e| SimError::Parse {
            what: out.display().to_string(),
            reason: format!("vvp wrote no results ({e})"),
        })?;
        parse::results(&text, &out.display().to_string(), ops)
    }

    /// Where the testbench lives (kept until the backend is dropped), for inspection.
    pub fn work_dir(&self) -> &Path {
        self.work.path()
    }
}

/// `$readmemh` text: one 128-bit word per op, `{kind, 24'b0, addr, arg}`.
fn encode_hex(ops: &[HostOp]) -> String {
    let mut s = String::with_capacity(ops.len() * 33);
    for op in ops {
        let (kind, addr, arg) = op.encode();
        let _ = writeln!(s, "{kind:02x}000000{addr:08x}{arg:016x}");
    }
    s
}

impl Backend for IcarusBackend {
    fn name(&self) -> &'static str {
        "icarus"
    }

    fn run(&mut self, prog: &[HostOp]) -> Result<ProgramResult, SimError> {
        if self.broken {
            return Err(SimError::NeedsReset);
        }
        check_program(prog, self.design.addr_width(), self.design.data_width())?;
        let mut all = self.history.clone();
        all.extend_from_slice(prog);
        let full = match self.simulate(&all) {
            Ok(r) => r,
            Err(e) => {
                self.broken = true;
                return Err(parse::shift_op(e, self.history.len()));
            }
        };
        let (r0, w0) = result_counts(&self.history);
        let new = ProgramResult {
            reads: full.reads[r0..].to_vec(),
            waits: full.waits[w0..].to_vec(),
            cycles: full.cycles - self.done_so_far.cycles,
        };
        self.history = all;
        self.done_so_far = full;
        Ok(new)
    }

    fn reset(&mut self) -> Result<(), SimError> {
        self.history.clear();
        self.done_so_far = ProgramResult::default();
        self.broken = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_words_are_128_bits() {
        let s = encode_hex(&[
            HostOp::Write {
                addr: 0x12,
                data: 0xdead_beef,
            },
            HostOp::WaitDone { limit: 7 },
        ]);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "000000000000001200000000deadbeef");
        assert_eq!(lines[1], "02000000000000000000000000000007");
        assert!(lines.iter().all(|l| l.len() == 32));
    }
}
