//! The matrix file: parsing with every key checked, expansion into cases in a fixed
//! order, and shards.
//!
//! Order is part of the format: configurations in file order, then each of a
//! configuration's case groups in order, then shapes × masks × sparsities × seeds
//! nested in that order (seeds fastest). Shards cut this list into contiguous runs, so
//! a shard builds as few configurations as possible and `K/N` names the same cases on
//! every machine.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use skipgrid_config::{preset, ArrayConfig, RawConfig};

use super::RegressError;
use crate::stimulus::MaskStructure;

/// A parsed, validated matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// The file it came from (for messages and reports).
    pub file: String,
    /// The configurations, in file order.
    pub configs: Vec<MatrixConfig>,
}

/// One `[[config]]` entry.
#[derive(Debug, Clone)]
pub struct MatrixConfig {
    /// Unique name: the preset's, or the inline entry's `name`.
    pub name: String,
    /// Where the configuration came from (decides the reproduction command).
    pub source: ConfigSource,
    /// The validated configuration.
    pub config: ArrayConfig,
    /// Its case groups: its own `[[config.cases]]`, or else the top-level `[[cases]]`.
    pub groups: Vec<CaseGroup>,
}

/// How a configuration was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// `preset = "NAME"`.
    Preset(String),
    /// Inline fields of a skipgrid configuration.
    Inline,
}

/// One `[[cases]]` table: the product of its axes.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseGroup {
    /// `(m, k, n)` problem shapes.
    pub shapes: Vec<(usize, usize, usize)>,
    /// Mask structures.
    pub masks: Vec<MaskStructure>,
    /// Fractions of blocks pruned, each in [0, 1].
    pub sparsities: Vec<f64>,
    /// Stimulus seeds.
    pub seeds: Vec<u64>,
}

/// One simulation: a configuration and a seeded random problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Position in the whole matrix's expansion (stable across shards).
    pub index: usize,
    /// Index into [`Matrix::configs`].
    pub config: usize,
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
}

impl Case {
    /// A short name, unique within its configuration, e.g. `m8-k16-n16-random-sp0.5-seed1`.
    pub fn label(&self) -> String {
        format!(
            "m{}-k{}-n{}-{}-sp{}-seed{}",
            self.m,
            self.k,
            self.n,
            mask_name(self.mask),
            self.sparsity,
            self.seed
        )
    }
}

/// The name of a mask structure as the matrix and `skipgrid sim --mask` spell it.
pub fn mask_name(m: MaskStructure) -> &'static str {
    match m {
        MaskStructure::Random => "random",
        MaskStructure::Cols => "cols",
        MaskStructure::Rows => "rows",
        MaskStructure::Single => "single",
    }
}

/// `--shard K/N`: the K-th (1-based) of N contiguous, near-equal parts of the cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1..=count.
    pub index: usize,
    /// Number of shards, at least 1.
    pub count: usize,
}

impl Shard {
    /// The whole matrix.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// The indices of this shard's cases among `total`; the shards 1..=N partition
    /// 0..total exactly and their sizes differ by at most one.
    pub fn range(&self, total: usize) -> Range<usize> {
        (self.index - 1) * total / self.count..self.index * total / self.count
    }

    /// This shard's cases.
    pub fn select<'a>(&self, cases: &'a [Case]) -> &'a [Case] {
        &cases[self.range(cases.len())]
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("shard `{s}` is not K/N with 1 <= K <= N (e.g. 2/4)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatrix {
    #[serde(default)]
    cases: Vec<RawGroup>,
    #[serde(default)]
    config: Vec<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    shapes: Vec<[i64; 3]>,
    masks: Option<Vec<MaskStructure>>,
    sparsities: Option<Vec<f64>>,
    seeds: Option<Vec<u64>>,
}

/// Keys of a `[[config]]` entry that are the matrix's, not the configuration's.
const PRESET_KEYS: &str = "`preset`, `cases`";

impl Matrix {
    /// Reads and parses the matrix file at `path`.
    pub fn load(path: &Path) -> Result<Matrix, RegressError> {
        let text = std::fs::read_to_string(path).map_err(|e| RegressError::io("read", path, e))?;
        Matrix::from_toml(&text, &path.display().to_string())
    }

    /// Parses matrix TOML; `file` names it in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<Matrix, RegressError> {
        let err = |message: String| RegressError::Matrix {
            file: file.to_string(),
            message,
        };
        let raw: RawMatrix = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let top = raw
            .cases
            .into_iter()
            .enumerate()
            .map(|(i, g)| group(g).map_err(|m| err(format!("cases[{i}]: {m}"))))
            .collect::<Result<Vec<_>, _>>()?;
        if raw.config.is_empty() {
            return Err(err(
                "no `[[config]]` entry; each needs `preset = \"NAME\"` or inline fields with a `name`".into(),
            ));
        }
        let mut configs = Vec::new();
        let mut names = HashSet::new();
        for (i, table) in raw.config.into_iter().enumerate() {
            let c = config_entry(table, &top).map_err(|m| err(format!("config[{i}]: {m}")))?;
            if !names.insert(c.name.clone()) {
                return Err(err(format!(
                    "config[{i}]: name `{}` is used twice; names must be unique (they name output files)",
                    c.name
                )));
            }
            configs.push(c);
        }
        Ok(Matrix {
            file: file.to_string(),
            configs,
        })
    }

    /// Every case, in the documented order, duplicates dropped (a duplicate keeps its
    /// first place).
    pub fn cases(&self) -> Vec<Case> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (ci, c) in self.configs.iter().enumerate() {
            for g in &c.groups {
                for &(m, k, n) in &g.shapes {
                    for &mask in &g.masks {
                        for &sparsity in &g.sparsities {
                            for &seed in &g.seeds {
                                let key = (ci, m, k, n, mask_name(mask), sparsity.to_bits(), seed);
                                if seen.insert(key) {
                                    out.push(Case {
                                        index: out.len(),
                                        config: ci,
                                        m,
                                        k,
                                        n,
                                        mask,
                                        sparsity,
                                        seed,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

fn group(g: RawGroup) -> Result<CaseGroup, String> {
    let nonempty = |key: &str, len: usize| {
        if len == 0 {
            Err(format!("`{key}` is empty; give at least one value"))
        } else {
            Ok(())
        }
    };
    nonempty("shapes", g.shapes.len())?;
    let mut shapes = Vec::new();
    for (i, s) in g.shapes.iter().enumerate() {
        if s.iter().any(|&d| d < 1) {
            return Err(format!(
                "`shapes[{i}]` = [{}, {}, {}]: m, k and n must each be at least 1",
                s[0], s[1], s[2]
            ));
        }
        shapes.push((s[0] as usize, s[1] as usize, s[2] as usize));
    }
    let masks = g.masks.unwrap_or_else(|| vec![MaskStructure::Random]);
    nonempty("masks", masks.len())?;
    let sparsities = g.sparsities.unwrap_or_else(|| vec![0.5]);
    nonempty("sparsities", sparsities.len())?;
    for (i, &s) in sparsities.iter().enumerate() {
        if !(0.0..=1.0).contains(&s) {
            return Err(format!(
                "`sparsities[{i}]` = {s} is outside [0, 1] (the fraction of blocks pruned)"
            ));
        }
    }
    let seeds = g.seeds.unwrap_or_else(|| vec![1]);
    nonempty("seeds", seeds.len())?;
    Ok(CaseGroup {
        shapes,
        masks,
        sparsities,
        seeds,
    })
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

fn config_entry(mut t: toml::Table, top: &[CaseGroup]) -> Result<MatrixConfig, String> {
    let groups =
        match t.remove("cases") {
            None if top.is_empty() => return Err(
                "no cases: give this entry `[[config.cases]]` or the matrix top-level `[[cases]]`"
                    .into(),
            ),
            None => top.to_vec(),
            Some(v) => {
                let raw: Vec<RawGroup> = v
                    .try_into()
                    .map_err(|e: toml::de::Error| format!("cases: {}", e.message().trim_end()))?;
                if raw.is_empty() {
                    return Err("`cases` is empty".into());
                }
                raw.into_iter()
                    .enumerate()
                    .map(|(i, g)| group(g).map_err(|m| format!("cases[{i}]: {m}")))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
    if let Some(p) = t.remove("preset") {
        let name = p
            .as_str()
            .ok_or_else(|| format!("`preset` = {p} is not a string; give a preset name"))?
            .to_string();
        if let Some(k) = t.keys().next() {
            return Err(format!(
                "preset `{name}`: key `{k}` is not allowed next to `preset` (a preset entry takes only {PRESET_KEYS}); to change a preset, write the configuration inline with a `name`"
            ));
        }
        let config = preset(&name).map_err(|e| format!("`preset`: {e}"))?;
        return Ok(MatrixConfig {
            name: name.clone(),
            source: ConfigSource::Preset(name),
            config,
            groups,
        });
    }
    let raw: RawConfig = toml::Value::Table(t)
        .try_into()
        .map_err(|e: toml::de::Error| {
            format!(
                "{} (an entry is `preset = \"NAME\"` or the fields of a skipgrid configuration, plus `cases`)",
                e.message().trim_end()
            )
        })?;
    let name = raw.name.clone().ok_or(
        "an inline configuration needs a `name` (it names its reports and its configs/NAME.toml)",
    )?;
    if !valid_name(&name) {
        return Err(format!(
            "`name` = \"{name}\": use letters, digits, `_`, `.` and `-`, starting with a letter or digit"
        ));
    }
    let config = ArrayConfig::from_raw(&raw).map_err(|e| format!("`{name}`: {e}"))?;
    Ok(MatrixConfig {
        name,
        source: ConfigSource::Inline,
        config,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[cases]]
shapes = [[1, 1, 1], [8, 16, 16]]
masks = ["random", "single"]
sparsities = [0.0, 1]
seeds = [1, 2]

[[config]]
preset = "ws4x4"

[[config]]
name = "col1"
rows = 4
cols = 1
skip = false
[config.buffers]
m_depth = 16
[[config.cases]]
shapes = [[3, 5, 2]]
"#;

    fn parse(text: &str) -> Result<Matrix, String> {
        Matrix::from_toml(text, "m.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn expands_in_the_documented_order() {
        let m = parse(SMALL).unwrap();
        assert_eq!(m.configs.len(), 2);
        assert_eq!(m.configs[0].source, ConfigSource::Preset("ws4x4".into()));
        assert_eq!(m.configs[1].source, ConfigSource::Inline);
        assert!(!m.configs[1].config.skip);
        let cases = m.cases();
        assert_eq!(cases.len(), 2 * 2 * 2 * 2 + 1);
        assert!(cases.iter().enumerate().all(|(i, c)| c.index == i));
        let first: Vec<String> = cases[..3].iter().map(Case::label).collect();
        assert_eq!(
            first,
            [
                "m1-k1-n1-random-sp0-seed1",
                "m1-k1-n1-random-sp0-seed2",
                "m1-k1-n1-random-sp1-seed1"
            ]
        );
        let last = cases.last().unwrap();
        assert_eq!((last.config, last.m, last.k, last.n), (1, 3, 5, 2));
        assert_eq!(
            (last.mask, last.sparsity, last.seed),
            (MaskStructure::Random, 0.5, 1)
        );
        assert_eq!(m.cases(), cases, "expansion is deterministic");
    }

    #[test]
    fn duplicates_are_dropped() {
        let text = "[[cases]]\nshapes = [[2,2,2],[2,2,2]]\n[[cases]]\nshapes=[[2,2,2]]\nseeds=[1,3]\n[[config]]\npreset=\"ws4x4\"\n";
        let cases = parse(text).unwrap().cases();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[1].seed, 3);
    }

    #[test]
    fn shards_partition_the_cases_exactly() {
        let cases = parse(SMALL).unwrap().cases();
        for count in 1..=cases.len() + 3 {
            let mut all = Vec::new();
            for index in 1..=count {
                let part = Shard { index, count }.select(&cases);
                let expect = cases.len() / count;
                assert!(part.len() == expect || part.len() == expect + 1);
                all.extend(part.iter().map(|c| c.index));
            }
            assert_eq!(all, (0..cases.len()).collect::<Vec<_>>(), "N = {count}");
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert_eq!("1/1".parse(), Ok(Shard::ALL));
        for bad in ["0/4", "5/4", "1/0", "3", "a/b", "1/2/3"] {
            assert!(bad.parse::<Shard>().unwrap_err().contains(bad), "{bad}");
        }
    }

    fn err_of(text: &str) -> String {
        let e = parse(text).unwrap_err();
        assert!(e.starts_with("m.toml: "), "{e}");
        e
    }

    #[test]
    fn bad_matrices_name_the_key() {
        let c = "[[config]]\npreset = \"ws4x4\"\n";
        let cases = "[[cases]]\nshapes = [[1,1,1]]\n";
        let e = err_of(&format!("bogus = 1\n{cases}{c}"));
        assert!(e.contains("bogus"), "{e}");
        let e = err_of(&format!(
            "[[cases]]\nshapes = [[1,1,1]]\nmask = [\"random\"]\n{c}"
        ));
        assert!(e.contains("`mask`"), "{e}");
        let e = err_of(&format!(
            "[[cases]]\nshapes = [[1,1,1]]\nmasks = [\"diag\"]\n{c}"
        ));
        assert!(e.contains("diag") && e.contains("single"), "{e}");
        let e = err_of(&format!("[[cases]]\nshapes = [[1,0,1]]\n{c}"));
        assert!(e.contains("cases[0]") && e.contains("shapes[0]"), "{e}");
        let e = err_of(&format!("[[cases]]\nshapes = [[1,1]]\n{c}"));
        assert!(e.contains("length 3"), "{e}");
        let e = err_of(&format!(
            "[[cases]]\nshapes = [[1,1,1]]\nsparsities = [1.5]\n{c}"
        ));
        assert!(e.contains("sparsities[0]") && e.contains("[0, 1]"), "{e}");
        let e = err_of(&format!("[[cases]]\nshapes = [[1,1,1]]\nseeds = []\n{c}"));
        assert!(e.contains("`seeds` is empty"), "{e}");
        let e = err_of(cases);
        assert!(e.contains("[[config]]"), "{e}");
        let e = err_of(c);
        assert!(e.contains("no cases"), "{e}");
        let e = err_of(&format!("{cases}[[config]]\npreset = \"ws5x5\"\n"));
        assert!(e.contains("config[0]") && e.contains("ws16x16"), "{e}");
        let e = err_of(&format!(
            "{cases}[[config]]\npreset = \"ws4x4\"\nskip = false\n"
        ));
        assert!(e.contains("`skip`") && e.contains("inline"), "{e}");
        let e = err_of(&format!(
            "{cases}[[config]]\nname = \"a\"\nrows = 2\ncols = 2\ncolour = 1\n"
        ));
        assert!(e.contains("config[0]") && e.contains("colour"), "{e}");
        let e = err_of(&format!(
            "{cases}[[config]]\nname = \"a\"\nrows = 2\ncols = 2\n[config.buffers]\nm_depth = 3\n"
        ));
        assert!(e.contains("buffers.m_depth") && e.contains("`a`"), "{e}");
        let e = err_of(&format!("{cases}[[config]]\nrows = 2\ncols = 2\n"));
        assert!(e.contains("needs a `name`"), "{e}");
        let e = err_of(&format!(
            "{cases}[[config]]\nname = \"a b\"\nrows = 2\ncols = 2\n"
        ));
        assert!(e.contains("\"a b\""), "{e}");
        let e = err_of(&format!("{cases}{c}{c}"));
        assert!(e.contains("config[1]") && e.contains("twice"), "{e}");
        let e = err_of(&format!(
            "{c}[[config.cases]]\nshapes = [[1,1,1]]\nseed = [1]\n"
        ));
        assert!(e.contains("config[0]") && e.contains("`seed`"), "{e}");
    }

    /// The shipped matrix covers every corner the issue names (checked here without
    /// simulating, so a matrix edit that drops one fails `cargo test` at once).
    #[test]
    fn default_matrix_covers_the_issue() {
        let text = include_str!("../../../tests/regress/default.toml");
        let m = Matrix::from_toml(text, "default.toml").unwrap();
        let cases = m.cases();
        assert!(cases.len() >= 300, "{} cases", cases.len());
        assert!(m.configs.len() >= 8, "{} configs", m.configs.len());
        let cfg = |c: &Case| &m.configs[c.config].config;
        let any = |what: &str, f: &dyn Fn(&Case) -> bool| {
            assert!(cases.iter().any(f), "no case with {what}");
        };
        any("a non-square array", &|c| {
            cfg(c).rows != cfg(c).cols && cfg(c).rows > 1 && cfg(c).cols > 1
        });
        any("a 1-row array", &|c| cfg(c).rows == 1);
        any("a 1-column array", &|c| cfg(c).cols == 1);
        any("an activation width other than 8", &|c| {
            cfg(c).act_width != 8
        });
        any("a weight width other than 8", &|c| cfg(c).weight_width != 8);
        any("K not a multiple of rows", &|c| {
            c.k % cfg(c).rows as usize != 0
        });
        any("N not a multiple of cols", &|c| {
            c.n % cfg(c).cols as usize != 0
        });
        any("M = 1", &|c| c.m == 1);
        any("1 < M < rows", &|c| c.m > 1 && c.m < cfg(c).rows as usize);
        any("M above m_depth", &|c| c.m > cfg(c).m_depth as usize);
        any("K split over jobs", &|c| c.k > cfg(c).k_max() as usize);
        any("N split over jobs", &|c| c.n > cfg(c).n_max() as usize);
        any("all blocks pruned", &|c| {
            c.sparsity == 1.0 && c.mask != MaskStructure::Single
        });
        any("no block pruned", &|c| {
            c.sparsity == 0.0 && c.mask != MaskStructure::Single
        });
        any("a single nonzero block", &|c| {
            c.mask == MaskStructure::Single
        });
        for s in [
            MaskStructure::Random,
            MaskStructure::Cols,
            MaskStructure::Rows,
        ] {
            any(mask_name(s), &|c| {
                c.mask == s && c.sparsity > 0.0 && c.sparsity < 1.0
            });
        }
        any("skip on", &|c| cfg(c).skip);
        any("skip off", &|c| !cfg(c).skip);
    }
}
