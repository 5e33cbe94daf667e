//! Static timing with OpenSTA on the hierarchical mapped netlist.
//!
//! Yosys writes every module of the kept hierarchy into `netlist.v` (SRAM black boxes
//! into `blackboxes.v` as empty modules); OpenSTA reads both and `link_design` links
//! the hierarchy from the top, so no flattening is needed. Only register-to-register
//! paths are constrained (no input/output delays): paths into or out of a black-boxed
//! SRAM end at its pins and are not timed.

use crate::error::{Result, SynthError};
use skipgrid_toolrun::Tool;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// The worst setup path.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// The clock period given to OpenSTA, ns.
    pub period_ns: f64,
    /// Worst setup slack, ns.
    pub slack_ns: f64,
    /// Start pin's instance as OpenSTA names it (e.g. `mesh/g_r[0].g_c[1].pe/_123_`).
    pub start: String,
    /// End pin's instance.
    pub end: String,
}

impl Timing {
    /// Minimum clock period: period − slack (data arrival + setup time).
    pub fn critical_path_ns(&self) -> f64 {
        self.period_ns - self.slack_ns
    }
}

/// The OpenSTA script.
pub fn script(liberty: &Path, top: &str, period_ns: f64, with_blackboxes: bool) -> String {
    let mut s = format!("read_liberty \"{}\"\n", liberty.display());
    if with_blackboxes {
        s += "read_verilog blackboxes.v\n";
    }
    s += &format!(
        "read_verilog netlist.v\nlink_design {top}\n\
         create_clock -name clk -period {period_ns} [get_ports clk]\n\
         report_checks -path_delay max -format full -digits 3\nexit\n"
    );
    s
}

/// Runs `sta` in `work` (which holds the netlists) and writes `sta.rpt`.
pub fn run(
    program: &str,
    work: &Path,
    liberty: &Path,
    top: &str,
    period_ns: f64,
    timeout: Duration,
) -> Result<Option<Timing>> {
    let bb = work.join("blackboxes.v");
    let has_bb = std::fs::read_to_string(&bb).is_ok_and(|t| t.contains("module"));
    let tcl = work.join("sta.tcl");
    std::fs::write(&tcl, script(liberty, top, period_ns, has_bb)).map_err(SynthError::io(&tcl))?;
    let out = Tool::new(program)
        .args(["-no_init", "-exit", "sta.tcl"])
        .dir(work)
        .timeout(timeout)
        .install_hint("apt-get install -y opensta")
        .run()
        .map_err(SynthError::Sta)?;
    let text = format!("{}{}", out.stdout, out.stderr);
    let rpt = work.join("sta.rpt");
    std::fs::write(&rpt, &text).map_err(SynthError::io(&rpt))?;
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("Error")).collect();
    if !errors.is_empty() {
        return Err(SynthError::StaReport(errors.join("\n")));
    }
    parse_report(&text, period_ns)
}

/// Reads start, end and slack of the first path in a `report_checks` report.
/// `None` when OpenSTA found no constrained path.
pub fn parse_report(text: &str, period_ns: f64) -> Result<Option<Timing>> {
    if text.contains("No paths found") {
        return Ok(None);
    }
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .map(|r| r.split_whitespace().next().unwrap_or("").to_string())
    };
    let slack = text
        .lines()
        .find(|l| l.contains("slack ("))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse::<f64>().ok());
    match (field("Startpoint:"), field("Endpoint:"), slack) {
        (Some(start), Some(end), Some(slack_ns)) => Ok(Some(Timing {
            period_ns,
            slack_ns,
            start,
            end,
        })),
        _ => Err(SynthError::Parse {
            what: "OpenSTA report_checks".into(),
            msg: "no Startpoint/Endpoint/slack found (see sta.rpt)".into(),
        }),
    }
}

/// Per module: instance name → (cell type, port → net), from Yosys' `write_verilog`.
type Netlist = HashMap<String, HashMap<String, (String, HashMap<String, String>)>>;

/// Parses the instances of a Yosys-written structural netlist.
fn parse_netlist(text: &str) -> Netlist {
    let mut out: Netlist = HashMap::new();
    let mut module = String::new();
    let mut inst: Option<(String, String)> = None;
    let mut ports: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("module ") {
            module = unescape(rest.split(['(', ';']).next().unwrap_or("").trim()).to_string();
            continue;
        }
        if let Some((ty, name)) = &inst {
            if let Some(p) = t.strip_prefix('.') {
                if let Some((port, net)) = p.split_once('(') {
                    let net = net.trim_end_matches(',').trim_end_matches(')');
                    ports.insert(port.to_string(), clean_net(net));
                }
            } else if t.starts_with(");") {
                out.entry(module.clone())
                    .or_default()
                    .insert(name.clone(), (ty.clone(), std::mem::take(&mut ports)));
                inst = None;
            }
            continue;
        }
        if let Some(head) = t.strip_suffix('(') {
            let mut it = head.split_whitespace();
            if let (Some(ty), Some(name), None) = (it.next(), it.next(), it.next()) {
                if ![
                    "module", "assign", "always", "if", "input", "output", "wire",
                ]
                .contains(&ty)
                {
                    inst = Some((unescape(ty).to_string(), unescape(name).to_string()));
                }
            }
        }
    }
    out
}

fn unescape(s: &str) -> &str {
    s.strip_prefix('\\').unwrap_or(s)
}

fn clean_net(net: &str) -> String {
    net.split_whitespace()
        .map(unescape)
        .collect::<Vec<_>>()
        .join("")
}

/// Replaces the flip-flop instance at the end of an OpenSTA path (`a/b/_12_`) by the
/// register it drives (`a/b/psum_q[3]`) when the netlist names it; else keeps the path.
pub fn register_name(netlist_text: &str, top: &str, sta_path: &str) -> String {
    let nl = parse_netlist(netlist_text);
    let parts: Vec<&str> = sta_path.split('/').collect();
    let mut module = top.to_string();
    for (i, p) in parts.iter().enumerate() {
        let Some((ty, ports)) = nl.get(&module).and_then(|m| m.get(*p)) else {
            break;
        };
        if i + 1 == parts.len() {
            if let Some(q) = ports.get("Q").filter(|q| !q.starts_with('_')) {
                let prefix = parts[..i].join("/");
                return if prefix.is_empty() {
                    q.clone()
                } else {
                    format!("{prefix}/{q}")
                };
            }
            break;
        }
        module = ty.clone();
    }
    sta_path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Startpoint: skew/_7_ (rising edge-triggered flip-flop clocked by clk)
Endpoint: mesh/g_r[1].g_c[0].pe/_1082_
          (rising edge-triggered flip-flop clocked by clk)
            4.505   data arrival time
            5.313   slack (MET)
";

    #[test]
    fn parses_report() {
        let t = parse_report(REPORT, 10.0).unwrap().unwrap();
        assert_eq!(t.start, "skew/_7_");
        assert_eq!(t.end, "mesh/g_r[1].g_c[0].pe/_1082_");
        assert!((t.critical_path_ns() - 4.687).abs() < 1e-9);
        assert!(parse_report("No paths found.", 10.0).unwrap().is_none());
    }

    #[test]
    fn names_registers() {
        let nl = "module top(clk);\n  \\$paramod\\sk\\R=1  skew (\n    .clk(clk)\n  );\nendmodule\n\
                  module \\$paramod\\sk\\R=1 (clk);\n  DFFPOSX1 _7_ (\n    .CLK(clk),\n    .D(a),\n    .Q(\\g_row[1].q[0] [7])\n  );\nendmodule\n";
        assert_eq!(
            register_name(nl, "top", "skew/_7_"),
            "skew/g_row[1].q[0][7]"
        );
        assert_eq!(register_name(nl, "top", "skew/_8_"), "skew/_8_");
    }
}
