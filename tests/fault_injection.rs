//! Proof that the harness catches faults: the ws4x4 RTL is generated into a temporary
//! directory, one deliberate bug is planted by replacing one exact line of the
//! generated Verilog, and the real `skipgrid sim --rtl` must exit 1 and name the right
//! kind of difference (an output element, or the cycle count). The unmodified RTL must
//! pass, and RTL of another configuration must be refused with exit 2.
//!
//! Each fault's edit must match exactly once, so a change in the generator's text makes
//! the test fail loudly instead of silently testing nothing. Files are found through
//! the manifest's module roles, so a new config hash in the module prefix does not
//! matter; the edited lines themselves are ws4x4's (22-bit sums, 4-row skew, 3-bit
//! drain counter).
//!
//! Verilator (the default backend) builds each faulted design once into the shared,
//! content-addressed cache, so a second run is quick. Simulations run one at a time:
//! each may use two g++ jobs and the machine has two cores.

mod common;
use common::have_verilator;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde_json::Value;

const SKIPGRID: &str = env!("CARGO_BIN_EXE_skipgrid");

/// One job: 8 rows, 4 x 4 blocks, half pruned.
const ONE_JOB: &[&str] = &[
    "--m",
    "8",
    "--k",
    "16",
    "--n",
    "16",
    "--sparsity",
    "0.5",
    "--seed",
    "1",
];

/// K = 128 is 32 K blocks, twice what ws4x4's buffers hold: the host splits it into two
/// jobs whose outputs land on the same accumulator addresses.
const TWO_JOBS: &[&str] = &[
    "--m",
    "8",
    "--k",
    "128",
    "--n",
    "16",
    "--sparsity",
    "0.5",
    "--seed",
    "1",
];

static SIMULATOR: Mutex<()> = Mutex::new(());

/// Which check the harness must report first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An element of Y differs (`Y[r][c]: expected ...`).
    Output,
    /// Outputs are right, the CYCLES register is not (`cycle count: model ...`).
    Cycles,
}

/// A bug planted by replacing `find` with `replace` in the module of role `role`.
struct Fault {
    role: &'static str,
    find: &'static str,
    replace: &'static str,
}

fn skipgrid(args: &[&str]) -> Output {
    Command::new(SKIPGRID)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("skipgrid runs")
}

/// Generates a configuration (`--preset NAME` or `--config FILE`) into `<tmp>/rtl`.
fn generate(config: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::Builder::new()
        .prefix("skipgrid-fault-")
        .tempdir()
        .unwrap();
    let dir = t.path().join("rtl");
    let mut args = vec!["gen"];
    args.extend_from_slice(config);
    args.extend_from_slice(&["--out", dir.to_str().unwrap()]);
    let out = skipgrid(&args);
    assert!(
        out.status.success(),
        "skipgrid gen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (t, dir)
}

/// The file of the module with `role` in the manifest.
fn module_file(dir: &Path, role: &str) -> PathBuf {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let file = manifest["modules"]
        .as_array()
        .expect("manifest lists modules")
        .iter()
        .find(|m| m["role"] == role)
        .unwrap_or_else(|| panic!("no module of role {role} in the manifest"))["file"]
        .as_str()
        .unwrap()
        .to_string();
    dir.join(file)
}

fn plant(dir: &Path, f: &Fault) {
    let path = module_file(dir, f.role);
    let text = std::fs::read_to_string(&path).unwrap();
    let n = text.matches(f.find).count();
    assert_eq!(
        n,
        1,
        "`{}` occurs {n} times in {}, not once: the generated RTL changed, update the fault",
        f.find,
        path.display()
    );
    std::fs::write(&path, text.replacen(f.find, f.replace, 1)).unwrap();
}

/// `skipgrid sim --preset ws4x4 --rtl DIR --json ARGS`: exit code, report, stderr.
fn sim(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let _one_at_a_time = SIMULATOR.lock().unwrap_or_else(|p| p.into_inner());
    let mut all = vec!["sim", "--preset", "ws4x4", "--rtl", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    all.push("--json");
    let out = skipgrid(&all);
    let code = out.status.code().expect("skipgrid exited normally");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, report, stderr)
}

/// Plants `fault` in fresh ws4x4 RTL and checks that `args` catch it as `kind`;
/// returns the report for further checks.
fn caught(fault: &Fault, args: &[&str], kind: Kind) -> Value {
    let (_t, dir) = generate(&["--preset", "ws4x4"]);
    plant(&dir, fault);
    let (code, rep, stderr) = sim(&dir, args);
    assert_eq!(code, 1, "expected exit 1 (mismatch)\n{rep:#}\n{stderr}");
    let first = rep["first_mismatch"].as_str().unwrap_or_default();
    match kind {
        Kind::Output => {
            assert_eq!(rep["outputs_match"], false, "{rep:#}");
            assert!(first.contains(": Y["), "not an output element: {first}");
        }
        Kind::Cycles => {
            assert_eq!(rep["outputs_match"], true, "{rep:#}");
            assert_eq!(rep["cycles_match"], false, "{rep:#}");
            assert!(
                first.contains("cycle count"),
                "not the cycle count: {first}"
            );
        }
    }
    assert!(
        stderr.contains("first difference:") && stderr.contains("reproduce: skipgrid sim"),
        "no first difference and reproduce line on stderr:\n{stderr}"
    );
    rep
}

#[test]
fn unmodified_rtl_passes_through_rtl() {
    if !have_verilator() {
        return;
    }
    let (_t, dir) = generate(&["--preset", "ws4x4"]);
    for args in [ONE_JOB, TWO_JOBS] {
        let (code, rep, stderr) = sim(&dir, args);
        assert_eq!(code, 0, "{args:?}\n{rep:#}\n{stderr}");
        assert_eq!(rep["outputs_match"], true);
        assert_eq!(rep["cycles_match"], true);
    }
}

#[test]
fn rtl_of_another_configuration_is_refused() {
    if !have_verilator() {
        return;
    }
    // ws4x4 with a wider accumulator: same host map, so the only thing that can tell
    // the two apart is the CONFIG_HASH register.
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("acc24.toml");
    std::fs::write(
        &cfg,
        "rows = 4\ncols = 4\nacc_width = 24\n[buffers]\nm_depth = 64\nk_blocks = 16\nn_blocks = 16\n",
    )
    .unwrap();
    let (_t, dir) = generate(&["--config", cfg.to_str().unwrap()]);
    let (code, _, stderr) = sim(&dir, ONE_JOB);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("another configuration") && stderr.contains("CONFIG_HASH"),
        "{stderr}"
    );
}

/// A PE whose MAC drops the product whenever the activation belongs to a block in
/// weight bank 1 (a broken bank select on the adder input): every second block of a
/// job contributes nothing.
#[test]
fn pe_dropping_its_product_in_one_bank() {
    if !have_verilator() {
        return;
    }
    caught(
        &Fault {
            role: "pe",
            find: "assign sum = in_psum + {{6{prod[15]}}, prod};",
            replace: "assign sum = in_psum + (in_bank ? 22'd0 : {{6{prod[15]}}, prod});",
        },
        ONE_JOB,
        Kind::Output,
    );
}

/// Input skew off by one stage: mesh row 2 gets its activations from delay stage 1,
/// one cycle early, so they meet the partial sums of the wrong activation row.
#[test]
fn act_skew_tap_one_stage_early() {
    if !have_verilator() {
        return;
    }
    caught(
        &Fault {
            role: "act_skew",
            find: "assign out_data_2 = data_d2;",
            replace: "assign out_data_2 = data_d1;",
        },
        ONE_JOB,
        Kind::Output,
    );
}

/// Output deskew off by one stage: column 1's accumulator address and first flag come
/// from stage 4 instead of 5, so its sums land one row off.
#[test]
fn out_deskew_tap_one_stage_early() {
    if !have_verilator() {
        return;
    }
    let rep = caught(
        &Fault {
            role: "out_deskew",
            find: "assign out_data_1 = data_d5;",
            replace: "assign out_data_1 = data_d4;",
        },
        ONE_JOB,
        Kind::Output,
    );
    // Only column 1 of each N block is wrong.
    let first = rep["first_mismatch"].as_str().unwrap();
    assert!(first.contains("Y[0][1]"), "{first}");
}

/// A skip controller that skips one block too many: at start it drops the first
/// present block from its work list (`x & (x - 1)` clears the lowest set bit), as an
/// off-by-one in the bitmap scan would.
#[test]
fn skip_ctrl_skipping_one_block_too_many() {
    if !have_verilator() {
        return;
    }
    let rep = caught(
        &Fault {
            role: "skip_ctrl",
            find: "remaining <= rst ? 256'd0 : masked;",
            replace: "remaining <= rst ? 256'd0 : (masked & (masked - 256'd1));",
        },
        ONE_JOB,
        Kind::Output,
    );
    // The missing block also shows as a shorter job: M = 8 cycles fewer.
    let (rtl, model) = (rep["rtl_cycles"].as_u64(), rep["model_cycles"].as_u64());
    assert_eq!(rtl.zip(model).map(|(r, m)| m - r), Some(8), "{rep:#}");
}

/// A job controller whose drain countdown starts one lower: done (and the cycle
/// counter) stop one cycle before the last sums are due. The outputs still arrive in
/// time here, so only the exact cycle check catches it.
#[test]
fn job_ctrl_drain_one_cycle_short() {
    if !have_verilator() {
        return;
    }
    let rep = caught(
        &Fault {
            role: "job_ctrl",
            find: "drain_count <= 3'd6;",
            replace: "drain_count <= 3'd5;",
        },
        ONE_JOB,
        Kind::Cycles,
    );
    assert!(
        rep["first_mismatch"].as_str().unwrap().contains("(RTL -1)"),
        "{rep:#}"
    );
}

/// A cycle counter that stops one cycle early: it does not count the job's last cycle
/// (done itself is on time, so the host's wait and the register disagree too).
#[test]
fn cycle_counter_missing_the_last_cycle() {
    if !have_verilator() {
        return;
    }
    caught(
        &Fault {
            role: "job_ctrl",
            find: "cycles <= cycles + 32'd1;",
            replace: "cycles <= cycles + {31'd0, !(draining && (drain_count == 3'd0))};",
        },
        ONE_JOB,
        Kind::Cycles,
    );
}

/// An accumulator that ignores the first flag of column 0 and always adds: the first
/// block of an N block adds to whatever the RAM held instead of overwriting it.
///
/// From reset the RAM holds zeros, so one job cannot see this (adding to 0 is
/// overwriting). The stimulus is two jobs on the same addresses (K split in two), and
/// the difference must appear in the second.
#[test]
fn accumulator_adding_instead_of_overwriting() {
    if !have_verilator() {
        return;
    }
    let rep = caught(
        &Fault {
            role: "accum",
            find: "assign sum_0 = first_d_0 ? psum_0 : (rdata_0 + psum_0);",
            replace: "assign sum_0 = rdata_0 + psum_0;",
        },
        TWO_JOBS,
        Kind::Output,
    );
    let first = rep["first_mismatch"].as_str().unwrap();
    assert!(first.starts_with("job 1 "), "{first}");
}
