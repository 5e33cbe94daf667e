//! The testbench's result file: one line per event, `read <hex>`, `wait <cycles>`,
//! then `end <cycles>`, or a failure line (`norvalid <op>`, `hang <op> <cycles>`,
//! `badop <op>`) instead of `end`.

use crate::{HostOp, ProgramResult, SimError};

/// Parses the result file `what` (named in errors) of a run of `ops`.
pub(super) fn results(text: &str, what: &str, ops: &[HostOp]) -> Result<ProgramResult, SimError> {
    let parse_err = |line: &str, reason: &str| SimError::Parse {
        what: what.to_string(),
        reason: format!("{reason} in line {line:?}"),
    };
    let mut r = ProgramResult::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut words = line.split_whitespace();
        let tag = words.next().unwrap_or("");
        let args: Vec<&str> = words.collect();
        let num = |i: usize| -> Result<u64, SimError> {
            args.get(i)
                .and_then(|a| a.parse::<u64>().ok())
                .ok_or_else(|| parse_err(line, "expected a decimal number"))
        };
        match tag {
            "read" => {
                let hex = args.first().copied().unwrap_or("");
                if hex.chars().any(|c| matches!(c, 'x' | 'X' | 'z' | 'Z')) {
                    let op = ops
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| matches!(o, HostOp::Read { .. }))
                        .nth(r.reads.len())
                        .map_or(ops.len(), |(i, _)| i);
                    return Err(SimError::Protocol {
                        op,
                        message: format!("host_rdata had X/Z bits: {hex} (unreset state?)"),
                    });
                }
                let v = u64::from_str_radix(hex, 16)
                    .map_err(|_| parse_err(line, "expected a hex value"))?;
                r.reads.push(v);
            }
            "wait" => r.waits.push(num(0)?),
            "end" => {
                r.cycles = num(0)?;
                return Ok(r);
            }
            "norvalid" => {
                return Err(SimError::Protocol {
                    op: num(0)? as usize,
                    message: "host_rvalid was not 1 after the read edge".into(),
                })
            }
            "hang" => {
                return Err(SimError::Hang {
                    op: num(0)? as usize,
                    cycles: num(1)?,
                })
            }
            "badop" => {
                return Err(SimError::Protocol {
                    op: num(0)? as usize,
                    message: "the testbench met an unknown op kind".into(),
                })
            }
            _ => return Err(parse_err(line, "unknown tag")),
        }
    }
    Err(SimError::Parse {
        what: what.to_string(),
        reason: "no `end` line: the simulation stopped early".into(),
    })
}

/// Makes op indices in `e` relative to the program passed to `run`, which follows
/// `offset` replayed ops.
pub(super) fn shift_op(e: SimError, offset: usize) -> SimError {
    let shift = |op: usize| op.saturating_sub(offset);
    match e {
        SimError::Hang { op, cycles } => SimError::Hang {
            op: shift(op),
            cycles,
        },
        SimError::Protocol { op, message } => SimError::Protocol {
            op: shift(op),
            message,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPS: &[HostOp] = &[
        HostOp::Idle { cycles: 1 },
        HostOp::Read { addr: 1 },
        HostOp::WaitDone { limit: 20 },
        HostOp::Read { addr: 2 },
    ];

    #[test]
    fn parses_a_full_run() {
        let r = results(
            "read 00000000000000ff\nwait 12\nread 0a\nend 40\n",
            "t",
            OPS,
        )
        .unwrap();
        assert_eq!(r.reads, [255, 10]);
        assert_eq!(r.waits, [12]);
        assert_eq!(r.cycles, 40);
    }

    #[test]
    fn failures_become_errors() {
        assert!(matches!(
            results("wait 3\nhang 4 100\n", "t", OPS),
            Err(SimError::Hang { op: 4, cycles: 100 })
        ));
        assert!(matches!(
            results("norvalid 2\n", "t", OPS),
            Err(SimError::Protocol { op: 2, .. })
        ));
        assert!(matches!(
            results("read 01\nread 0x\nend 1", "t", OPS),
            Err(SimError::Protocol { op: 3, .. })
        ));
        assert!(matches!(
            results("read 01\n", "t", OPS),
            Err(SimError::Parse { .. })
        ));
        assert!(matches!(
            results("bogus\n", "t", OPS),
            Err(SimError::Parse { .. })
        ));
    }

    #[test]
    fn op_indices_shift() {
        let e = shift_op(SimError::Hang { op: 7, cycles: 1 }, 5);
        assert!(matches!(e, SimError::Hang { op: 2, .. }));
    }
}
