//! `drill exercise` end to end, with a crash: a drill typed in one go and the same
//! drill killed (`kill -9`) halfway and resumed from its log end with the same log,
//! the same event log hash, and the hash `drill run FILE --actions LOG` gives; and the
//! after-action report the session ends with, the same as `drill run --report`; and
//! the trainer's `fire N` / `跳过 N`, logged and repeated by a resumed drill.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

const SCENARIO: &str = "../scenarios/zhuyuan-flash-flood.drill";

/// The recorder's lines: the example log's actions, a typo'd role (refused, not
/// logged), a shelter opened twice (rejected by the sim, logged), and a late entry
/// typed after a later one (the drill re-runs from the start).
fn lines() -> Vec<String> {
    let text = std::fs::read_to_string("../scenarios/zhuyuan-flash-flood.actions.drill").unwrap();
    let mut out: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(String::from)
        .collect();
    assert_eq!(out.len(), 18);
    out.insert(5, "21:13 村应急管理元 report_at_post".into());
    out.insert(9, "21:29 网格长 open 村文化礼堂".into());
    out.insert(13, "21:40 网格长 report".into());
    out
}

mod common;
use common::temp_dir;

fn spawn(log: &Path) -> Child {
    spawn_with(log, &[])
}

fn spawn_with(log: &Path, extra: &[&Path]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(["exercise", SCENARIO, "--log"])
        .arg(log)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads the child's output until a line contains `marker`; returns all lines read.
fn read_until(out: &mut BufReader<ChildStdout>, marker: &str) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let mut line = String::new();
        let n = out.read_line(&mut line).unwrap();
        assert!(n > 0, "output ended before `{marker}`:\n{}", seen.join(""));
        seen.push(line.clone());
        if line.contains(marker) {
            return seen;
        }
    }
}

/// Feeds lines, one at a time, each answered before the next; returns the output.
fn feed(child: &mut Child, out: &mut BufReader<ChildStdout>, lines: &[String]) -> String {
    let mut text = String::new();
    for line in lines {
        let stdin = child.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let marker = if line.contains("村应急管理元") || line.contains("99") {
            "not logged"
        } else if ["fire ", "skip ", "下达 ", "跳过 "]
            .iter()
            .any(|v| line.starts_with(v))
        {
            "logged: trainer command"
        } else {
            "logged #"
        };
        text.extend(read_until(out, marker));
    }
    text
}

/// Ends input (Ctrl-D) and returns the rest of the output and the live hash.
fn finish(mut child: Child, mut out: BufReader<ChildStdout>) -> (String, String) {
    drop(child.stdin.take());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{rest}");
    let hash = rest
        .lines()
        .find_map(|l| l.split("(hash ").nth(1))
        .and_then(|h| h.split(')').next())
        .map(String::from)
        .unwrap_or_else(|| panic!("no live hash in:\n{rest}"));
    (rest, hash)
}

#[test]
fn a_drill_killed_halfway_resumes_from_its_log_with_the_same_result() {
    let all = lines();
    let dir = temp_dir("crash");

    // One uninterrupted session.
    let whole_log = dir.join("whole.actions.drill");
    let mut child = spawn(&whole_log);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let typed = feed(&mut child, &mut out, &all);
    assert!(
        typed.contains("input line 6, col 7: error E0202"),
        "the typo is refused with its line and column:\n{typed}"
    );
    assert!(
        typed.contains(
            "action #9 by 网格长: REJECTED / 驳回: 村文化礼堂已开放 / 村文化礼堂 is already open"
        ),
        "{typed}"
    );
    assert!(
        typed.contains("re-running the drill from the start"),
        "{typed}"
    );
    let (_, whole_hash) = finish(child, out);

    // The same drill, killed after the tenth logged action and started again.
    let log = dir.join("crashed.actions.drill");
    let mut child = spawn(&log);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (first, rest) = all.split_at(11); // ten actions and the typo
    let typed = feed(&mut child, &mut out, first);
    assert!(typed.contains("logged #10 "), "{typed}");
    child.kill().unwrap(); // SIGKILL: no chance to flush or clean up
    child.wait().unwrap();
    let on_disk = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        on_disk.lines().filter(|l| l.starts_with("  ")).count(),
        10,
        "every acknowledged action survived the kill:\n{on_disk}"
    );
    let mut child = spawn(&log);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let resumed = read_until(&mut out, "resumed").join("");
    assert!(resumed.contains("10 actions replayed"), "{resumed}");
    feed(&mut child, &mut out, rest);
    let (_, resumed_hash) = finish(child, out);

    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        std::fs::read_to_string(&whole_log).unwrap(),
        "the resumed log is the uninterrupted one"
    );
    assert_eq!(resumed_hash, whole_hash);

    // And `drill run --actions LOG` replays it to the same event log.
    let report = replay(&log);
    assert_eq!(report["log_hash"].as_str(), Some(whole_hash.as_str()));
    assert_eq!(
        report["actions_accepted"].as_u64().unwrap() + report["actions_rejected"].as_u64().unwrap(),
        20
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_drill_ends_with_the_after_action_report_of_its_replay() {
    let typed: Vec<String> = lines()
        .into_iter()
        .filter(|l| !l.contains("村应急管理元"))
        .collect();
    let dir = temp_dir("report");
    let log = dir.join("live.actions.drill");
    let live_dir = dir.join("live");
    let mut child = spawn_with(&log, &[Path::new("--report"), &live_dir]);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    feed(&mut child, &mut out, &typed);
    let (rest, _) = finish(child, out);
    assert!(rest.contains("演练评估 / after-action report"), "{rest}");
    assert!(rest.contains("T1 "), "the task table is printed:\n{rest}");

    let replay_dir = dir.join("replay");
    let run = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(["run", SCENARIO, "--actions"])
        .arg(&log)
        .arg("--report")
        .arg(&replay_dir)
        .output()
        .unwrap();
    assert!(run.status.success());
    let read = |d: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(d.join("report.json")).unwrap()).unwrap()
    };
    let (live, replay) = (read(&live_dir), read(&replay_dir));
    let ratings = |r: &serde_json::Value| -> Vec<(String, serde_json::Value)> {
        r["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].as_str().unwrap().to_string(), t["rating"].clone()))
            .collect()
    };
    assert_eq!(ratings(&live).len(), 15);
    assert_eq!(ratings(&live), ratings(&replay));
    assert_eq!(live["total"], replay["total"]);
    assert_eq!(live["conclusion"], replay["conclusion"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_trainers_fire_and_skip_are_logged_and_a_resumed_drill_repeats_them() {
    let mut typed: Vec<String> = lines()
        .into_iter()
        .filter(|l| !l.contains("村应急管理元"))
        .collect();
    // After the late 21:28 entry, typed after one for 21:29 (so the drill clock is one
    // step before 21:29): inject 6 fired ahead of its 22:10, inject 7 (22:35, the
    // bridge washed away) dropped, and an unknown inject refused. Each takes effect in
    // the next step, 21:29.
    let at = typed.iter().position(|l| l.starts_with("21:28")).unwrap() + 1;
    typed.splice(at..at, ["fire 6", "跳过 7", "skip 99"].map(String::from));
    let dir = temp_dir("trainer");
    let log = dir.join("trainer.actions.drill");
    let mut child = spawn(&log);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let shown = feed(&mut child, &mut out, &typed);
    assert!(
        shown.contains("inject 6 fires / 下达 at 21:29"),
        "the command takes effect in the next step:\n{shown}"
    );
    assert!(shown.contains("no inject number 99"), "{shown}");
    let (rest, live_hash) = finish(child, out);
    let whole = format!("{shown}{rest}");
    assert!(whole.contains("21:29 INJECT 6"), "{whole}");
    assert!(
        whole.contains("21:29 inject 7 skipped by the trainer"),
        "{whole}"
    );
    assert!(
        !whole.contains("INJECT 7"),
        "a skipped inject never fires:\n{whole}"
    );

    let written = std::fs::read_to_string(&log).unwrap();
    assert!(
        written.contains("\n  21:29 trainer fire inject 6\n  21:29 trainer skip inject 7\n"),
        "{written}"
    );
    assert!(
        !written.contains("99"),
        "a refused command is not logged:\n{written}"
    );

    // Started again on the finished log: everything is replayed, nothing typed.
    let mut child = spawn(&log);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let resumed = read_until(&mut out, "resumed").join("");
    assert!(
        resumed.contains("20 actions replayed with 2 trainer commands"),
        "{resumed}"
    );
    let (_, resumed_hash) = finish(child, out);
    assert_eq!(resumed_hash, live_hash);

    let report = replay(&log);
    assert_eq!(report["log_hash"].as_str(), Some(live_hash.as_str()));

    // Without the two commands the drill is a different one.
    let plain = dir.join("plain.actions.drill");
    std::fs::write(
        &plain,
        written
            .lines()
            .filter(|l| !l.contains("trainer"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let report = replay(&plain);
    assert_ne!(report["log_hash"].as_str(), Some(live_hash.as_str()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `drill run SCENARIO --json --actions LOG`: the replay's JSON summary.
fn replay(log: &Path) -> serde_json::Value {
    let run = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(["run", SCENARIO, "--json", "--actions"])
        .arg(log)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

/// A live action that warns by loudspeaker a place no loudspeaker reaches is logged
/// and run, and the recorder sees W0009 at once, not only in the debrief.
#[test]
fn a_live_loudspeaker_action_beyond_reach_is_warned_about_and_logged() {
    let dir = temp_dir("w0009");
    let log = dir.join("xitang.actions.drill");
    let line = "15:50 网格员 shelter_in_place 西塘 via [loudspeaker sms]";
    let mut child = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args([
            "exercise",
            "../tests/warnings/loudspeaker-out-of-reach.drill",
            "--log",
        ])
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.as_mut().unwrap(), "{line}").unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("input line 1, col 1: warning W0009")
            && stdout.contains("no loudspeaker reaches 西塘")
            && !stdout.contains("not logged"),
        "{stdout}"
    );
    assert!(std::fs::read_to_string(&log).unwrap().contains(line));
    let _ = std::fs::remove_dir_all(&dir);
}
