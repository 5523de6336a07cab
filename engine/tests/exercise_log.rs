//! The action log of `drill exercise` under every layout a person or a crash may
//! leave it in: a property test over generated logs (brace placement, comments, final
//! line break or not, CRLF, the brace missing after a complete last line) and typed
//! lines (valid, invalid, undecodable, blank), run as in-process drill sessions, and
//! the terminal's undecodable byte end to end. After a session the log parses, holds
//! the lines it held and every accepted line in order, and replays to the live hash.

use drill_engine::cli::exercise::{ExerciseArgs, Input, session};
use drill_engine::cli::run::simulate;
use drill_engine::lang::{self, SourceMap, print};
use drill_engine::model::{ActionLog, Scenario};
use proptest::prelude::*;
use std::path::Path;
use std::sync::mpsc;

const SCENARIO: &str = "../scenarios/zhuyuan-flash-flood.drill";
const HEADER: &str = "actions zhuyuan-flash-flood-2026 {";

fn scenario() -> Scenario {
    let (_, result) = drill_engine::cli::check::check_file(Path::new(SCENARIO)).unwrap();
    result.scenario.unwrap()
}

/// The example log's lines, each one action.
fn example_lines() -> Vec<String> {
    let text = std::fs::read_to_string("../scenarios/zhuyuan-flash-flood.actions.drill").unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 18);
    lines
}

/// Lines the drill refuses: they must leave the log alone.
const INVALID: [&str; 7] = [
    "21:13 村应急管理元 report_at_post",
    "}",
    "20:30 乡现场指挥官 report_at_post }",
    "/* 20:30 乡现场指挥官 report_at_post",
    "actions zhuyuan-flash-flood-2026 {",
    "20:30",
    "{",
];

/// Lines the drill passes over without logging.
const IGNORED: [&str; 4] = ["", "   ", "// 备注", "injects"];

/// Where a log's closing brace stands.
#[derive(Debug, Clone, Copy)]
enum Brace {
    OwnLine,
    Indented,
    /// At the end of the last action's line (the header's when there is none).
    OnLastLine,
    /// Missing, after a complete last line.
    Missing,
}

/// How an existing log is laid out.
#[derive(Debug, Clone)]
struct Layout {
    lead: usize,
    existing: usize,
    comments_in_body: bool,
    brace: Brace,
    after: usize,
    final_newline: bool,
    crlf: bool,
}

impl Layout {
    fn text(&self, lines: &[String]) -> String {
        let lead = ["", "// 竹源村演练记录\n", "/* 记录员: 张三 */\n\n"][self.lead];
        let mut body: Vec<String> = Vec::new();
        for (i, l) in lines[..self.existing].iter().enumerate() {
            if self.comments_in_body {
                body.push(format!("  // 第 {} 条", i + 1));
            }
            body.push(format!("  {l}"));
        }
        let mut text = format!("{lead}{HEADER}");
        for l in &body {
            text.push('\n');
            text.push_str(l);
        }
        match self.brace {
            Brace::OwnLine => text.push_str("\n}"),
            Brace::Indented => text.push_str("\n  }"),
            Brace::OnLastLine => text.push_str(" }"),
            Brace::Missing => {}
        }
        text.push_str([" ", " // 完", "\n// 完", "\n\n/* 结束 */", "\n   \n", ""][self.after]);
        if self.final_newline && !text.ends_with('\n') {
            text.push('\n');
        }
        if self.crlf {
            text = text.replace('\n', "\r\n");
        }
        text
    }
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        0..3usize,
        0..5usize,
        any::<bool>(),
        prop_oneof![
            Just(Brace::OwnLine),
            Just(Brace::Indented),
            Just(Brace::OnLastLine),
            Just(Brace::Missing)
        ],
        0..6usize,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(lead, existing, comments_in_body, brace, after, final_newline, crlf)| Layout {
                lead,
                existing,
                comments_in_body,
                brace,
                after,
                final_newline,
                crlf,
            },
        )
}

/// One typed line.
#[derive(Debug, Clone)]
enum Typed {
    /// The example's line N, with a comment after it when `true`.
    Valid(usize, bool),
    Invalid(usize),
    /// The example's line N with a byte that is not UTF-8 at about `at`.
    Undecodable(usize, usize),
    Ignored(usize),
}

fn typed() -> impl Strategy<Value = Typed> {
    prop_oneof![
        3 => (0..18usize, any::<bool>()).prop_map(|(n, c)| Typed::Valid(n, c)),
        1 => (0..INVALID.len()).prop_map(Typed::Invalid),
        1 => (0..18usize, 0..40usize).prop_map(|(n, at)| Typed::Undecodable(n, at)),
        1 => (0..IGNORED.len()).prop_map(Typed::Ignored),
    ]
}

impl Typed {
    fn bytes(&self, lines: &[String]) -> Vec<u8> {
        match self {
            Typed::Valid(n, comment) => {
                let note = if *comment { " // 补充说明" } else { "" };
                format!("{}{note}", lines[*n]).into_bytes()
            }
            Typed::Invalid(n) => INVALID[*n].as_bytes().to_vec(),
            Typed::Undecodable(n, at) => {
                let mut b = lines[*n].clone().into_bytes();
                let at = (*at).min(b.len());
                b.insert(at, 0xFF);
                b
            }
            Typed::Ignored(n) => IGNORED[*n].as_bytes().to_vec(),
        }
    }
}

/// The log's actions and trainer commands as log lines, in order.
fn printed(scenario: &Scenario, log: &ActionLog) -> Vec<String> {
    let mut out: Vec<String> = log
        .actions
        .iter()
        .map(|a| print::action_line(scenario, a))
        .collect();
    out.extend(
        log.inject_commands
            .iter()
            .map(|c| print::inject_command_line(scenario, c)),
    );
    out
}

fn check_log(scenario: &Scenario, text: &str) -> Option<ActionLog> {
    let mut sources = SourceMap::new();
    let file = sources.add("log", text);
    lang::check_actions(scenario, &sources, file).0
}

mod common;
use common::temp_dir;

fn run_session(
    log: &Path,
    input: Vec<Input>,
) -> Result<drill_engine::cli::exercise::Ended, String> {
    let args = ExerciseArgs {
        file: SCENARIO.into(),
        log: log.to_path_buf(),
        speed: None,
        seed: None,
        report: None,
        report_args: Default::default(),
    };
    let (tx, rx) = mpsc::channel();
    for i in input {
        tx.send(i).unwrap();
    }
    tx.send(Input::End).unwrap();
    session(&args, &rx)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_log_layout_takes_every_accepted_line_and_replays_to_the_live_hash(
        layout in layout(),
        typed in proptest::collection::vec(typed(), 0..6),
    ) {
        let scenario = scenario();
        let lines = example_lines();
        let before = layout.text(&lines);
        let parsed_before = check_log(&scenario, &before);
        if !matches!(layout.brace, Brace::Missing) {
            prop_assert!(parsed_before.is_some(), "the generated log is valid:\n{before}");
        }
        let dir = temp_dir("prop");
        let path = dir.join("live.actions.drill");
        std::fs::write(&path, &before).unwrap();

        let ended = run_session(
            &path,
            typed.iter().map(|t| Input::Line(t.bytes(&lines))).collect(),
        );
        let ended = ended.map_err(|e| TestCaseError::fail(format!("{e}\n{before}")))?;
        prop_assert_eq!(&ended.live_hash, &ended.replay_hash);

        let after = std::fs::read_to_string(&path).unwrap();
        // The lines that should have been logged: the log's own, then the valid
        // typed ones in order.
        let mut expected: Vec<String> = lines[..layout.existing].to_vec();
        for t in &typed {
            if let Typed::Valid(n, _) = t {
                expected.push(lines[*n].clone());
            }
        }
        let accepted = expected.len() > layout.existing;
        if !accepted && parsed_before.is_none() {
            prop_assert_eq!(&after, &before, "nothing accepted, nothing written");
            return Ok(());
        }
        let log = check_log(&scenario, &after);
        prop_assert!(log.is_some(), "the log parses after the session:\n{after}");
        let log = log.unwrap();
        let expected_log = check_log(
            &scenario,
            &format!("{HEADER}\n{}\n}}\n", expected.join("\n")),
        )
        .unwrap();
        prop_assert_eq!(printed(&scenario, &log), printed(&scenario, &expected_log));
        // Nothing the file held is lost: it is the old text with lines inserted.
        let mut rest = after.as_str();
        for c in before.chars() {
            let at = rest.find(c);
            prop_assert!(at.is_some(), "{c:?} of the old log kept:\n{before}\n---\n{after}");
            rest = &rest[at.unwrap() + c.len_utf8()..];
        }
        // And the file, replayed, gives the live run's events.
        let until = scenario.header.duration_s;
        let (report, _) = simulate(&scenario, scenario.header.seed, Some(&log), until, |_| {})
            .unwrap();
        prop_assert_eq!(report.log_hash, ended.live_hash);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Issue 19, item 1: a line with a byte that is not UTF-8 ended the drill silently
/// with exit 0, and the lines typed after it were never logged.
#[test]
fn an_undecodable_line_is_refused_and_the_drill_goes_on() {
    let dir = temp_dir("utf8");
    let log = dir.join("live.actions.drill");
    let typed = [
        b"20:52 ".as_slice(),
        "乡".as_bytes(),
        b"\xFF report_at_post\n",
        "20:58 村应急管理员 report_at_post\n".as_bytes(),
    ];
    let input = dir.join("typed.txt");
    std::fs::write(&input, typed.concat()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(["exercise", SCENARIO, "--log"])
        .arg(&log)
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("input line 1, col 8: a byte that is not UTF-8 text"),
        "{stdout}"
    );
    assert!(stdout.contains("logged #1 at"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("{HEADER}\n  20:58 村应急管理员 report_at_post\n}}\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `drill exercise` builds its run as `drill run` does, on the terrain it reads: with
/// the 竹源 grid moved to a heightmap file, the live drill and its replay are the run of
/// `drill run --actions` on the example (it once ran the file's scenario without its
/// flood model, as the terrain was not read, and gave another event log).
#[test]
fn an_exercise_on_a_heightmap_runs_the_flood_model_as_drill_run_does() {
    let dir = temp_dir("exercise-dem");
    let file = common::flood_on_a_heightmap(&dir);
    let log = dir.join("live.actions.drill");
    let lines = example_lines();
    std::fs::write(&log, format!("{HEADER}\n  {}\n}}\n", lines.join("\n  "))).unwrap();
    let args = ExerciseArgs {
        file,
        log: log.clone(),
        speed: None,
        seed: None,
        report: None,
        report_args: Default::default(),
    };
    let (tx, rx) = mpsc::channel();
    tx.send(Input::End).unwrap();
    let ended = session(&args, &rx).unwrap();
    assert_eq!(ended.live_hash, ended.replay_hash);
    let scenario = scenario();
    let example_log = check_log(&scenario, &std::fs::read_to_string(&log).unwrap()).unwrap();
    assert_eq!(example_log.actions.len(), 18);
    let (run, _) = simulate(
        &scenario,
        scenario.header.seed,
        Some(&example_log),
        scenario.header.duration_s,
        |_| {},
    )
    .unwrap();
    assert_eq!(ended.live_hash, run.log_hash);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issues 19, items 2-4, end to end: each layout a recorder's editor leaves takes the
/// next line, and the resumed drill replays what was there.
#[test]
fn a_resumed_log_in_a_hand_made_layout_takes_the_next_line() {
    let scenario = scenario();
    for (before, after) in [
        (
            format!("{HEADER}\n  20:52 乡现场指挥官 report_at_post }}\n"),
            format!(
                "{HEADER}\n  20:52 乡现场指挥官 report_at_post \n  20:58 村应急管理员 report_at_post\n}}\n"
            ),
        ),
        (
            format!("{HEADER}\n  20:52 乡现场指挥官 report_at_post\n}}\n// 完"),
            format!(
                "{HEADER}\n  20:52 乡现场指挥官 report_at_post\n  20:58 村应急管理员 report_at_post\n}}\n// 完"
            ),
        ),
        (
            format!("{HEADER}\n  20:52 乡现场指挥官 report_at_post"),
            format!(
                "{HEADER}\n  20:52 乡现场指挥官 report_at_post\n  20:58 村应急管理员 report_at_post\n}}\n"
            ),
        ),
    ] {
        let dir = temp_dir("layouts");
        let log = dir.join("live.actions.drill");
        std::fs::write(&log, &before).unwrap();
        let ended = run_session(
            &log,
            vec![Input::Line(
                "20:58 村应急管理员 report_at_post".as_bytes().to_vec(),
            )],
        )
        .unwrap();
        assert_eq!(ended.live_hash, ended.replay_hash);
        assert_eq!(std::fs::read_to_string(&log).unwrap(), after);
        assert_eq!(check_log(&scenario, &after).unwrap().actions.len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
