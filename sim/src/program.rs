//! The host-bus program: the one stimulus every backend runs, and its result.
//!
//! Protocol, identical in every backend (inputs change only between rising edges;
//! between ops `host_we`, `host_re`, `host_addr` and `host_wdata` are 0):
//! - reset: `rst` high for 2 rising edges, then low;
//! - [`HostOp::Write`]: `host_addr`/`host_wdata` with `host_we` = 1 for one edge;
//! - [`HostOp::Read`]: `host_addr` with `host_re` = 1 for one edge, then `host_rdata`
//!   is sampled after that edge; `host_rvalid` must be 1 then;
//! - [`HostOp::WaitDone`]: one edge at a time, `done` sampled after each, until it is 1
//!   (the count of edges is the op's result; at least 1) or `limit` edges have passed
//!   ([`SimError::Hang`]). Ticking before the first look means a `done` left over
//!   from the previous job is not mistaken for this one's, provided the design clears
//!   `done` on the start edge;
//! - [`HostOp::Idle`]: `cycles` edges with the bus idle.

use crate::SimError;

/// One step of a host-bus program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostOp {
    /// Write `data` to word address `addr` (one cycle).
    Write {
        /// Word address; must fit `host_map.addr_width`.
        addr: u32,
        /// Data; must fit `host_map.data_width`.
        data: u64,
    },
    /// Read word address `addr` (one cycle); the value goes to [`ProgramResult::reads`].
    Read {
        /// Word address; must fit `host_map.addr_width`.
        addr: u32,
    },
    /// Tick until `done` is 1, at most `limit` cycles; the count goes to
    /// [`ProgramResult::waits`].
    WaitDone {
        /// Watchdog: cycles after which the run fails with [`SimError::Hang`].
        limit: u64,
    },
    /// Tick `cycles` cycles with the bus idle.
    Idle {
        /// Number of rising edges.
        cycles: u64,
    },
}

/// What a program produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramResult {
    /// The value of every [`HostOp::Read`], in program order.
    pub reads: Vec<u64>,
    /// For every [`HostOp::WaitDone`], in program order, the cycles until `done`.
    pub waits: Vec<u64>,
    /// Rising edges the program took (reset not included).
    pub cycles: u64,
}

/// Op kinds as encoded for the simulators (the C++ shim and the Icarus testbench
/// decode the same numbers).
pub(crate) mod kind {
    pub const WRITE: u32 = 0;
    pub const READ: u32 = 1;
    pub const WAIT_DONE: u32 = 2;
    pub const IDLE: u32 = 3;
}

impl HostOp {
    /// The op as (kind, addr, argument), the encoding both simulators decode.
    pub(crate) fn encode(&self) -> (u32, u32, u64) {
        match *self {
            HostOp::Write { addr, data } => (kind::WRITE, addr, data),
            HostOp::Read { addr } => (kind::READ, addr, 0),
            HostOp::WaitDone { limit } => (kind::WAIT_DONE, 0, limit),
            HostOp::Idle { cycles } => (kind::IDLE, 0, cycles),
        }
    }
}

/// Checks that every address and datum fits the bus widths, before any simulator runs,
/// so all backends reject the same programs the same way.
pub fn check_program(prog: &[HostOp], addr_width: u32, data_width: u32) -> Result<(), SimError> {
    let fits = |v: u64, w: u32| w >= 64 || v >> w == 0;
    for (op, p) in prog.iter().enumerate() {
        let (addr, data) = match *p {
            HostOp::Write { addr, data } => (addr, Some(data)),
            HostOp::Read { addr } => (addr, None),
            _ => continue,
        };
        if !fits(addr.into(), addr_width) {
            return Err(SimError::BadProgram {
                op,
                reason: format!("address {addr:#x} does not fit host_addr ({addr_width} bits)"),
            });
        }
        if let Some(d) = data.filter(|&d| !fits(d, data_width)) {
            return Err(SimError::BadProgram {
                op,
                reason: format!("data {d:#x} does not fit host_wdata ({data_width} bits)"),
            });
        }
    }
    Ok(())
}

/// Counts of the ops that produce results, to size result buffers.
pub(crate) fn result_counts(prog: &[HostOp]) -> (usize, usize) {
    prog.iter().fold((0, 0), |(r, w), op| match op {
        HostOp::Read { .. } => (r + 1, w),
        HostOp::WaitDone { .. } => (r, w + 1),
        _ => (r, w),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_checked() {
        let prog = [HostOp::Write {
            addr: 0x100,
            data: 1,
        }];
        assert!(matches!(
            check_program(&prog, 8, 64),
            Err(SimError::BadProgram { op: 0, .. })
        ));
        let prog = [
            HostOp::Read { addr: 0xff },
            HostOp::Write {
                addr: 1,
                data: 1 << 32,
            },
        ];
        let e = check_program(&prog, 8, 32).unwrap_err();
        assert!(matches!(e, SimError::BadProgram { op: 1, .. }), "{e}");
        assert!(check_program(&prog, 8, 64).is_ok());
        assert!(check_program(&[HostOp::Read { addr: u32::MAX }], 32, 64).is_ok());
    }

    #[test]
    fn counts() {
        let prog = [
            HostOp::Read { addr: 0 },
            HostOp::WaitDone { limit: 3 },
            HostOp::Idle { cycles: 2 },
            HostOp::Read { addr: 1 },
        ];
        assert_eq!(result_counts(&prog), (2, 1));
    }
}
