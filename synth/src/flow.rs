//! One synthesis run: elaborate, synthesize per target, time (asic), account, cache.

use crate::account::{account, Inputs};
use crate::cache;
use crate::error::{Result, SynthError};
use crate::liberty::{find_liberty, Liberty};
use crate::report::AreaReport;
use crate::rtl::RtlDir;
use crate::sram::SramModel;
use crate::target::Target;
use crate::{sta, yosys};
use skipgrid_toolrun::{Tool, ToolError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to synthesize.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// The target.
    pub target: Target,
    /// Clock period for OpenSTA, ns (asic).
    pub clock_period_ns: f64,
    /// The liberty; `None`: `$SKIPGRID_LIBERTY` or the path scripts/setup-liberty.sh uses.
    pub liberty: Option<PathBuf>,
    /// The cache directory; `None`: [`cache::default_cache_dir`].
    pub cache_dir: Option<PathBuf>,
    /// Read and write the cache.
    pub use_cache: bool,
    /// Where to copy `report.json` and the raw tool reports.
    pub out_dir: Option<PathBuf>,
    /// The Yosys executable.
    pub yosys: String,
    /// The OpenSTA executable.
    pub sta: String,
    /// Timeout of each tool run.
    pub timeout: Duration,
    /// The SRAM macro model (asic).
    pub sram: SramModel,
}

impl SynthOptions {
    /// Defaults for `target`: 10 ns clock, cache on, 10 min per tool run.
    pub fn new(target: Target) -> Self {
        SynthOptions {
            target,
            clock_period_ns: 10.0,
            liberty: None,
            cache_dir: None,
            use_cache: true,
            out_dir: None,
            yosys: "yosys".into(),
            sta: "sta".into(),
            timeout: Duration::from_secs(600),
            sram: SramModel::OSU018,
        }
    }
}

/// Area (and, on asic, timing) of the RTL directory `rtl_dir`.
pub fn synthesize(rtl_dir: &Path, opts: &SynthOptions) -> Result<AreaReport> {
    let rtl = RtlDir::open(rtl_dir)?;
    let t = opts.target;
    let liberty = match t {
        Target::Asic => Some(find_liberty(opts.liberty.as_deref())?),
        _ => None,
    };
    let mut tools = BTreeMap::new();
    tools.insert(
        "yosys".to_string(),
        version(&opts.yosys, "-V", "apt-get install -y yosys").map_err(SynthError::Yosys)?,
    );
    if t == Target::Asic {
        let v = version(&opts.sta, "-version", "apt-get install -y opensta")
            .map_err(SynthError::Sta)?;
        tools.insert("sta".to_string(), v);
    }
    let key = cache_key(&rtl, opts, liberty.as_deref(), &tools)?;
    let cache_dir = opts
        .cache_dir
        .clone()
        .unwrap_or_else(cache::default_cache_dir);
    if opts.use_cache {
        if let Some((mut report, dir)) = cache::lookup(&cache_dir, &key) {
            report.from_cache = true;
            if let Some(out) = &opts.out_dir {
                cache::copy_entry(&dir, out)?;
                cache::write_report(out, &report)?;
            }
            return Ok(report);
        }
    }
    let work = if opts.use_cache {
        std::fs::create_dir_all(&cache_dir).map_err(SynthError::io(&cache_dir))?;
        tempfile::Builder::new()
            .prefix(".work-")
            .tempdir_in(&cache_dir)
    } else {
        tempfile::Builder::new().prefix("skipgrid-synth-").tempdir()
    }
    .map_err(SynthError::io(&cache_dir))?;
    let mut report = run_flow(&rtl, opts, liberty.as_deref(), work.path())?;
    report.tools = tools;
    report.cache_key = key.clone();
    if let Some(out) = &opts.out_dir {
        cache::copy_entry(work.path(), out)?;
        cache::write_report(out, &report)?;
    }
    if opts.use_cache {
        let work = work.keep();
        cache::store(&cache_dir, &key, &work, &report)?;
    }
    Ok(report)
}

/// Fails unless the design passes Yosys' `check -assert` and has no latches.
pub fn check_design(rtl_dir: &Path, opts: &SynthOptions) -> Result<()> {
    let rtl = RtlDir::open(rtl_dir)?;
    let work = tempfile::tempdir().map_err(SynthError::io(std::env::temp_dir()))?;
    let script = yosys::check_script(&rtl);
    match yosys::run_script(&opts.yosys, work.path(), "check", &script, opts.timeout) {
        Err(SynthError::Yosys(skipgrid_toolrun::ToolError::Failed { tail, .. })) => {
            Err(SynthError::Check { top: rtl.top, tail })
        }
        other => other,
    }
}

/// The first line `program flag` prints; part of the cache key.
fn version(program: &str, flag: &str, install_hint: &str) -> Result<String, ToolError> {
    let out = Tool::new(program)
        .arg(flag)
        .timeout(Duration::from_secs(60))
        .install_hint(install_hint)
        .run()?;
    let text = if out.stdout.trim().is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    Ok(text.lines().next().unwrap_or("").trim().to_string())
}

fn cache_key(
    rtl: &RtlDir,
    opts: &SynthOptions,
    liberty: Option<&Path>,
    tools: &BTreeMap<String, String>,
) -> Result<String> {
    let mut k = cache::KeyBuilder::new();
    k.add("target", opts.target.name().as_bytes());
    if opts.target == Target::Asic {
        k.add("period", opts.clock_period_ns.to_string().as_bytes());
        k.add("sram", format!("{:?}", opts.sram).as_bytes());
    }
    k.add("top", rtl.top.as_bytes());
    for f in &rtl.files {
        let rel = f.strip_prefix(&rtl.dir).unwrap_or(f);
        k.add_file(&rel.to_string_lossy(), f)?;
    }
    k.add_file("manifest", &rtl.dir.join("manifest.json"))?;
    if let Some(l) = liberty {
        k.add_file("liberty", l)?;
    }
    for (tool, v) in tools {
        k.add(tool, v.as_bytes());
    }
    Ok(k.finish())
}

fn read(work: &Path, name: &str) -> Result<String> {
    let p = work.join(name);
    std::fs::read_to_string(&p).map_err(SynthError::io(p))
}

fn run_flow(
    rtl: &RtlDir,
    opts: &SynthOptions,
    liberty_path: Option<&Path>,
    work: &Path,
) -> Result<AreaReport> {
    let t = opts.target;
    let start = Instant::now();
    let mut warnings = Vec::new();
    yosys::run_script(
        &opts.yosys,
        work,
        "elab",
        &yosys::elab_script(rtl),
        opts.timeout,
    )?;
    let elab = yosys::parse_elab_json(&read(work, "elab.json")?)?;

    // SRAMs: `ram` modules that hold a memory are black boxes except on FPGAs.
    let mut blackboxed = BTreeSet::new();
    if !t.is_fpga() {
        for name in rtl.ram_modules() {
            let variants: Vec<_> = elab.values().filter(|m| m.source_name == name).collect();
            if variants.iter().any(|m| !m.memories.is_empty()) {
                blackboxed.insert(name.to_string());
            } else if !variants.is_empty() {
                warnings.push(format!(
                    "module {name} has role `ram` but no inferable memory: synthesized as logic"
                ));
            }
        }
    }
    let bb: Vec<String> = blackboxed.iter().cloned().collect();
    let liberty = match (t, liberty_path) {
        (Target::Asic, Some(lp)) => Some(Liberty::load(lp)?),
        _ => None,
    };
    let constr = liberty.as_ref().and_then(yosys::abc_constraints);
    let abc_delay_ps = match &constr {
        Some(c) => {
            let p = work.join(yosys::ABC_CONSTR);
            std::fs::write(&p, c).map_err(SynthError::io(p))?;
            Some((opts.clock_period_ns * 1000.0).round().max(1.0) as u64)
        }
        None => {
            if liberty.is_some() {
                warnings.push(
                    "the liberty has no INV* cell: ABC maps without buffering high-fanout nets"
                        .into(),
                );
            }
            None
        }
    };
    let script = yosys::synth_script(rtl, t, &bb, liberty_path, abc_delay_ps);
    yosys::run_script(&opts.yosys, work, "synth", &script, opts.timeout)?;
    let synth = yosys::parse_stat_json(&read(work, "stat_synth.json")?)?;
    let (mapped, cmos) = match (t, liberty_path) {
        (Target::Asic, Some(_)) => (
            yosys::parse_stat_json(&read(work, "stat_liberty.json")?)?,
            Some(yosys::parse_stat_json(&read(work, "stat_cmos.json")?)?),
        ),
        _ => (synth.clone(), None),
    };
    let tot = account(&Inputs {
        target: t,
        rtl,
        elab: &elab,
        mapped: &mapped,
        synth: &synth,
        cmos: cmos.as_ref(),
        liberty: liberty.as_ref(),
        blackboxed: &blackboxed,
        sram: opts.sram,
    });
    warnings.extend(tot.warnings);

    let mut timing = None;
    if let (Target::Asic, Some(lp)) = (t, liberty_path) {
        timing = sta::run(
            &opts.sta,
            work,
            lp,
            &rtl.top,
            opts.clock_period_ns,
            opts.timeout,
        )?;
        if timing.is_none() {
            warnings.push("OpenSTA found no register-to-register path".into());
        }
    }
    let netlist = read(work, "netlist.v").unwrap_or_default();
    let name = |p: &str| sta::register_name(&netlist, &rtl.top, p);
    let c = tot.counts;
    let fpga = |v: u64| t.is_fpga().then_some(v);
    let crit = timing.as_ref().map(|x| x.critical_path_ns());
    Ok(AreaReport {
        target: t,
        top: rtl.top.clone(),
        cells: c.cells,
        cells_by_type: tot.cells_by_type,
        flip_flops: c.flip_flops,
        latches: tot.latches,
        area_um2: c.area_um2,
        sram_area_um2: (t == Target::Asic).then(|| c.sram_area_um2.unwrap_or(0.0)),
        total_area_um2: c.area_um2.map(|a| a + c.sram_area_um2.unwrap_or(0.0)),
        transistors: c.transistors,
        luts: c.luts,
        carries: fpga(tot.carries),
        dsps: c.dsps,
        brams: c.brams,
        lut_rams: fpga(tot.lut_rams),
        clock_period_ns: (t == Target::Asic).then_some(opts.clock_period_ns),
        critical_path_ns: crit,
        fmax_mhz: crit.filter(|c| *c > 0.0).map(|c| 1000.0 / c),
        path_start: timing.as_ref().map(|x| name(&x.start)),
        path_end: timing.as_ref().map(|x| name(&x.end)),
        breakdown: tot.breakdown,
        modules: tot.modules,
        memories: tot.memories,
        skip_overhead_pct: None,
        skip_overhead_total_pct: None,
        tools: BTreeMap::new(),
        cache_key: String::new(),
        from_cache: false,
        runtime_s: start.elapsed().as_secs_f64(),
        warnings,
    })
}
