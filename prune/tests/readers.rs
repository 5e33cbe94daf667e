//! Readers and the pruned-model writer on the committed real excerpts.

mod common;
use common::*;

use skipgrid_prune::linear::{self, LayerSelect};
use skipgrid_prune::{
    prune_model, pruned_model_bytes, write_pruned_model, DType, ModelFile, ModelFormat, PruneConfig,
};

#[test]
fn ct2_excerpt_table() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    assert_eq!(m.format(), ModelFormat::Ct2);
    assert!(m.path().ends_with("model.bin"));
    assert_eq!(m.tensors().len(), 11);
    let t = m.tensor(FFN0).unwrap();
    assert_eq!((t.shape.clone(), t.dtype), (vec![1536, 384], DType::F16));
    assert_eq!(m.tensor(QKV).unwrap().shape, vec![1152, 384]);
    assert_eq!(m.tensor(KV).unwrap().shape, vec![768, 384]);
    // The same file opened by its own path gives the same table.
    let again = ModelFile::open(whisper_excerpt().join("model.bin")).unwrap();
    assert_eq!(again.tensors(), m.tensors());
}

#[test]
fn orientation_w_is_weight_transposed() {
    // Values read independently with Python's struct ('<e') from the excerpt.
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let l = &linear::load(&m, FFN0).unwrap()[0];
    assert_eq!((l.k, l.n), (384, 1536));
    assert_eq!(l.w(7, 5) as f64, -0.028289794921875); // weight[n=5][k=7]
    assert_eq!(l.w(383, 1535) as f64, 0.0062255859375);
    assert_eq!(l.w(0, 0) as f64, -0.0276641845703125);
    let st = ModelFile::open(minilm_excerpt()).unwrap();
    let q = &linear::load(&st, QUERY).unwrap()[0];
    assert_eq!(q.w(200, 3) as f64, 0.008994132280349731);
}

#[test]
fn fused_split_and_refuse_identity() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    for (name, parts) in [(QKV, 3), (KV, 2)] {
        let full = m.read_f32(name).unwrap();
        let split = linear::load(&m, name).unwrap();
        assert_eq!(split.len(), parts);
        assert!(split.iter().all(|p| p.n == 384 && p.k == 384));
        let mut back = vec![0f32; full.len()];
        for p in &split {
            linear::refuse(&mut back, p.k, p.row_offset, &p.weight);
        }
        assert_eq!(back, full, "{name}");
    }
    // Part 1 of QKV is K: weight row 384+3, column 10.
    let k = &linear::load(&m, QKV).unwrap()[1];
    assert_eq!(k.name, format!("{QKV}:k"));
    assert_eq!(k.w(10, 3) as f64, 0.0064849853515625);
}

#[test]
fn writer_changes_only_selected_rows() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let mut cfg = PruneConfig::new(16, 16, 0.3);
    cfg.layers = LayerSelect::parse(":k$").unwrap(); // only the K parts of the fused matrices
    let p = prune_model(&m, &cfg).unwrap();
    assert_eq!(p.layers.len(), 2);
    let bytes = pruned_model_bytes(&m, &p).unwrap();
    let orig = m.bytes();
    assert_eq!(bytes.len(), orig.len());
    let mut changed = vec![false; orig.len()];
    for l in &p.layers {
        let t = m.tensor(&l.dense.source).unwrap();
        let s = t.offset + l.dense.row_offset * t.shape[1] * 2;
        changed[s..s + l.dense.n * l.dense.k * 2]
            .iter_mut()
            .for_each(|c| *c = true);
    }
    for (i, (a, b)) in orig.iter().zip(&bytes).enumerate() {
        assert!(
            changed[i] || a == b,
            "byte {i} changed outside the selected rows"
        );
    }
    // Re-read: the changed rows hold the dequantized values, zero in pruned blocks.
    let dir = scratch();
    let out = write_pruned_model(&m, &p, &dir.path().join("pruned")).unwrap();
    assert_eq!(listing(&dir.path().join("pruned")), vec!["model.bin"]);
    let r = ModelFile::open(&out).unwrap();
    assert_eq!(r.tensors(), m.tensors());
    let parts = linear::load(&r, QKV).unwrap();
    let l = &p.layers.iter().find(|l| l.dense.source == QKV).unwrap();
    let deq = skipgrid_prune::quant::dequantize_layer(&l.wq, 384, &l.w_scales);
    for (a, b) in parts[1].weight.iter().zip(&deq) {
        assert_eq!(*a, half::f16::from_f32(*b).to_f32());
    }
    assert_eq!(parts[0].weight, linear::load(&m, QKV).unwrap()[0].weight);
    let zero_blocks = l.kept.iter().filter(|k| !**k).count();
    assert!(zero_blocks > 0);
    // Writing over an existing path is refused and leaves it alone.
    assert!(write_pruned_model(&m, &p, &dir.path().join("pruned")).is_err());
}

#[test]
fn safetensors_round_trip() {
    let m = ModelFile::open(minilm_excerpt()).unwrap();
    assert_eq!(m.format(), ModelFormat::Safetensors);
    let names: Vec<_> = m
        .tensors()
        .iter()
        .filter(|t| linear::is_linear(t))
        .map(|t| t.name.clone())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let p = prune_model(&m, &PruneConfig::new(32, 32, 0.5)).unwrap();
    let dir = scratch();
    let out = write_pruned_model(&m, &p, &dir.path().join("m.safetensors")).unwrap();
    let r = ModelFile::open(&out).unwrap();
    assert_eq!(r.tensors(), m.tensors());
    let head = 8 + u64::from_le_bytes(m.bytes()[..8].try_into().unwrap()) as usize;
    assert_eq!(
        &r.bytes()[..head],
        &m.bytes()[..head],
        "header byte-identical"
    );
    for t in m.tensors().iter().filter(|t| !linear::is_linear(t)) {
        let s = t.offset..t.offset + t.nbytes;
        assert_eq!(&r.bytes()[s.clone()], &m.bytes()[s], "{}", t.name);
    }
    let zeros: usize = names
        .iter()
        .map(|n| r.read_f32(n).unwrap().iter().filter(|v| **v == 0.0).count())
        .sum();
    assert!(
        zeros >= 32 * 32 * 144,
        "half of the 2 x 144 blocks of 32x32 are zero"
    );
}

#[test]
fn presets_select_by_kind() {
    let m = ModelFile::open(whisper_excerpt()).unwrap();
    let names = |s: &str| -> Vec<String> {
        LayerSelect::parse(s)
            .unwrap()
            .select(&m)
            .unwrap()
            .into_iter()
            .flat_map(|(_, n)| n)
            .collect()
    };
    assert_eq!(names("ffn"), vec![FFN0.to_string(), FFN1.to_string()]);
    assert_eq!(names("attn").len(), 5);
    assert_eq!(names("all").len(), 7);
    let st = ModelFile::open(minilm_excerpt()).unwrap();
    assert_eq!(
        LayerSelect::parse("attn")
            .unwrap()
            .select(&st)
            .unwrap()
            .len(),
        2
    );
}
