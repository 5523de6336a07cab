//! Issue 20: what a trainer types and saves, end to end through `drill check` and
//! `drill fmt`: full-width punctuation and Chinese units (items 1), files saved as
//! GBK or UTF-16 (item 2), and the small command-line bugs (item 7): a log checked
//! from its own folder, outputs into folders not made yet, a closed pipe.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn drill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_drill"))
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drill-cli-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The documentation's example scenario.
fn doc_example() -> String {
    std::fs::read_to_string(repo("engine/tests/data/doc-example.drill")).unwrap()
}

/// The example as `drill fmt` writes it (in ASCII, UTF-8).
fn canonical_example(dir: &Path) -> String {
    let file = dir.join("canonical.drill");
    std::fs::write(&file, doc_example()).unwrap();
    assert_eq!(
        drill().arg("fmt").arg(&file).status().unwrap().code(),
        Some(0)
    );
    std::fs::read_to_string(&file).unwrap()
}

/// The same scenario as typed with a Chinese input method: full-width punctuation
/// and digits, Chinese units.
fn typed_with_ime(text: &str) -> String {
    let typed = text
        .replace("duration 12h", "duration 12小时")
        .replace("start    2026-06-18 20:00", "start    2026-06-18 20：00")
        .replace("width 4m", "width 4米")
        .replace("cell 10m", "cell 10 米")
        .replace("at (420, 310)", "at （420，310）")
        .replace("people 131", "people １３１")
        .replace("step     10s", "step     10秒")
        .replace("rain    mm/h [", "rain    毫米/小时 [")
        .replace("竹源溪 m3/s [", "竹源溪 立方米/秒 【")
        .replace("6h 90]", "6h 90】")
        .replace("[0h 4m/s 270deg,", "[0h 4米/秒 270度,");
    for (ascii, ime) in [
        ("duration 12h", "12小时"),
        ("20:00", "20："),
        ("width 4m", "4米"),
        ("cell 10m", "10 米"),
        ("(420, 310)", "（420，310）"),
        ("people 131", "１３１"),
        ("10s", "10秒"),
        ("rain    mm/h [", "毫米/小时 ["),
        ("m3/s [", "立方米/秒 【"),
        ("6h 90]", "6h 90】"),
        ("4m/s 270deg", "4米/秒 270度"),
    ] {
        assert!(text.contains(ascii) && typed.contains(ime), "{ascii}");
    }
    typed
}

fn check_json(path: &Path) -> (Option<i32>, serde_json::Value) {
    let out = drill()
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), json)
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Item 1: checked clean with one warning (at the first full-width character), and
/// `drill fmt` writes the canonical ASCII text the example had before.
#[test]
fn a_scenario_typed_with_an_input_method_checks_clean_and_formats_to_ascii() {
    let dir = temp("ime");
    let file = dir.join("ime.drill");
    let canonical = canonical_example(&dir);
    std::fs::write(&file, typed_with_ime(&doc_example())).unwrap();
    let (code, json) = check_json(&file);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(codes(&json), ["W0010"], "{json}");
    assert_eq!(json[0]["line"], 5, "{json}");
    assert_eq!(json[0]["col"], 25, "{json}");
    let fmt = drill().arg("fmt").arg(&file).output().unwrap();
    assert_eq!(fmt.status.code(), Some(0), "{fmt:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), canonical);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Item 2: the typed scenario saved by Notepad as GBK ("ANSI") or UTF-16
/// ("Unicode"): checked clean with a warning naming the encoding; `drill fmt`
/// writes canonical UTF-8.
#[test]
fn gbk_and_utf16_files_check_clean_and_format_to_utf8() {
    let dir = temp("encodings");
    let canonical = canonical_example(&dir);
    let typed = typed_with_ime(&doc_example());
    let gbk = encoding_rs::GB18030.encode(&typed).0.into_owned();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(typed.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend(canonical.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes, encoding, full_width) in [
        ("gbk.drill", gbk, "GB18030", true),
        ("utf16.drill", utf16, "UTF-16LE", true),
        ("utf16be.drill", utf16be, "UTF-16BE", false),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, &bytes).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err(), "{name}");
        let (code, json) = check_json(&file);
        assert_eq!(code, Some(0), "{name}: {json}");
        let expected: &[&str] = if full_width {
            &["W0011", "W0010"]
        } else {
            &["W0011"]
        };
        assert_eq!(codes(&json), expected, "{name}: {json}");
        assert!(
            json[0]["message_en"].as_str().unwrap().contains(encoding),
            "{name}: {json}"
        );
        let fmt = drill().arg("fmt").arg(&file).output().unwrap();
        assert_eq!(fmt.status.code(), Some(0), "{name}: {fmt:?}");
        assert!(
            String::from_utf8_lossy(&fmt.stdout).contains("written as UTF-8"),
            "{fmt:?}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            canonical.as_bytes(),
            "{name}"
        );
        let (code, json) = check_json(&file);
        assert_eq!((code, codes(&json)), (Some(0), vec![]), "{name}: {json}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Item 2: one stray byte in a UTF-8 file is an error where it stands.
#[test]
fn a_stray_byte_in_a_utf8_file_is_an_error_at_its_line_and_column() {
    let dir = temp("stray");
    let file = dir.join("stray.drill");
    let text = doc_example();
    let at = text.find("下村低洼区").unwrap();
    let mut bytes = text.as_bytes().to_vec();
    bytes.insert(at, 0xB5);
    std::fs::write(&file, &bytes).unwrap();
    let (code, json) = check_json(&file);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(codes(&json), ["E0109"], "{json}");
    let line = text[..at].lines().count();
    assert_eq!(
        (json[0]["line"].as_u64(), json[0]["col"].as_u64()),
        (Some(line as u64), Some(11))
    );
    // `drill fmt` leaves it alone.
    assert_eq!(
        drill()
            .arg("fmt")
            .arg(&file)
            .output()
            .unwrap()
            .status
            .code(),
        Some(1)
    );
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Copies the flood example (scenario, log, shared file) into a fresh folder.
fn flood_example(dir: &Path) {
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    for name in [
        "zhuyuan-flash-flood.drill",
        "zhuyuan-flash-flood.actions.drill",
        "shared/county-resources.drill",
    ] {
        std::fs::copy(repo(&format!("scenarios/{name}")), dir.join(name)).unwrap();
    }
}

/// Item 7: `drill check LOG` in the log's own folder looked for the scenario in ""
/// ("... in ;") and exited 2.
#[test]
fn a_log_is_checked_from_its_own_folder() {
    let dir = temp("log-here");
    flood_example(&dir);
    let out = drill()
        .current_dir(&dir)
        .args(["check", "zhuyuan-flash-flood.actions.drill"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("zhuyuan-flash-flood.actions.drill: ok"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Item 7: `--report out/x --events out/x/ev.json` failed because `out/x` did not
/// exist yet when the events were written.
#[test]
fn run_writes_events_and_report_into_folders_not_made_yet() {
    let dir = temp("out-folders");
    flood_example(&dir);
    let out = drill()
        .current_dir(&dir)
        .args([
            "run",
            "zhuyuan-flash-flood.drill",
            "--until",
            "1h",
            "--report",
            "out/x",
            "--events",
            "out/x/ev.json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = std::fs::read_to_string(dir.join("out/x/ev.json")).unwrap();
    assert!(
        events.starts_with('['),
        "{}",
        &events[..events.len().min(80)]
    );
    assert!(dir.join("out/x/report.json").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs drill with its output into a pipe whose reading end is closed before drill
/// starts, so its first write to stdout fails (as after `head -3` has exited).
fn with_closed_stdout(args: &[&str], dir: &Path) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    drill()
        .current_dir(dir)
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Item 7: `drill run --json | head -3` panicked on the closed pipe; no subcommand
/// may. The program ends quietly (on unix by SIGPIPE, as `cat` does).
#[test]
fn no_subcommand_panics_on_a_closed_pipe() {
    let dir = temp("pipe");
    flood_example(&dir);
    for args in [
        &[
            "run",
            "zhuyuan-flash-flood.drill",
            "--until",
            "1h",
            "--json",
        ][..],
        &["check", "zhuyuan-flash-flood.drill"],
        &["export", "--ron", "zhuyuan-flash-flood.drill"],
        &["check", "--format", "json", "zhuyuan-flash-flood.drill"],
    ] {
        let out = with_closed_stdout(args, &dir);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(
                out.status.signal(),
                Some(libc::SIGPIPE),
                "{args:?}: {:?} {stderr}",
                out.status
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
