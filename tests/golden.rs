//! The checked-in Verilog of every preset (verilog_out/<preset>/) is exactly what the
//! generator produces today. After an intended change, regenerate with `make golden`
//! and review the diff.

use skipgrid_config::{preset, presets};
use std::path::Path;

#[test]
fn presets_match_checked_in_verilog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("verilog_out");
    for p in presets() {
        let g = skipgrid_gen::generate(&preset(p.name).unwrap());
        let dir = root.join(p.name);
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}; run `make golden`", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut expected: Vec<String> = g.all_files().iter().map(|f| f.name.clone()).collect();
        expected.sort();
        assert_eq!(
            on_disk, expected,
            "{}: file set drifted; run `make golden`",
            p.name
        );
        for f in g.all_files() {
            let disk = std::fs::read_to_string(dir.join(&f.name)).unwrap();
            if disk != f.text {
                let line = disk
                    .lines()
                    .zip(f.text.lines())
                    .position(|(a, b)| a != b)
                    .map_or(disk.lines().count().min(f.text.lines().count()), |i| i)
                    + 1;
                panic!("{}/{} differs from the generator at line {line}; run `make golden` and review the diff", p.name, f.name);
            }
        }
    }
}

#[test]
fn generation_is_deterministic_and_prefixed() {
    let a = skipgrid_gen::generate(&preset("ws4x4").unwrap());
    let b = skipgrid_gen::generate(&preset("ws4x4").unwrap());
    assert_eq!(
        a.all_files().iter().map(|f| &f.text).collect::<Vec<_>>(),
        b.all_files().iter().map(|f| &f.text).collect::<Vec<_>>()
    );
    // Two configurations share no module name, so both can live in one design.
    let c = skipgrid_gen::generate(&preset("ws4x4").unwrap().with_skip(false).unwrap());
    for m in &a.manifest.modules {
        assert!(
            c.manifest.modules.iter().all(|n| n.name != m.name),
            "{} clashes",
            m.name
        );
    }
}
