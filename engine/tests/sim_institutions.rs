//! Institutions (单位) and plain-spoken triggers (issue 20, items 3 and 4): a nursing
//! home warned by loudspeaker leaves as one group under its staff, where the same
//! people written as a village decide household by household; `after T` is due when
//! T starts and `after T done` when it finishes; `at +0s` happens at 0 s.

use drill_engine::lang;
use drill_engine::model::*;
use drill_engine::sim::events::{SimEvent, TimedEvent, WorkRef};
use drill_engine::sim::params::SimParams;
use drill_engine::sim::{Mode, Simulation};

/// A village with a nursing home (or the same people as an ordinary place), a
/// loudspeaker that reaches both, and a plan: warn at `+0s`, then knock (`after T1`,
/// or `after T1 done`).
fn scenario(home: &str, after: &str) -> Scenario {
    let text = format!(
        r#"
scenario "敬老院转移" {{
  id inst
  hazard flood
  start 2026-07-08 10:00
  duration 3h
  seed 5
}}
map {{
  place 村委会 at (0, 0) kind office
  {home}
  shelter 安置点 at (600, 0) capacity 200
  road 敬老院 -> 村委会 width 4m
  road 村委会 -> 安置点 width 5m
}}
roles {{
  村应急管理员 level village post 村委会
  院长 level village post 敬老院
  网格员 level group count 2
}}
resources {{
  村广播 loudspeaker at 村委会 radius 1000m
}}
plan "卡" {{
  task T1 "预警" {{ at +0s who 村应急管理员 do warn all how [loudspeaker] with [村广播] within 30min }}
  task T2 "敲门" {{ {after} who 网格员 do knock_doors 敬老院 within 60min }}
}}
"#
    );
    let (_, result) = lang::check_text("inst.drill", &text);
    assert!(
        result.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        result.diagnostics
    );
    result.scenario.unwrap()
}

const INSTITUTION: &str = "institution 敬老院 at (-400, 0) kind nursing_home people 48 staff 12 responsible 院长 { elderly 36 disabled 11 }";
const VILLAGE: &str =
    "place 敬老院 at (-400, 0) households 16 people 48 { elderly 36 disabled 11 }";

fn run(s: &Scenario) -> Vec<TimedEvent> {
    let mut sim =
        Simulation::with(s, 5, Vec::new(), SimParams::default(), Mode::PlanAsWritten).unwrap();
    sim.run_until(2.0 * 3600.0);
    sim.events().to_vec()
}

fn departures(events: &[TimedEvent]) -> Vec<(f64, u32)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Departed { people, .. } => Some((e.t_s, people)),
            _ => None,
        })
        .collect()
}

fn started(events: &[TimedEvent], task: u32) -> Option<f64> {
    events.iter().find_map(|e| match e.event {
        SimEvent::TaskStarted {
            work: WorkRef::Task(t),
            ..
        } if t.0 == task => Some(e.t_s),
        _ => None,
    })
}

fn finished(events: &[TimedEvent], task: u32) -> Option<f64> {
    events.iter().find_map(|e| match e.event {
        SimEvent::TaskFinished {
            work: WorkRef::Task(t),
            ..
        } if t.0 == task => Some(e.t_s),
        _ => None,
    })
}

#[test]
fn the_language_reads_an_institution_with_overlapping_groups() {
    let s = scenario(INSTITUTION, "after T1");
    let home = &s.map.places[s.place_named("敬老院").unwrap().index()];
    assert_eq!((home.people, home.households), (48, 1));
    assert_eq!((home.groups.elderly, home.groups.disabled), (36, 11));
    let inst = home.institution.as_ref().unwrap();
    assert_eq!(inst.kind, InstitutionKind::NursingHome);
    assert_eq!(inst.staff, 12);
    let role = s.roles.iter().position(|r| r.name == "院长").unwrap();
    assert_eq!(inst.responsible, Responsible::Role(RoleIdx(role as u32)));
    assert_eq!(s.plan.tasks[1].trigger, Trigger::After(TaskIdx(0)));
    let done = scenario(INSTITUTION, "after T1 done");
    assert_eq!(done.plan.tasks[1].trigger, Trigger::AfterDone(TaskIdx(0)));
    // A person in quotes is a name, not a role.
    let named = scenario(
        &INSTITUTION.replace("responsible 院长", "responsible \"值班护理员\""),
        "after T1",
    );
    let p = &named.map.places[named.place_named("敬老院").unwrap().index()];
    assert_eq!(
        p.institution.as_ref().unwrap().responsible,
        Responsible::Named("值班护理员".into())
    );
}

/// 单位: the nursing home hears the loudspeaker once and all 48 leave together five
/// minutes later (the 12 staff muster them and wheel the 11 who cannot walk); written
/// as a village of 16 households, the same people leave one household at a time.
/// With fewer staff than residents who cannot walk, the group waits for help.
#[test]
fn an_institution_leaves_as_one_group_when_warned() {
    let events = run(&scenario(INSTITUTION, "after T1 done"));
    let group = departures(&events);
    assert_eq!(group.len(), 1, "{group:?}");
    let (t, people) = group[0];
    assert_eq!(people, 48);
    // Heard at the first loudspeaker pass that got through: decided at once, no
    // refusal, and out once mustered.
    let decided: Vec<f64> = events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Decided { .. } => Some(e.t_s),
            _ => None,
        })
        .collect();
    assert_eq!(decided.len(), 1, "{decided:?}");
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.event, SimEvent::Refused { .. }))
    );
    let muster = SimParams::default().institution_muster_s;
    assert!(
        (t - decided[0] - muster).abs() <= 10.0,
        "decided at {} s, left at {t} s",
        decided[0]
    );
    let village = departures(&run(&scenario(VILLAGE, "after T1 done")));
    assert!(village.len() > 1, "{village:?}");
    let short = INSTITUTION.replace("people 48 staff 12", "people 40 staff 4");
    let events = run(&scenario(&short, "after T1 done"));
    assert!(departures(&events).is_empty());
    assert!(
        events
            .iter()
            .any(|e| matches!(e.event, SimEvent::NeedsHelp { people: 40, .. }))
    );
}

/// `at +0s` starts at 0 s; `after T1` starts right after T1 starts, `after T1 done`
/// only once T1 has finished (the loudspeaker's last repeat).
#[test]
fn after_means_started_and_after_done_means_finished() {
    let events = run(&scenario(INSTITUTION, "after T1"));
    assert_eq!(started(&events, 0), Some(0.0), "`at +0s` fires at 0 s");
    let t1_done = finished(&events, 0).unwrap();
    assert!(t1_done > 60.0, "the warning takes time: {t1_done}");
    let t2 = started(&events, 1).unwrap();
    assert!(t2 <= 10.0, "`after T1` starts with T1: {t2}");
    let events = run(&scenario(INSTITUTION, "after T1 done"));
    let t1_done = finished(&events, 0).unwrap();
    let t2 = started(&events, 1).unwrap();
    assert!(
        t2 >= t1_done && t2 <= t1_done + 10.0,
        "`after T1 done` waits for {t1_done}: {t2}"
    );
}

/// `T1 完成后` — the task first, as a Chinese response card says it — reads as `after T1
/// done`, `T1 开始后` as `after T1`, in every spelling the docs list; glued to a word
/// that is no task id, nothing is taken for a trigger.
#[test]
fn task_first_triggers_read_as_after() {
    for (written, expected) in [
        ("T1 完成后", Trigger::AfterDone(TaskIdx(0))),
        ("T1 完成 后", Trigger::AfterDone(TaskIdx(0))),
        ("T1 完成之后", Trigger::AfterDone(TaskIdx(0))),
        ("T1 结束后", Trigger::AfterDone(TaskIdx(0))),
        ("T1完成后", Trigger::AfterDone(TaskIdx(0))),
        ("T1 开始后", Trigger::After(TaskIdx(0))),
        ("T1 开始 之后", Trigger::After(TaskIdx(0))),
        ("T1开始后", Trigger::After(TaskIdx(0))),
    ] {
        let s = scenario(INSTITUTION, written);
        assert_eq!(s.plan.tasks[1].trigger, expected, "{written}");
    }
    // The run is the one `after T1 done` gives.
    let first = run(&scenario(INSTITUTION, "T1 完成后"));
    let done = run(&scenario(INSTITUTION, "after T1 done"));
    assert_eq!(started(&first, 1), started(&done, 1));
    // `X完成后` where X is no task: not a trigger (the task then has none: E0140).
    let text = "task T2 \"敲门\" { T9完成后 who 网格员 do knock_doors 敬老院 within 60min }";
    let (_, result) = lang::check_text(
        "t.drill",
        &format!(
            "scenario \"s\" {{ id s hazard flood start 2026-07-08 10:00 duration 1h }}\n\
             map {{ place 敬老院 at (0, 0) households 1 people 2 }}\n\
             roles {{ 网格员 level group }}\n\
             plan \"卡\" {{\n  task T1 \"x\" {{ at +0s who 网格员 do report }}\n  {text}\n}}\n"
        ),
    );
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"E0140"), "{codes:?}");
}

/// 作业点: a tea garden's 41 pickers under their owner are outdoor workers for the
/// 四个100%, and a group with nobody to carry walks at its own pace (1.34 m/s for
/// adults), not at the pace of those who carry the disabled (0.46-0.76 m/s).
#[test]
fn a_worksites_people_are_outdoor_workers_and_walk_at_their_own_pace() {
    let garden =
        "institution 敬老院 at (-400, 0) kind worksite people 41 responsible \"茶园负责人\"";
    let s = scenario(garden, "after T1");
    let place = &s.map.places[s.place_named("敬老院").unwrap().index()];
    assert_eq!(
        place.institution.as_ref().unwrap().kind,
        InstitutionKind::Worksite
    );
    let zh = scenario(&garden.replace("worksite", "作业点"), "after T1");
    let inst = |s: &Scenario| s.map.places[1].institution.clone();
    assert_eq!(inst(&zh), inst(&s));
    let events = run(&s);
    let members = events
        .iter()
        .find_map(|e| match &e.event {
            SimEvent::Started { households, .. } => Some(households[0].members),
            _ => None,
        })
        .unwrap();
    assert_eq!((members.outdoor_workers, members.adults), (41, 0));
    let left = departures(&events);
    assert_eq!(left.len(), 1, "{left:?}");
    let arrived = events
        .iter()
        .find_map(|e| matches!(e.event, SimEvent::Arrived { .. }).then_some(e.t_s))
        .unwrap();
    // 400 m to the office and 600 m on to the shelter at 1.34 m/s: 746 s, plus the
    // step the arrival is stamped in.
    let walk = arrived - left[0].0;
    assert!(
        (1000.0 / 1.34..1000.0 / 1.34 + 12.0).contains(&walk),
        "walked {walk} s"
    );
}
