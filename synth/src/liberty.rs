//! The standard-cell liberty: where it is, and the cell facts Yosys' JSON lacks
//! (Yosys 0.23's `stat -json` prints no area, so areas come from the liberty itself).

use crate::error::{Result, SynthError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where `scripts/setup-liberty.sh` installs the OSU 0.18 µm liberty.
pub const DEFAULT_LIBERTY: &str = "/opt/skipgrid/osu018/osu018_stdcells.lib";
/// Where an installed Debian `qflow-tech-osu018` keeps it.
pub const QFLOW_LIBERTY: &str = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib";

/// The liberty to use: `explicit`, else `$SKIPGRID_LIBERTY`, else the fixed install
/// locations. A missing file is an error that names the setup script.
pub fn find_liberty(explicit: Option<&Path>) -> Result<PathBuf> {
    let mut looked = Vec::new();
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_path_buf()],
        None => match std::env::var_os("SKIPGRID_LIBERTY") {
            Some(p) if !p.is_empty() => vec![PathBuf::from(p)],
            _ => vec![PathBuf::from(DEFAULT_LIBERTY), PathBuf::from(QFLOW_LIBERTY)],
        },
    };
    for c in candidates {
        if c.is_file() {
            return Ok(c);
        }
        looked.push(c);
    }
    Err(SynthError::LibertyMissing { looked })
}

/// Cell facts read from a liberty file.
#[derive(Debug, Clone, Default)]
pub struct Liberty {
    /// The library name.
    pub name: String,
    /// Cell name → area (the library's area unit; µm² for OSU 0.18 µm).
    pub areas: BTreeMap<String, f64>,
    /// Cells with an `ff` group.
    pub flip_flops: BTreeSet<String>,
    /// Cells with a `latch` group.
    pub latches: BTreeSet<String>,
}

impl Liberty {
    /// Reads the liberty at `path`.
    pub fn load(path: &Path) -> Result<Liberty> {
        let text = std::fs::read_to_string(path).map_err(SynthError::io(path))?;
        let lib = Liberty::parse(&text);
        if lib.areas.is_empty() {
            return Err(SynthError::Parse {
                what: format!("liberty {}", path.display()),
                msg: "no `cell (...) { area : ... }` found".into(),
            });
        }
        Ok(lib)
    }

    /// Extracts library name, cell areas and sequential cells. A line-level reader, not
    /// a full liberty parser: enough for the `cell`, `area`, `ff` and `latch` statements.
    pub fn parse(text: &str) -> Liberty {
        let mut lib = Liberty::default();
        let mut cell: Option<String> = None;
        for line in text.lines().map(str::trim) {
            if let Some(arg) = group_arg(line, "library") {
                lib.name = arg;
            } else if let Some(arg) = group_arg(line, "cell") {
                cell = Some(arg);
            } else if let Some(c) = &cell {
                if let Some(v) = line.strip_prefix("area") {
                    let v = v.trim_start().trim_start_matches(':').trim();
                    let v = v.trim_end_matches(';').trim();
                    if let Ok(a) = v.parse::<f64>() {
                        lib.areas.entry(c.clone()).or_insert(a);
                    }
                } else if group_arg(line, "ff").is_some() {
                    lib.flip_flops.insert(c.clone());
                } else if group_arg(line, "latch").is_some() {
                    lib.latches.insert(c.clone());
                }
            }
        }
        lib
    }
}

/// `kw (arg) {` → `arg` without quotes.
fn group_arg(line: &str, kw: &str) -> Option<String> {
    let rest = line.strip_prefix(kw)?.trim_start();
    let rest = rest.strip_prefix('(')?;
    let end = rest.find(')')?;
    Some(rest[..end].trim().trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cells() {
        let lib = Liberty::parse(
            "library(x) {\ncell (AND2X1) {\narea : 32;\n}\ncell(DFFPOSX1) {\n area : 96 ;\n ff (DS0000,P0002) {\n}\n}\ncell (LATCH) {\narea : 0;\nlatch (DS0000,P0000) {\n}\n}\n",
        );
        assert_eq!(lib.name, "x");
        assert_eq!(lib.areas["AND2X1"], 32.0);
        assert_eq!(lib.areas["DFFPOSX1"], 96.0);
        assert!(lib.flip_flops.contains("DFFPOSX1"));
        assert!(lib.latches.contains("LATCH"));
        assert!(!lib.flip_flops.contains("AND2X1"));
    }

    #[test]
    fn missing_liberty_names_the_script() {
        let e = find_liberty(Some(Path::new("/nonexistent/x.lib"))).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("setup-liberty.sh") && msg.contains("qflow-tech-osu018"),
            "{msg}"
        );
    }
}
