//! Running Yosys and reading what it writes: `stat -json` per module and the
//! elaborated design's `write_json` (hierarchy, source names, memories).

use crate::error::{Result, SynthError};
use crate::liberty::Liberty;
use crate::rtl::{source_name, RtlDir};
use crate::target::Target;
use serde_json::Value;
use skipgrid_toolrun::Tool;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Per-module numbers from one `stat -json`.
#[derive(Debug, Clone, Default)]
pub struct ModuleStat {
    /// Cell type → count, submodule instances included (as their module name).
    pub cells_by_type: BTreeMap<String, u64>,
    /// `estimated_num_transistors` (only with `-tech cmos`), `+` stripped.
    pub transistors: Option<u64>,
}

/// One module of the elaborated (not yet synthesized) design.
#[derive(Debug, Clone, Default)]
pub struct ElabModule {
    /// The name in the source (`hdlname`), e.g. `fx_ram` for `$paramod$…\fx_ram`.
    pub source_name: String,
    /// Memories as (width, depth).
    pub memories: Vec<(u64, u64)>,
}

/// Runs `yosys -q -l yosys-<tag>.log -s <script>` in `work`.
pub fn run_script(
    program: &str,
    work: &Path,
    tag: &str,
    script: &str,
    timeout: Duration,
) -> Result<()> {
    let script_name = format!("{tag}.ys");
    let path = work.join(&script_name);
    std::fs::write(&path, script).map_err(SynthError::io(&path))?;
    Tool::new(program)
        .args(["-q", "-l", &format!("{tag}.log"), "-s", &script_name])
        .dir(work)
        .timeout(timeout)
        .install_hint("apt-get install -y yosys")
        .run()
        .map_err(SynthError::Yosys)?;
    Ok(())
}

fn quote(p: &Path) -> String {
    format!("\"{}\"", p.display())
}

/// Reads the sources and elaborates from the top (shared by all scripts).
fn read_and_elaborate(rtl: &RtlDir) -> String {
    let files: Vec<String> = rtl.files.iter().map(|f| quote(f)).collect();
    format!(
        "read_verilog -defer {}\nhierarchy -check -top {}\n",
        files.join(" "),
        rtl.top
    )
}

/// Script 1: elaborate, collect memories, dump the design as JSON.
pub fn elab_script(rtl: &RtlDir) -> String {
    read_and_elaborate(rtl) + "proc\nopt_clean\nmemory_collect\nwrite_json elab.json\n"
}

/// Script that fails when `check -assert` finds a problem (latches, drivers, loops).
pub fn check_script(rtl: &RtlDir) -> String {
    read_and_elaborate(rtl)
        + "proc\nopt_clean\ncheck -assert\nselect -assert-none t:$dlatch t:$adlatch t:$dlatchsr\n"
}

/// File name of the ABC constraints (`abc -constr`) in the work directory.
pub const ABC_CONSTR: &str = "abc.constr";

/// ABC's constraints for mapping onto `lib`: every module input driven by the library's
/// smallest inverter, every output loaded by about one inverter input (0.01 pF, the
/// input capacitance of OSU 0.18 µm `INVX1`). With them (and `-D`), ABC's liberty script
/// ends in `buffer; upsize; dnsize`, so a high-fanout net becomes a buffer tree instead
/// of one minimum-size gate driving hundreds of pins, which OpenSTA would otherwise time
/// at tens of nanoseconds. `None` when the library has no cell named `INV…`.
pub fn abc_constraints(lib: &Liberty) -> Option<String> {
    let inv = lib
        .areas
        .iter()
        .filter(|(n, _)| n.to_ascii_uppercase().starts_with("INV"))
        .min_by(|a, b| a.1.total_cmp(b.1))?
        .0;
    Some(format!("set_driving_cell {inv}\nset_load 0.01\n"))
}

/// Script 2: synthesize for `target`, black-boxing `blackbox` (source names). On asic,
/// `abc_delay_ps` is ABC's delay target; with `Some`, ABC buffers and sizes gates using
/// the constraints file [`ABC_CONSTR`] (see [`abc_constraints`]), which the caller writes.
pub fn synth_script(
    rtl: &RtlDir,
    target: Target,
    blackbox: &[String],
    liberty: Option<&Path>,
    abc_delay_ps: Option<u64>,
) -> String {
    let mut s = read_and_elaborate(rtl);
    for name in blackbox {
        // Derived (parameterised) modules keep the source name in `hdlname` as `\NAME`.
        s += &format!("blackbox {name} A:hdlname=?{name}\n");
    }
    s += &target.synth_command(&rtl.top);
    s += "\ntee -q -o stat_synth.json stat -json\n";
    if let (Target::Asic, Some(lib)) = (target, liberty) {
        let l = quote(lib);
        s += "design -save synthesized\n";
        s += "dfflegalize -cell $_DFF_P_ 01\nabc -g cmos2\n";
        s += "tee -q -o stat_cmos.json stat -tech cmos -json\n";
        s += "design -load synthesized\n";
        let abc = match abc_delay_ps {
            Some(d) => format!("abc -D {d} -constr {ABC_CONSTR} -liberty {l}"),
            None => format!("abc -liberty {l}"),
        };
        s += &format!("dfflibmap -liberty {l}\n{abc}\nopt_clean\n");
        s += &format!("tee -q -o stat_liberty.json stat -liberty {l} -json\n");
        s += "write_verilog -noattr netlist.v\n";
        s += "write_verilog -noattr -blackboxes blackboxes.v\n";
    }
    s
}

/// Parses `stat -json` into normalised module name → numbers. Yosys 0.23 prints the
/// text hierarchy into the JSON when a top is set (and a trailing comma without one),
/// so non-JSON lines and trailing commas are removed first.
pub fn parse_stat_json(text: &str) -> Result<BTreeMap<String, ModuleStat>> {
    let v: Value = serde_json::from_str(&repair_json(text)).map_err(|e| SynthError::Parse {
        what: "yosys stat -json".into(),
        msg: e.to_string(),
    })?;
    let modules = v
        .get("modules")
        .and_then(Value::as_object)
        .ok_or_else(|| SynthError::Parse {
            what: "yosys stat -json".into(),
            msg: "no `modules` object".into(),
        })?;
    let mut out = BTreeMap::new();
    for (name, m) in modules {
        let mut st = ModuleStat::default();
        if let Some(by) = m.get("num_cells_by_type").and_then(Value::as_object) {
            for (t, n) in by {
                st.cells_by_type
                    .insert(norm(t).to_string(), n.as_u64().unwrap_or(0));
            }
        }
        st.transistors = m.get("estimated_num_transistors").and_then(|t| match t {
            Value::String(s) => s.trim_end_matches('+').trim().parse().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        });
        out.insert(norm(name).to_string(), st);
    }
    Ok(out)
}

/// Parses the elaborated design's `write_json`.
pub fn parse_elab_json(text: &str) -> Result<BTreeMap<String, ElabModule>> {
    let bad = |msg: &str| SynthError::Parse {
        what: "yosys write_json".into(),
        msg: msg.into(),
    };
    let v: Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
    let modules = v
        .get("modules")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("no `modules` object"))?;
    let mut out = BTreeMap::new();
    for (name, m) in modules {
        let name = norm(name);
        let hdl = m
            .pointer("/attributes/hdlname")
            .and_then(Value::as_str)
            .map(|s| norm(s).to_string())
            .unwrap_or_else(|| source_name(name).to_string());
        let mut em = ElabModule {
            source_name: hdl,
            memories: Vec::new(),
        };
        if let Some(cells) = m.get("cells").and_then(Value::as_object) {
            for c in cells.values() {
                let ty = c.get("type").and_then(Value::as_str).unwrap_or("");
                if ty.starts_with("$mem") && !ty.starts_with("$memrd") && !ty.starts_with("$memwr")
                {
                    let p = |k: &str| c.pointer(&format!("/parameters/{k}")).and_then(param_u64);
                    if let (Some(w), Some(d)) = (p("WIDTH"), p("SIZE")) {
                        em.memories.push((w, d));
                    }
                }
            }
        }
        out.insert(name.to_string(), em);
    }
    Ok(out)
}

/// Total area of one module's leaf cells from the liberty; unknown cells add nothing.
pub fn liberty_area(st: &ModuleStat, lib: &Liberty) -> f64 {
    st.cells_by_type
        .iter()
        .map(|(t, n)| lib.areas.get(t).copied().unwrap_or(0.0) * *n as f64)
        .sum()
}

/// Yosys writes parameters as binary strings (or numbers with `-compat-int`).
fn param_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.chars().all(|c| c == '0' || c == '1') => {
            u64::from_str_radix(s.get(s.len().saturating_sub(63)..)?, 2).ok()
        }
        _ => None,
    }
}

fn norm(name: &str) -> &str {
    name.strip_prefix('\\').unwrap_or(name)
}

fn repair_json(text: &str) -> String {
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.is_empty()
                || t.starts_with(['"', '{', '}', '[', ']'])
                || !l.starts_with(char::is_whitespace)
        })
        .collect();
    let joined = kept.join("\n");
    // Drop a comma followed (after whitespace) by a closing brace or bracket.
    let mut out = String::with_capacity(joined.len());
    let chars: Vec<char> = joined.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abc_buffers_with_the_smallest_inverter() {
        let lib = Liberty::parse(
            "library(x) {\ncell (INVX2) {\narea : 24;\n}\ncell (INVX1) {\narea : 16;\n}\ncell (NAND2X1) {\narea : 8;\n}\n",
        );
        let c = abc_constraints(&lib).unwrap();
        assert!(c.starts_with("set_driving_cell INVX1\n"), "{c}");
        assert!(abc_constraints(&Liberty::parse("cell (NAND2X1) {\narea : 8;\n}\n")).is_none());
    }

    #[test]
    fn repairs_yosys_023_stat_json() {
        let text = "{\n   \"modules\": {\n      \"\\\\a\": {\n         \"num_cells_by_type\": {\n            \"b\": 2\n         }\n      }\n   },\n       b                         2\n\n}\n";
        let m = parse_stat_json(text).unwrap();
        assert_eq!(m["a"].cells_by_type["b"], 2);
    }

    #[test]
    fn reads_transistors_with_plus() {
        let text = r#"{"modules": {"\\m": {"num_cells_by_type": {}, "estimated_num_transistors": "336+"}}}"#;
        assert_eq!(parse_stat_json(text).unwrap()["m"].transistors, Some(336));
    }

    #[test]
    fn binary_params() {
        assert_eq!(
            param_u64(&Value::String("00000000000000000000000100000000".into())),
            Some(256)
        );
    }
}
