//! Golden tests of scoring (演练评估) on the example scenarios: each imperfect
//! recorder's log (`scenarios/*.actions.drill`, faults listed in `scenarios/README.md`)
//! gives the expected ratings and reasons (a reviewed insta snapshot of the per-task
//! table), and each perfect log (`*.perfect.actions.drill`) scores P on every task.
//! Also: scoring is a pure function of the logs (re-scoring a stored event log gives
//! the same report), batches are independent of the thread count, and the renderers
//! and `compare` work on real reports.

use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::{ActionLog, Scenario};
use drill_engine::score::{self, Rating, ReasonCode, ScoreReport, render};
use drill_engine::sim::events::{SimEvent, TimedEvent};
use std::path::{Path, PathBuf};

const SCENARIOS: [&str; 3] = [
    "zhuyuan-flash-flood",
    "forest-edge-fire",
    "haiyan-chemical-release",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

fn load(name: &str, log: Option<&str>) -> (Scenario, Option<ActionLog>) {
    let path = dir().join(format!("{name}.drill"));
    let text = io::read_text(&path).unwrap();
    let mut sources = SourceMap::new();
    let main = sources.add(path.to_string_lossy().replace('\\', "/"), text);
    let result = lang::check(&mut sources, main, &io::include_loader);
    assert!(!result.has_errors(), "{name} has errors");
    let scenario = result.scenario.unwrap();
    let log = log.map(|suffix| {
        let path = dir().join(format!("{name}.{suffix}"));
        let mut sources = SourceMap::new();
        let id = sources.add(path.display().to_string(), io::read_text(&path).unwrap());
        let (log, diags) = lang::check_actions(&scenario, &sources, id);
        log.unwrap_or_else(|| panic!("{}", lang::render(&diags, &sources)))
    });
    (scenario, log)
}

/// Loads an example with its perfect log after textual edits (`from` -> `to`, each of
/// which must occur): how the tests bring back the first version of a plan.
fn load_edited(
    name: &str,
    scenario_edits: &[(&str, &str)],
    log_edits: &[(&str, &str)],
) -> (Scenario, ActionLog) {
    let edit = |mut text: String, edits: &[(&str, &str)]| {
        for (from, to) in edits {
            assert!(text.contains(from), "{name}: {from:?} not found");
            text = text.replace(from, to);
        }
        text
    };
    let path = dir().join(format!("{name}.drill"));
    let text = edit(io::read_text(&path).unwrap(), scenario_edits);
    let mut sources = SourceMap::new();
    let main = sources.add(path.to_string_lossy().replace('\\', "/"), text);
    let result = lang::check(&mut sources, main, &io::include_loader);
    assert!(
        !result.has_errors(),
        "{}",
        lang::render(&result.diagnostics, &sources)
    );
    let scenario = result.scenario.unwrap();
    let path = dir().join(format!("{name}.perfect.actions.drill"));
    let mut sources = SourceMap::new();
    let id = sources.add(
        path.display().to_string(),
        edit(io::read_text(&path).unwrap(), log_edits),
    );
    let (log, diags) = lang::check_actions(&scenario, &sources, id);
    let log = log.unwrap_or_else(|| panic!("{}", lang::render(&diags, &sources)));
    (scenario, log)
}

fn run(scenario: &Scenario, log: Option<&ActionLog>) -> (Vec<TimedEvent>, ScoreReport) {
    let events = score::batch::simulate(scenario, None, log, scenario.header.seed).unwrap();
    let report = score::score(scenario, log, &events);
    (events, report)
}

/// The per-task table and the headline figures, as reviewed in the snapshots.
fn golden(r: &ScoreReport) -> String {
    let mut out = render::task_table(r);
    out.push_str(&format!(
        "\ntotal {:.1}, {} / {}\n",
        r.total, r.conclusion.zh, r.conclusion.en
    ));
    for o in &r.outcomes.targets {
        out.push_str(&format!(
            "{}: {:.1}% (target {}) {}\n",
            o.name.en,
            o.value_percent,
            o.target_percent.map_or("-".into(), |t| format!("{t:.0}%")),
            o.detail.en
        ));
    }
    for a in &r.corrective_actions {
        out.push_str(&format!("{} {} {} {}\n", a.id, a.issue, a.owner, a.due));
    }
    out
}

fn rating(r: &ScoreReport, id: &str) -> Option<Rating> {
    r.tasks.iter().find(|t| t.id == id).and_then(|t| t.rating)
}

fn codes(r: &ScoreReport, id: &str) -> Vec<ReasonCode> {
    r.tasks
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.reasons.iter().map(|x| x.code).collect())
        .unwrap_or_default()
}

#[test]
fn faulty_logs_give_the_expected_ratings_and_reasons() {
    for name in SCENARIOS {
        let (scenario, log) = load(name, Some("actions.drill"));
        let (_, report) = run(&scenario, log.as_ref());
        insta::assert_snapshot!(format!("{name}-faulty"), golden(&report));
    }
}

#[test]
fn the_declared_faults_are_found() {
    // 竹源村: late warning, loudspeaker only; no assessment before return.
    let (s, log) = load("zhuyuan-flash-flood", Some("actions.drill"));
    let (_, r) = run(&s, log.as_ref());
    let t1 = codes(&r, "T1");
    assert!(t1.contains(&ReasonCode::Late), "{t1:?}");
    assert!(t1.contains(&ReasonCode::MissingChannel), "{t1:?}");
    assert!(t1.contains(&ReasonCode::MissingResource), "{t1:?}");
    assert_eq!(rating(&r, "T14"), Some(Rating::U));
    // 返回前评估: the return is capped at M and says why, with the time.
    assert!(codes(&r, "T15").contains(&ReasonCode::ReturnBeforeAssessment));
    assert_eq!(rating(&r, "T15"), Some(Rating::M));
    let assessed = r
        .outcomes
        .targets
        .iter()
        .find(|o| o.metric == drill_engine::model::Outcome::AssessedBeforeReturn)
        .unwrap();
    assert!(!assessed.met && assessed.value_percent == 0.0);
    let late = r.tasks[0].late_s.unwrap();
    // Judged on the effect: every household warned at 21:51 (the last by knocking),
    // against 20:40 + 50 min; the order came at 21:12.
    assert_eq!((late / 60.0).round(), 21.0, "21:51 for a 21:30 deadline");

    // 枫岭村: T7 door-knocking missing; T9 with water trucks instead of buses.
    let (s, log) = load("forest-edge-fire", Some("actions.drill"));
    let (_, r) = run(&s, log.as_ref());
    assert_eq!(rating(&r, "T7"), Some(Rating::U));
    assert_eq!(codes(&r, "T7"), vec![ReasonCode::NotDone]);
    // The trucks belong to the county fire brigade, so the sim refuses the order
    // (`ResourceHeldBy`): the task is rated on a rejected action, the reason naming
    // the wrong resource.
    let t9 = r.tasks.iter().find(|t| t.id == "T9").unwrap();
    assert!(
        t9.reasons
            .iter()
            .any(|x| x.code == ReasonCode::Rejected && x.zh.contains("消防水车")),
        "{:?}",
        t9.reasons
    );
    assert_ne!(t9.rating, Some(Rating::P));

    // 海塘: the head teacher's own order comes at 16:20, after the county's query
    // (contingency inject 5 fired at 16:05); the school, one institution (单位), had
    // already been told to shelter by the grid workers' 16:02 order to the zone, so its
    // effect was on time; T7 without masks.
    let (s, log) = load("haiyan-chemical-release", Some("actions.drill"));
    let (events, r) = run(&s, log.as_ref());
    let t4 = r.tasks.iter().find(|t| t.id == "T4").unwrap();
    assert_eq!(
        t4.started_s.map(|t| s.header.start.clock_at(t)),
        Some("16:20".into())
    );
    assert!(!codes(&r, "T4").contains(&ReasonCode::Late));
    assert!(events.iter().any(|e| matches!(
        e.event,
        drill_engine::sim::events::SimEvent::InjectFired {
            number: 5,
            contingency: true
        }
    )));
    assert!(codes(&r, "T7").contains(&ReasonCode::MissingResource));
}

/// Perfect-log tasks the simulation cannot yet let score P, each with the reason (see
/// the scoring section of README.md). Everything else must be P. A listed task that
/// starts scoring P is reported so the entry can be removed.
const SIM_LIMITS: &[(&str, &str, &str)] = &[];

#[test]
fn perfect_logs_score_p_on_every_task() {
    let mut failures = Vec::new();
    for name in SCENARIOS {
        let (scenario, log) = load(name, Some("perfect.actions.drill"));
        let (_, report) = run(&scenario, log.as_ref());
        for t in &report.tasks {
            let limited = SIM_LIMITS
                .iter()
                .any(|(s, id, _)| *s == name && *id == t.id);
            let why: Vec<String> = t.reasons.iter().map(|r| r.en.clone()).collect();
            match (t.rating == Some(Rating::P), limited) {
                (false, false) => failures.push(format!(
                    "{name} {} {:?} ({:.1}): {}",
                    t.id,
                    t.rating,
                    t.score,
                    why.join("; ")
                )),
                (true, true) => {
                    eprintln!("{name} {} now scores P: remove it from SIM_LIMITS", t.id)
                }
                (false, true) => {
                    eprintln!("LIMITED {name} {} {:?}: {}", t.id, t.rating, why.join("; "))
                }
                _ => {}
            }
        }
        // Only the listed tasks may need correcting.
        for a in &report.corrective_actions {
            if let Some(id) = &a.task
                && !SIM_LIMITS.iter().any(|(s, t, _)| *s == name && t == id)
            {
                failures.push(format!("{name}: corrective action for {id}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The first versions of two example plans had flaws a drill exposed (recorded in the
/// scenarios' comments and `scenarios/README.md`); the plans were revised. Followed to
/// the letter, the first versions still fail where the drill found them wanting.
#[test]
fn the_first_versions_of_the_plans_expose_their_flaws() {
    // 海塘: both roadblocks the police team's, and the school's buses double-booked
    // with T9's (镇应急救援队 has 4 buses; T9 takes 3 from 16:30, T14 wants 4 at 16:50).
    let (scenario, log) = load_edited(
        "haiyan-chemical-release",
        &[
            (
                "谁 县交警大队海塘中队 做 设卡 东塘西卡口",
                "谁 镇派出所警力 做 设卡 东塘西卡口",
            ),
            (
                "谁 [公交应急运输队 东塘小学校长] 做 转移 从 东塘小学 到 海塘镇中心小学 用 [公交应急大巴 4]",
                "谁 [镇应急救援队 东塘小学校长] 做 转移 从 东塘小学 到 海塘镇中心小学 用 [转移大巴 4]",
            ),
        ],
        &[
            (
                "县交警大队海塘中队 设卡 东塘西卡口",
                "镇派出所警力 设卡 东塘西卡口",
            ),
            (
                "公交应急运输队 转移 从 东塘小学 到 海塘镇中心小学 用 [公交应急大巴 4]",
                "镇应急救援队 转移 从 东塘小学 到 海塘镇中心小学 用 [转移大巴 4]",
            ),
        ],
    );
    let (events, report) = run(&scenario, Some(&log));
    // Ordered at the red warning, the police set both roadblocks in time one after the
    // other (T12 waits behind T11 but its roadblock still stands by 16:20); the buses
    // cannot be in two places: T14 is late, and the report says the order waited.
    let t14 = report.tasks.iter().find(|t| t.id == "T14").unwrap();
    assert_ne!(t14.rating, Some(Rating::P));
    assert!(codes(&report, "T14").contains(&ReasonCode::Late));
    assert!(
        t14.reasons
            .iter()
            .any(|r| r.code == ReasonCode::Queued && r.zh.contains("镇应急救援队正忙于")),
        "{:?}",
        t14.reasons
    );
    // The orders waited for the busy team: the engine says so as it happens.
    let queued = events
        .iter()
        .filter(|e| matches!(e.event, SimEvent::TaskQueued { .. }))
        .count();
    assert!(queued >= 2, "{queued} orders queued");
    // Everything else still scores P: only the two flaws show.
    for t in &report.tasks {
        if t.id != "T14" {
            assert_eq!(t.rating, Some(Rating::P), "{}", t.id);
        }
    }

    // 竹源: 坑里 moved only once the gully shows debris (inject 3, 21:10), by the grid
    // workers of whom 4 are still knocking in 下村: people are cut off before they are
    // all reached.
    let (scenario, log) = load_edited(
        "zhuyuan-flash-flood",
        &[(
            "task T10 \"坑里山洪沟转移\" { after T1 who",
            "task T10 \"坑里山洪沟转移\" { when danger 坑里山洪沟 who",
        )],
        &[(
            "20:57 网格员 evacuate from 坑里",
            "21:30 网格员 evacuate from 坑里",
        )],
    );
    let (_, report) = run(&scenario, Some(&log));
    let t10 = report.tasks.iter().find(|t| t.id == "T10").unwrap();
    assert_ne!(t10.rating, Some(Rating::P));
    assert!(codes(&report, "T10").contains(&ReasonCode::Shortfall));
    assert!(t10.reasons.iter().any(|r| r.en.contains("坑里")));
}

#[test]
fn rescoring_a_stored_event_log_gives_the_same_report() {
    let (scenario, log) = load("haiyan-chemical-release", Some("actions.drill"));
    let (events, report) = run(&scenario, log.as_ref());
    let stored = serde_json::to_string(&events).unwrap();
    let replayed: Vec<TimedEvent> = serde_json::from_str(&stored).unwrap();
    let mut rescored = score::score(&scenario, log.as_ref(), &replayed);
    // serde_json's float parsing may move a time stamp by one ulp, which changes the
    // hash of the log but nothing a person reads.
    rescored.log_hash = report.log_hash.clone();
    assert_eq!(rescored, report);
    // The JSON report reads back whole (what `drill compare` relies on).
    let json = render::json(&report).unwrap();
    let back: ScoreReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.tasks, report.tasks);
}

#[test]
fn plan_as_written_is_scored_from_the_work_the_simulation_did() {
    for name in SCENARIOS {
        let (scenario, _) = load(name, None);
        let (_, report) = run(&scenario, None);
        assert_eq!(report.mode, "plan");
        assert_eq!(report.tasks.len(), scenario.plan.tasks.len());
        // Every task whose trigger fired was started by the simulation, or the
        // report says why not (the simulation refused it).
        for t in &report.tasks {
            if t.rating.is_some() && t.trigger_s.is_some() && t.started_s.is_none() {
                assert_eq!(t.rating, Some(Rating::U), "{name} {}", t.id);
                assert!(
                    t.reasons.iter().any(|r| r.en.starts_with("not done (")),
                    "{name} {}: {:?}",
                    t.id,
                    t.reasons
                );
            }
        }
    }
}

#[test]
fn batches_are_identical_on_one_and_two_threads() {
    let (scenario, log) = load("forest-edge-fire", Some("actions.drill"));
    let batch = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| score::batch::run_batch(&scenario, None, log.as_ref(), 6, 42, &|| {}))
            .unwrap()
    };
    let one = batch(1);
    assert_eq!(one, batch(2));
    assert_eq!(one.run_count, 6);
    assert_eq!(one.runs.len(), 6);
    let rated: u32 = one
        .tasks
        .iter()
        .map(|t| t.p + t.s + t.m + t.u + t.not_scored)
        .sum();
    assert_eq!(rated, 6 * scenario.plan.tasks.len() as u32);
    assert!(
        one.most_failed.contains(&"T7".to_string()),
        "{:?}",
        one.most_failed
    );
    // Different bases give different seeds.
    assert_ne!(score::batch::seed_for(42, 0), score::batch::seed_for(43, 0));
}

#[test]
fn html_report_is_self_contained_with_three_charts() {
    let (scenario, log) = load("zhuyuan-flash-flood", Some("actions.drill"));
    let (_, report) = run(&scenario, log.as_ref());
    let html = render::html(&report);
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(!html.contains("<script") && !html.contains("src="));
    assert!(html.contains("需整改") || html.contains("合格"));
    let md = render::markdown(&report);
    assert!(md.contains("## 七、纠正行动"));
    for a in &report.corrective_actions {
        assert!(md.contains(&a.due));
    }
}

/// An action that matches no plan task (here a warning to a zone the plan leaves to
/// door knocking) is listed by its number in the log, in both reports (the HTML one
/// once left it out).
#[test]
fn both_reports_list_the_actions_that_match_no_plan_task() {
    let (scenario, log) = load_edited(
        "zhuyuan-flash-flood",
        &[],
        &[(
            "  21:05 网格长 open 村文化礼堂\n",
            "  21:05 网格长 open 村文化礼堂\n  21:06 村应急管理员 warn zone 溪口低洼区 via [sms]\n",
        )],
    );
    let (_, report) = run(&scenario, Some(&log));
    assert_eq!(report.unmatched_actions, vec![10], "the 11th entry");
    let line = "未对应处置卡任务的行动：第11条";
    assert!(render::markdown(&report).contains(line));
    assert!(render::html(&report).contains(&format!("{line}</p>")));
}

#[test]
fn compare_finds_improvements_and_open_actions() {
    let (scenario, log) = load("zhuyuan-flash-flood", Some("actions.drill"));
    let (_, year1) = run(&scenario, log.as_ref());
    let (_, perfect) = load("zhuyuan-flash-flood", Some("perfect.actions.drill"));
    let (_, mut year2) = run(&scenario, perfect.as_ref());
    year2.start.year += 1;
    let c = score::compare::compare(&[year2.clone(), year1.clone()]);
    assert_eq!(c.drills[0].date, "2026-06-18", "sorted by date");
    assert!(c.improved.contains(&"T1".to_string()), "{:?}", c.improved);
    assert!(c.regressed.is_empty(), "{:?}", c.regressed);
    // Year 1's action for T1 is closed once T1 is P; an action stays open while its
    // task is below P in the latest drill.
    for open in &c.open_actions {
        if let Some(id) = &open.action.task {
            assert_ne!(
                year2.tasks.iter().find(|t| &t.id == id).unwrap().rating,
                Some(Rating::P)
            );
        }
    }
    assert!(
        c.closed_actions
            .iter()
            .any(|a| a.action.task.as_deref() == Some("T1"))
    );
}
