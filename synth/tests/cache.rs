//! The cache: a second identical run does not synthesize, a changed file does.

mod common;

use common::{fixture, options};
use skipgrid_synth::{synthesize, Target};
use std::os::unix::fs::PermissionsExt;

#[test]
fn cache_hit_skips_yosys() {
    let cache = tempfile::tempdir().unwrap();
    let Some(mut opts) = options(Target::Generic, cache.path()) else {
        return;
    };
    // A yosys wrapper that logs its arguments.
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("calls.log");
    let wrapper = bin.path().join("yosys-logged");
    let real = skipgrid_toolrun::which("yosys").unwrap();
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    opts.yosys = wrapper.display().to_string();
    let synth_calls = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(".ys"))
            .count()
    };

    let d = fixture(1, 2, true);
    let first = synthesize(d.path(), &opts).unwrap();
    assert!(!first.from_cache);
    assert_eq!(synth_calls(), 2, "elaboration + synthesis");
    let second = synthesize(d.path(), &opts).unwrap();
    assert!(second.from_cache);
    assert_eq!(synth_calls(), 2, "a cache hit must not run a yosys script");
    assert_eq!(first.cells, second.cells);
    assert_eq!(first.cache_key, second.cache_key);

    // The same RTL elsewhere hits too; a changed file misses.
    let moved = fixture(1, 2, true);
    assert!(synthesize(moved.path(), &opts).unwrap().from_cache);
    let pe = moved.path().join("fx_pe.v");
    let text = std::fs::read_to_string(&pe).unwrap() + "\n// changed\n";
    std::fs::write(&pe, text).unwrap();
    assert!(!synthesize(moved.path(), &opts).unwrap().from_cache);
    assert_eq!(synth_calls(), 4);
}
