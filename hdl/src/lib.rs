//! skipgrid's hardware description. Each level of the accelerator has its own generator
//! that builds a [`ir::Module`] from a validated [`skipgrid_config::ArrayConfig`]:
//!
//! | level | file |
//! |---|---|
//! | processing element | `pe.rs` |
//! | rows × cols mesh | `mesh.rs` |
//! | activation skew, weight-load skew, output deskew | `skew.rs` |
//! | block sequencer (the sparsity skip controller) | `skip_ctrl.rs` |
//! | weight loader and activation streamer | `loader.rs`, `streamer.rs` |
//! | buffers and the output accumulator | `buffers.rs`, `accum.rs` |
//! | host interface, cycle counter and top | `host_if.rs`, `top.rs` |
//!
//! Not for: Verilog text (see `skipgrid-gen`), simulation or synthesis.
#![deny(missing_docs)]

pub mod accum;
pub mod buffers;
pub mod host_if;
pub mod ir;
pub mod job_ctrl;
pub mod loader;
pub mod mesh;
pub mod pe;
pub mod ram;
pub mod skew;
pub mod skip_ctrl;
pub mod streamer;
pub mod top;
mod util;

use serde::Serialize;

/// What a module is in the accelerator (reports group area by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Role {
    Pe,
    Mesh,
    ActSkew,
    WloadSkew,
    OutDeskew,
    SkipCtrl,
    DenseSeq,
    Loader,
    Streamer,
    JobCtrl,
    XBuffer,
    WBuffer,
    Accum,
    Ram,
    HostIf,
    Top,
}

/// Every module of one configuration, dependencies first, the top last.
#[derive(Debug, Clone, Default)]
pub struct Design {
    /// (module, role) in dependency order.
    pub modules: Vec<(ir::Module, Role)>,
}

impl Design {
    fn push(&mut self, m: ir::Module, role: Role) {
        // Identical modules (two RAMs of one shape) are emitted once.
        if !self.modules.iter().any(|(x, _)| x.name == m.name) {
            self.modules.push((m, role));
        }
    }
    /// The top module.
    pub fn top(&self) -> &ir::Module {
        &self.modules.last().expect("a design has a top").0
    }
}

/// The complete hardware of `cfg`.
pub fn design(cfg: &skipgrid_config::ArrayConfig) -> Design {
    match cfg.dataflow {
        skipgrid_config::Dataflow::WeightStationary => top::design(cfg),
    }
}
