//! Results of a regression: one [`CaseResult`] per case, the reproduction command of
//! each, and the two files CI reads: `results.json` and `junit.xml`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::matrix::mask_name;
use super::{Case, ConfigSource, Matrix, RegressError, Shard};
use crate::job::Mismatch;
use crate::stimulus::MaskStructure;

/// The outcome of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Position in the whole matrix's expansion.
    pub index: usize,
    /// The configuration's name.
    pub config: String,
    /// The case's name within its configuration.
    pub name: String,
    /// Activation rows.
    pub m: usize,
    /// Reduction dimension.
    pub k: usize,
    /// Output columns.
    pub n: usize,
    /// Mask structure.
    pub mask: MaskStructure,
    /// Fraction of blocks pruned.
    pub sparsity: f64,
    /// Stimulus seed.
    pub seed: u64,
    /// Outputs and cycles both agree exactly, and the simulation ran.
    pub passed: bool,
    /// Every output element equals the golden model's.
    pub outputs_match: bool,
    /// Every job's cycle count equals the model's.
    pub cycles_match: bool,
    /// Cycles the RTL counted, summed over jobs.
    pub rtl_cycles: u64,
    /// Cycles the model predicts.
    pub model_cycles: u64,
    /// Cycles of the dense baseline.
    pub dense_cycles: u64,
    /// dense_cycles / rtl_cycles.
    pub speedup_vs_dense: f64,
    /// Useful MACs over PE-cycles.
    pub utilization: f64,
    /// Jobs the host split the problem into.
    pub jobs: usize,
    /// Wall-clock time of the simulation.
    pub duration_s: f64,
    /// Why the case failed: the first difference (with its job), or the error.
    pub failure: Option<String>,
    /// The first difference as data (`kind` is output, cycles, counter, blocks, status).
    pub mismatch: Option<serde_json::Value>,
    /// The VCD of a re-run of this failing case, when one was written.
    pub waveform: Option<PathBuf>,
    /// A `skipgrid sim` command line that runs exactly this case.
    pub reproduce: String,
}

/// How a configuration's RTL was generated and built.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigBuild {
    /// The configuration's name.
    pub name: String,
    /// The preset, for a preset entry.
    pub preset: Option<String>,
    /// The configuration file written for an inline entry (used by `reproduce`).
    pub config_file: Option<PathBuf>,
    /// The Verilog top module.
    pub top: String,
    /// Cases of this configuration in the shard.
    pub cases: usize,
    /// Time to generate and build (or find in the cache).
    pub build_s: f64,
    /// The simulation library was already built.
    pub cache_hit: bool,
    /// Why generating or building failed (then every case of it fails).
    pub error: Option<String>,
}

/// A whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The matrix file.
    pub matrix: String,
    /// `K/N`.
    pub shard: String,
    /// Cases in the whole matrix.
    pub matrix_cases: usize,
    /// Cases run (this shard's).
    pub cases: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Wall-clock time of the run.
    pub duration_s: f64,
    /// The configurations with cases in this shard.
    pub configs: Vec<ConfigBuild>,
    /// Every case of the shard, in matrix order.
    pub results: Vec<CaseResult>,
}

impl Summary {
    /// Assembles the totals.
    pub fn new(
        matrix: &Matrix,
        shard: Shard,
        matrix_cases: usize,
        configs: Vec<ConfigBuild>,
        results: Vec<CaseResult>,
        duration_s: f64,
    ) -> Summary {
        let passed = results.iter().filter(|r| r.passed).count();
        Summary {
            matrix: matrix.file.clone(),
            shard: shard.to_string(),
            matrix_cases,
            cases: results.len(),
            passed,
            failed: results.len() - passed,
            duration_s,
            configs,
            results,
        }
    }

    /// The line CI reads: `regress: N passed, M failed`.
    pub fn closing_line(&self) -> String {
        format!("regress: {} passed, {} failed", self.passed, self.failed)
    }

    /// Writes `results.json` and `junit.xml` into `out`.
    pub fn write(&self, out: &Path) -> Result<(), RegressError> {
        std::fs::create_dir_all(out).map_err(|e| RegressError::io("create", out, e))?;
        let json = serde_json::to_string_pretty(self).expect("a summary always serializes");
        let p = out.join("results.json");
        std::fs::write(&p, json + "\n").map_err(|e| RegressError::io("write", &p, e))?;
        let p = out.join("junit.xml");
        std::fs::write(&p, self.junit()).map_err(|e| RegressError::io("write", &p, e))?;
        Ok(())
    }

    /// JUnit XML: a testsuite per configuration, a testcase per case, a `<failure>`
    /// holding the first difference and the reproduction command.
    pub fn junit(&self) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            s,
            "<testsuites name=\"skipgrid regress\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3}\">",
            self.cases, self.failed, self.duration_s
        );
        for c in &self.configs {
            let rs: Vec<&CaseResult> = self.results.iter().filter(|r| r.config == c.name).collect();
            let failed = rs.iter().filter(|r| !r.passed).count();
            let time: f64 = rs.iter().map(|r| r.duration_s).sum();
            let _ = writeln!(
                s,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" time=\"{time:.3}\">",
                xml(&c.name),
                rs.len()
            );
            for r in rs {
                let _ = write!(
                    s,
                    "    <testcase classname=\"regress.{}\" name=\"{}\" time=\"{:.3}\"",
                    xml(&r.config),
                    xml(&r.name),
                    r.duration_s
                );
                if r.passed {
                    s.push_str("/>\n");
                    continue;
                }
                let text = r.failure.as_deref().unwrap_or("failed");
                let mut body = format!("{text}\nreproduce: {}", r.reproduce);
                if let Some(w) = &r.waveform {
                    let _ = write!(body, "\nwaveform: {}", w.display());
                }
                let _ = writeln!(
                    s,
                    ">\n      <failure message=\"{}\" type=\"mismatch\">{}</failure>\n    </testcase>",
                    xml(text),
                    xml(&body)
                );
            }
            s.push_str("  </testsuite>\n");
        }
        s.push_str("</testsuites>\n");
        s
    }
}

/// Escapes text for an XML attribute or element; drops characters XML 1.0 forbids.
fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' | '\t' => o.push(ch),
            c if (c as u32) < 0x20 => {}
            c => o.push(c),
        }
    }
    o
}

/// The configuration file written for an inline entry: `OUT/configs/NAME.toml`.
pub fn config_file(out: &Path, name: &str) -> PathBuf {
    out.join("configs").join(format!("{name}.toml"))
}

/// The `skipgrid sim` command line that runs `case` alone, in the same way.
pub fn reproduce(matrix: &Matrix, case: &Case, out: &Path) -> String {
    let c = &matrix.configs[case.config];
    let cfg = match &c.source {
        ConfigSource::Preset(p) => format!("--preset {p}"),
        ConfigSource::Inline => format!("--config {}", config_file(out, &c.name).display()),
    };
    format!(
        "skipgrid sim {cfg} --m {} --k {} --n {} --sparsity {} --mask {} --seed {}",
        case.m,
        case.k,
        case.n,
        case.sparsity,
        mask_name(case.mask),
        case.seed
    )
}

/// The first difference as a JSON object.
pub fn mismatch_json(m: &Mismatch) -> serde_json::Value {
    use serde_json::json;
    match m {
        Mismatch::Output {
            row,
            col,
            expected,
            actual,
            count,
        } => json!({"kind": "output", "row": row, "col": col, "expected": expected,
                    "actual": actual, "count": count}),
        Mismatch::Cycles { expected, actual } => {
            json!({"kind": "cycles", "expected": expected, "actual": actual,
                   "difference": *actual as i64 - *expected as i64})
        }
        Mismatch::Counter { waited, counter } => {
            json!({"kind": "counter", "waited": waited, "counter": counter})
        }
        Mismatch::Blocks { expected, actual } => {
            json!({"kind": "blocks", "expected": expected, "actual": actual})
        }
        Mismatch::Status { status } => json!({"kind": "status", "status": status}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_escaped() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn reproduce_names_preset_or_config_file() {
        let text = "[[cases]]\nshapes=[[3,5,7]]\nmasks=[\"cols\"]\nsparsities=[0.25]\nseeds=[9]\n\
                    [[config]]\npreset=\"ws4x4\"\n[[config]]\nname=\"r1\"\nrows=1\ncols=2\n";
        let m = Matrix::from_toml(text, "m.toml").unwrap();
        let cases = m.cases();
        let out = Path::new("out/x");
        assert_eq!(
            reproduce(&m, &cases[0], out),
            "skipgrid sim --preset ws4x4 --m 3 --k 5 --n 7 --sparsity 0.25 --mask cols --seed 9"
        );
        assert!(reproduce(&m, &cases[1], out)
            .starts_with("skipgrid sim --config out/x/configs/r1.toml --m 3 "));
    }
}
