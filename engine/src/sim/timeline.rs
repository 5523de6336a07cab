//! 时间线预览 — the author's timeline (`drill check --timeline`): when the hazard
//! reaches each place, road and zone, and when each plan task and inject is due, by
//! name and sorted by time, so that a trainer lines the story up with the physics
//! before the drill (a bridge the flood model cuts an hour and a half before the
//! inject that says it washed away shows up here, not in the raw event log).
//!
//! The hazard side comes from a run of the scenario with no actions (nobody warns or
//! moves anyone, so only the hazard models, the scripted zones and the injects act;
//! a contingency inject fires, since no task is done). The plan side is read from the
//! scenario: a task's trigger is resolved to a time where the timeline knows one
//! (`at`, an inject, a warning an inject raises, a zone turning dangerous in the run,
//! the task it comes after), and its deadline follows. [`named_events`] gives the
//! event log with names next to the indices, for `drill run --events`.

use super::Simulation;
use super::events::{DangerCause, LinkCloseCause, SimEvent, TimedEvent};
use super::setup::build_run;
use crate::hazard::raster::Raster;
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Seconds from the drill start; `None` when it never comes in this run (a warning
    /// no inject raises, a zone the hazard does not reach).
    pub t_s: Option<f64>,
    /// Wall-clock time `HH:MM` (empty when `t_s` is `None`).
    pub clock: String,
    /// `hazard` (the hazard reaches a place, road or zone), `inject` or `task`.
    pub kind: &'static str,
    /// What it concerns: `place`, `road` (any road, path or bridge), `zone`, `inject`,
    /// `task`.
    pub object: &'static str,
    /// The name as the scenario writes it: a place, `bridge A -> B`, a zone, `inject
    /// 4`, a task id.
    pub name: String,
    /// What happens, in the scenario's words (a task's title and trigger, an inject's
    /// message, the cause of a closure).
    pub what: String,
}

/// A road, path or bridge as the language names it: `bridge 下村 -> 村委会`.
pub fn link_name(s: &Scenario, l: LinkIdx) -> String {
    let Some(link) = s.map.links.get(l.index()) else {
        return format!("link {}", l.0);
    };
    let kind = match link.kind {
        LinkKind::Road => "road",
        LinkKind::Path => "path",
        LinkKind::Bridge => "bridge",
    };
    format!(
        "{kind} {} -> {}",
        place_name(s, link.from),
        place_name(s, link.to)
    )
}

fn place_name(s: &Scenario, p: PlaceIdx) -> String {
    s.map
        .places
        .get(p.index())
        .map_or_else(|| format!("place {}", p.0), |x| x.name.clone())
}

fn zone_name(s: &Scenario, z: ZoneIdx) -> String {
    s.map
        .zones
        .get(z.index())
        .map_or_else(|| format!("zone {}", z.0), |x| x.name.clone())
}

fn task_id(s: &Scenario, t: TaskIdx) -> String {
    s.plan
        .tasks
        .get(t.index())
        .map_or_else(|| format!("task {}", t.0), |x| x.id.clone())
}

fn level_word(l: RiskLevel) -> &'static str {
    match l {
        RiskLevel::Red => "red",
        RiskLevel::Orange => "orange",
        RiskLevel::Yellow => "yellow",
        RiskLevel::Blue => "blue",
    }
}

/// The timeline of `scenario` on its `terrain` (the heightmap file as `io` read it;
/// `None` for an inline grid or none), run with its own seed and no actions: what
/// `drill check --timeline` prints and the editor's author mode shows.
pub fn of_scenario(scenario: &Scenario, terrain: Option<&Raster>) -> Result<Vec<Entry>, String> {
    let (sim, _) = build_run(
        scenario,
        terrain,
        scenario.header.seed,
        super::Mode::Actions,
        None,
    )?;
    Ok(timeline(scenario, sim))
}

/// Runs `sim` (built for `scenario` with no actions) to the scenario's end and
/// returns the timeline, sorted by time (entries with no time last).
pub fn timeline(scenario: &Scenario, mut sim: Simulation) -> Vec<Entry> {
    let s = scenario;
    let start = s.header.start;
    let entry = |t_s: Option<f64>, kind, object, name: String, what: String| Entry {
        t_s,
        clock: t_s.map_or_else(String::new, |t| start.clock_at(t)),
        kind,
        object,
        name,
        what,
    };
    // The hazard: places as each step samples them, zones and roads from the log.
    let mut place_reached: Vec<Option<f64>> = vec![None; s.map.places.len()];
    while !sim.finished() {
        sim.step();
        for (i, since) in sim.dangerous_places_since().iter().enumerate() {
            if let (Some(t), None) = (since, place_reached.get(i).copied().flatten()) {
                place_reached[i] = Some(*t);
            }
        }
    }
    let mut out = Vec::new();
    for (i, t) in place_reached.iter().enumerate() {
        if let Some(t) = t {
            let p = &s.map.places[i];
            if p.kind == PlaceKind::Junction && p.people == 0 {
                continue; // a crossing nobody lives at: its roads say it
            }
            out.push(entry(
                Some(*t),
                "hazard",
                "place",
                p.name.clone(),
                "dangerous / 危险".into(),
            ));
        }
    }
    let mut zone_at: BTreeMap<u32, f64> = BTreeMap::new();
    for e in sim.events() {
        match e.event {
            SimEvent::ZoneDangerous { zone, cause } => {
                zone_at.entry(zone.0).or_insert(e.t_s);
                let why = match cause {
                    DangerCause::Scripted => "dangerous (scripted `dangerous from`) / 危险".into(),
                    DangerCause::Inject(n) => format!("dangerous (inject {n}) / 危险"),
                    DangerCause::Model => "dangerous (hazard model) / 危险".into(),
                };
                out.push(entry(
                    Some(e.t_s),
                    "hazard",
                    "zone",
                    zone_name(s, zone),
                    why,
                ));
            }
            SimEvent::LinkClosed { link, cause } => {
                let why = match cause {
                    LinkCloseCause::Hazard => "closed by the hazard / 被灾害阻断".to_string(),
                    LinkCloseCause::Inject(n) => format!("closed by inject {n} / 注入封闭"),
                    LinkCloseCause::Closed(_) => continue,
                };
                out.push(entry(
                    Some(e.t_s),
                    "hazard",
                    "road",
                    link_name(s, link),
                    why,
                ));
            }
            _ => {}
        }
    }
    // The story: injects as the scenario times them.
    let inject_time = |n: u32| -> Option<f64> {
        s.injects
            .iter()
            .find(|i| i.number == n)
            .map(|i| match i.trigger {
                InjectTrigger::At(t) => t,
                InjectTrigger::IfNot { by_s, .. } => by_s,
            })
    };
    for inject in &s.injects {
        let (t, when) = match inject.trigger {
            InjectTrigger::At(t) => (t, String::new()),
            InjectTrigger::IfNot { task, by_s } => {
                (by_s, format!(" (if {} has not started)", task_id(s, task)))
            }
        };
        let mut what = format!("\"{}\"{when}", inject.message);
        for effect in &inject.effects {
            what.push_str(&format!("; effect {}", effect_text(s, effect)));
        }
        out.push(entry(
            Some(t),
            "inject",
            "inject",
            format!("inject {}", inject.number),
            what,
        ));
    }
    // The plan: each task's trigger resolved to a time where one is known.
    let warning_at = |level: RiskLevel| -> Option<f64> {
        s.injects
            .iter()
            .filter(|i| {
                i.effects
                    .iter()
                    .any(|e| matches!(e, Effect::Warning(l) if *l <= level))
            })
            .filter_map(|i| inject_time(i.number))
            .min_by(f64::total_cmp)
    };
    let mut due: Vec<Option<Option<f64>>> = vec![None; s.plan.tasks.len()];
    fn resolve(
        i: usize,
        s: &Scenario,
        due: &mut [Option<Option<f64>>],
        known: &dyn Fn(&Trigger) -> Option<f64>,
        depth: usize,
    ) -> Option<f64> {
        if let Some(d) = due[i] {
            return d;
        }
        if depth > s.plan.tasks.len() {
            return None; // a cycle (E0408 refuses it; be safe)
        }
        let t = match &s.plan.tasks[i].trigger {
            Trigger::After(o) | Trigger::AfterDone(o) | Trigger::Before(o)
                if o.index() < due.len() =>
            {
                resolve(o.index(), s, due, known, depth + 1)
            }
            other => known(other),
        };
        due[i] = Some(t);
        t
    }
    let known = |t: &Trigger| -> Option<f64> {
        match *t {
            Trigger::At(t) => Some(t),
            Trigger::Inject(n) => inject_time(n),
            Trigger::Warning(l) => warning_at(l),
            Trigger::Danger(z) => zone_at.get(&z.0).copied(),
            Trigger::BeforeReturn => Some(s.header.duration_s),
            Trigger::After(_) | Trigger::AfterDone(_) | Trigger::Before(_) => None,
        }
    };
    for i in 0..s.plan.tasks.len() {
        let t = resolve(i, s, &mut due, &known, 0);
        let task = &s.plan.tasks[i];
        let trigger = match task.trigger {
            Trigger::At(t) => format!("at {}", start.clock_at(t)),
            Trigger::Inject(n) => format!("when inject {n}"),
            Trigger::Warning(l) => format!("when warning {}", level_word(l)),
            Trigger::Danger(z) => format!("when danger {}", zone_name(s, z)),
            Trigger::After(o) => format!("after {} starts (due no earlier)", task_id(s, o)),
            Trigger::AfterDone(o) => format!("after {} done (due no earlier)", task_id(s, o)),
            Trigger::Before(o) => format!("before {} (due no later)", task_id(s, o)),
            Trigger::BeforeReturn => "before return".into(),
        };
        let deadline = match task.deadline {
            Some(Deadline::By(b)) => format!(", by {}", start.clock_at(b)),
            Some(Deadline::Within(w)) => match t {
                Some(t) => format!(", by {}", start.clock_at(t + w)),
                None => format!(", within {}", offset(w)),
            },
            None => String::new(),
        };
        out.push(entry(
            t,
            "task",
            "task",
            task.id.clone(),
            format!("\"{}\" — {trigger}{deadline}", task.title),
        ));
    }
    out.sort_by(|a, b| {
        let key = |e: &Entry| e.t_s.unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b))
    });
    out
}

fn effect_text(s: &Scenario, e: &Effect) -> String {
    match e {
        Effect::Warning(l) => format!("warning {}", level_word(*l)),
        Effect::CloseLink(l) => format!("close {}", link_name(s, *l)),
        Effect::Danger(z) => format!("danger {}", zone_name(s, *z)),
        Effect::Trapped { place, people } => {
            format!("trapped {} {people}", place_name(s, *place))
        }
        Effect::ShelterClosed(p) => format!("shelter_closed {}", place_name(s, *p)),
        Effect::PowerCut(t) => format!("power_cut {}", target_text(s, t)),
        Effect::PowerRestored(t) => format!("restore power {}", target_text(s, t)),
        Effect::OutOfService(v) => format!("out_of_service {}", service_text(s, v)),
        Effect::Restored(v) => format!("restore {}", service_text(s, v)),
        Effect::PhonesDown => "phones_down".into(),
        Effect::PhonesRestored => "restore phones".into(),
        Effect::TeamDelayed { team, delay_s } => {
            format!(
                "delay {} {}",
                s.teams[team.0 as usize].name,
                offset(*delay_s).trim_start_matches('+')
            )
        }
        Effect::Inflow {
            river,
            m3_s,
            ramp_s,
        } => {
            let name = &s.map.rivers[river.0 as usize].name;
            if *ramp_s > 0.0 {
                format!(
                    "inflow {name} {m3_s} m3/s over {}",
                    offset(*ramp_s).trim_start_matches('+')
                )
            } else {
                format!("inflow {name} {m3_s} m3/s")
            }
        }
        Effect::Ignition(p) => format!("ignition ({}, {})", p.x, p.y),
    }
}

fn target_text(s: &Scenario, t: &Target) -> String {
    match t {
        Target::All => "all".into(),
        Target::Place(p) => place_name(s, *p),
        Target::Zone(z) => format!("zone {}", zone_name(s, *z)),
    }
}

fn service_text(s: &Scenario, v: &Service) -> String {
    match v {
        Service::Resource(r) => s.resources[r.0 as usize].name.clone(),
        Service::Channel(c) => crate::score::text::channel(*c).1.to_string(),
    }
}

/// `+1h05min` from the start.
pub fn offset(t_s: f64) -> String {
    let m = (t_s / 60.0).round() as i64;
    match (m / 60, m % 60) {
        (0, m) => format!("+{m}min"),
        (h, 0) => format!("+{h}h"),
        (h, m) => format!("+{h}h{m:02}min"),
    }
}

/// The timeline as text, one entry a line: clock, offset, kind, name, what.
pub fn render(scenario: &Scenario, entries: &[Entry]) -> String {
    use std::fmt::Write;
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "timeline of {} — the hazard run without actions, seed {} / 时间线预览",
        scenario.header.id, scenario.header.seed
    );
    let width = entries
        .iter()
        .map(|e| e.name.width())
        .max()
        .unwrap_or(0)
        .min(40);
    for e in entries {
        let (clock, off) = match e.t_s {
            Some(t) => (e.clock.clone(), offset(t)),
            None => ("--:--".into(), "never".into()),
        };
        let label = match e.object {
            "task" | "inject" => e.kind.to_string(),
            o => format!("{} {o}", e.kind),
        };
        let pad = width.saturating_sub(e.name.width());
        let _ = writeln!(
            out,
            "{clock}  {off:<11} {label:<12} {}{}  {}",
            e.name,
            " ".repeat(pad),
            e.what
        );
    }
    out
}

/// The event log as JSON with names next to indices: each `link`, place (`home`,
/// `at`, `to`, `from`, `shelter`, `towards`, `place`), `zone`, `team`, `role` and
/// `task` key keeps its number and gains a `…_name` key beside it (`"link": 9,
/// "link_name": "bridge 溪口 -> 溪口桥北"`). A one-key enum object (`{"Task": 2}`,
/// `{"Team": 1}`) is left as it is, so the file still reads back as the typed log
/// (serde ignores the added keys of a struct variant, not a second key of an enum).
pub fn named_events(s: &Scenario, events: &[TimedEvent]) -> serde_json::Value {
    let mut v = serde_json::to_value(events).unwrap_or(serde_json::Value::Null);
    name_in(s, &mut v);
    v
}

fn name_in(s: &Scenario, v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Array(items) => items.iter_mut().for_each(|x| name_in(s, x)),
        Value::Object(map) => {
            let mut add = Vec::new();
            for (k, x) in map.iter_mut() {
                if let Some(n) = x.as_u64() {
                    let i = n as u32;
                    let name = match k.as_str() {
                        "link" => Some(link_name(s, LinkIdx(i))),
                        "home" | "at" | "to" | "from" | "shelter" | "towards" | "place" => {
                            Some(place_name(s, PlaceIdx(i)))
                        }
                        "zone" => Some(zone_name(s, ZoneIdx(i))),
                        "team" => s.teams.get(i as usize).map(|t| t.name.clone()),
                        "role" => s.roles.get(i as usize).map(|r| r.name.clone()),
                        "task" => Some(task_id(s, TaskIdx(i))),
                        _ => None,
                    };
                    if let Some(name) = name {
                        add.push((format!("{k}_name"), name));
                    }
                } else {
                    name_in(s, x);
                }
            }
            for (k, name) in add {
                map.insert(k, Value::String(name));
            }
        }
        _ => {}
    }
}
