//! Opening design directories: the contract of docs/rtl-interface.md.

mod common;

use std::path::Path;

use skipgrid_sim::{RtlDesign, SimError};

fn copy_fixture(to: &Path) {
    let src = common::fixture_dir("regjob");
    for f in ["regjob_job.v", "regjob_top.v", "manifest.json", "files.f"] {
        std::fs::copy(src.join(f), to.join(f)).unwrap();
    }
}

fn reason(dir: &Path) -> String {
    match RtlDesign::open(dir) {
        Err(e @ SimError::BadDesign { .. }) => e.to_string(),
        other => panic!("expected BadDesign, got {other:?}"),
    }
}

fn edit_manifest(dir: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let p = dir.join("manifest.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(p, v.to_string()).unwrap();
}

#[test]
fn the_fixture_opens() {
    let d = common::regjob();
    assert_eq!(d.top(), "regjob_top");
    assert_eq!((d.addr_width(), d.data_width()), (8, 64));
    assert_eq!(d.files().len(), 2);
    assert!(d.files()[1].ends_with("regjob_top.v") && d.files()[1].is_absolute());
}

#[test]
fn a_missing_directory_or_manifest_is_named() {
    let dir = tempfile::tempdir().unwrap();
    assert!(reason(&dir.path().join("nope")).contains("does not exist"));
    assert!(reason(dir.path()).contains("manifest.json"));
    std::fs::write(dir.path().join("manifest.json"), "{ not json").unwrap();
    assert!(reason(dir.path()).contains("not a valid manifest"));
    std::fs::write(dir.path().join("manifest.json"), r#"{"top": "t"}"#).unwrap();
    assert!(reason(dir.path()).contains("host_map"));
}

#[test]
fn bad_fields_are_named_with_what_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path());
    edit_manifest(dir.path(), |v| v["host_map"]["data_width"] = 65.into());
    let r = reason(dir.path());
    assert!(
        r.contains("data_width is 65") && r.contains("1..=64"),
        "{r}"
    );

    copy_fixture(dir.path());
    edit_manifest(dir.path(), |v| v["top"] = "other_top".into());
    let r = reason(dir.path());
    assert!(r.contains("`other_top` is not declared"), "{r}");

    copy_fixture(dir.path());
    std::fs::remove_file(dir.path().join("regjob_job.v")).unwrap();
    let r = reason(dir.path());
    assert!(r.contains("regjob_job.v cannot be read"), "{r}");
}

#[test]
fn files_f_is_used_when_the_manifest_lists_no_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture(dir.path());
    edit_manifest(dir.path(), |v| {
        v.as_object_mut().unwrap().remove("files");
    });
    assert_eq!(RtlDesign::open(dir.path()).unwrap().files().len(), 2);
}
