//! The `drill check`, `fmt` and `export` commands end to end: exit codes, JSON
//! fields, in-place formatting.

use std::path::{Path, PathBuf};
use std::process::Command;

fn drill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_drill"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn broken(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/broken")
        .join(name)
}

#[test]
fn check_exit_codes_are_0_clean_1_errors_2_unreadable() {
    assert_eq!(
        drill()
            .arg("check")
            .arg(data("doc-example.drill"))
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
    assert_eq!(
        drill()
            .arg("check")
            .arg(broken("lang-missing-unit.drill"))
            .status()
            .unwrap()
            .code(),
        Some(1)
    );
    assert_eq!(
        drill()
            .arg("check")
            .arg("no/such/file.drill")
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(drill().arg("check").status().unwrap().code(), Some(2));
}

#[test]
fn check_json_has_positions_in_characters_and_both_languages() {
    let out = drill()
        .args(["check", "--format", "json"])
        .arg(broken("lang-unknown-names.drill"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v[0];
    assert_eq!(first["code"], "E0202");
    assert_eq!(first["line"], 29);
    // `网格圆` is the 31st character of its line (the line holds Chinese text before it).
    assert_eq!(first["col"], 31);
    assert_eq!(first["end_col"], 34);
    assert_eq!(first["severity"], "error");
    assert!(first["message_zh"].as_str().unwrap().contains("网格圆"));
    assert!(first["help"].as_str().unwrap().contains("网格员"));
}

/// `drill check` reads a heightmap file as `drill run` does and checks the map against
/// its extent: a shelter and a river off it are W0007, the river's inflow E0409 (both
/// in the JSON too); a heightmap that cannot be read is E0153 at the `terrain` line.
#[test]
fn check_reads_the_heightmap_and_reports_what_lies_off_it() {
    let out = drill()
        .args(["check", "--format", "json"])
        .arg(broken("heightmap-too-small.drill"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [("W0007", 17), ("W0007", 20), ("E0409", 40)];
    assert_eq!(found, expected.map(|(c, l)| (c.to_string(), l)));
    assert!(
        v[2]["message_en"]
            .as_str()
            .unwrap()
            .contains("x 0–700 m, y 0–500 m")
    );

    let out = drill()
        .arg("check")
        .arg(broken("heightmap-missing.drill"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("heightmap-missing.drill:12:3"), "{stderr}");
    assert!(
        stderr.contains("[E0153]") && stderr.contains("文件不存在"),
        "{stderr}"
    );
    assert!(stderr.contains("Help: the path is relative"), "{stderr}");

    // The same scenario on a heightmap that covers it all checks clean.
    let dir = std::env::temp_dir().join(format!("drill-heightmap-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("heightmaps")).unwrap();
    let text = std::fs::read_to_string(broken("heightmap-too-small.drill")).unwrap();
    std::fs::write(dir.join("covered.drill"), text).unwrap();
    let row = ["50"; 10].join(" ");
    let dem = format!(
        "ncols 10\nnrows 10\ncellsize 100\n{}\n",
        vec![row; 10].join("\n")
    );
    std::fs::write(dir.join("heightmaps/small-dem.asc"), dem).unwrap();
    let out = drill()
        .arg("check")
        .arg(dir.join("covered.drill"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("ok (0 warning(s))"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fmt_check_reports_then_fmt_rewrites_in_place() {
    let dir = std::env::temp_dir().join(format!("drill-fmt-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("messy.drill");
    let messy = std::fs::read_to_string(data("doc-example.drill"))
        .unwrap()
        .replace("  id       zhuyuan", "      id   zhuyuan")
        .replace("width 4m", "width 4 m");
    std::fs::write(&file, &messy).unwrap();
    let out = drill()
        .args(["fmt", "--check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("messy.drill"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        messy,
        "--check must not write"
    );
    assert_eq!(
        drill().arg("fmt").arg(&file).status().unwrap().code(),
        Some(0)
    );
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert!(
        formatted.contains("width 4m") && formatted.contains("  id       zhuyuan"),
        "{formatted}"
    );
    assert_eq!(
        drill()
            .args(["fmt", "--check"])
            .arg(&file)
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn export_prints_the_validated_scenario_as_ron() {
    let out = drill()
        .args(["export", "--ron"])
        .arg(data("doc-example.drill"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let ron = String::from_utf8(out.stdout).unwrap();
    assert!(ron.contains("id: \"zhuyuan-flood-2026\""), "{ron}");
    assert!(ron.contains("duration_s: 43200.0"), "{ron}");
    assert_eq!(
        drill()
            .args(["export", "--ron"])
            .arg(broken("lang-task-cycle.drill"))
            .status()
            .unwrap()
            .code(),
        Some(1)
    );
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

#[test]
fn check_on_the_scenarios_folder_covers_logs_and_shared_files() {
    let out = drill()
        .arg("check")
        .arg(repo("scenarios"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    // Logs are checked against the scenario they name, the shared file through the
    // scenarios that include it.
    assert!(
        stdout.contains("zhuyuan-flash-flood.actions.drill: ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("county-resources.drill: ok, shared file checked as part of"),
        "{stdout}"
    );
}

#[test]
fn a_log_with_an_unknown_role_fails_against_its_scenario() {
    let dir = std::env::temp_dir().join(format!("drill-cli-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("typo.actions.drill");
    let text = std::fs::read_to_string(repo("scenarios/zhuyuan-flash-flood.actions.drill"))
        .unwrap()
        .replace("21:12 村应急管理员 warn", "21:12 村应急管里员 warn");
    std::fs::write(&log, text).unwrap();
    // Not found by id next to the log: a clear error and exit 2.
    let alone = drill().arg("check").arg(&log).output().unwrap();
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("--scenario"));
    // With its scenario named: the typo is an error with a suggestion.
    let out = drill()
        .arg("check")
        .arg("--scenario")
        .arg(repo("scenarios/zhuyuan-flash-flood.drill"))
        .arg(&log)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("村应急管理员"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
