//! Results cached by content: the key hashes the RTL files, the manifest, the target and
//! its options, the liberty and the tool versions, so a sweep never synthesizes the same
//! design twice. An entry is a directory `<cache>/<key>/` holding `report.json` and the
//! raw tool reports; it is built in a temporary directory beside it and renamed into
//! place, so readers never see a half-written entry.

use crate::error::{Result, SynthError};
use crate::report::AreaReport;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Bumped whenever the Yosys/OpenSTA scripts or the accounting change.
pub const FLOW_VERSION: &str = "skipgrid-synth flow 2";

/// The cache directory: `$SKIPGRID_CACHE`, else `<target dir>/skipgrid-cache/synth`
/// where the target dir is `$CARGO_TARGET_DIR` or `target/` next to the nearest
/// `Cargo.lock` above the current directory.
pub fn default_cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SKIPGRID_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let target = match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(t) => PathBuf::from(t),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            cwd.ancestors()
                .find(|a| a.join("Cargo.lock").is_file())
                .unwrap_or(&cwd)
                .join("target")
        }
    };
    target.join("skipgrid-cache").join("synth")
}

/// Builds a cache key from labelled parts.
#[derive(Default)]
pub struct KeyBuilder(Sha256);

impl KeyBuilder {
    /// Starts a key with the flow version.
    pub fn new() -> Self {
        let mut k = KeyBuilder(Sha256::new());
        k.add("flow", FLOW_VERSION.as_bytes());
        k
    }
    /// Adds a labelled, length-prefixed part (so parts cannot run into each other).
    pub fn add(&mut self, label: &str, bytes: &[u8]) {
        self.0.update((label.len() as u64).to_le_bytes());
        self.0.update(label.as_bytes());
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
    /// Adds the contents of a file.
    pub fn add_file(&mut self, label: &str, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(SynthError::io(path))?;
        self.add(label, &bytes);
        Ok(())
    }
    /// The key: 32 hex digits of SHA-256.
    pub fn finish(self) -> String {
        self.0.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The cached report for `key`, if any.
pub fn lookup(cache: &Path, key: &str) -> Option<(AreaReport, PathBuf)> {
    let dir = cache.join(key);
    let text = std::fs::read_to_string(dir.join("report.json")).ok()?;
    let report = serde_json::from_str(&text).ok()?;
    Some((report, dir))
}

/// Writes `report.json` into `work` and moves `work` to `<cache>/<key>`. When another
/// process stored the same key first, its entry wins and `work` is removed.
pub fn store(cache: &Path, key: &str, work: &Path, report: &AreaReport) -> Result<PathBuf> {
    write_report(work, report)?;
    let dest = cache.join(key);
    match std::fs::rename(work, &dest) {
        Ok(()) => Ok(dest),
        Err(_) if dest.join("report.json").is_file() => {
            let _ = std::fs::remove_dir_all(work);
            Ok(dest)
        }
        Err(e) => Err(SynthError::Io {
            path: dest,
            source: e,
        }),
    }
}

/// Writes `report.json` in `dir` through a temporary file and a rename.
pub fn write_report(dir: &Path, report: &AreaReport) -> Result<()> {
    let json = serde_json::to_string_pretty(report).map_err(|e| SynthError::Parse {
        what: "report".into(),
        msg: e.to_string(),
    })?;
    let tmp = dir.join(format!(".report.json.{}", std::process::id()));
    std::fs::write(&tmp, json + "\n").map_err(SynthError::io(&tmp))?;
    let path = dir.join("report.json");
    std::fs::rename(&tmp, &path).map_err(SynthError::io(&path))
}

/// Copies the files of `from` (report.json and raw tool reports) into `to`.
pub fn copy_entry(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(SynthError::io(to))?;
    let entries = std::fs::read_dir(from).map_err(SynthError::io(from))?;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_file() && !e.file_name().to_string_lossy().starts_with('.') {
            let dest = to.join(e.file_name());
            std::fs::copy(&p, &dest).map_err(SynthError::io(&dest))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_parts() {
        let key = |parts: &[(&str, &str)]| {
            let mut k = KeyBuilder::new();
            for (l, b) in parts {
                k.add(l, b.as_bytes());
            }
            k.finish()
        };
        assert_eq!(key(&[("a", "x")]), key(&[("a", "x")]));
        assert_ne!(key(&[("a", "xy")]), key(&[("a", "x"), ("", "y")]));
        assert_eq!(key(&[]).len(), 32);
    }
}
