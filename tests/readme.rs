//! The README's example run is real: the command it shows prints the line it shows.

use std::process::Command;

#[test]
fn readme_sim_example_prints_what_the_readme_says() {
    let readme = include_str!("../README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("skipgrid sim --preset ws16x16 --m 128"))
        .expect("the README shows a ws16x16 sim example");
    let command = lines[at].split('#').next().unwrap().trim();
    let expected = lines[at + 1]
        .strip_prefix("# ")
        .expect("followed by its output");
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let o = Command::new(env!("CARGO_BIN_EXE_skipgrid"))
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), expected);
}
