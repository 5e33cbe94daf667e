//! A missing external tool is bad input from the environment: exit code 2 and a message
//! naming the tool and what installs it, never a panic.

use std::process::Command;

fn without_tools(args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_skipgrid"))
        .args(args)
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn sim_without_verilator_or_icarus() {
    let (code, err) = without_tools(&[
        "sim", "--preset", "ws4x4", "--m", "4", "--k", "4", "--n", "4",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("verilator") && err.contains("scripts/setup.sh"),
        "{err}"
    );
    let (code, err) = without_tools(&["sim", "--preset", "ws4x4", "--backend", "icarus"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("iverilog"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn area_without_yosys() {
    let (code, err) = without_tools(&[
        "area",
        "--preset",
        "ws4x4",
        "--target",
        "generic",
        "--no-cache",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("yosys") && err.contains("apt-get install"),
        "{err}"
    );
}
