//! 原因分析 — when a task's work took effect (and whether people went home before the
//! assessment), and the causes behind a shortcoming, in
//! the users' words: an order queued behind a busy team, a full shelter, a road or
//! bridge cut by the hazard or an inject, a warning channel silenced (停电, 停用,
//! 通信中断). Places, roads, teams and shelters are named
//! as the scenario names them; no engine identifier reaches a report.

use super::facts::Facts;
use super::tasks::{Perf, places_in};
use super::text::{self, minutes};
use super::{Reason, ReasonCode};
use crate::model::{Actor, PlaceIdx, RequireOf, Scenario, Target, Task, TaskIdx, Work};
use crate::sim::events::{ActionId, LinkCloseCause, ServiceChange, Silence, WorkRef};
use std::collections::BTreeMap;

/// What "taking effect" means for a kind of work, for reasons: (中文, English).
pub fn effect_verb(work: &Work) -> (&'static str, &'static str) {
    match work {
        Work::Warn(_) => ("预警送达各户", "the households were warned"),
        Work::KnockDoors(_) => ("敲门到户", "every door was knocked on"),
        Work::ShelterInPlace(_) => ("就地避险通知到户", "the households were told"),
        Work::Evacuate { .. } => ("人员转移完毕", "the object was cleared"),
        Work::Rescue(_) => ("首批被困人员获救上岸", "the first rescued landed"),
        Work::OpenShelter(_) => ("避灾点开放", "the shelter opened"),
        Work::CloseLink(_) | Work::Roadblock(_) => ("完成封闭", "the road was closed"),
        Work::ReportAtPost => ("到岗", "they were at their posts"),
        Work::Report => ("完成上报", "it was reported"),
        Work::Assess(_) => ("评估完成", "the assessment was done"),
        Work::Return(_) => ("组织返回", "people returned"),
        Work::FireLine(_) => ("防火隔离带建成", "the fire line was built"),
    }
}

/// When a rescue's first and last rescued people landed (at or after `from_s`).
pub fn landings(
    scenario: &Scenario,
    facts: &Facts,
    target: Target,
    from_s: f64,
) -> Option<(f64, f64)> {
    let times: Vec<f64> = places_in(scenario, target)
        .iter()
        .filter_map(|p| facts.rescues.get(p))
        .flat_map(|r| r.rescued.iter().map(|x| x.0))
        .filter(|t| *t + 1e-6 >= from_s)
        .collect();
    let first = times.iter().copied().reduce(f64::min)?;
    let last = times.iter().copied().reduce(f64::max)?;
    Some((first, last))
}

/// The work an order waited behind, in words: the plan task it served, or what the
/// recorded action did.
fn behind_text(
    scenario: &Scenario,
    perfs: &[Perf],
    assignment: &[Option<TaskIdx>],
    w: WorkRef,
) -> (String, String) {
    // An action that served a plan task is named by that task, as the card names it.
    let w = match w {
        WorkRef::Action(ActionId(a)) => perfs
            .iter()
            .position(|p| p.action == Some(a))
            .and_then(|i| assignment.get(i).copied().flatten())
            .map_or(w, WorkRef::Task),
        w => w,
    };
    match w {
        WorkRef::Task(t) => scenario.plan.tasks.get(t.index()).map_or_else(
            || ("其他任务".into(), "other work".into()),
            |x| {
                (
                    format!("{}「{}」", x.id, x.title),
                    format!("{} '{}'", x.id, x.title),
                )
            },
        ),
        WorkRef::Action(ActionId(a)) => perfs.iter().find(|p| p.action == Some(a)).map_or_else(
            || ("其他行动".into(), "other work".into()),
            |p| text::work(scenario, &p.work),
        ),
    }
}

/// 排队: each of the task's orders that waited behind a busy team, and for how long.
pub fn queued(
    scenario: &Scenario,
    facts: &Facts,
    perfs: &[Perf],
    assignment: &[Option<TaskIdx>],
    mine: &[&Perf],
) -> Vec<Reason> {
    let clock = |t: f64| scenario.header.start.clock_at(t);
    let mut out = Vec::new();
    for p in mine {
        let key = match (p.action, p.task) {
            (Some(a), _) => WorkRef::Action(ActionId(a)),
            (None, Some(t)) => WorkRef::Task(t),
            _ => continue,
        };
        let Some((t0, team, behind)) = facts.work.get(&key).and_then(|w| w.queued) else {
            continue;
        };
        let team = text::actor(scenario, crate::model::Actor::Team(team));
        let (bz, be) = behind_text(scenario, perfs, assignment, behind);
        let reason = match p.started_s {
            Some(t1) if t1 - t0 >= 60.0 => Reason::new(
                ReasonCode::Queued,
                format!(
                    "{team}正忙于{bz}, 命令排队{}分钟 ({}下令, {}才开始)",
                    minutes(t1 - t0),
                    clock(t0),
                    clock(t1)
                ),
                format!(
                    "{team} was busy with {be}: the order waited {} min (given {}, begun {})",
                    minutes(t1 - t0),
                    clock(t0),
                    clock(t1)
                ),
            ),
            Some(_) => continue,
            None => Reason::new(
                ReasonCode::Queued,
                format!(
                    "{team}一直忙于{bz}, 命令自{}排队至演练结束仍未开始",
                    clock(t0)
                ),
                format!(
                    "{team} was busy with {be} throughout: the order given at {} never began",
                    clock(t0)
                ),
            ),
        };
        out.push(reason);
    }
    out
}

/// The households living in a target's places.
fn households_in(scenario: &Scenario, facts: &Facts, target: Target) -> Vec<usize> {
    let places = places_in(scenario, target);
    (0..facts.households.len())
        .filter(|&i| places.contains(&facts.households[i].home))
        .collect()
}

/// A full shelter that turned the task's people away.
pub fn shelters_full(scenario: &Scenario, facts: &Facts, target: Target) -> Vec<Reason> {
    let mut turned: BTreeMap<PlaceIdx, u32> = BTreeMap::new();
    for i in households_in(scenario, facts, target) {
        if let Some((_, from)) = facts.hh[i].redirected
            && facts.shelter_full.contains_key(&from)
        {
            *turned.entry(from).or_default() += 1;
        }
    }
    turned
        .into_iter()
        .map(|(shelter, n)| {
            let place = scenario.place(shelter);
            let full = facts.shelter_full[&shelter];
            let cap = place.shelter.as_ref().map_or(0, |s| s.capacity);
            Reason::new(
                ReasonCode::ShelterFull,
                format!(
                    "{}于{}已满 (容纳{cap}人), {n}户被转往他处",
                    place.name,
                    scenario.header.start.clock_at(full)
                ),
                format!(
                    "{} was full at {} (room for {cap}): {n} households were sent on",
                    place.name,
                    scenario.header.start.clock_at(full)
                ),
            )
        })
        .collect()
}

/// Roads, paths and bridges at the target's places closed by the hazard or an inject
/// before `until_s`.
pub fn roads_cut(scenario: &Scenario, facts: &Facts, target: Target, until_s: f64) -> Vec<Reason> {
    let places = places_in(scenario, target);
    let (cz, ce) = text::hazard_cut(scenario);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (t, link, cause) in &facts.links_closed {
        if *t > until_s + 1e-6 || seen.contains(link) {
            continue;
        }
        let Some(l) = scenario.map.links.get(link.index()) else {
            continue;
        };
        if !places.contains(&l.from) && !places.contains(&l.to) {
            continue;
        }
        let (lz, le) = text::link(scenario, *link);
        let when = scenario.header.start.clock_at(*t);
        let (zh, en) = match cause {
            LinkCloseCause::Hazard => (
                format!("{lz}于{when}{cz}"),
                format!("{le} was {ce} at {when}"),
            ),
            LinkCloseCause::Inject(n) => (
                format!("{lz}于{when}中断 (情景注入{n})"),
                format!("{le} was cut at {when} (inject {n})"),
            ),
            LinkCloseCause::Closed(_) => continue,
        };
        seen.push(*link);
        out.push(Reason::new(ReasonCode::RoadClosed, zh, en));
    }
    out
}

/// 渠道失效 — the warning channels of the task's work that made no contact, and why, in
/// words: "村广播 was silent at 21:05: the power was off at 石门村委会 and it has no
/// backup power (inject 7)". One reason per channel and equipment.
pub fn channels_silent(
    scenario: &Scenario,
    facts: &Facts,
    task: TaskIdx,
    mine: &[&Perf],
) -> Vec<Reason> {
    let refs: Vec<WorkRef> = mine
        .iter()
        .filter_map(|p| match (p.action, p.task) {
            (Some(a), _) => Some(WorkRef::Action(ActionId(a))),
            (None, Some(t)) => Some(WorkRef::Task(t)),
            _ => None,
        })
        .chain(std::iter::once(WorkRef::Task(task)))
        .collect();
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for s in &facts.silenced {
        if !s.work.is_some_and(|w| refs.contains(&w)) || seen.contains(&(s.channel, s.resource)) {
            continue;
        }
        seen.push((s.channel, s.resource));
        let when = scenario.header.start.clock_at(s.t_s);
        let (cz, ce) = text::channel(s.channel);
        let equipment = s.resource.and_then(|r| scenario.resources.get(r.index()));
        let (wz, we) = match equipment {
            Some(r) => (r.name.clone(), r.name.clone()),
            None => (cz.to_string(), format!("the {ce}")),
        };
        // The inject that caused it: the last one before this time of the same kind.
        let inject = |kind: &dyn Fn(&ServiceChange) -> bool| {
            facts
                .services
                .iter()
                .filter(|(t, what, working, _)| *t <= s.t_s + 1e-6 && !working && kind(what))
                .map(|x| x.3)
                .next_back()
        };
        let by = |n: Option<u32>| match n {
            Some(n) => (format!(" (情景注入{n})"), format!(" (inject {n})")),
            None => (String::new(), String::new()),
        };
        let (zh, en) = match (s.why, equipment) {
            (Silence::PowerCut, Some(r)) => {
                let place = &scenario.place(r.at).name;
                let (iz, ie) = by(inject(&|w| matches!(w, ServiceChange::Power(_))));
                (
                    format!("{wz}于{when}无声: {place}停电, 该设备无备用电源{iz}"),
                    format!(
                        "{we} was silent at {when}: the power was off at {place} and it has no backup power{ie}"
                    ),
                )
            }
            (Silence::OutOfService, _) | (Silence::ChannelOutOfService, _) => {
                let (iz, ie) = by(inject(&|w| matches!(w, ServiceChange::Service(_))));
                (
                    format!("{wz}于{when}停用, 未发出预警{iz}"),
                    format!("{we} was out of service at {when} and warned nobody{ie}"),
                )
            }
            (Silence::PhonesDown, _) => {
                let (iz, ie) = by(inject(&|w| matches!(w, ServiceChange::Phones)));
                (
                    format!("{cz}于{when}未送达: 通信中断{iz}"),
                    format!("the {ce} did not get through at {when}: the phones were down{ie}"),
                )
            }
            (Silence::PowerCut, None) => (
                format!("{cz}于{when}因停电无声"),
                format!("the {ce} was silent at {when}: power cut"),
            ),
        };
        out.push(Reason::new(ReasonCode::ChannelSilent, zh, en));
    }
    out
}

/// The causes behind a task's shortcoming: queued orders, full shelters, and (when
/// people were left behind) cut roads.
pub fn behind_shortcoming(
    scenario: &Scenario,
    facts: &Facts,
    task: &Task,
    perfs: &[Perf],
    assignment: &[Option<TaskIdx>],
    mine: &[&Perf],
    left_behind: bool,
) -> Vec<Reason> {
    let mut out = queued(scenario, facts, perfs, assignment, mine);
    match &task.work {
        Work::Evacuate { from, .. } => {
            out.extend(shelters_full(scenario, facts, *from));
            // A cut road explains people left behind, not a late but complete move.
            if left_behind {
                out.extend(roads_cut(scenario, facts, *from, facts.end_s));
            }
        }
        Work::Rescue(t) if left_behind => out.extend(roads_cut(scenario, facts, *t, facts.end_s)),
        _ => {}
    }
    out
}

/// When the task's work took effect (see `causes::effect_verb`): the required share
/// (all, without `require`) of households warned or people safe, the first rescued
/// landed, or the work finished; `None` when that never happened.
pub fn effect_time(
    scenario: &Scenario,
    facts: &Facts,
    task: &crate::model::Task,
    done: &[&Perf],
    acted: &[Actor],
    measured: Option<&super::tasks::Measure>,
    ordered_s: Option<f64>,
) -> Option<f64> {
    let finished = done
        .iter()
        .filter_map(|p| p.finished.map(|f| f.0))
        .reduce(f64::min);
    match &task.work {
        Work::Warn(_) | Work::KnockDoors(_) | Work::ShelterInPlace(_) | Work::Evacuate { .. } => {
            // With `require`, when the share was reached (already measured for
            // completeness); without, when every household was, or the work finished.
            match task.require {
                Some(_) => measured.and_then(|m| m.reached_at_s),
                None => super::tasks::measure(
                    scenario,
                    facts,
                    task,
                    100.0,
                    RequireOf::Households,
                    acted,
                )
                .and_then(|m| m.reached_at_s)
                .or(finished),
            }
        }
        // Nobody trapped there: the rescue takes effect when the team's work is done.
        Work::Rescue(t) => landings(scenario, facts, *t, ordered_s.unwrap_or(0.0))
            .map(|l| l.0)
            .or(finished),
        Work::ReportAtPost | Work::Return(_) => {
            done.iter().filter_map(|p| p.started_s).reduce(f64::max)
        }
        _ => finished,
    }
}

/// 返回前评估: the first return of the task's work that began before an assessment
/// of its place had finished, as a reason.
pub fn return_before_assessment(
    scenario: &Scenario,
    perfs: &[Perf],
    done: &[&Perf],
) -> Option<Reason> {
    for r in done {
        let (Work::Return(rt), Some(start)) = (&r.work, r.started_s) else {
            continue;
        };
        let rp = places_in(scenario, *rt);
        let assessed: Option<f64> = perfs
            .iter()
            .filter(|a| a.accepted() && matches!(&a.work, Work::Assess(at) if places_in(scenario, *at).iter().any(|p| rp.contains(p))))
            .filter_map(|a| a.finished.map(|f| f.0))
            .reduce(f64::min);
        let name = text::target(scenario, *rt);
        let when = scenario.header.start.clock_at(start);
        match assessed {
            Some(a) if a <= start + 1e-6 => continue,
            Some(a) => {
                return Some(Reason::new(
                    ReasonCode::ReturnBeforeAssessment,
                    format!(
                        "{when}组织{name}群众返回, 安全评估{}才完成",
                        scenario.header.start.clock_at(a)
                    ),
                    format!(
                        "people returned to {name} at {when}, the safety assessment finished at {}",
                        scenario.header.start.clock_at(a)
                    ),
                ));
            }
            None => {
                return Some(Reason::new(
                    ReasonCode::ReturnBeforeAssessment,
                    format!("{when}组织{name}群众返回, 未做安全评估"),
                    format!("people returned to {name} at {when} without a safety assessment"),
                ));
            }
        }
    }
    None
}
