//! From per-module `stat` numbers to whole-design totals: instance counts through the
//! hierarchy, the breakdown by role group, and memories.

use crate::liberty::Liberty;
use crate::report::{Counts, GroupStats, MemoryInfo, ModuleStats};
use crate::rtl::{Group, RtlDir};
use crate::sram::SramModel;
use crate::target::{fpga_resource, FpgaResource, Target};
use crate::yosys::{liberty_area, ElabModule, ModuleStat};
use std::collections::{BTreeMap, BTreeSet};

/// What [`account`] reads.
pub struct Inputs<'a> {
    /// The target.
    pub target: Target,
    /// The RTL directory (top, roles).
    pub rtl: &'a RtlDir,
    /// The elaborated design.
    pub elab: &'a BTreeMap<String, ElabModule>,
    /// `stat` of the final mapped design (liberty cells on asic).
    pub mapped: &'a BTreeMap<String, ModuleStat>,
    /// `stat` after generic `synth` (asic: for latches).
    pub synth: &'a BTreeMap<String, ModuleStat>,
    /// `stat -tech cmos` (asic).
    pub cmos: Option<&'a BTreeMap<String, ModuleStat>>,
    /// The liberty (asic).
    pub liberty: Option<&'a Liberty>,
    /// Source names of the modules black-boxed as SRAMs.
    pub blackboxed: &'a BTreeSet<String>,
    /// The SRAM macro model.
    pub sram: SramModel,
}

/// Whole-design numbers.
#[derive(Debug, Default)]
pub struct Totals {
    /// Summed counts.
    pub counts: Counts,
    /// Latches.
    pub latches: u64,
    /// Cells by type.
    pub cells_by_type: BTreeMap<String, u64>,
    /// Carry cells (FPGA).
    pub carries: u64,
    /// LUT RAMs (FPGA).
    pub lut_rams: u64,
    /// Per group.
    pub breakdown: Vec<GroupStats>,
    /// Per module.
    pub modules: Vec<ModuleStats>,
    /// Memories.
    pub memories: Vec<MemoryInfo>,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// Instances of every module reachable from `top` (top counts 1). `is_module` tells
/// a submodule type from a leaf cell.
pub fn instance_counts(
    top: &str,
    stats: &BTreeMap<String, ModuleStat>,
    is_module: &dyn Fn(&str) -> bool,
) -> BTreeMap<String, u64> {
    fn walk(
        m: &str,
        mult: u64,
        depth: usize,
        stats: &BTreeMap<String, ModuleStat>,
        is_module: &dyn Fn(&str) -> bool,
        out: &mut BTreeMap<String, u64>,
    ) {
        *out.entry(m.to_string()).or_insert(0) += mult;
        if depth > 64 {
            return;
        }
        if let Some(st) = stats.get(m) {
            for (t, n) in &st.cells_by_type {
                if is_module(t) {
                    walk(t, mult * n, depth + 1, stats, is_module, out);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(top, 1, 0, stats, is_module, &mut out);
    out
}

fn add_scaled(acc: &mut Counts, c: &Counts, n: u64) {
    let nf = n as f64;
    acc.cells += c.cells * n;
    acc.flip_flops += c.flip_flops * n;
    let addf = |a: &mut Option<f64>, b: Option<f64>| {
        if let Some(b) = b {
            *a = Some(a.unwrap_or(0.0) + b * nf);
        }
    };
    addf(&mut acc.area_um2, c.area_um2);
    addf(&mut acc.sram_area_um2, c.sram_area_um2);
    let addu = |a: &mut Option<u64>, b: Option<u64>| {
        if let Some(b) = b {
            *a = Some(a.unwrap_or(0) + b * n);
        }
    };
    addu(&mut acc.transistors, c.transistors);
    addu(&mut acc.luts, c.luts);
    addu(&mut acc.dsps, c.dsps);
    addu(&mut acc.brams, c.brams);
}

/// Computes totals, breakdown, per-module numbers and memories.
pub fn account(inp: &Inputs<'_>) -> Totals {
    let t = inp.target;
    let is_module = |n: &str| inp.mapped.contains_key(n) || inp.elab.contains_key(n);
    let counts = instance_counts(&inp.rtl.top, inp.mapped, &is_module);
    let mut tot = Totals::default();
    let mut groups: BTreeMap<Group, Counts> = BTreeMap::new();
    for (name, &n) in &counts {
        let source = inp
            .elab
            .get(name)
            .map(|e| e.source_name.clone())
            .unwrap_or_else(|| crate::rtl::source_name(name).to_string());
        let role = inp.rtl.role_of(&source).unwrap_or("unknown").to_string();
        let mut c = Counts::default();
        if let Some(st) = inp.mapped.get(name) {
            let mut carries = 0;
            let mut lut_rams = 0;
            for (ty, &k) in st.cells_by_type.iter().filter(|(ty, _)| !is_module(ty)) {
                c.cells += k;
                *tot.cells_by_type.entry(ty.clone()).or_insert(0) += k * n;
                let lib_ff = inp.liberty.is_some_and(|l| l.flip_flops.contains(ty));
                if t.is_flip_flop(ty) || lib_ff {
                    c.flip_flops += k;
                }
                if t.is_latch(ty) || inp.liberty.is_some_and(|l| l.latches.contains(ty)) {
                    tot.latches += k * n;
                }
                match fpga_resource(t, ty) {
                    Some(FpgaResource::Lut) => *c.luts.get_or_insert(0) += k,
                    Some(FpgaResource::Dsp) => *c.dsps.get_or_insert(0) += k,
                    Some(FpgaResource::Bram) => *c.brams.get_or_insert(0) += k,
                    Some(FpgaResource::Carry) => carries += k,
                    Some(FpgaResource::LutRam) => lut_rams += k,
                    None => {}
                }
            }
            tot.carries += carries * n;
            tot.lut_rams += lut_rams * n;
            if t.is_fpga() {
                c.luts.get_or_insert(0);
                c.dsps.get_or_insert(0);
                c.brams.get_or_insert(0);
            }
            if let Some(lib) = inp.liberty {
                c.area_um2 = Some(liberty_area(st, lib));
            }
            if let Some(cm) = inp.cmos {
                c.transistors = Some(cm.get(name).and_then(|s| s.transistors).unwrap_or(0));
            }
            if t == Target::Asic {
                // Latches that dfflibmap could not map still show in the generic netlist.
                if let Some(s) = inp.synth.get(name) {
                    tot.latches += s
                        .cells_by_type
                        .iter()
                        .filter(|(ty, _)| Target::Generic.is_latch(ty))
                        .map(|(_, k)| k * n)
                        .sum::<u64>();
                }
            }
        }
        if let Some(e) = inp.elab.get(name) {
            for &(width, depth) in &e.memories {
                let boxed = inp.blackboxed.contains(&source);
                let (counted_as, macro_area) = match (boxed, t) {
                    (true, Target::Asic) => ("sram_macro", Some(inp.sram.area_um2(width, depth))),
                    (true, _) => ("black_box", None),
                    (false, _) => ("inferred", None),
                };
                if let Some(a) = macro_area {
                    *c.sram_area_um2.get_or_insert(0.0) += a;
                }
                if !boxed && !t.is_fpga() {
                    tot.warnings.push(format!(
                        "memory {width}x{depth} in module {source} (role {role}) is not in a \
                         `ram` module: synthesized as flip-flops and logic"
                    ));
                }
                tot.memories.push(MemoryInfo {
                    module: name.clone(),
                    role: role.clone(),
                    instances: n,
                    width,
                    depth,
                    counted_as: counted_as.into(),
                    macro_area_um2: macro_area,
                });
            }
        }
        if !inp.mapped.contains_key(name) && !inp.blackboxed.contains(&source) {
            tot.warnings
                .push(format!("module {name} has no statistics"));
        }
        add_scaled(groups.entry(Group::of_role(&role)).or_default(), &c, n);
        add_scaled(&mut tot.counts, &c, n);
        tot.modules.push(ModuleStats {
            name: name.clone(),
            source_name: source,
            role,
            instances: n,
            per_instance: c,
        });
    }
    tot.breakdown = Group::ALL
        .iter()
        .filter_map(|g| {
            groups
                .remove(g)
                .map(|counts| GroupStats { group: *g, counts })
        })
        .collect();
    tot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_through_hierarchy() {
        let mut stats = BTreeMap::new();
        let st = |pairs: &[(&str, u64)]| ModuleStat {
            cells_by_type: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            transistors: None,
        };
        stats.insert("top".to_string(), st(&[("mesh", 2), ("$_AND_", 3)]));
        stats.insert("mesh".to_string(), st(&[("pe", 4)]));
        stats.insert("pe".to_string(), st(&[("$_DFF_P_", 5)]));
        let is_mod = |n: &str| stats.contains_key(n);
        let c = instance_counts("top", &stats, &is_mod);
        assert_eq!(c["top"], 1);
        assert_eq!(c["mesh"], 2);
        assert_eq!(c["pe"], 8);
    }
}
