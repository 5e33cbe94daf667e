//! A small typed RTL IR: modules with ports, signals, memories, continuous assignments,
//! clocked processes and instances. Every expression carries its width, and the
//! constructors refuse mismatched widths, so a generator bug fails in Rust instead of
//! surfacing as a lint warning. It knows nothing of Verilog syntax (see `skipgrid-gen`).
//!
//! `expr.rs` holds expressions and their width rules, `module.rs` modules, statements
//! and the builder methods the generators call.

mod expr;
mod module;

pub use expr::{concat, lit, mux, BinOp, Expr, ExprKind};
pub use module::{set, when, when_else, Dir, Item, Mem, Module, Port, SigKind, Stmt};
