use std::fmt;

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The TOML text does not parse, or names a key that does not exist.
    #[error("{source_name}: {message}")]
    Parse {
        /// The file (or preset) the text came from.
        source_name: String,
        /// The parser's message, which names the key and the line.
        message: String,
    },
    /// A field has a value outside its allowed range.
    #[error("field `{field}` = {value} is out of range: {allowed}")]
    OutOfRange {
        /// Dotted field name, e.g. `buffers.m_depth`.
        field: &'static str,
        /// The value given.
        value: String,
        /// What would be accepted.
        allowed: String,
    },
    /// A preset name that does not exist.
    #[error("unknown preset `{0}`; known presets: {known}", known = KnownPresets)]
    UnknownPreset(String),
}

struct KnownPresets;

impl fmt::Display for KnownPresets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = crate::presets().iter().map(|p| p.name).collect();
        write!(f, "{}", names.join(", "))
    }
}

impl ConfigError {
    pub(crate) fn range(
        field: &'static str,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        ConfigError::OutOfRange {
            field,
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}
