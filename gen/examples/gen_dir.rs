//! `cargo run -p skipgrid-gen --example gen_dir -- CONFIG.toml|PRESET OUTDIR`
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cfg = if args[1].ends_with(".toml") {
        let text = std::fs::read_to_string(&args[1]).expect("read config");
        skipgrid_config::ArrayConfig::from_toml(&text, &args[1]).expect("valid config")
    } else {
        skipgrid_config::preset(&args[1]).expect("preset")
    };
    let g = skipgrid_gen::generate(&cfg);
    skipgrid_gen::write_dir(std::path::Path::new(&args[2]), &g.all_files()).expect("write");
    println!("{}", g.top());
}
