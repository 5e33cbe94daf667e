//! A generated RTL directory (see docs/rtl-interface.md): its manifest, its files,
//! its top module and host-bus widths.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::SimError;

/// The parts of `manifest.json` this crate needs; other keys are ignored on purpose
/// (the generator owns the rest of the manifest).
#[derive(Debug, Deserialize)]
struct Manifest {
    top: String,
    #[serde(default)]
    files: Option<Vec<String>>,
    host_map: HostMap,
}

#[derive(Debug, Deserialize)]
struct HostMap {
    addr_width: u32,
    data_width: u32,
}

/// An opened, checked RTL directory: every listed file exists and one of them
/// declares the top module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtlDesign {
    dir: PathBuf,
    top: String,
    files: Vec<PathBuf>,
    addr_width: u32,
    data_width: u32,
}

impl RtlDesign {
    /// Opens `dir`, reading `manifest.json` (`top`, `files`, `host_map.addr_width`,
    /// `host_map.data_width`). When the manifest has no `files`, `files.f` is read.
    pub fn open(dir: impl AsRef<Path>) -> Result<RtlDesign, SimError> {
        let dir = dir.as_ref();
        let bad = |reason: String| SimError::BadDesign {
            dir: dir.to_path_buf(),
            reason,
        };
        if !dir.is_dir() {
            return Err(bad("it does not exist or is not a directory".into()));
        }
        let dir = dir
            .canonicalize()
            .map_err(|e| SimError::io("resolving", dir, e))?;
        let bad = |reason: String| SimError::BadDesign {
            dir: dir.clone(),
            reason,
        };
        let manifest_path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
            bad(format!(
                "cannot read manifest.json ({e}); a generated directory holds manifest.json and files.f"
            ))
        })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| bad(format!("manifest.json is not a valid manifest: {e}")))?;

        if !(1..=32).contains(&manifest.host_map.addr_width) {
            return Err(bad(format!(
                "host_map.addr_width is {}; accepted: 1..=32",
                manifest.host_map.addr_width
            )));
        }
        if !(1..=64).contains(&manifest.host_map.data_width) {
            return Err(bad(format!(
                "host_map.data_width is {}; accepted: 1..=64",
                manifest.host_map.data_width
            )));
        }
        if !is_identifier(&manifest.top) {
            return Err(bad(format!(
                "top {:?} is not a Verilog identifier ([A-Za-z_][A-Za-z0-9_$]*)",
                manifest.top
            )));
        }

        let names = match manifest.files {
            Some(f) => f,
            None => read_file_list(&dir.join("files.f")).map_err(&bad)?,
        };
        if names.is_empty() {
            return Err(bad("the file list is empty".into()));
        }
        let mut files = Vec::with_capacity(names.len());
        let mut top_found = false;
        for name in &names {
            let path = dir.join(name);
            let src = std::fs::read_to_string(&path)
                .map_err(|e| bad(format!("listed file {name} cannot be read: {e}")))?;
            top_found |= declares_module(&src, &manifest.top);
            files.push(path);
        }
        if !top_found {
            return Err(bad(format!(
                "top module `{}` is not declared in any listed file ({})",
                manifest.top,
                names.join(", ")
            )));
        }
        Ok(RtlDesign {
            dir,
            top: manifest.top,
            files,
            addr_width: manifest.host_map.addr_width,
            data_width: manifest.host_map.data_width,
        })
    }

    /// The (canonical) design directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// The top module's name.
    pub fn top(&self) -> &str {
        &self.top
    }
    /// Absolute paths of the Verilog files, dependencies first, top last.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }
    /// Width of `host_addr` in bits (1..=32).
    pub fn addr_width(&self) -> u32 {
        self.addr_width
    }
    /// Width of `host_wdata`/`host_rdata` in bits (1..=64).
    pub fn data_width(&self) -> u32 {
        self.data_width
    }
}

/// `files.f`: one file per line; blank lines and `//` or `#` comments are skipped.
fn read_file_list(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("manifest.json has no `files` and files.f cannot be read ({e})"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Whether `src` has `module <name>` followed by a non-identifier character. Good
/// enough for generated RTL; comments mentioning `module x` could fool it, which
/// only weakens an early sanity check (the simulator would still reject the design).
fn declares_module(src: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    src.match_indices("module").any(|(i, _)| {
        let before_ok = src[..i].chars().next_back().is_none_or(|c| !ident(c));
        let rest = &src[i + "module".len()..];
        let trimmed = rest.trim_start();
        before_ok
            && trimmed.len() < rest.len()
            && trimmed.starts_with(name)
            && trimmed[name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !ident(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_module_declarations() {
        assert!(declares_module("module top(input clk);", "top"));
        assert!(declares_module(
            "`default_nettype none\nmodule  top\n#()",
            "top"
        ));
        assert!(!declares_module("module top_x(input clk);", "top"));
        assert!(!declares_module("endmodule top", "top"));
        assert!(!declares_module("module_top", "top"));
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("sg_top_4x4"));
        assert!(!is_identifier("4x4"));
        assert!(!is_identifier("a b"));
        assert!(!is_identifier(""));
    }
}
