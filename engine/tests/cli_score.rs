//! `drill run --report`, `drill batch` and `drill compare` end to end: the files
//! written, JSON that reads back, exit codes on bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

fn drill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_drill"))
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(name)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drill-cli-score-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn run_report_writes_three_files_and_compare_reads_them() {
    let out = temp("report");
    let flood = scenario("zhuyuan-flash-flood.drill");
    let status = drill()
        .arg("run")
        .arg(&flood)
        .arg("--actions")
        .arg(scenario("zhuyuan-flash-flood.actions.drill"))
        .arg("--report")
        .arg(out.join("2026"))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for f in ["report.html", "report.md", "report.json"] {
        assert!(out.join("2026").join(f).is_file(), "{f}");
    }
    let md = std::fs::read_to_string(out.join("2026/report.md")).unwrap();
    // Late on its effect (every household warned), with the order's time kept.
    assert!(
        md.contains("前预警送达各户") && md.contains("21:12下令"),
        "the late warning is in the report"
    );
    // The plan as written, without a log.
    let plan = drill()
        .arg("run")
        .arg(&flood)
        .arg("--report")
        .arg(out.join("plan"))
        .output()
        .unwrap();
    assert!(plan.status.success());
    let compared = drill()
        .arg("compare")
        .arg(out.join("plan/report.json"))
        .arg(out.join("2026/report.json"))
        .output()
        .unwrap();
    assert!(compared.status.success());
    let text = String::from_utf8_lossy(&compared.stdout);
    assert!(text.contains("未关闭的纠正行动"), "{text}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn compare_refuses_a_file_that_is_not_a_report() {
    let out = drill()
        .arg("compare")
        .arg(scenario("zhuyuan-flash-flood.drill"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a drill report"));
}

#[test]
fn batch_prints_json_with_every_run_rated() {
    let out = drill()
        .args(["batch", "--runs", "3", "--seed", "5", "--json"])
        .arg(scenario("forest-edge-fire.drill"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["run_count"], 3);
    assert_eq!(v["runs"].as_array().unwrap().len(), 3);
    for t in v["tasks"].as_array().unwrap() {
        let n: u64 = ["p", "s", "m", "u", "not_scored"]
            .iter()
            .map(|k| t[k].as_u64().unwrap())
            .sum();
        assert_eq!(n, 3, "{t}");
    }
    let zero = drill()
        .args(["batch", "--runs", "0"])
        .arg(scenario("forest-edge-fire.drill"))
        .output()
        .unwrap();
    assert_eq!(zero.status.code(), Some(2));
}
