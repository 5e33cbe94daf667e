//! The Verilator backend on the hand-written fixtures.

mod common;

use common::{have, job, regjob};
use skipgrid_sim::{Backend, HostOp, SimError, VerilatorBackend, VerilatorOptions};

fn backend() -> Option<VerilatorBackend> {
    if !have(&["verilator", "g++"]) {
        return None;
    }
    Some(VerilatorBackend::new(&regjob(), &VerilatorOptions::default()).expect("builds"))
}

#[test]
fn write_read_round_trip() {
    let Some(mut sim) = backend() else { return };
    let r = sim
        .run(&[
            HostOp::Write {
                addr: 5,
                data: 0x0123_4567_89ab_cdef,
            },
            HostOp::Write {
                addr: 15,
                data: u64::MAX,
            },
            HostOp::Read { addr: 5 },
            HostOp::Read { addr: 15 },
            HostOp::Read { addr: 7 },
            HostOp::Read { addr: 0x80 },
        ])
        .unwrap();
    assert_eq!(
        r.reads,
        [0x0123_4567_89ab_cdef, u64::MAX, 0, 0xdead_beef_dead_beef]
    );
    assert_eq!(r.cycles, 6);
    assert!(r.waits.is_empty());
}

#[test]
fn done_is_detected_and_counted() {
    let Some(mut sim) = backend() else { return };
    let mut prog = vec![
        HostOp::Write { addr: 5, data: 3 },
        HostOp::Write { addr: 6, data: 7 },
    ];
    prog.extend(job(10, 100));
    prog.extend([
        HostOp::Read { addr: 1 },
        HostOp::Read { addr: 3 },
        HostOp::Read { addr: 4 },
    ]);
    prog.extend(job(0, 100));
    let r = sim.run(&prog).unwrap();
    // length 10: done rises after the 10th edge after the start; length 0 after 1.
    assert_eq!(r.waits, [10, 1]);
    assert_eq!(r.reads, [0b10, 10, 21]);
    assert_eq!(r.cycles, 2 + 2 + 10 + 3 + 2 + 1);
    assert_eq!(sim.total_cycles(), 2 + r.cycles, "reset takes 2 edges");
}

#[test]
fn hang_is_reported_then_reset_recovers() {
    let Some(mut sim) = backend() else { return };
    let mut prog = vec![HostOp::Read { addr: 1 }];
    prog.extend(job(1000, 50));
    match sim.run(&prog) {
        Err(SimError::Hang { op: 3, cycles: 50 }) => {}
        other => panic!("expected a hang at op 3 after 50 cycles, got {other:?}"),
    }
    assert!(matches!(sim.run(&[]), Err(SimError::NeedsReset)));
    sim.reset().unwrap();
    let r = sim
        .run(&[HostOp::Read { addr: 1 }, HostOp::Read { addr: 2 }])
        .unwrap();
    assert_eq!(r.reads, [0, 0], "reset clears busy and the registers");
    assert!(matches!(
        sim.run(&[HostOp::WaitDone { limit: 0 }]),
        Err(SimError::Hang { op: 0, cycles: 0 })
    ));
}

#[test]
fn runs_continue_where_the_last_stopped() {
    let Some(mut a) = backend() else { return };
    let Some(mut b) = backend() else { return };
    let prog = common::random_regjob_program(7, 200);
    let (p1, p2) = prog.split_at(77);
    let whole = a.run(&prog).unwrap();
    let first = b.run(p1).unwrap();
    let second = b.run(p2).unwrap();
    assert_eq!([first.reads, second.reads].concat(), whole.reads);
    assert_eq!([first.waits, second.waits].concat(), whole.waits);
    assert_eq!(first.cycles + second.cycles, whole.cycles);
}

#[test]
fn programs_that_do_not_fit_the_bus_are_rejected() {
    let Some(mut sim) = backend() else { return };
    let e = sim.run(&[HostOp::Read { addr: 0x100 }]).unwrap_err();
    assert!(matches!(e, SimError::BadProgram { op: 0, .. }), "{e}");
    assert!(e.to_string().contains("8 bits"), "{e}");
}

#[test]
fn vcd_is_written_when_asked() {
    if !have(&["verilator", "g++"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vcd = dir.path().join("run.vcd");
    let opts = VerilatorOptions {
        trace: Some(vcd.clone()),
        ..VerilatorOptions::default()
    };
    let plain = skipgrid_sim::build_library(&regjob(), &VerilatorOptions::default()).unwrap();
    let mut sim = VerilatorBackend::new(&regjob(), &opts).unwrap();
    assert_ne!(
        sim.build_info().key,
        plain.key,
        "traced builds have their own key"
    );
    sim.run(&job(5, 20)).unwrap();
    drop(sim);
    let text = std::fs::read_to_string(&vcd).unwrap();
    assert!(text.contains("$enddefinitions"), "not a VCD");
    assert!(
        text.contains("host_rdata") && text.contains(" done "),
        "ports missing"
    );
    // 2 reset edges + 2 writes + 5 waited, 2 dumps per edge.
    assert!(text.contains(&format!("\n#{}\n", (2 + 2 + 5) * 10 - 5)));
}

#[test]
fn random_initial_state_does_not_change_a_reset_design() {
    if !have(&["verilator", "g++"]) {
        return;
    }
    let prog = common::random_regjob_program(11, 100);
    let mut zero = VerilatorBackend::new(&regjob(), &VerilatorOptions::default()).unwrap();
    let opts = VerilatorOptions {
        random_init_seed: Some(1234),
        ..VerilatorOptions::default()
    };
    let mut random = VerilatorBackend::new(&regjob(), &opts).unwrap();
    assert_eq!(zero.run(&prog).unwrap(), random.run(&prog).unwrap());
}
