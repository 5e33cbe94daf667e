//! The Verilator build cache: hits skip the tools, concurrent builds of one key agree.

mod common;

use std::time::Instant;

use common::{have, regjob};
use skipgrid_sim::{build_library, Backend, HostOp, VerilatorBackend, VerilatorOptions};

fn fresh_cache() -> (tempfile::TempDir, VerilatorOptions) {
    let dir = tempfile::tempdir().unwrap();
    let opts = VerilatorOptions {
        cache_dir: Some(dir.path().to_path_buf()),
        ..VerilatorOptions::default()
    };
    (dir, opts)
}

#[test]
fn second_build_is_a_cache_hit() {
    if !have(&["verilator", "g++"]) {
        return;
    }
    let (_dir, opts) = fresh_cache();
    let design = regjob();
    let cold = build_library(&design, &opts).unwrap();
    assert!(!cold.cache_hit);
    let lib_mtime = std::fs::metadata(&cold.library)
        .unwrap()
        .modified()
        .unwrap();

    let t = Instant::now();
    let mut sim = VerilatorBackend::new(&design, &opts).unwrap();
    let r = sim.run(&[HostOp::Write { addr: 9, data: 5 }, HostOp::Read { addr: 9 }]);
    let cached_start = t.elapsed();
    assert_eq!(r.unwrap().reads, [5]);
    let warm = sim.build_info();
    assert!(warm.cache_hit, "the second build must not run verilator");
    assert_eq!(warm.key, cold.key);
    assert_eq!(warm.library, cold.library);
    let mtime = std::fs::metadata(&warm.library)
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(mtime, lib_mtime, "the cached library was rebuilt");
    eprintln!(
        "cold build {:.2?}, cached start (find + load + reset + run) {cached_start:.2?}",
        cold.elapsed
    );
    assert!(
        cached_start.as_secs_f64() < 1.0,
        "cached start took {cached_start:?}"
    );

    // Any change to a flag is a different library.
    let o3 = VerilatorOptions {
        opt_fast: "-O2".into(),
        ..opts.clone()
    };
    let other = build_library(&design, &o3).unwrap();
    assert_ne!(other.key, cold.key);
    assert!(!other.cache_hit);
}

#[test]
fn concurrent_builds_of_one_key_both_succeed() {
    if !have(&["verilator", "g++"]) {
        return;
    }
    let (dir, opts) = fresh_cache();
    let design = regjob();
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let (design, opts) = (&design, &opts);
                s.spawn(move || {
                    let mut sim = VerilatorBackend::new(design, opts)?;
                    let r = sim.run(&[
                        HostOp::Write { addr: 10, data: i },
                        HostOp::Read { addr: 10 },
                    ])?;
                    Ok::<_, skipgrid_sim::SimError>((sim.build_info().clone(), r.reads))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (a, ra) = results[0].as_ref().unwrap();
    let (b, rb) = results[1].as_ref().unwrap();
    assert!(
        !a.cache_hit && !b.cache_hit,
        "both threads should have built"
    );
    assert_eq!(a.key, b.key);
    assert_eq!(a.library, b.library);
    assert_eq!((ra.as_slice(), rb.as_slice()), (&[0][..], &[1][..]));
    // Only finished entries are left behind: the library and the runtime.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "staging dirs left: {leftovers:?}");
}
