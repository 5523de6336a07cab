//! Data-driven diagnostics tests: every `tests/broken/*.drill` file at the repository
//! root is checked and its rendered diagnostics are snapshotted (one insta snapshot
//! per file, under `tests/snapshots/`), heightmap files included (`heightmaps/`), as
//! `drill check` reads them. Each must produce at least one error, never panic, and
//! never show a pest rule name. The huge, binary and deeply nested inputs
//! are generated here rather than committed.
//!
//! New broken files need their snapshot reviewed once:
//! `INSTA_UPDATE=always cargo test -p drill-engine --test diagnostics`, then read the
//! new `.snap` files before committing them.

use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use std::path::{Path, PathBuf};

fn broken_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/broken")
}

/// Words from pest's own error messages and rule names that must never reach a user.
const PEST_LEAKS: &[&str] = &[
    "Rule::",
    "expected quantity",
    "expected ident",
    "positives",
    "EOI",
    "SOI",
    "unit_word",
    "line_comment",
];

fn check_file(path: &Path) -> (SourceMap, lang::CheckResult) {
    let decoded = io::read_decoded(path).unwrap_or_else(|e| panic!("{e}"));
    let mut sources = SourceMap::new();
    let main = sources.add(
        format!(
            "tests/broken/{}",
            path.file_name().unwrap().to_string_lossy()
        ),
        decoded.text,
    );
    let dir = path.parent().unwrap().to_path_buf();
    let include_dir = dir.clone();
    let loader = move |p: &str| {
        let name = p.trim_start_matches("tests/broken/");
        io::include_loader(&include_dir.join(name).to_string_lossy())
    };
    let mut result = lang::check(&mut sources, main, &loader);
    // As `drill check` does: read the heightmap file, check the map against its extent.
    drill_engine::cli::check::check_heightmap_file(&mut result, &dir);
    drill_engine::cli::check::check_basemap_file(&mut result, &dir);
    if let Some(encoding) = decoded.encoding {
        lang::note_encoding(&mut result, main, encoding);
    }
    (sources, result)
}

#[test]
fn every_broken_file_gets_errors_in_plain_words() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(broken_dir())
        .expect("tests/broken exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "drill"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the broken cases, found {}",
        files.len()
    );
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let outcome = std::panic::catch_unwind(|| check_file(&path));
        let (sources, result) = outcome.unwrap_or_else(|_| panic!("{name}: the checker panicked"));
        let rendered = lang::render(&result.diagnostics, &sources);
        assert!(
            result.has_errors(),
            "{name}: expected at least one error, got:\n{rendered}"
        );
        assert!(
            result.scenario.is_none(),
            "{name}: a scenario with errors must not be returned"
        );
        for leak in PEST_LEAKS {
            assert!(
                !rendered.contains(leak),
                "{name}: parser internals leaked ({leak}):\n{rendered}"
            );
        }
        for d in &result.diagnostics {
            assert!(d.help.is_some(), "{name}: {} has no help line", d.code);
            assert!(
                !d.message_zh.is_empty() && !d.message_en.is_empty(),
                "{name}: {} is not bilingual",
                d.code
            );
        }
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

fn check_str(text: &str) -> (SourceMap, lang::CheckResult) {
    lang::check_text("generated.drill", text)
}

#[test]
fn a_ten_megabyte_file_is_checked_and_its_last_line_error_found() {
    let mut text = lang::generate::large_scenario(10);
    // Grow to 10 MB with comment and blank lines plus real statements.
    let filler = "// 填充行 filler line to make the file large, 大文件测试\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(filler);
    }
    text.push_str("roles {\n  网格员 level grup\n}\n");
    let lines = text.lines().count();
    let (sources, result) = check_str(&text);
    let json = lang::to_json(&result.diagnostics, &sources);
    assert!(result.has_errors());
    assert!(json.contains(&format!("\"line\": {}", lines - 1)), "{json}");
    assert!(json.contains("did you mean `group`"), "{json}");
}

#[test]
fn binary_content_is_refused_with_one_message() {
    let mut text = String::from("scenario \"x\" {\n");
    text.push('\0');
    text.push_str("\u{1}\u{2}garbage");
    let (sources, result) = check_str(&text);
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("generated-binary", lang::render(&result.diagnostics, &sources));
    });
    assert_eq!(result.diagnostics.len(), 1);
}

#[test]
fn absurd_nesting_is_refused_without_overflowing_the_stack() {
    let text = "map ".to_string() + &"{".repeat(100_000);
    let (_, result) = check_str(&text);
    assert_eq!(result.diagnostics[0].code, "E0104");
}

/// Issue 20, item 1: a file typed in full width is read as ASCII, with one warning
/// at the first full-width character that counts them all.
#[test]
fn a_file_typed_in_full_width_gets_one_warning_not_a_thousand_messages() {
    let text = "zone z polygon ".to_string() + &"（1，2）".repeat(500);
    let (_, result) = check_str(&text);
    let full_width: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == "W0010")
        .collect();
    assert_eq!(full_width.len(), 1, "{:?}", result.diagnostics);
    assert_eq!(full_width[0].primary.span.start, 15);
    assert!(
        full_width[0]
            .message_en
            .ends_with("1500 full-width characters in this file"),
        "{}",
        full_width[0].message_en
    );
}

fn warnings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/warnings")
}

/// Every `tests/warnings/*.drill` file checks without an error; its rendered warnings
/// are snapshotted as `warning-NAME` (empty for what was once an error and is now read
/// as meant, such as a Chinese unit).
#[test]
fn every_warning_file_checks_clean_with_its_warnings() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(warnings_dir())
        .expect("tests/warnings exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "drill"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "found {}", files.len());
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let decoded = io::read_decoded(&path).unwrap_or_else(|e| panic!("{e}"));
        let (sources, mut result) =
            lang::check_text(&format!("tests/warnings/{name}.drill"), &decoded.text);
        if let Some(encoding) = decoded.encoding {
            lang::note_encoding(&mut result, 0, encoding);
        }
        let rendered = lang::render(&result.diagnostics, &sources);
        assert!(!result.has_errors(), "{name}: errors:\n{rendered}");
        for d in &result.diagnostics {
            assert!(d.help.is_some(), "{name}: {} has no help line", d.code);
        }
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("warning-{name}"), rendered);
        });
    }
}

/// W0009: a plan task warns by loudspeaker (大喇叭) a place no loudspeaker reaches
/// (`tests/warnings/loudspeaker-out-of-reach.drill`: 西塘 is 890 m from the only one,
/// whose radius is 500 m). A loudspeaker that reaches it clears the warning, unless the
/// task names only other loudspeakers under `with` (the simulation then uses those).
#[test]
fn a_place_no_loudspeaker_reaches_is_warned_about() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/warnings/loudspeaker-out-of-reach.drill");
    let text = std::fs::read_to_string(&path).expect("the warning case exists");
    let (sources, result) =
        lang::check_text("tests/warnings/loudspeaker-out-of-reach.drill", &text);
    assert!(!result.has_errors(), "{:?}", result.diagnostics);
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["W0009"]);
    let rendered = lang::render(&result.diagnostics, &sources);
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("warning-loudspeaker-out-of-reach", rendered);
    });

    let speaker = "村广播 loudspeaker at 村委会 radius 500m";
    assert!(text.contains(speaker));
    let with_xitang = text.replace(
        speaker,
        &format!("{speaker}\n  西塘广播 loudspeaker at 西塘 radius 300m"),
    );
    let (_, fixed) = check_str(&with_xitang);
    assert!(
        fixed.diagnostics.is_empty(),
        "a loudspeaker at 西塘 reaches it: {:?}",
        fixed.diagnostics
    );
    let only_the_far_one = with_xitang.replace(
        "how [loudspeaker sms]",
        "how [loudspeaker sms] with [村广播]",
    );
    assert!(only_the_far_one != with_xitang);
    let (_, named) = check_str(&only_the_far_one);
    let codes: Vec<&str> = named.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["W0009"], "the task names only the far loudspeaker");
}

/// W0009 in a recorder's log: an action that warns by loudspeaker a place none reaches
/// is pointed at, with what follows from it (nobody there hears it in the run), not with
/// advice to mend the plan; an action by SMS alone, or to a place in reach, is not.
#[test]
fn a_logged_action_no_loudspeaker_reaches_is_warned_about() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/warnings/loudspeaker-out-of-reach.drill");
    let text = std::fs::read_to_string(&path).expect("the warning case exists");
    let (_, checked) = check_str(&text);
    let scenario = checked.scenario.expect("the case has no errors");
    let log = "actions xitang-shelter {\n  \
               15:50 网格员 shelter_in_place 西塘 via [loudspeaker sms]\n  \
               15:51 网格员 shelter_in_place 西塘 via [sms]\n  \
               15:52 网格员 shelter_in_place 东塘村 via [loudspeaker]\n}\n";
    let mut sources = SourceMap::new();
    let file = sources.add("tests/warnings/xitang.actions.drill", log.to_string());
    let (parsed, diags) = lang::check_actions(&scenario, &sources, file);
    assert_eq!(parsed.map(|l| l.actions.len()), Some(3), "{diags:?}");
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["W0009"], "{diags:?}");
    let rendered = lang::render(&diags, &sources);
    assert!(
        rendered.contains("xitang.actions.drill:2:")
            && rendered.contains("no loudspeaker reaches 西塘")
            && rendered.contains("nobody there hears it")
            && rendered.contains("unwarned"),
        "{rendered}"
    );
    // The loudspeaker's line is in the scenario, not in the log shown here.
    assert!(!rendered.contains("nearest loudspeaker"), "{rendered}");
}
