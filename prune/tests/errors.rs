//! Every kind of bad input gives its own typed error naming the file and tensor.

mod common;
use common::*;

use std::path::Path;

use skipgrid_prune::{prune_model, ActCalib, LayerSelect, ModelFile, PruneConfig, PruneError};

fn copy_excerpt(dir: &Path) -> (std::path::PathBuf, Vec<u8>) {
    let bytes = std::fs::read(whisper_excerpt().join("model.bin")).unwrap();
    let p = dir.join("model.bin");
    std::fs::write(&p, &bytes).unwrap();
    (p, bytes)
}

fn run(path: &Path, layers: &str, s: f64) -> Result<skipgrid_prune::PrunedModel, PruneError> {
    let m = ModelFile::open(path)?;
    let mut cfg = PruneConfig::new(16, 16, s);
    cfg.layers = LayerSelect::parse(layers)?;
    prune_model(&m, &cfg)
}

#[test]
fn missing_file() {
    let e = ModelFile::open("/nonexistent/skipgrid/model.bin").unwrap_err();
    assert!(
        matches!(e, PruneError::Io { .. }) && e.to_string().contains("/nonexistent/skipgrid"),
        "{e}"
    );
    let d = scratch();
    let e = ModelFile::open(d.path()).unwrap_err();
    assert!(matches!(e, PruneError::UnknownFormat { .. }), "{e}");
}

#[test]
fn truncated_ct2_names_the_tensor() {
    let d = scratch();
    let (p, bytes) = copy_excerpt(d.path());
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let e = ModelFile::open(&p).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, PruneError::Truncated { .. }), "{msg}");
    assert!(
        msg.contains("model.bin") && msg.contains("encoder/layer_0/ffn/linear_1/weight"),
        "{msg}"
    );
}

#[test]
fn corrupt_ct2_and_safetensors() {
    let d = scratch();
    let (p, mut bytes) = copy_excerpt(d.path());
    bytes[0] = 7;
    std::fs::write(&p, &bytes).unwrap();
    let e = ModelFile::open(&p).unwrap_err().to_string();
    assert!(e.contains("version 7"), "{e}");
    let st = d.path().join("x.safetensors");
    let mut b = std::fs::read(minilm_excerpt()).unwrap();
    b[10] = b'!';
    std::fs::write(&st, &b).unwrap();
    assert!(matches!(
        ModelFile::open(&st),
        Err(PruneError::Corrupt { .. })
    ));
    b.truncate(b.len() - 100);
    std::fs::write(&st, &b).unwrap();
    assert!(ModelFile::open(&st).is_err());
}

#[test]
fn unknown_tensor_and_empty_pattern() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let e = m
        .read_f32("encoder/layer_9/ffn/linear_0/weight")
        .unwrap_err();
    assert!(
        matches!(e, PruneError::UnknownTensor { .. }) && e.to_string().contains("layer_9"),
        "{e}"
    );
    let e = run(&whisper_excerpt(), "^nothing/here", 0.5).unwrap_err();
    assert!(
        matches!(e, PruneError::EmptySelection { .. }) && e.to_string().contains("nothing/here"),
        "{e}"
    );
    let e = run(&minilm_excerpt(), "ffn", 0.5).unwrap_err();
    assert!(matches!(e, PruneError::EmptySelection { .. }), "{e}");
    assert!(matches!(
        LayerSelect::parse("(unclosed"),
        Err(PruneError::BadPattern { .. })
    ));
}

#[test]
fn non_2d_tensor() {
    let e = run(&whisper_excerpt(), "layer_norm/gamma", 0.5).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, PruneError::NotLinear { .. }), "{msg}");
    assert!(
        msg.contains("encoder/layer_0/ffn/layer_norm/gamma") && msg.contains("[384]"),
        "{msg}"
    );
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    assert!(matches!(
        skipgrid_prune::linear::load(&m, "decoder/num_heads"),
        Err(PruneError::NotLinear { .. })
    ));
}

#[test]
fn nan_and_inf_weights() {
    let d = scratch();
    let (p, mut bytes) = copy_excerpt(d.path());
    let m = ModelFile::open(&p).unwrap();
    let off = m.tensor(FFN1).unwrap().offset;
    drop(m);
    for (code, what) in [([0x00, 0x7e], "NaN"), ([0x00, 0x7c], "inf")] {
        bytes[off + 2 * 1000..off + 2 * 1000 + 2].copy_from_slice(&code);
        std::fs::write(&p, &bytes).unwrap();
        let e = run(&p, "ffn", 0.5).unwrap_err();
        let msg = e.to_string();
        assert!(
            matches!(e, PruneError::NonFinite { index: 1000, .. }),
            "{what}: {msg}"
        );
        assert!(msg.contains(FFN1) && msg.contains("model.bin"), "{msg}");
    }
}

#[test]
fn sparsity_and_array_out_of_range() {
    for s in [-0.1, 1.5, f64::NAN] {
        let e = run(&whisper_excerpt(), "ffn", s).unwrap_err();
        assert!(
            matches!(
                e,
                PruneError::OutOfRange {
                    what: "sparsity",
                    ..
                }
            ),
            "{e}"
        );
    }
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    for (r, c) in [(0, 16), (16, 5000)] {
        let e = prune_model(&m, &PruneConfig::new(r, c, 0.5)).unwrap_err();
        assert!(matches!(e, PruneError::OutOfRange { .. }), "{e}");
    }
}

#[test]
fn fused_shape_that_does_not_split() {
    // Rewrite the QKV header to 1151x384 (shrinking its byte count to match) so the
    // fused matrix cannot be cut into three.
    let d = scratch();
    let (p, bytes) = copy_excerpt(d.path());
    let m = ModelFile::open(&p).unwrap();
    let t = m.tensor(QKV).unwrap().clone();
    drop(m);
    let mut b = bytes[..t.offset].to_vec();
    let hdr = t.offset - 4 - 1 - 8; // dims, dtype, nbytes precede the data
    b[hdr..hdr + 4].copy_from_slice(&1151u32.to_le_bytes());
    b[t.offset - 4..t.offset].copy_from_slice(&((1151 * 384 * 2) as u32).to_le_bytes());
    b.extend_from_slice(&bytes[t.offset..t.offset + 1151 * 384 * 2]);
    b.extend_from_slice(&bytes[t.offset + t.nbytes..]);
    std::fs::write(&p, &b).unwrap();
    let e = run(&p, "self_attention", 0.5).unwrap_err();
    assert!(
        matches!(e, PruneError::BadShape { .. }) && e.to_string().contains(QKV),
        "{e}"
    );
}

#[test]
fn calibration_file_errors() {
    assert!(ActCalib::parse("gaussian:x").is_err());
    assert!(ActCalib::parse("gaussian:1:0").is_err());
    assert_eq!(
        ActCalib::parse("gaussian:7:4").unwrap(),
        ActCalib::Gaussian { seed: 7, tokens: 4 }
    );
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let mut cfg = PruneConfig::new(16, 16, 0.5);
    cfg.calib = ActCalib::File(minilm_excerpt());
    let e = prune_model(&m, &cfg).unwrap_err();
    assert!(matches!(e, PruneError::UnknownTensor { .. }), "{e}");
}
