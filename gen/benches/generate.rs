//! Generation time of large arrays: `cargo bench -p skipgrid-gen --bench generate`.
//! Prints the median of 11 runs per configuration (generate + format all files in
//! memory, then write them to a temporary directory).

use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    println!("| array | modules | bytes | generate (ms, median of 11) | generate + write (ms) |");
    println!("|---|---|---|---|---|");
    for n in [16u32, 32, 64, 128] {
        let cfg =
            skipgrid_config::ArrayConfig::from_toml(&format!("rows = {n}\ncols = {n}"), "bench")
                .unwrap();
        let mut gen_ms = Vec::new();
        let mut all_ms = Vec::new();
        let mut bytes = 0;
        let mut modules = 0;
        for _ in 0..11 {
            let t = Instant::now();
            let g = skipgrid_gen::generate(&cfg);
            let files = g.all_files();
            gen_ms.push(t.elapsed().as_secs_f64() * 1e3);
            let dir = tempfile::tempdir().unwrap();
            skipgrid_gen::write_dir(&dir.path().join("rtl"), &files).unwrap();
            all_ms.push(t.elapsed().as_secs_f64() * 1e3);
            bytes = files.iter().map(|f| f.text.len()).sum();
            modules = g.verilog.len();
        }
        println!(
            "| {n} x {n} | {modules} | {bytes} | {:.1} | {:.1} |",
            median(gen_ms),
            median(all_ms)
        );
    }
}
