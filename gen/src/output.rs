//! Writing generated files: into a fresh temporary directory beside the target, then
//! renamed into place, so a failure leaves nothing half-written. Files skipgrid did not
//! create are never deleted: an existing target is replaced only when it holds nothing
//! but files of a previous `skipgrid gen` (its manifest.json lists them).

use crate::GenFile;
use std::fs;
use std::path::{Path, PathBuf};

/// Why files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// The target exists and holds files skipgrid did not write.
    #[error("{dir} already holds files skipgrid did not generate ({example}); choose an empty or new directory")]
    ForeignFiles {
        /// The target directory.
        dir: PathBuf,
        /// One such file.
        example: String,
    },
    /// The target exists and is not a directory.
    #[error("{0} exists and is not a directory")]
    NotADirectory(PathBuf),
    /// A filesystem operation failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> GenError {
    let path = path.to_path_buf();
    move |source| GenError::Io { what, path, source }
}

/// Files a previous generation left in `dir`, from its manifest.
fn previous_files(dir: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(dir.join("manifest.json")) else {
        return Vec::new();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut files: Vec<String> = v["files"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    files.push("files.f".into());
    files.push("manifest.json".into());
    files
}

/// Writes `files` as the whole content of `dir`, atomically.
pub fn write_dir(dir: &Path, files: &[GenFile]) -> Result<(), GenError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(GenError::NotADirectory(dir.to_path_buf()));
        }
        let ours = previous_files(dir);
        for entry in fs::read_dir(dir).map_err(io("reading", dir))? {
            let entry = entry.map_err(io("reading", dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !ours.contains(&name) || entry.path().is_dir() {
                return Err(GenError::ForeignFiles {
                    dir: dir.to_path_buf(),
                    example: name,
                });
            }
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io("creating", &parent))?;
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{base}.tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp).map_err(io("creating", &tmp))?;
    let result = (|| {
        for f in files {
            let p = tmp.join(&f.name);
            fs::write(&p, &f.text).map_err(io("writing", &p))?;
        }
        if dir.exists() {
            let old = parent.join(format!(".{base}.old-{}", std::process::id()));
            fs::rename(dir, &old).map_err(io("moving aside", dir))?;
            fs::rename(&tmp, dir).map_err(io("renaming into", dir))?;
            fs::remove_dir_all(&old).map_err(io("removing", &old))?;
        } else {
            fs::rename(&tmp, dir).map_err(io("renaming into", dir))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str) -> GenFile {
        GenFile {
            name: name.into(),
            text: "x".into(),
        }
    }

    #[test]
    fn refuses_foreign_files_and_keeps_them() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("out");
        fs::create_dir(&d).unwrap();
        fs::write(d.join("notes.txt"), "mine").unwrap();
        let e = write_dir(&d, &[f("a.v")]).unwrap_err();
        assert!(e.to_string().contains("notes.txt"), "{e}");
        assert_eq!(fs::read_to_string(d.join("notes.txt")).unwrap(), "mine");
        assert!(!d.join("a.v").exists());
    }

    #[test]
    fn replaces_own_previous_output() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("out");
        let manifest = GenFile {
            name: "manifest.json".into(),
            text: r#"{"files":["a.v"]}"#.into(),
        };
        write_dir(&d, &[f("a.v"), f("files.f"), manifest.clone()]).unwrap();
        write_dir(&d, &[f("b.v"), f("files.f"), manifest]).unwrap();
        assert!(d.join("b.v").exists() && !d.join("a.v").exists());
        let leftovers: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary directories left");
    }
}
