//! Tests on the full pip-installed models (`scripts/setup-models.sh`). Each test skips
//! with a message when its model is not installed; the excerpt tests always run.

use skipgrid_prune::{
    find_model, linear, prune_model, write_pruned_model, KnownModel, LayerSelect, ModelFile,
    PruneConfig, Workload,
};

fn model(m: KnownModel) -> Option<ModelFile> {
    match find_model(m) {
        Some(p) => Some(ModelFile::open(p).unwrap()),
        None => {
            eprintln!(
                "SKIP: {m:?} not installed (run scripts/setup-models.sh or set {})",
                m.env_var()
            );
            None
        }
    }
}

#[test]
fn whisper_tiny_en_linear_layers() {
    let Some(m) = model(KnownModel::WhisperTinyEn) else {
        return;
    };
    assert_eq!(m.tensors().len(), 148);
    let linear: Vec<_> = m
        .tensors()
        .iter()
        .filter(|t| linear::is_linear(t))
        .collect();
    assert_eq!(linear.len(), 44);
    assert!(linear
        .iter()
        .all(|t| t.shape[0] % 32 == 0 && t.shape[1] % 32 == 0));
    let fused = linear
        .iter()
        .filter(|t| linear::fused_parts(&t.name).is_some())
        .count();
    assert_eq!(
        fused,
        4 + 4 + 4,
        "encoder QKV, decoder QKV, decoder cross KV"
    );
    let mut cfg = PruneConfig::new(16, 16, 0.05);
    cfg.layers = LayerSelect::All;
    let p = prune_model(&m, &cfg).unwrap();
    assert_eq!(p.layers.len(), 64);
    assert!((p.overall_sparsity() - 0.05).abs() * 64512.0 <= 1.0);
    let dir = tempfile::tempdir().unwrap();
    p.to_workload().write(dir.path().join("wl")).unwrap();
    assert_eq!(
        Workload::open(dir.path().join("wl"))
            .unwrap()
            .layers()
            .len(),
        64
    );
    // The rewritten CTranslate2 directory keeps config, tokenizer and vocabulary.
    let out = write_pruned_model(&m, &p, &dir.path().join("whisper-pruned")).unwrap();
    let r = ModelFile::open(&out).unwrap();
    assert_eq!(r.tensors(), m.tensors());
    assert!(dir.path().join("whisper-pruned/config.json").is_file());
    assert!(dir.path().join("whisper-pruned/vocabulary.txt").is_file());
}

#[test]
fn minilm_linear_layers() {
    let Some(m) = model(KnownModel::MiniLm) else {
        return;
    };
    let n = m.tensors().iter().filter(|t| linear::is_linear(t)).count();
    assert_eq!(
        n,
        6 * 6 + 1,
        "q, k, v, attn out, intermediate, output per layer + pooler"
    );
    let mut cfg = PruneConfig::new(32, 32, 0.25);
    cfg.layers = LayerSelect::parse("ffn").unwrap();
    let p = prune_model(&m, &cfg).unwrap();
    assert_eq!(p.layers.len(), 12);
    assert!(p.layers.iter().all(|l| l.dense.k * l.dense.n == 384 * 1536));
}
