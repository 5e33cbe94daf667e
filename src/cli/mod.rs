//! The subcommands. Each parses its arguments, calls the library crates and maps their
//! errors to exit codes; no hardware or model logic lives here.

pub mod area;
pub mod common;
pub mod gen;
pub mod model;
pub mod prune;
pub mod prune_cmd;
pub mod regress;
pub mod sim;
