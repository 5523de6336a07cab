//! The trainer's inject commands in an `actions` log (`21:30 trainer fire inject 5` /
//! `21:35 导调 跳过 注入 7`): how they read (snapshots of the typed commands and of
//! every error, rendered with file:line:col), that `drill fmt` keeps them (format →
//! check → format), and that the simulation applies them at their time: a fired
//! inject fires then, a skipped one never fires, exactly as the trainer's live
//! request one step earlier would have.

use drill_engine::lang::{self, SourceMap};
use drill_engine::model::*;
use drill_engine::sim::events::{InjectSkip, SimEvent, TimedEvent, log_hash};
use drill_engine::sim::{Mode, Simulation};
use std::sync::OnceLock;

const SCENARIO: &str = "../scenarios/zhuyuan-flash-flood.drill";
/// The example scenario starts at 20:00: 21:30 is 90 minutes in.
const AT_2130: f64 = 90.0 * 60.0;

fn scenario() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| {
        let text = drill_engine::io::read_text(std::path::Path::new(SCENARIO)).unwrap();
        let mut sources = SourceMap::new();
        let main = sources.add(SCENARIO, text);
        let result = lang::check(&mut sources, main, &drill_engine::io::include_loader);
        result.scenario.expect("the example scenario checks")
    })
}

/// A log with these lines, checked against the example scenario.
fn check(lines: &str) -> (Option<ActionLog>, Vec<lang::Diagnostic>, SourceMap) {
    let text = format!("actions zhuyuan-flash-flood-2026 {{\n{lines}}}\n");
    let mut sources = SourceMap::new();
    let file = sources.add("drill.actions.drill", text);
    let (log, diags) = lang::check_actions(scenario(), &sources, file);
    (log, diags, sources)
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn english_and_chinese_commands_read_as_the_same_commands() {
    let (log, diags, _) = check(
        "  21:12 村应急管理员 warn zone 下村低洼区 via [loudspeaker]\n  21:30 trainer fire inject 5\n  21:35 导调 跳过 注入 7\n  +95min 导调 下达 注入 6\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let log = log.unwrap();
    assert_eq!(log.actions.len(), 1, "the action is still an action");
    let typed: String = log
        .inject_commands
        .iter()
        .map(|c| format!("{:?} inject {} at {} s\n", c.kind, c.number, c.at_s))
        .collect();
    snapshot("inject-commands-read", typed);
}

#[test]
fn trainer_without_fire_or_skip_asks_for_one() {
    // No role is called `trainer` in the example: the line is the trainer's, and
    // `report` is not one of its verbs.
    let (log, diags, _) = check("  21:30 trainer report\n");
    assert!(log.is_none());
    assert_eq!(diags[0].code, "E0127", "{diags:?}");
    assert!(
        diags[0].message_en.contains("`fire` or `skip`"),
        "{diags:?}"
    );
}

#[test]
fn a_role_named_like_the_trainer_still_acts() {
    // A scenario whose command post role is called 导调: its actions stay actions, and
    // the trainer's verbs after the name still make a command.
    let mut s = scenario().clone();
    s.roles[0].name = "导调".into();
    let text = "actions zhuyuan-flash-flood-2026 {\n  21:30 导调 report_at_post\n  21:31 导调 下达 注入 5\n}\n";
    let mut sources = SourceMap::new();
    let file = sources.add("drill.actions.drill", text);
    let (log, diags) = lang::check_actions(&s, &sources, file);
    assert!(diags.is_empty(), "{diags:?}");
    let log = log.unwrap();
    assert_eq!(log.actions.len(), 1);
    assert_eq!(log.actions[0].actor, Actor::Role(RoleIdx(0)));
    assert_eq!(log.inject_commands.len(), 1);
    assert_eq!(log.inject_commands[0].number, 5);
}

/// Each mistake, rendered as `drill check` shows it (file:line:col, both languages,
/// the help line).
#[test]
fn every_mistake_in_a_command_is_reported_in_plain_words() {
    let cases = [
        (
            "inject-command-unknown-number",
            "  21:30 trainer fire inject 55\n",
        ),
        (
            "inject-command-unknown-number-zh",
            "  21:30 导调 跳过 注入 0\n",
        ),
        (
            "inject-command-twice",
            "  21:30 trainer fire inject 5\n  21:40 导调 跳过 注入 5\n",
        ),
        (
            "inject-command-verb-typo",
            "  21:30 trainer fier inject 5\n",
        ),
        ("inject-command-no-inject-word", "  21:30 导调 下达 5\n"),
        (
            "inject-command-not-a-number",
            "  21:30 trainer skip inject 下村\n",
        ),
        ("inject-command-too-late", "  23:00 trainer skip inject 6\n"),
    ];
    for (name, lines) in cases {
        let (log, diags, sources) = check(lines);
        assert!(!diags.is_empty(), "{name}: no diagnostic");
        for d in &diags {
            assert!(d.help.is_some(), "{name}: {} has no help line", d.code);
            assert!(!d.message_zh.is_empty() && !d.message_en.is_empty());
        }
        let errors = diags.iter().any(|d| d.is_error());
        assert_eq!(log.is_none(), errors, "{name}: a log only without errors");
        snapshot(name, lang::render(&diags, &sources));
    }
}

#[test]
fn formatting_keeps_the_commands_and_is_stable() {
    let text = "actions   zhuyuan-flash-flood-2026 {\n21:30   trainer fire   inject 5 // 导调提前下达\n    21:35 导调\t跳过 注入   7\n  21:40 村应急管理员 report_at_post\n}\n";
    let formatted = lang::format(text).unwrap();
    assert_eq!(lang::format(&formatted).unwrap(), formatted, "idempotent");
    assert!(formatted.contains("21:35 导调 跳过 注入 7"), "{formatted}");
    assert!(formatted.contains("// 导调提前下达"), "{formatted}");
    let read = |t: &str| {
        let mut sources = SourceMap::new();
        let file = sources.add("log", t.to_string());
        let (log, diags) = lang::check_actions(scenario(), &sources, file);
        assert!(diags.is_empty(), "{diags:?}");
        let mut log = log.unwrap();
        for c in &mut log.inject_commands {
            c.span = Span::default();
        }
        for a in &mut log.actions {
            a.span = Span::default();
        }
        log
    };
    assert_eq!(read(text), read(&formatted));
    assert_eq!(read(text).inject_commands.len(), 2);
}

/// The example scenario run on participants' actions only (none here), with `log`.
fn run(log: &ActionLog) -> Vec<TimedEvent> {
    let mut sim =
        Simulation::with(scenario(), 7, Vec::new(), Default::default(), Mode::Actions).unwrap();
    sim.submit_log(log);
    sim.run_until(3.0 * 3600.0);
    sim.events().to_vec()
}

fn fired(events: &[TimedEvent], n: u32) -> Vec<f64> {
    events
        .iter()
        .filter(|e| matches!(e.event, SimEvent::InjectFired { number, .. } if number == n))
        .map(|e| e.t_s)
        .collect()
}

#[test]
fn a_logged_fire_fires_the_inject_at_its_time_and_a_skip_stops_it() {
    let (log, diags, _) = check("  21:30 trainer fire inject 6\n  21:30 导调 跳过 注入 7\n");
    assert!(diags.is_empty(), "{diags:?}");
    let log = log.unwrap();
    // Without the commands, 6 fires at 22:10 and 7 at 22:35.
    let plain = run(&ActionLog::default());
    assert_eq!(fired(&plain, 6), vec![130.0 * 60.0]);
    assert_eq!(fired(&plain, 7), vec![155.0 * 60.0]);

    let events = run(&log);
    assert_eq!(
        fired(&events, 6),
        vec![AT_2130],
        "fired by hand at 21:30, once"
    );
    assert!(
        events.iter().any(
            |e| e.t_s == AT_2130 && e.event == SimEvent::InjectTriggeredByTrainer { number: 6 }
        )
    );
    assert!(fired(&events, 7).is_empty(), "a skipped inject never fires");
    let skipped: Vec<f64> = events
        .iter()
        .filter(|e| {
            e.event
                == SimEvent::InjectSkipped {
                    number: 7,
                    why: InjectSkip::Trainer,
                }
        })
        .map(|e| e.t_s)
        .collect();
    assert_eq!(skipped, vec![AT_2130]);
    // Inject 7 closes the bridge to 溪口; skipped, it stays open.
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.event, SimEvent::LinkClosed { .. }))
    );
}

#[test]
fn a_logged_command_replays_the_live_request_of_the_step_before() {
    let (log, _, _) = check("  21:30 trainer fire inject 6\n  21:30 导调 跳过 注入 7\n");
    let replayed = run(&log.unwrap());
    // The trainer live: the drill clock one step before 21:30, the request made then
    // (`Simulation::fire_inject` applies it in the next step).
    let mut live =
        Simulation::with(scenario(), 7, Vec::new(), Default::default(), Mode::Actions).unwrap();
    live.run_before(AT_2130);
    assert_eq!(live.next_step_s(), AT_2130);
    live.fire_inject(6).unwrap();
    live.skip_inject(7).unwrap();
    live.run_until(3.0 * 3600.0);
    assert_eq!(log_hash(live.events()), log_hash(&replayed));
}

#[test]
fn a_live_command_is_refused_once_the_inject_is_settled() {
    let mut sim =
        Simulation::with(scenario(), 7, Vec::new(), Default::default(), Mode::Actions).unwrap();
    let command = |number, kind| InjectCommand {
        at_s: AT_2130,
        number,
        kind,
        span: Span::default(),
    };
    assert!(
        sim.schedule_inject(command(99, InjectCommandKind::Fire))
            .is_err()
    );
    sim.schedule_inject(command(6, InjectCommandKind::Fire))
        .unwrap();
    assert!(
        sim.schedule_inject(command(6, InjectCommandKind::Skip))
            .is_err(),
        "one command waiting per inject"
    );
    sim.run_until(AT_2130);
    assert_eq!(fired(sim.events(), 6), vec![AT_2130]);
    assert!(
        sim.schedule_inject(command(6, InjectCommandKind::Skip))
            .is_err()
    );
    assert!(sim.fire_inject(6).is_err(), "fired already");
}

/// Scoring stays a function of the scenario and the event log: a task triggered by an
/// inject (T11 `when inject 6 ... within 20min`) is due from when the inject fired, by
/// hand or not, and a skipped inject's task never becomes due (not rated).
#[test]
fn scoring_follows_the_inject_as_it_fired() {
    let (log, _, _) = check("  21:30 trainer fire inject 6\n  21:30 导调 跳过 注入 7\n");
    let log = log.unwrap();
    let events = run(&log);
    let report = drill_engine::score::score(scenario(), Some(&log), &events);
    let task = |id: &str| report.tasks.iter().find(|t| t.id == id).unwrap();
    assert_eq!(task("T11").trigger_s, Some(AT_2130));
    assert_eq!(task("T11").deadline_s, Some(AT_2130 + 20.0 * 60.0));
    assert_eq!(task("T12").trigger_s, None, "inject 7 was skipped");
    assert_eq!(task("T12").rating, None);
}

/// `drill batch --actions LOG` runs each seed through `score::batch::simulate`, which
/// submits the whole log: the commands apply in every run, whatever the seed.
#[test]
fn every_run_of_a_batch_applies_the_commands() {
    let (log, _, _) = check("  21:30 trainer fire inject 6\n  21:30 导调 跳过 注入 7\n");
    let log = log.unwrap();
    for seed in [1, 2, 3] {
        let events =
            drill_engine::score::batch::simulate(scenario(), None, Some(&log), seed).unwrap();
        assert_eq!(fired(&events, 6), vec![AT_2130], "seed {seed}");
        assert!(fired(&events, 7).is_empty(), "seed {seed}");
    }
}
