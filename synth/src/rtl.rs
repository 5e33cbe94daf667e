//! The generated RTL directory as docs/rtl-interface.md defines it: `files.f`,
//! `manifest.json` (top and module roles) and one module per `.v` file.

use crate::error::{Result, SynthError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The groups a report breaks area down into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Roles `pe` and `mesh`.
    PeMesh,
    /// Roles `act_skew`, `wload_skew` and `out_deskew`.
    SkewDeskew,
    /// Roles `skip_ctrl` or `dense_seq`, `loader`, `streamer`, `job_ctrl`.
    SkipController,
    /// Roles `x_buffer`, `w_buffer`, `accum` and `ram`.
    Buffers,
    /// Role `host_if`.
    HostInterface,
    /// Role `top` (glue logic) and modules without a known role.
    Other,
}

impl Group {
    /// All groups in report order.
    pub const ALL: [Group; 6] = [
        Group::PeMesh,
        Group::SkewDeskew,
        Group::SkipController,
        Group::Buffers,
        Group::HostInterface,
        Group::Other,
    ];

    /// The group of a module role.
    pub fn of_role(role: &str) -> Group {
        match role {
            "pe" | "mesh" => Group::PeMesh,
            "act_skew" | "wload_skew" | "out_deskew" => Group::SkewDeskew,
            "skip_ctrl" | "dense_seq" | "loader" | "streamer" | "job_ctrl" => Group::SkipController,
            "x_buffer" | "w_buffer" | "accum" | "ram" => Group::Buffers,
            "host_if" => Group::HostInterface,
            _ => Group::Other,
        }
    }

    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Group::PeMesh => "PE mesh",
            Group::SkewDeskew => "skew/deskew",
            Group::SkipController => "skip controller",
            Group::Buffers => "buffers",
            Group::HostInterface => "host interface",
            Group::Other => "other (top glue)",
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawManifest {
    top: String,
    #[serde(default)]
    modules: Vec<RawModule>,
}

#[derive(Debug, Deserialize)]
struct RawModule {
    name: String,
    role: String,
    #[serde(default)]
    #[allow(dead_code)]
    file: Option<String>,
}

/// A generated RTL directory, read and checked.
#[derive(Debug, Clone)]
pub struct RtlDir {
    /// The directory.
    pub dir: PathBuf,
    /// The top module.
    pub top: String,
    /// Absolute paths of the Verilog files, in `files.f` order.
    pub files: Vec<PathBuf>,
    /// Module name → role, from the manifest.
    pub roles: BTreeMap<String, String>,
}

impl RtlDir {
    /// Reads `dir/files.f` and `dir/manifest.json`.
    pub fn open(dir: &Path) -> Result<RtlDir> {
        let bad = |msg: String| SynthError::Rtl {
            dir: dir.to_path_buf(),
            msg,
        };
        let dir = dir
            .canonicalize()
            .map_err(|e| bad(format!("cannot open the directory: {e}")))?;
        let list_path = dir.join("files.f");
        let list = std::fs::read_to_string(&list_path)
            .map_err(|e| bad(format!("cannot read files.f: {e}")))?;
        let mut files = Vec::new();
        for line in list.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            let path = dir.join(line);
            if !path.is_file() {
                return Err(bad(format!("files.f names `{line}`, which does not exist")));
            }
            files.push(path);
        }
        if files.is_empty() {
            return Err(bad("files.f lists no Verilog file".into()));
        }
        let man_text = std::fs::read_to_string(dir.join("manifest.json"))
            .map_err(|e| bad(format!("cannot read manifest.json: {e}")))?;
        let man: RawManifest = serde_json::from_str(&man_text)
            .map_err(|e| bad(format!("manifest.json: {e} (needs `top` and `modules`)")))?;
        if man.top.trim().is_empty() {
            return Err(bad("manifest.json has an empty `top`".into()));
        }
        let roles = man.modules.into_iter().map(|m| (m.name, m.role)).collect();
        Ok(RtlDir {
            dir,
            top: man.top,
            files,
            roles,
        })
    }

    /// The role of a module, given the name it has in the source (Yosys' `hdlname`).
    pub fn role_of(&self, hdl_name: &str) -> Option<&str> {
        self.roles.get(hdl_name).map(String::as_str)
    }

    /// Source names of the modules whose role is `ram`.
    pub fn ram_modules(&self) -> Vec<&str> {
        self.roles
            .iter()
            .filter(|(_, r)| r.as_str() == "ram")
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Whether the manifest says skipping is on (a `skip_ctrl` module) or off (`dense_seq`).
    pub fn has_skip(&self) -> Option<bool> {
        let has = |role: &str| self.roles.values().any(|r| r == role);
        match (has("skip_ctrl"), has("dense_seq")) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    }
}

/// The source name of a Yosys module: `$paramod\NAME\P=...` and `$paramod$HASH\NAME`
/// both come from `NAME`; a leading `\` is dropped.
pub fn source_name(yosys_name: &str) -> &str {
    let n = yosys_name.strip_prefix('\\').unwrap_or(yosys_name);
    if let Some(rest) = n.strip_prefix("$paramod") {
        if let Some(i) = rest.find('\\') {
            let after = &rest[i + 1..];
            return after.split('\\').next().unwrap_or(after);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names() {
        assert_eq!(source_name("\\fx_pe"), "fx_pe");
        assert_eq!(source_name("$paramod$97666fd1\\fx_ram"), "fx_ram");
        assert_eq!(source_name("$paramod\\fx_accum\\C=s32'10"), "fx_accum");
    }

    #[test]
    fn groups() {
        assert_eq!(Group::of_role("pe"), Group::PeMesh);
        assert_eq!(Group::of_role("dense_seq"), Group::SkipController);
        assert_eq!(Group::of_role("ram"), Group::Buffers);
        assert_eq!(Group::of_role("top"), Group::Other);
    }
}
