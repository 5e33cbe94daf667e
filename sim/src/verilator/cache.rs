//! The build cache: content-addressed directories, built in a unique temporary
//! directory beside them and published with one atomic `rename`, so two processes
//! building the same key at once both end up with a complete entry (the loser of the
//! race drops its own copy and uses the winner's).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::SimError;

/// The cache directory used when none is given: `$SKIPGRID_CACHE`, else
/// `$CARGO_TARGET_DIR/skipgrid-cache/verilator`, else `target/skipgrid-cache/verilator`
/// under the nearest ancestor of the current directory holding a `Cargo.lock`
/// (the workspace root), else under the current directory.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SKIPGRID_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("skipgrid-cache").join("verilator");
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = cwd
        .ancestors()
        .find(|d| d.join("Cargo.lock").is_file())
        .unwrap_or(&cwd);
    root.join("target").join("skipgrid-cache").join("verilator")
}

/// A stable 128-bit FNV-1a hash, as 32 hex digits. Stable across Rust versions
/// (unlike `DefaultHasher`), which is what a cache on disk needs; it is not meant
/// to resist deliberate collisions.
pub(crate) struct KeyHasher(u128);

impl KeyHasher {
    pub(crate) fn new() -> Self {
        KeyHasher(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
    /// Adds `bytes`, length-prefixed so that field boundaries count.
    pub(crate) fn add(&mut self, bytes: &[u8]) -> &mut Self {
        for b in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= u128::from(*b);
            self.0 = self
                .0
                .wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
        self
    }
    pub(crate) fn add_str(&mut self, s: &str) -> &mut Self {
        self.add(s.as_bytes())
    }
    pub(crate) fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Where a finished entry lives, whether it already exists.
pub(crate) fn entry(cache: &Path, key: &str, marker: &str) -> (PathBuf, bool) {
    let dir = cache.join(key);
    let done = dir.join(marker).is_file();
    (dir, done)
}

/// Staging directories older than this are left over from killed or failed builds
/// (a failed build keeps its directory for inspection) and are removed.
const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

/// A fresh, uniquely named directory inside `cache` to build an entry in.
pub(crate) fn staging_dir(cache: &Path, key: &str) -> Result<PathBuf, SimError> {
    std::fs::create_dir_all(cache).map_err(|e| SimError::io("creating", cache, e))?;
    remove_stale(cache);
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".tmp-{key}-"))
        .tempdir_in(cache)
        .map_err(|e| SimError::io("creating a build directory in", cache, e))?;
    Ok(tmp.keep())
}

fn remove_stale(cache: &Path) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale && e.file_name().to_string_lossy().starts_with(".tmp-") {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Publishes `staging` as `cache/key`. Returns `true` if ours won, `false` if another
/// build published the same key first (ours is then deleted and theirs is used).
pub(crate) fn publish(staging: &Path, final_dir: &Path, marker: &str) -> Result<bool, SimError> {
    match std::fs::rename(staging, final_dir) {
        Ok(()) => Ok(true),
        // rename(2) refuses to replace a non-empty directory: someone else won.
        Err(_) if final_dir.join(marker).is_file() => {
            let _ = std::fs::remove_dir_all(staging);
            Ok(false)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(staging);
            Err(SimError::io("publishing the build to", final_dir, e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_field_aware() {
        let h = KeyHasher::new().add_str("ab").add_str("c").hex();
        assert_eq!(h.len(), 32);
        assert_eq!(h, KeyHasher::new().add_str("ab").add_str("c").hex());
        assert_ne!(h, KeyHasher::new().add_str("a").add_str("bc").hex());
    }

    #[test]
    fn loser_of_a_race_uses_the_winner() {
        let cache = tempfile::tempdir().unwrap();
        let a = staging_dir(cache.path(), "k").unwrap();
        let b = staging_dir(cache.path(), "k").unwrap();
        assert_ne!(a, b);
        std::fs::write(a.join("lib.so"), "a").unwrap();
        std::fs::write(b.join("lib.so"), "b").unwrap();
        let (dir, done) = entry(cache.path(), "k", "lib.so");
        assert!(!done);
        assert!(publish(&a, &dir, "lib.so").unwrap());
        assert!(!publish(&b, &dir, "lib.so").unwrap());
        assert!(!b.exists());
        assert_eq!(std::fs::read_to_string(dir.join("lib.so")).unwrap(), "a");
    }
}
