//! The command line's bounds and file handling end to end (issue 19): every input
//! that a slip of the keyboard or an odd file makes absurd gets a clear error and a
//! non-zero exit, never an abort, an endless run, NaN in a table or a replaced file.

use std::path::Path;
use std::process::{Command, Output};

const SCENARIO: &str = "../scenarios/zhuyuan-flash-flood.drill";

fn drill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(args)
        .output()
        .unwrap()
}

mod common;
use common::temp_dir as temp;

/// Runs `drill ARGS FILE` on a file `name` holding `text`, in a folder of its own.
fn on_file(name: &str, text: &str, args: &[&str]) -> Output {
    let dir = temp(&name.replace('.', "-"));
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let out = drill(&[args, &[path(&file)]].concat());
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Asserts that the command exited with `code` and said `says` on stderr.
fn fails_with(out: &Output, code: i32, says: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(says), "{err}");
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Item 5: `--runs 100000000` aborted allocating 68 GB up front.
#[test]
fn batch_runs_are_bounded() {
    let out = drill(&["batch", SCENARIO, "--runs", "100000000"]);
    fails_with(&out, 2, "--runs must be between 1 and 100000");
    assert_eq!(
        drill(&["batch", SCENARIO, "--runs", "0"]).status.code(),
        Some(2)
    );
}

/// Item 6: `--until 99999999h` ran on without a bound.
#[test]
fn run_until_is_bounded_like_a_duration() {
    let out = drill(&["run", SCENARIO, "--until", "99999999h"]);
    fails_with(&out, 2, "more than 30 days");
}

/// Item 7: `include "/dev/zero"` read 13 GB in a minute.
#[cfg(unix)]
#[test]
fn an_endless_include_is_refused_at_its_size_limit() {
    let out = on_file("a.drill", "include \"/dev/zero\"\n", &["check"]);
    fails_with(&out, 1, "cannot include `/dev/zero`: larger than 64 MiB");
}

/// Item 8: `./a.drill` including itself gave 2,046 errors and no E0151.
#[test]
fn a_file_including_itself_is_one_e0151() {
    let dir = temp("cycle");
    let file = dir.join("a.drill");
    std::fs::write(&file, "include \"./a.drill\"\nroles {\n}\n").unwrap();
    let out = drill(&["check", "--format", "json", path(&file)]);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort_unstable();
    // The file lacks a `scenario` block too (E0123).
    assert_eq!(codes, ["E0123", "E0151"], "{items:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Item 9: `drill fmt link.drill` replaced the symlink by a file.
#[cfg(unix)]
#[test]
fn fmt_through_a_symlink_formats_the_linked_file() {
    let dir = temp("fmtlink");
    std::fs::write(
        dir.join("real.drill"),
        "roles {\n    网格员   level group\n}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("real.drill", dir.join("link.drill")).unwrap();
    let out = drill(&["fmt", path(&dir.join("link.drill"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(dir.join("link.drill"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("real.drill")).unwrap(),
        "roles {\n  网格员 level group\n}\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Item 9: `--events /dev/full` exited 0 (and, as root, replaced the device).
#[cfg(target_os = "linux")]
#[test]
fn events_to_a_full_device_fail() {
    use std::os::unix::fs::FileTypeExt;
    let full = Path::new("/dev/full");
    if !std::fs::metadata(full).is_ok_and(|m| m.file_type().is_char_device()) {
        return;
    }
    let out = drill(&["run", SCENARIO, "--until", "1h", "--events", "/dev/full"]);
    fails_with(&out, 1, "cannot write /dev/full");
    assert!(
        std::fs::metadata(full)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// Item 11: 1e308 printed NaN or inf with exit 0.
#[test]
fn calc_refuses_quantities_beyond_any_real_one() {
    for (args, says) in [
        (
            "calc fire --fuel GS2 --wind 1e308m/s --moisture 6,7,8,60,90",
            "at most 100m/s",
        ),
        (
            "calc plume --release 1e308kg/s --wind 3m/s --class D --distance 1km",
            "at most 100 t/s",
        ),
        ("calc flood --rain 1e308mm/h", "at most 1000mm/h"),
        ("calc flood --manning 1e308", "--manning must be between"),
    ] {
        let out = drill(&args.split(' ').collect::<Vec<_>>());
        fails_with(&out, 2, says);
        assert!(out.stdout.is_empty(), "{args}");
    }
}

/// Item 12: a file holding only a byte-order mark was "formatted" to an empty one.
#[test]
fn fmt_refuses_a_file_of_a_byte_order_mark_alone() {
    let dir = temp("bom");
    let file = dir.join("bom.drill");
    std::fs::write(&file, "\u{FEFF}").unwrap();
    let out = drill(&["fmt", path(&file)]);
    fails_with(&out, 1, "E0100");
    assert_eq!(std::fs::read(&file).unwrap(), "\u{FEFF}".as_bytes());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Item 14: `drill check notes.txt` said "skipped" and exited 0.
#[test]
fn check_checks_a_file_named_whatever_its_name_ends_in() {
    fails_with(&on_file("notes.txt", "hello\n", &["check"]), 1, "E0125");
}

/// Item 14: a report holding a total of 1.8e308 was compared with a 300-digit total.
#[test]
fn compare_refuses_a_report_whose_total_is_not_a_score() {
    let dir = temp("compare");
    let report = dir.join("report");
    let out = drill(&["run", SCENARIO, "--report", path(&report)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = report.join("report.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(drill(&["compare", path(&json)]).status.code(), Some(0));
    value["total"] = serde_json::json!(1.7e308);
    std::fs::write(&json, serde_json::to_string(&value).unwrap()).unwrap();
    let out = drill(&["compare", path(&json)]);
    fails_with(&out, 1, "its total 1.7e308 is not a score from 0 to 100");
    let _ = std::fs::remove_dir_all(&dir);
}
