//! The Icarus backend on the fixture, and agreement with the Verilator backend.

mod common;

use common::{have, job, random_regjob_program, regjob};
use skipgrid_sim::{
    Backend, HostOp, IcarusBackend, IcarusOptions, SimError, VerilatorBackend, VerilatorOptions,
};

fn icarus() -> Option<IcarusBackend> {
    if !have(&["iverilog", "vvp"]) {
        return None;
    }
    Some(IcarusBackend::new(&regjob(), IcarusOptions::default()).expect("compiles"))
}

#[test]
fn write_read_and_done() {
    let Some(mut sim) = icarus() else { return };
    let mut prog = vec![
        HostOp::Write {
            addr: 5,
            data: 0xfedc_ba98_7654_3210,
        },
        HostOp::Read { addr: 5 },
        HostOp::Read { addr: 0x80 },
    ];
    prog.extend(job(10, 100));
    prog.push(HostOp::Read { addr: 3 });
    let r = sim.run(&prog).unwrap();
    assert_eq!(r.reads, [0xfedc_ba98_7654_3210, 0xdead_beef_dead_beef, 10]);
    assert_eq!(r.waits, [10]);
    assert_eq!(r.cycles, 3 + 2 + 10 + 1);
}

#[test]
fn hang_is_reported_with_the_callers_op_index() {
    let Some(mut sim) = icarus() else { return };
    sim.run(&[HostOp::Idle { cycles: 3 }]).unwrap();
    let e = sim.run(&job(1000, 25)).unwrap_err();
    assert!(matches!(e, SimError::Hang { op: 2, cycles: 25 }), "{e}");
    assert!(matches!(sim.run(&[]), Err(SimError::NeedsReset)));
    sim.reset().unwrap();
    assert_eq!(sim.run(&job(2, 5)).unwrap().waits, [2]);
}

#[test]
fn a_missing_rvalid_is_a_protocol_error() {
    if !have(&["iverilog", "vvp"]) {
        return;
    }
    // The same fixture with host_rvalid tied low.
    let dir = tempfile::tempdir().unwrap();
    let src = common::fixture_dir("regjob");
    for f in ["regjob_job.v", "manifest.json", "files.f"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let top = std::fs::read_to_string(src.join("regjob_top.v"))
        .unwrap()
        .replace("host_rvalid <= host_re;", "host_rvalid <= 1'b0;");
    std::fs::write(dir.path().join("regjob_top.v"), top).unwrap();
    let design = skipgrid_sim::RtlDesign::open(dir.path()).unwrap();
    let prog = [HostOp::Idle { cycles: 1 }, HostOp::Read { addr: 2 }];
    let mut sims: Vec<Box<dyn Backend>> = vec![Box::new(
        IcarusBackend::new(&design, IcarusOptions::default()).unwrap(),
    )];
    if have(&["verilator", "g++"]) {
        sims.push(Box::new(
            VerilatorBackend::new(&design, &VerilatorOptions::default()).unwrap(),
        ));
    }
    for sim in &mut sims {
        let e = sim.run(&prog).unwrap_err();
        assert!(
            matches!(e, SimError::Protocol { op: 1, .. }),
            "{}: {e}",
            sim.name()
        );
        assert!(e.to_string().contains("host_rvalid"), "{e}");
    }
}

#[test]
fn both_backends_agree_on_random_programs() {
    if !have(&["iverilog", "vvp", "verilator", "g++"]) {
        return;
    }
    let design = regjob();
    let mut ica = IcarusBackend::new(&design, IcarusOptions::default()).unwrap();
    let mut ver = VerilatorBackend::new(&design, &VerilatorOptions::default()).unwrap();
    for seed in [1u64, 2, 3, 0x5eed] {
        let prog = random_regjob_program(seed, 300);
        // Two runs each, to cover Icarus's replay of history.
        let (p1, p2) = prog.split_at(120);
        for part in [p1, p2] {
            let a = ica.run(part).unwrap();
            let b = ver.run(part).unwrap();
            assert_eq!(a.cycles, b.cycles, "seed {seed}: cycles differ");
            if let Some(i) = (0..a.reads.len()).find(|&i| a.reads.get(i) != b.reads.get(i)) {
                panic!(
                    "seed {seed}: read #{i} differs: icarus {:#x?} verilator {:#x?}",
                    a.reads.get(i),
                    b.reads.get(i)
                );
            }
            assert_eq!(a, b, "seed {seed}");
        }
        ica.reset().unwrap();
        ver.reset().unwrap();
    }
}

#[test]
fn vcd_is_written_when_asked() {
    if !have(&["iverilog", "vvp"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vcd = dir.path().join("icarus.vcd");
    let opts = IcarusOptions {
        trace: Some(vcd.clone()),
        ..IcarusOptions::default()
    };
    let mut sim = IcarusBackend::new(&regjob(), opts).unwrap();
    sim.run(&job(3, 10)).unwrap();
    let text = std::fs::read_to_string(&vcd).unwrap();
    assert!(text.contains("$enddefinitions") && text.contains("host_rdata"));
}

/// A job on the 16x16 MAC grid (16-bit addresses, 32-bit data), read back whole.
fn macgrid_program(seed: u32, length: u64) -> Vec<HostOp> {
    let mut prog = vec![
        HostOp::Write {
            addr: 3,
            data: seed.into(),
        },
        HostOp::Write {
            addr: 2,
            data: length,
        },
        HostOp::Write { addr: 0, data: 1 },
        HostOp::WaitDone { limit: length + 10 },
        HostOp::Read { addr: 4 },
    ];
    prog.extend((0..256).map(|i| HostOp::Read { addr: 0x100 + i }));
    prog
}

#[test]
fn both_backends_agree_on_the_mac_grid() {
    if !have(&["iverilog", "vvp", "verilator", "g++"]) {
        return;
    }
    let design = common::macgrid();
    let mut ica = IcarusBackend::new(&design, IcarusOptions::default()).unwrap();
    let mut ver = VerilatorBackend::new(&design, &VerilatorOptions::default()).unwrap();
    for (seed, length) in [(0x1234_5678u32, 40u64), (99, 7)] {
        let prog = macgrid_program(seed, length);
        let a = ica.run(&prog).unwrap();
        let b = ver.run(&prog).unwrap();
        assert_eq!(a.reads[0], length, "seed {seed}: job length");
        assert!(
            a.reads[1..].iter().any(|&v| v != 0),
            "seed {seed}: grid did nothing"
        );
        if let Some(i) = (0..a.reads.len()).find(|&i| a.reads[i] != b.reads[i]) {
            panic!(
                "seed {seed}: read #{i} (op #{}) differs: icarus {:#x} verilator {:#x}",
                i + 4,
                a.reads[i],
                b.reads[i]
            );
        }
        assert_eq!(a, b, "seed {seed}");
    }
}
