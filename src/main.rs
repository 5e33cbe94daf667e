//! `skipgrid`: generate, simulate, prune and measure block-sparse systolic arrays.
//!
//! Exit codes: 0 success; 1 the RTL and the golden model differ; 2 bad input or a
//! missing or failing tool (the message says which and what would be accepted).

mod cli;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "skipgrid",
    version,
    about = "Block-sparse systolic arrays: Verilog generator and exact verification harness"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate the Verilog of a configuration.
    Gen(cli::gen::GenArgs),
    /// The golden cycle model alone: cycles of a GEMM at a sparsity, dense and SCALE-Sim beside it.
    Model(cli::model::ModelArgs),
    /// Run jobs on the RTL and check every output and the cycle count against the golden model.
    Sim(cli::sim::SimArgs),
    /// Area and timing of the generated RTL with Yosys and OpenSTA, and the skip logic's overhead.
    Area(cli::area::AreaArgs),
    /// Block-prune and quantize real transformer weights into a workload for the array.
    Prune(cli::prune_cmd::PruneCmdArgs),
    /// Run a regression matrix (configurations × shapes × masks × sparsities × seeds) on
    /// Verilator, exactly checked; JUnit XML and JSON reports.
    Regress(cli::regress::RegressArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match &cli.cmd {
        Cmd::Gen(a) => cli::gen::run(a),
        Cmd::Sim(a) => cli::sim::run(a),
        Cmd::Model(a) => cli::model::run(a),
        Cmd::Prune(a) => cli::prune_cmd::run(a),
        Cmd::Area(a) => cli::area::run_cmd(a),
        Cmd::Regress(a) => cli::regress::run_cmd(a),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("skipgrid: error: {e:#}");
            2
        }
    };
    std::process::exit(code);
}
