//! Paths and helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The committed Whisper tiny.en excerpt (CTranslate2 directory).
pub fn whisper_excerpt() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/whisper_tiny_en_excerpt")
}

/// The committed MiniLM excerpt (.safetensors file).
pub fn minilm_excerpt() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/minilm_l6_v2_excerpt/model.safetensors")
}

pub const FFN0: &str = "encoder/layer_0/ffn/linear_0/weight";
pub const FFN1: &str = "encoder/layer_0/ffn/linear_1/weight";
pub const QKV: &str = "encoder/layer_0/self_attention/linear_0/weight";
pub const KV: &str = "decoder/layer_0/attention/linear_1/weight";
pub const QUERY: &str = "encoder.layer.0.attention.self.query.weight";

/// A scratch directory under the system temp dir.
pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("skipgrid-prune-test-")
        .tempdir()
        .unwrap()
}

/// Sorted names in a directory.
pub fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}
