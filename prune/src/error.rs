//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong between a model file and a workload directory.
///
/// Every variant names the file (and the tensor where there is one), the bad value and
/// what would have been accepted, so the CLI can print it as is.
#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    /// An operating-system error while reading or writing `path`.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The path is neither a `.safetensors` file, a CTranslate2 `model.bin` nor a
    /// directory holding one.
    #[error("{path}: not a model: expected a .safetensors file, a CTranslate2 model.bin or a directory holding model.bin")]
    UnknownFormat {
        /// The path given.
        path: PathBuf,
    },
    /// The file ends before a field it announces.
    #[error(
        "{path}: truncated: {what} at byte {offset} runs past the end of the file ({len} bytes)"
    )]
    Truncated {
        /// The model file.
        path: PathBuf,
        /// The field being read.
        what: String,
        /// Where it starts.
        offset: usize,
        /// The file length.
        len: usize,
    },
    /// The file is structurally wrong (bad version, bad header, size mismatch...).
    #[error("{path}: corrupt: {detail}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A tensor named on the command line or in an API call does not exist.
    #[error("{path}: no tensor named '{tensor}'")]
    UnknownTensor {
        /// The model file.
        path: PathBuf,
        /// The name asked for.
        tensor: String,
    },
    /// A layer pattern selected no linear weight.
    #[error("{path}: layer pattern '{pattern}' selects no linear weight (try ffn, attn, all or a regex over tensor names such as 'encoder/layer_0/ffn')")]
    EmptySelection {
        /// The model file.
        path: PathBuf,
        /// The pattern.
        pattern: String,
    },
    /// A layer pattern is not a valid regular expression.
    #[error("layer pattern '{pattern}' is not a valid regex: {detail}")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// The regex crate's message.
        detail: String,
    },
    /// A tensor that should be a 2-D linear weight is not.
    #[error("{path}: tensor '{tensor}' has shape {shape:?} and dtype {dtype}; expected a 2-D floating-point linear weight")]
    NotLinear {
        /// The model file.
        path: PathBuf,
        /// The tensor.
        tensor: String,
        /// Its shape.
        shape: Vec<usize>,
        /// Its dtype.
        dtype: String,
    },
    /// A weight is NaN or infinite.
    #[error("{path}: tensor '{tensor}' holds a non-finite value ({value}) at flat index {index}")]
    NonFinite {
        /// The model file.
        path: PathBuf,
        /// The tensor.
        tensor: String,
        /// Flat index in the stored [out, in] layout.
        index: usize,
        /// The value.
        value: f32,
    },
    /// A numeric option is outside its range.
    #[error("{what} = {value} is out of range: expected {expected}")]
    OutOfRange {
        /// The option.
        what: &'static str,
        /// The value given.
        value: String,
        /// The accepted range.
        expected: &'static str,
    },
    /// A shape does not fit (fused matrix not divisible, array dimension too large, ...).
    #[error("{path}: tensor '{tensor}': {detail}")]
    BadShape {
        /// The model or workload file.
        path: PathBuf,
        /// The tensor or layer.
        tensor: String,
        /// What does not fit.
        detail: String,
    },
    /// The output directory exists and holds something skipgrid did not write.
    #[error("{path}: exists and is not a skipgrid workload (or holds files skipgrid did not write); refusing to replace it")]
    OutputExists {
        /// The output path.
        path: PathBuf,
    },
}

impl PruneError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PruneError::Io {
            path: path.into(),
            source,
        }
    }

    /// A `Corrupt` error for `path`.
    pub fn corrupt(path: impl Into<PathBuf>, detail: impl Into<String>) -> Self {
        PruneError::Corrupt {
            path: path.into(),
            detail: detail.into(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = PruneError> = std::result::Result<T, E>;
