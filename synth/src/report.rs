//! The serialisable results: one [`AreaReport`] per (RTL, target), and a text table.

use crate::rtl::Group;
use crate::target::Target;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Numbers of one group of module roles (or of one module), summed over instances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Mapped leaf cells (submodule instances and SRAM black boxes excluded).
    pub cells: u64,
    /// Flip-flop bits.
    pub flip_flops: u64,
    /// Logic area in µm² (asic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_um2: Option<f64>,
    /// SRAM macro area in µm² (asic), kept apart from logic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sram_area_um2: Option<f64>,
    /// Estimated transistors of the logic (asic, `abc -g cmos2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transistors: Option<u64>,
    /// LUTs (FPGA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub luts: Option<u64>,
    /// Hard multipliers (FPGA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dsps: Option<u64>,
    /// Block RAMs (FPGA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brams: Option<u64>,
}

/// One group of the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// Which group.
    pub group: Group,
    /// Summed numbers.
    #[serde(flatten)]
    pub counts: Counts,
}

/// One synthesized module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleStats {
    /// Yosys' name (parameterised modules get `$paramod…` names).
    pub name: String,
    /// The source name.
    pub source_name: String,
    /// The role from the manifest (`unknown` when absent).
    pub role: String,
    /// How many instances the top contains, through the hierarchy.
    pub instances: u64,
    /// Numbers of ONE instance.
    #[serde(flatten)]
    pub per_instance: Counts,
}

/// A memory found in the elaborated design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryInfo {
    /// Yosys module holding it.
    pub module: String,
    /// The module's role.
    pub role: String,
    /// Instances of that module.
    pub instances: u64,
    /// Word width in bits.
    pub width: u64,
    /// Words.
    pub depth: u64,
    /// How it was counted: `sram_macro` (asic), `black_box` (generic) or `inferred` (FPGA,
    /// or memories outside `ram` modules, synthesized as logic).
    pub counted_as: String,
    /// Modelled macro area of one instance (asic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub macro_area_um2: Option<f64>,
}

/// Area and timing of one RTL directory on one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaReport {
    /// The target.
    pub target: Target,
    /// The top module.
    pub top: String,
    /// Mapped leaf cells over the whole hierarchy (SRAM black boxes excluded).
    pub cells: u64,
    /// Leaf cells by type, over the whole hierarchy.
    pub cells_by_type: BTreeMap<String, u64>,
    /// Flip-flop bits (outside SRAM macros).
    pub flip_flops: u64,
    /// Latches (should be 0).
    pub latches: u64,
    /// Logic area in µm², SRAM macros excluded (asic).
    pub area_um2: Option<f64>,
    /// Modelled SRAM macro area in µm² (asic).
    pub sram_area_um2: Option<f64>,
    /// `area_um2 + sram_area_um2` (asic).
    pub total_area_um2: Option<f64>,
    /// Estimated transistors of the logic (asic).
    pub transistors: Option<u64>,
    /// LUTs (FPGA).
    pub luts: Option<u64>,
    /// Carry cells (FPGA).
    pub carries: Option<u64>,
    /// DSP blocks (FPGA).
    pub dsps: Option<u64>,
    /// Block RAMs (FPGA).
    pub brams: Option<u64>,
    /// LUT RAMs and shift-register LUTs (Xilinx).
    pub lut_rams: Option<u64>,
    /// Clock period given to OpenSTA, ns (asic).
    pub clock_period_ns: Option<f64>,
    /// Minimum clock period = period − worst setup slack, ns (asic).
    pub critical_path_ns: Option<f64>,
    /// 1000 / `critical_path_ns` (asic).
    pub fmax_mhz: Option<f64>,
    /// Start of the worst path: hierarchical register name where known (asic).
    pub path_start: Option<String>,
    /// End of the worst path (asic).
    pub path_end: Option<String>,
    /// Numbers per group of module roles.
    pub breakdown: Vec<GroupStats>,
    /// Numbers per module (one instance each) and instance counts.
    pub modules: Vec<ModuleStats>,
    /// Memories and how they were counted.
    pub memories: Vec<MemoryInfo>,
    /// Logic overhead of skipping, percent (set by [`crate::skip_overhead`]).
    pub skip_overhead_pct: Option<f64>,
    /// Overhead including SRAM macros, percent (asic).
    pub skip_overhead_total_pct: Option<f64>,
    /// Tool versions that produced this report.
    pub tools: BTreeMap<String, String>,
    /// The cache key (hash of RTL, target, options, liberty and tool versions).
    pub cache_key: String,
    /// Whether this report came from the cache.
    pub from_cache: bool,
    /// Wall time of the tool runs, seconds (of the original run when cached).
    pub runtime_s: f64,
    /// Things a reader should know (e.g. a memory synthesized as flip-flops).
    pub warnings: Vec<String>,
}

impl AreaReport {
    /// The number the skip overhead compares for logic: µm² (asic), LUTs (FPGA),
    /// cells (generic).
    pub fn logic_metric(&self) -> f64 {
        match self.target {
            Target::Asic => self.area_um2.unwrap_or(0.0),
            Target::Ice40 | Target::Xilinx => self.luts.unwrap_or(0) as f64,
            Target::Generic => self.cells as f64,
        }
    }

    /// The number the total overhead compares (asic: logic + SRAM), if any.
    pub fn total_metric(&self) -> Option<f64> {
        self.total_area_um2
    }

    /// A human-readable table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "target {}  top {}", self.target, self.top);
        let mut row = |k: &str, v: String| {
            let _ = writeln!(s, "  {k:<24} {v}");
        };
        row("cells", self.cells.to_string());
        row("flip-flops", self.flip_flops.to_string());
        row("latches", self.latches.to_string());
        let opt_u = |v: Option<u64>| v.map(|v| v.to_string());
        let opt_f = |v: Option<f64>, d: usize| v.map(|v| format!("{v:.d$}"));
        for (k, v) in [
            ("logic area (um^2)", opt_f(self.area_um2, 0)),
            ("SRAM area (um^2)", opt_f(self.sram_area_um2, 0)),
            ("total area (um^2)", opt_f(self.total_area_um2, 0)),
            ("transistors", opt_u(self.transistors)),
            ("LUTs", opt_u(self.luts)),
            ("carries", opt_u(self.carries)),
            ("DSPs", opt_u(self.dsps)),
            ("block RAMs", opt_u(self.brams)),
            ("LUT RAMs/SRLs", opt_u(self.lut_rams)),
            ("critical path (ns)", opt_f(self.critical_path_ns, 3)),
            ("fmax (MHz)", opt_f(self.fmax_mhz, 1)),
            ("path start", self.path_start.clone()),
            ("path end", self.path_end.clone()),
            ("skip overhead logic (%)", opt_f(self.skip_overhead_pct, 2)),
            (
                "skip overhead total (%)",
                opt_f(self.skip_overhead_total_pct, 2),
            ),
        ] {
            if let Some(v) = v {
                row(k, v);
            }
        }
        let _ = writeln!(
            s,
            "  {:<18} {:>9} {:>9} {:>12} {:>12} {:>8}",
            "group", "cells", "FFs", "area um^2", "SRAM um^2", "LUTs"
        );
        for g in &self.breakdown {
            let c = &g.counts;
            let f = |v: Option<f64>| v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "-".into());
            let u = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
            let _ = writeln!(
                s,
                "  {:<18} {:>9} {:>9} {:>12} {:>12} {:>8}",
                g.group.label(),
                c.cells,
                c.flip_flops,
                f(c.area_um2),
                f(c.sram_area_um2),
                u(c.luts)
            );
        }
        for w in &self.warnings {
            let _ = writeln!(s, "  warning: {w}");
        }
        s
    }
}
