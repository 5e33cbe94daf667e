//! `skipgrid prune`: real model weights → block-pruned int8 workload for the array.
//!
//! Exit codes: 0 success; 2 bad input (missing, truncated or corrupt model file, unknown
//! tensor, empty or non-linear layer pattern, NaN/inf weights, sparsity outside [0, 1],
//! a shape that does not fit, an output that exists and is not ours). Other errors
//! propagate as `anyhow` errors.

use std::path::PathBuf;

use skipgrid_prune::{
    prune_model, write_pruned_model, ActCalib, LayerSelect, ModelFile, PruneConfig, PruneError,
    ScoreKind, ThresholdMode, WeightQuant,
};

/// Arguments of `skipgrid prune`.
#[derive(clap::Args, Debug, Clone)]
pub struct PruneArgs {
    /// Model: a .safetensors file, a CTranslate2 model directory, or its model.bin.
    #[arg(long)]
    pub model: PathBuf,
    /// Array size ROWSxCOLS, e.g. 16x16 (the pruning block equals the array tile).
    #[arg(long)]
    pub array: Option<String>,
    /// Target fraction of blocks to prune among the selected layers, in [0, 1].
    #[arg(long)]
    pub sparsity: f64,
    /// Block score: mean |w|, L2 norm, or mean |w|·rms(activation) (activation-aware).
    #[arg(long, default_value = "mean-abs", value_parser = ["mean-abs", "l2", "act-mean-abs"])]
    pub score: String,
    /// One threshold over all selected layers, or the same fraction in each layer.
    #[arg(long, default_value = "global", value_parser = ["global", "per-layer"])]
    pub threshold: String,
    /// Layers to prune: ffn, attn, all, or a regex over layer names.
    #[arg(long, default_value = "all")]
    pub layers: String,
    /// Activations: gaussian, gaussian:SEED or gaussian:SEED:TOKENS (seeded normal, default seed 24301, 32
    /// tokens) or a .safetensors file of real inputs keyed by weight name.
    #[arg(long, default_value = "gaussian")]
    pub act_calib: String,
    /// Weight scale granularity.
    #[arg(long, default_value = "per-channel", value_parser = ["per-channel", "per-tensor"])]
    pub weight_quant: String,
    /// Output workload directory (written atomically).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the pruned, dequantized model in its own format to this new path
    /// (a directory, or a file ending in .bin / .safetensors).
    #[arg(long)]
    pub write_model: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_array(s: Option<&str>) -> Result<(usize, usize), PruneError> {
    let bad = || PruneError::OutOfRange {
        what: "--array",
        value: s.unwrap_or("(missing)").to_string(),
        expected: "ROWSxCOLS with both in 1..=4096, e.g. 16x16",
    };
    let (r, c) = s.and_then(|s| s.split_once(['x', 'X'])).ok_or_else(bad)?;
    Ok((
        r.trim().parse().map_err(|_| bad())?,
        c.trim().parse().map_err(|_| bad())?,
    ))
}

fn config(args: &PruneArgs) -> Result<PruneConfig, PruneError> {
    let (rows, cols) = parse_array(args.array.as_deref())?;
    let mut cfg = PruneConfig::new(rows, cols, args.sparsity);
    cfg.score = match args.score.as_str() {
        "l2" => ScoreKind::L2,
        "act-mean-abs" => ScoreKind::ActMeanAbs,
        _ => ScoreKind::MeanAbs,
    };
    cfg.threshold = match args.threshold.as_str() {
        "per-layer" => ThresholdMode::PerLayer,
        _ => ThresholdMode::Global,
    };
    cfg.weight_quant = match args.weight_quant.as_str() {
        "per-tensor" => WeightQuant::PerTensor,
        _ => WeightQuant::PerChannel,
    };
    cfg.layers = LayerSelect::parse(&args.layers)?;
    cfg.calib = ActCalib::parse(&args.act_calib)?;
    cfg.validate()?;
    Ok(cfg)
}

fn execute(args: &PruneArgs) -> Result<String, PruneError> {
    let cfg = config(args)?;
    let model = ModelFile::open(&args.model)?;
    let pruned = prune_model(&model, &cfg)?;
    pruned.to_workload().write(&args.out)?;
    let written = match &args.write_model {
        Some(p) => Some(write_pruned_model(&model, &pruned, p)?),
        None => None,
    };
    let report = pruned.report();
    if args.json {
        let mut v = serde_json::to_value(&report).expect("report serializes");
        v["workload"] = args.out.display().to_string().into();
        if let Some(p) = written {
            v["pruned_model"] = p.display().to_string().into();
        }
        Ok(v.to_string())
    } else {
        let mut t = report.table();
        t.push_str(&format!("workload written to {}\n", args.out.display()));
        if let Some(p) = written {
            t.push_str(&format!("pruned model written to {}\n", p.display()));
        }
        Ok(t)
    }
}

/// Runs `skipgrid prune`; returns the process exit code (0 ok, 2 bad input).
pub fn run(args: &PruneArgs) -> anyhow::Result<i32> {
    match execute(args) {
        Ok(text) => {
            println!("{}", text.trim_end());
            Ok(0)
        }
        Err(e) => {
            eprintln!("skipgrid prune: error: {e}");
            Ok(2)
        }
    }
}
