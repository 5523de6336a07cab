//! Per-task scoring: gather the work done (participants' actions, or the plan's tasks
//! as the simulation performed them), match each piece of work to the plan task it
//! serves, and rate every task on timeliness, completeness, resources and roles.
//!
//! Matching is by the kind of work and its object, not by exact equality: an
//! evacuation of 下村 towards another shelter still serves "evacuate 下村" (and is
//! marked "other shelter"); among several tasks of the same kind the work goes to the
//! one whose object, actor, channels and resources fit best.

use super::causes;
use super::facts::Facts;
use super::rules::{self, RatingCap};
use super::text::{self, minutes};
use super::{Criteria, Rating, Reason, ReasonCode, TaskScore, Text, round1};
use crate::model::{
    Action, ActionLog, Actor, Channel, Deadline, PlaceIdx, RequireOf, ResourceUse, Scenario,
    Target, TaskIdx, Trigger, Work,
};
use crate::sim::events::{RejectReason, TaskOutcome, WorkRef};
use std::collections::{BTreeMap, BTreeSet};

/// One piece of work done (or attempted) in the drill.
#[derive(Debug, Clone)]
pub struct Perf {
    /// The action's position in the log (`None` for plan-as-written work).
    pub action: Option<u32>,
    /// The plan task it was performed for (plan-as-written mode only).
    pub task: Option<TaskIdx>,
    pub actor: Actor,
    pub work: Work,
    pub how: Vec<Channel>,
    pub with: Vec<ResourceUse>,
    pub at_s: f64,
    pub started_s: Option<f64>,
    pub finished: Option<(f64, TaskOutcome)>,
    pub rejected: Option<RejectReason>,
}

impl Perf {
    pub fn accepted(&self) -> bool {
        self.rejected.is_none() && self.started_s.is_some()
    }
}

/// The work of the run: the log's actions with what became of them, or the plan's
/// tasks as the simulation started them.
pub fn performances(scenario: &Scenario, log: Option<&ActionLog>, facts: &Facts) -> Vec<Perf> {
    match log {
        Some(log) => log
            .actions
            .iter()
            .enumerate()
            .map(|(i, a): (usize, &Action)| {
                let w = facts
                    .work
                    .get(&WorkRef::Action(crate::sim::events::ActionId(i as u32)));
                Perf {
                    action: Some(i as u32),
                    task: None,
                    actor: a.actor,
                    work: a.work.clone(),
                    how: a.how.clone(),
                    with: a.with.clone(),
                    at_s: a.at_s,
                    started_s: w.and_then(|w| w.started_s),
                    finished: w.and_then(|w| w.finished),
                    rejected: w.and_then(|w| w.rejected.clone().map(|r| r.1)),
                }
            })
            .collect(),
        None => facts
            .task_starts
            .iter()
            .filter_map(|&(t, ti, actor)| {
                let task = scenario.plan.tasks.get(ti.index())?;
                let w = facts.work.get(&WorkRef::Task(ti));
                Some(Perf {
                    action: None,
                    task: Some(ti),
                    actor,
                    work: task.work.clone(),
                    how: task.how.clone(),
                    with: task.with.clone(),
                    at_s: t,
                    started_s: Some(t),
                    finished: w.and_then(|w| w.finished),
                    rejected: None,
                })
            })
            .collect(),
    }
}

/// The places a target covers (zones by the place's position, as the simulation does).
pub fn places_in(scenario: &Scenario, target: Target) -> Vec<PlaceIdx> {
    (0..scenario.map.places.len() as u32)
        .map(PlaceIdx)
        .filter(|&p| match target {
            Target::All => true,
            Target::Place(q) => p == q,
            Target::Zone(z) => scenario
                .map
                .zones
                .get(z.index())
                .is_some_and(|zone| zone.contains(scenario.place(p).pos)),
        })
        .collect()
}

fn overlaps(scenario: &Scenario, a: Target, b: Target) -> bool {
    if a == b || a == Target::All || b == Target::All {
        return true;
    }
    let pa = places_in(scenario, a);
    places_in(scenario, b).iter().any(|p| pa.contains(p))
}

/// How well a piece of work fits a task's work: `None` when it is other work, else a
/// quality (3 = same object, 1 = overlapping object) and the differences.
fn fit(scenario: &Scenario, planned: &Work, done: &Work) -> Option<(u8, Vec<Reason>)> {
    use Work::*;
    let target_fit = |a: Target, b: Target| -> Option<(u8, Vec<Reason>)> {
        if a == b {
            Some((3, Vec::new()))
        } else if overlaps(scenario, a, b) {
            let (pa, pb) = (text::target(scenario, a), text::target(scenario, b));
            Some((
                1,
                vec![Reason::new(
                    ReasonCode::WrongTarget,
                    format!("对象为{pb}, 处置卡为{pa}"),
                    format!("aimed at {pb}, the plan says {pa}"),
                )],
            ))
        } else {
            None
        }
    };
    match (planned, done) {
        (Warn(a), Warn(b))
        | (KnockDoors(a), KnockDoors(b))
        | (Assess(a), Assess(b))
        | (Rescue(a), Rescue(b))
        | (ShelterInPlace(a), ShelterInPlace(b))
        | (Return(a), Return(b)) => target_fit(*a, *b),
        (
            Evacuate {
                groups: g1,
                from: f1,
                to: t1,
            },
            Evacuate {
                groups: g2,
                from: f2,
                to: t2,
            },
        ) => {
            let (mut q, mut reasons) = target_fit(*f1, *f2)?;
            let set = |g: &Vec<crate::model::Group>| g.iter().copied().collect::<BTreeSet<_>>();
            if set(g1) != set(g2) {
                q = q.saturating_sub(1).max(1);
                let names = |g: &Vec<crate::model::Group>| {
                    if g.is_empty() {
                        ("全体人员".to_string(), "everyone".to_string())
                    } else {
                        text::list(
                            &g.iter()
                                .map(|x| {
                                    let (z, e) = text::group(*x);
                                    (z.to_string(), e.to_string())
                                })
                                .collect::<Vec<_>>(),
                        )
                    }
                };
                let (pz, pe) = names(g1);
                let (dz, de) = names(g2);
                reasons.push(Reason::new(
                    ReasonCode::WrongGroups,
                    format!("转移对象为{dz}, 处置卡为{pz}"),
                    format!("moved {de}, the plan says {pe}"),
                ));
            }
            if let Some(planned_to) = t1
                && t2.is_some_and(|t| t != *planned_to)
            {
                let (pn, dn) = (
                    scenario.place(*planned_to).name.clone(),
                    t2.map(|t| scenario.place(t).name.clone())
                        .unwrap_or_default(),
                );
                reasons.push(Reason::new(
                    ReasonCode::WrongShelter,
                    format!("转移到{dn}, 处置卡为{pn}"),
                    format!("moved to {dn}, the plan says {pn}"),
                ));
            }
            Some((q, reasons))
        }
        (OpenShelter(a), OpenShelter(b)) | (Roadblock(a), Roadblock(b)) if a == b => {
            Some((3, Vec::new()))
        }
        (CloseLink(a), CloseLink(b)) if a == b => Some((3, Vec::new())),
        (FireLine(a), FireLine(b)) => Some((if a == b { 3 } else { 1 }, Vec::new())),
        (ReportAtPost, ReportAtPost) | (Report, Report) => Some((3, Vec::new())),
        _ => None,
    }
}

/// For each performance, the task it serves (or `None`).
pub fn assign(scenario: &Scenario, perfs: &[Perf]) -> Vec<Option<TaskIdx>> {
    perfs
        .iter()
        .map(|p| {
            if p.task.is_some() {
                return p.task;
            }
            scenario
                .plan
                .tasks
                .iter()
                .enumerate()
                .filter_map(|(i, task)| {
                    let (q, _) = fit(scenario, &task.work, &p.work)?;
                    let who = task.who.contains(&p.actor) as u8;
                    let how = p.how.iter().filter(|c| task.how.contains(c)).count();
                    let with = p
                        .with
                        .iter()
                        .filter(|u| task.with.iter().any(|w| w.resource == u.resource))
                        .count();
                    Some(((q, who, how, with, std::cmp::Reverse(i)), i))
                })
                .max_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, i)| TaskIdx(i as u32))
        })
        .collect()
}

/// Times each task became due and was done, computed in dependency order.
struct Timing {
    trigger: Vec<Option<f64>>,
    deadline: Vec<Option<f64>>,
    started: Vec<Option<f64>>,
    finished: Vec<Option<f64>>,
}

fn timing(
    scenario: &Scenario,
    facts: &Facts,
    perfs: &[Perf],
    assignment: &[Option<TaskIdx>],
) -> Timing {
    let n = scenario.plan.tasks.len();
    let mut started = vec![None::<f64>; n];
    let mut finished = vec![None::<f64>; n];
    for (p, a) in perfs.iter().zip(assignment) {
        let (Some(t), true) = (a, p.accepted()) else {
            continue;
        };
        let i = t.index();
        if let Some(s) = p.started_s {
            started[i] = Some(started[i].map_or(s, |x: f64| x.min(s)));
        }
        // After(T) follows the first finish, as the simulation's plan mode does.
        if let Some((f, _)) = p.finished {
            finished[i] = Some(finished[i].map_or(f, |x: f64| x.min(f)));
        }
    }
    // The first return, for `before return`.
    let first_return = perfs
        .iter()
        .filter(|p| p.accepted() && matches!(p.work, Work::Return(_)))
        .filter_map(|p| p.started_s)
        .reduce(f64::min);
    let mut r = Resolver {
        s: scenario,
        facts,
        started: &started,
        finished: &finished,
        first_return,
        trigger: vec![None; n],
        deadline: vec![None; n],
    };
    for i in 0..n {
        r.resolve(i, 0);
    }
    let (trigger, deadline) = (r.trigger, r.deadline);
    Timing {
        trigger: trigger.into_iter().map(Option::flatten).collect(),
        deadline: deadline.into_iter().map(Option::flatten).collect(),
        started,
        finished,
    }
}

/// Trigger and deadline of each task, memoised; `after T` of an undone task follows
/// T's own due time, so it needs T resolved first.
struct Resolver<'a> {
    s: &'a Scenario,
    facts: &'a Facts,
    started: &'a [Option<f64>],
    finished: &'a [Option<f64>],
    first_return: Option<f64>,
    trigger: Vec<Option<Option<f64>>>,
    deadline: Vec<Option<Option<f64>>>,
}

impl Resolver<'_> {
    fn resolve(&mut self, i: usize, depth: usize) -> (Option<f64>, Option<f64>) {
        if let (Some(t), Some(d)) = (self.trigger[i], self.deadline[i]) {
            return (t, d);
        }
        // Validation rejects `after` cycles; the depth cap keeps a bad model finite.
        if depth > self.s.plan.tasks.len() {
            return (None, None);
        }
        let task = &self.s.plan.tasks[i];
        let trig = match task.trigger {
            Trigger::Warning(level) => self.facts.level_raised(level),
            Trigger::Inject(n) => self.facts.injects.get(&n).copied(),
            Trigger::Danger(z) => self.facts.zone_dangerous.get(&z.0).copied(),
            Trigger::At(t) => Some(t),
            // 之后: from when the other task started; not started: from when it
            // should have (its own trigger).
            Trigger::After(t) if t.index() < self.s.plan.tasks.len() => {
                self.started[t.index()].or_else(|| self.resolve(t.index(), depth + 1).0)
            }
            Trigger::AfterDone(t) if t.index() < self.s.plan.tasks.len() => {
                // Done: from its finish; not done: from when it should have been done.
                self.finished[t.index()].or_else(|| {
                    let (pt, pd) = self.resolve(t.index(), depth + 1);
                    pd.or(pt)
                })
            }
            Trigger::After(_) | Trigger::AfterDone(_) => None,
            Trigger::Before(_) | Trigger::BeforeReturn => None,
        };
        let dl = match (task.deadline, &task.trigger) {
            (Some(Deadline::By(t)), _) => Some(t),
            (Some(Deadline::Within(w)), Trigger::Before(_) | Trigger::BeforeReturn) => Some(w),
            (Some(Deadline::Within(w)), _) => trig.map(|t| t + w),
            (None, Trigger::Before(t)) => self.started.get(t.index()).copied().flatten(),
            (None, Trigger::BeforeReturn) => self.first_return,
            (None, _) => None,
        };
        self.trigger[i] = Some(trig);
        self.deadline[i] = Some(dl);
        (trig, dl)
    }
}

/// The share of a task's object the simulation says was reached.
pub struct Measure {
    pub percent: f64,
    pub reached_at_s: Option<f64>,
    pub shortfall: Option<Reason>,
}

/// Measures `require` for work with a countable object (households warned, people
/// moved or rescued, posts filled); `None` for work that is simply done or not.
pub(super) fn measure(
    scenario: &Scenario,
    facts: &Facts,
    task: &crate::model::Task,
    required: f64,
    of: RequireOf,
    acted: &[Actor],
) -> Option<Measure> {
    let hh_in = |t: Target| -> Vec<usize> {
        let places = places_in(scenario, t);
        facts
            .households
            .iter()
            .enumerate()
            .filter(|(_, h)| places.contains(&h.home))
            .map(|(i, _)| i)
            .collect()
    };
    // (weight, reached at) per unit counted; then the share and when it was reached.
    let share = |units: Vec<(u32, Option<f64>)>| -> (f64, Option<f64>, u32, u32) {
        let total: u32 = units.iter().map(|u| u.0).sum();
        let done: u32 = units.iter().filter(|u| u.1.is_some()).map(|u| u.0).sum();
        if total == 0 {
            return (100.0, Some(0.0), 0, 0);
        }
        let mut times: Vec<(f64, u32)> =
            units.iter().filter_map(|u| u.1.map(|t| (t, u.0))).collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut acc = 0u32;
        let mut at = None;
        for (t, w) in times {
            acc += w;
            if f64::from(acc) * 100.0 >= required * f64::from(total) - 1e-9 {
                at = Some(t);
                break;
            }
        }
        (
            100.0 * f64::from(done) / f64::from(total),
            at,
            total - done,
            total,
        )
    };
    let weight = |i: usize| match of {
        RequireOf::Households => 1,
        RequireOf::People => facts.households[i].members.total(),
    };
    let unit = |of: RequireOf| match of {
        RequireOf::Households => ("户", "households"),
        RequireOf::People => ("人", "people"),
    };
    match &task.work {
        Work::Warn(t) | Work::ShelterInPlace(t) | Work::KnockDoors(t) => {
            let knock = matches!(task.work, Work::KnockDoors(_));
            let counted: Vec<Channel> =
                if knock && (task.how.is_empty() || task.how.contains(&Channel::DoorKnock)) {
                    vec![Channel::DoorKnock]
                } else {
                    Vec::new()
                };
            let units = hh_in(*t)
                .into_iter()
                .map(|i| {
                    let h = &facts.hh[i];
                    let at = if counted.is_empty() {
                        h.warned_s
                    } else {
                        // Nobody to knock for once the household has left.
                        counted
                            .iter()
                            .filter_map(|c| h.channels.get(c).copied())
                            .chain(h.departed_s)
                            .chain(h.safe_s())
                            .reduce(f64::min)
                    };
                    (weight(i), at)
                })
                .collect();
            let (pct, at, left, total) = share(units);
            let name = text::target(scenario, *t);
            let (uz, ue) = unit(of);
            let shortfall = (pct + 1e-9 < required).then(|| {
                let (vz, ve) = if knock {
                    ("未敲门入户", "not visited")
                } else if matches!(task.work, Work::ShelterInPlace(_)) {
                    ("未收到就地避险通知", "not told to shelter in place")
                } else {
                    ("未收到预警", "not warned")
                };
                Reason::new(
                    ReasonCode::Shortfall,
                    format!("{name}仍有{left}{uz}{vz} (共{total}{uz})"),
                    format!("{left} of {total} {ue} in {name} {ve}"),
                )
            });
            Some(Measure {
                percent: pct,
                reached_at_s: at,
                shortfall,
            })
        }
        Work::Evacuate { groups, from, .. } => {
            let hhs = hh_in(*from);
            let of_people = |i: usize| -> u32 {
                let m = &facts.households[i].members;
                if groups.is_empty() {
                    m.total()
                } else {
                    groups.iter().map(|g| m.get(*g)).sum()
                }
            };
            let units: Vec<(u32, Option<f64>)> = hhs
                .iter()
                .filter(|&&i| of_people(i) > 0)
                .map(|&i| {
                    let w = match of {
                        RequireOf::Households => 1,
                        RequireOf::People => of_people(i),
                    };
                    (w, facts.hh[i].safe_s())
                })
                .collect();
            let (pct, at, _, _) = share(units);
            let shortfall =
                (pct + 1e-9 < required).then(|| left_behind(scenario, facts, &hhs, groups));
            Some(Measure {
                percent: pct,
                reached_at_s: at,
                shortfall,
            })
        }
        Work::Rescue(t) => {
            let places = places_in(scenario, *t);
            let mut trapped = 0u32;
            let mut rescued: Vec<(f64, u32)> = Vec::new();
            for (i, h) in facts.households.iter().enumerate() {
                if places.contains(&h.home) && facts.hh[i].trapped_s.is_some() {
                    trapped += h.members.total();
                }
            }
            for p in &places {
                if let Some(r) = facts.rescues.get(p) {
                    trapped += r.trapped_anonymous;
                    rescued.extend(r.rescued.iter().copied());
                }
            }
            if trapped == 0 {
                return Some(Measure {
                    percent: 100.0,
                    reached_at_s: None,
                    shortfall: None,
                });
            }
            rescued.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut acc = 0u32;
            let mut at = None;
            for (t, n) in &rescued {
                acc += n;
                if at.is_none() && f64::from(acc) * 100.0 >= required * f64::from(trapped) - 1e-9 {
                    at = Some(*t);
                }
            }
            let done = acc.min(trapped);
            let pct = 100.0 * f64::from(done) / f64::from(trapped);
            let name = text::target(scenario, *t);
            let shortfall = (pct + 1e-9 < required).then(|| {
                Reason::new(
                    ReasonCode::Shortfall,
                    format!("{name}仍有{}人被困未获救 (共{trapped}人)", trapped - done),
                    format!(
                        "{} of {trapped} trapped people in {name} not rescued",
                        trapped - done
                    ),
                )
            });
            Some(Measure {
                percent: pct,
                reached_at_s: at,
                shortfall,
            })
        }
        Work::ReportAtPost if !task.who.is_empty() => {
            let n = task.who.iter().filter(|a| acted.contains(a)).count();
            let pct = 100.0 * n as f64 / task.who.len() as f64;
            Some(Measure {
                percent: pct,
                reached_at_s: None,
                shortfall: None,
            })
        }
        _ => None,
    }
}

/// "下村仍有3名老人未转移 / 3 elderly left in 下村", per place and group.
fn left_behind(
    scenario: &Scenario,
    facts: &Facts,
    hhs: &[usize],
    groups: &[crate::model::Group],
) -> Reason {
    use crate::model::Group;
    let shown: Vec<Group> = if groups.is_empty() {
        vec![
            Group::Disabled,
            Group::Elderly,
            Group::Children,
            Group::OutdoorWorkers,
            Group::Dilapidated,
            Group::Adults,
        ]
    } else {
        groups.to_vec()
    };
    let mut by_place: BTreeMap<PlaceIdx, BTreeMap<Group, u32>> = BTreeMap::new();
    for &i in hhs {
        if facts.hh[i].safe_s().is_some() {
            continue;
        }
        let h = &facts.households[i];
        for g in &shown {
            let n = h.members.get(*g);
            if n > 0 {
                *by_place.entry(h.home).or_default().entry(*g).or_default() += n;
            }
        }
    }
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for (place, counts) in &by_place {
        let name = &scenario.place(*place).name;
        let total: u32 = counts.values().sum();
        let parts: Vec<(String, String)> = counts
            .iter()
            .map(|(g, n)| {
                let (gz, ge) = text::group(*g);
                (format!("{gz}{n}名"), format!("{n} {ge}"))
            })
            .collect();
        if counts.len() == 1 {
            let (g, n) = counts
                .iter()
                .next()
                .map(|(g, n)| (*g, *n))
                .unwrap_or((Group::Adults, 0));
            let (gz, ge) = text::group(g);
            zh.push(format!("{name}仍有{n}名{gz}未转移"));
            en.push(format!("{n} {ge} left in {name}"));
        } else {
            let (pz, pe) = text::list(&parts);
            zh.push(format!("{name}仍有{total}人未转移 ({pz})"));
            en.push(format!("{total} people left in {name} ({pe})"));
        }
    }
    Reason::new(ReasonCode::Shortfall, zh.join("; "), en.join("; "))
}

fn clock(s: &Scenario, t: f64) -> String {
    s.header.start.clock_at(t)
}

fn reject_text(s: &Scenario, r: &RejectReason) -> (String, String) {
    r.describe_zh_en(s)
}

/// Scores every plan task.
pub fn score_tasks(
    scenario: &Scenario,
    facts: &Facts,
    perfs: &[Perf],
    assignment: &[Option<TaskIdx>],
) -> Vec<TaskScore> {
    let timing = timing(scenario, facts, perfs, assignment);
    let weights = scenario.scoring.weights;
    let thresholds = scenario.scoring.ratings;
    scenario
        .plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let mine: Vec<&Perf> = perfs
                .iter()
                .zip(assignment)
                .filter(|(_, a)| **a == Some(TaskIdx(i as u32)))
                .map(|(p, _)| p)
                .collect();
            let done: Vec<&Perf> = mine.iter().copied().filter(|p| p.accepted()).collect();
            let mut acted: Vec<Actor> = Vec::new();
            for p in &done {
                if !acted.contains(&p.actor) {
                    acted.push(p.actor);
                }
            }
            let trigger = timing.trigger[i];
            let deadline = timing.deadline[i];
            let mut reasons: Vec<Reason> = Vec::new();
            let required = task.require.map(|r| r.percent);
            let mut score = TaskScore {
                id: task.id.clone(),
                title: task.title.clone(),
                who: task.who.iter().map(|a| text::actor(scenario, *a)).collect(),
                trigger_s: trigger,
                deadline_s: deadline,
                started_s: timing.started[i],
                finished_s: done
                    .iter()
                    .filter_map(|p| p.finished.map(|f| f.0))
                    .reduce(f64::max),
                late_s: None,
                required_percent: required,
                reached_percent: None,
                reached_at_s: None,
                actions: mine.iter().filter_map(|p| p.action).collect(),
                criteria: Criteria::default(),
                score: 0.0,
                rating: None,
                reasons: Vec::new(),
                effect_s: None,
                caps: Vec::new(),
                notes: Vec::new(),
            };
            let due = trigger.is_some()
                || matches!(task.trigger, Trigger::Before(_) | Trigger::BeforeReturn);
            if done.is_empty() {
                if !due && mine.is_empty() {
                    // Never became due, nobody did it: not scored.
                    return score;
                }
                let queued = causes::queued(scenario, facts, perfs, assignment, &mine);
                let (code, zh, en) = match mine.iter().find_map(|p| p.rejected.as_ref()) {
                    Some(r) => {
                        let (z, e) = reject_text(scenario, r);
                        (
                            ReasonCode::Rejected,
                            format!("未执行 (被拒绝: {z})"),
                            format!("not done (rejected: {e})"),
                        )
                    }
                    None if !queued.is_empty() => (
                        ReasonCode::Queued,
                        "已下令但未开始".to_string(),
                        "ordered but never begun".to_string(),
                    ),
                    None => match facts.skipped.get(&TaskIdx(i as u32)) {
                        Some((_, r)) => {
                            let (z, e) = reject_text(scenario, r);
                            (
                                ReasonCode::NotDone,
                                format!("未执行 ({z})"),
                                format!("not done ({e})"),
                            )
                        }
                        None => (
                            ReasonCode::NotDone,
                            "未执行".to_string(),
                            "not done".to_string(),
                        ),
                    },
                };
                score.reasons.push(Reason::new(code, zh, en));
                score.reasons.extend(queued);
                score.caps.push(RatingCap::NothingReached);
                score.rating = Some(Rating::U);
                return score;
            }

            // 职责 — roles: the plan's `who` took part.
            let roles = if task.who.is_empty() {
                100.0
            } else {
                let covered = task.who.iter().filter(|a| acted.contains(a)).count();
                for a in &task.who {
                    if !acted.contains(a) {
                        let name = text::actor(scenario, *a);
                        let why = mine
                            .iter()
                            .find(|p| p.actor == *a && p.rejected.is_some())
                            .and_then(|p| p.rejected.as_ref())
                            .map(|r| reject_text(scenario, r));
                        match why {
                            Some((z, e)) => reasons.push(Reason::new(
                                ReasonCode::Rejected,
                                format!("{name}的行动被拒绝: {z}"),
                                format!("{name}'s action was rejected: {e}"),
                            )),
                            None if matches!(task.work, Work::ReportAtPost) => {
                                reasons.push(Reason::new(
                                    ReasonCode::MissingActor,
                                    format!("{name}未到岗"),
                                    format!("{name} was not at the post"),
                                ))
                            }
                            None => reasons.push(Reason::new(
                                ReasonCode::MissingActor,
                                format!("{name}未参与"),
                                format!("{name} did not take part"),
                            )),
                        }
                    }
                }
                let others: Vec<String> = acted
                    .iter()
                    .filter(|a| !task.who.contains(a))
                    .map(|a| text::actor(scenario, *a))
                    .collect();
                if covered == 0 && !others.is_empty() {
                    let planned = score.who.join("、");
                    reasons.push(Reason::new(
                        ReasonCode::WrongActor,
                        format!("由{}执行, 处置卡为{planned}", others.join("、")),
                        format!("done by {}, the plan says {planned}", others.join(", ")),
                    ));
                    25.0
                } else {
                    100.0 * covered as f64 / task.who.len() as f64
                }
            };

            // 完成度 — completeness: the object, and the share the simulation reached.
            let best_fit = done
                .iter()
                .filter_map(|p| fit(scenario, &task.work, &p.work))
                .max_by_key(|f| (f.0, std::cmp::Reverse(f.1.len())));
            let mut completeness = 100.0;
            if let Some((_, diffs)) = best_fit {
                for d in diffs {
                    completeness -= 20.0;
                    reasons.push(d);
                }
            }
            let measured = task.require.and_then(|r| {
                measure(scenario, facts, task, r.percent, r.of, &acted).map(|m| (m, r.percent))
            });
            let outcome_share = {
                let finished: Vec<&TaskOutcome> = done
                    .iter()
                    .filter_map(|p| p.finished.as_ref().map(|f| &f.1))
                    .collect();
                if finished.iter().any(|o| matches!(o, TaskOutcome::Done)) {
                    100.0
                } else if let Some(TaskOutcome::Failed(b)) = finished
                    .iter()
                    .find(|o| matches!(o, TaskOutcome::Failed(_)))
                {
                    let (bz, be) = text::blocked(*b);
                    reasons.push(Reason::new(
                        ReasonCode::Failed,
                        format!("推演中未能完成: {bz}"),
                        format!("could not be done in the simulation: {be}"),
                    ));
                    0.0
                } else if let Some(TaskOutcome::Partial { reached, of }) = finished
                    .iter()
                    .find(|o| matches!(o, TaskOutcome::Partial { .. }))
                {
                    if measured.is_none() {
                        reasons.push(Reason::new(
                            ReasonCode::Unfinished,
                            format!("只完成了{reached}/{of}"),
                            format!("only {reached} of {of} done"),
                        ));
                    }
                    100.0 * f64::from(*reached) / f64::from((*of).max(1))
                } else {
                    reasons.push(Reason::new(
                        ReasonCode::Unfinished,
                        "演练结束时仍未完成",
                        "still unfinished when the drill ended",
                    ));
                    50.0
                }
            };
            let mut caps: Vec<RatingCap> = Vec::new();
            let share = match &measured {
                Some((m, req)) => {
                    score.reached_percent = Some(round1(m.percent));
                    score.reached_at_s = m.reached_at_s;
                    if let Some(r) = &m.shortfall {
                        reasons.push(r.clone());
                        caps.push(RatingCap::Shortfall);
                        if matches!(task.work, Work::Evacuate { .. } | Work::Rescue(_)) {
                            caps.push(RatingCap::LeftInDanger);
                        }
                    }
                    if m.percent <= 1e-9 {
                        caps.push(RatingCap::NothingReached);
                    }
                    (100.0 * m.percent / req.max(1e-9)).min(100.0)
                }
                None => outcome_share,
            };
            completeness = (completeness * share / 100.0).max(0.0);

            // 时效 — timeliness on the effect (households reached, the object cleared,
            // the first rescued landed...), not on the order; the order stays visible.
            let effect = causes::effect_time(
                scenario,
                facts,
                task,
                &done,
                &acted,
                measured.as_ref().map(|(m, _)| m),
                score.started_s,
            );
            score.effect_s = effect;
            let mut timeliness = 100.0;
            if let Some(d) = deadline {
                let grace = match task.deadline {
                    Some(Deadline::Within(w)) => w.max(600.0),
                    _ => 1800.0,
                };
                let (vz, ve) = causes::effect_verb(&task.work);
                // The order is when it was given (an action's time, or the plan
                // task's start), not when a busy team got round to it.
                let ordered = done
                    .iter()
                    .map(|p| p.at_s)
                    .reduce(f64::min)
                    .map(|s| clock(scenario, s));
                let order_zh = ordered
                    .as_ref()
                    .map_or(String::new(), |c| format!(", {c}下令"));
                let order_en = ordered
                    .as_ref()
                    .map_or(String::new(), |c| format!(", ordered {c}"));
                // Events are stamped at the end of their step, and deadlines are read
                // in whole minutes: up to a minute and a step past is on time.
                let tolerance = facts.step_s + 60.0 + 1e-6;
                match effect {
                    Some(e) if e > d + tolerance => {
                        let late = e - d;
                        score.late_s = Some(late);
                        timeliness = (100.0 * (1.0 - late / grace)).max(0.0);
                        reasons.push(Reason::new(
                            ReasonCode::Late,
                            format!(
                                "迟了{}分钟: 应于{}前{vz}, 实际{}{order_zh}",
                                minutes(late),
                                clock(scenario, d),
                                clock(scenario, e)
                            ),
                            format!(
                                "{} min late: {ve} at {}, due {}{order_en}",
                                minutes(late),
                                clock(scenario, e),
                                clock(scenario, d)
                            ),
                        ));
                    }
                    None if facts.end_s > d + tolerance => {
                        let late = facts.end_s - d;
                        score.late_s = Some(late);
                        timeliness = 0.0;
                        reasons.push(Reason::new(
                            ReasonCode::Late,
                            format!(
                                "应于{}前{vz}, 至演练结束仍未做到{order_zh}",
                                clock(scenario, d)
                            ),
                            format!(
                                "not achieved by the end of the drill (due {}: {ve}){order_en}",
                                clock(scenario, d)
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            if let Trigger::After(pre) | Trigger::AfterDone(pre) = task.trigger {
                // A late prerequisite moves this task's due time: say so, so that an
                // on-time rating here is not read as the whole chain being on time.
                // `after T` counts from T's start (late when T began after its own
                // trigger), `after T done` from its finish (late after its deadline).
                let done = matches!(task.trigger, Trigger::AfterDone(_));
                let (pre_at, pre_due) = if done {
                    (&timing.finished, &timing.deadline)
                } else {
                    (&timing.started, &timing.trigger)
                };
                if let (Some(pre_task), Some(pf), Some(pd), Some(d)) = (
                    scenario.plan.tasks.get(pre.index()),
                    pre_at.get(pre.index()).copied().flatten(),
                    pre_due.get(pre.index()).copied().flatten(),
                    deadline,
                ) && pf > pd + facts.step_s + 1e-6
                {
                    let (vz, ve, dz, de) = if done {
                        ("完成", "finish", "前完成", "was due")
                    } else {
                        ("开始", "start", "开始", "was due to start")
                    };
                    score.notes.push(Text::new(
                        format!(
                            "时限随{}{vz}推迟至{} ({}本应于{}{dz})",
                            pre_task.id,
                            clock(scenario, d),
                            pre_task.id,
                            clock(scenario, pd)
                        ),
                        format!(
                            "due time moved to {} with {}'s late {ve} ({} {de} {})",
                            clock(scenario, d),
                            pre_task.id,
                            pre_task.id,
                            clock(scenario, pd)
                        ),
                    ));
                }
                if let Some(first) = score.started_s {
                    // The prerequisite must have begun (a warning is issued before the
                    // knocking starts, even while its last contacts are still made).
                    let pre_done = timing.started.get(pre.index()).copied().flatten();
                    let pre_id = scenario
                        .plan
                        .tasks
                        .get(pre.index())
                        .map_or("?".to_string(), |t| t.id.clone());
                    let out_of_order = match pre_done {
                        None => Some((
                            format!("前置任务{pre_id}未完成即执行"),
                            format!("done although {pre_id}, which must come first, was not done"),
                        )),
                        Some(p) if p > first + 1e-6 => Some((
                            format!("在前置任务{pre_id}开始前执行"),
                            format!("started before {pre_id} had begun"),
                        )),
                        _ => None,
                    };
                    if let Some((z, e)) = out_of_order {
                        timeliness = timeliness.min(if pre_done.is_none() { 0.0 } else { 50.0 });
                        reasons.push(Reason::new(ReasonCode::OutOfOrder, z, e));
                    }
                }
            }
            // 返回前评估: a return before the assessment of its place is a serious fault.
            if let Work::Return(_) = task.work
                && let Some(r) = causes::return_before_assessment(scenario, perfs, &done)
            {
                // The same fact as "before its prerequisite (the assessment)": say it once.
                reasons.retain(|x| x.code != ReasonCode::OutOfOrder);
                reasons.push(r);
                caps.push(RatingCap::ReturnBeforeAssessment);
            }

            // 资源 — channels and resources as planned.
            let mut parts: Vec<f64> = Vec::new();
            if !task.how.is_empty() {
                let used: BTreeSet<Channel> =
                    done.iter().flat_map(|p| p.how.iter().copied()).collect();
                let missing: Vec<Channel> = task
                    .how
                    .iter()
                    .copied()
                    .filter(|c| !used.contains(c))
                    .collect();
                let n = task.how.len() - missing.len();
                parts.push(100.0 * n as f64 / task.how.len() as f64);
                if !missing.is_empty() {
                    let names: Vec<(String, String)> = missing
                        .iter()
                        .map(|c| {
                            let (z, e) = text::channel(*c);
                            (z.to_string(), e.to_string())
                        })
                        .collect();
                    let (mz, me) = text::list(&names);
                    reasons.push(Reason::new(
                        ReasonCode::MissingChannel,
                        format!("只用了{n}/{}种渠道, 未用{mz}", task.how.len()),
                        format!("used {n} of {} channels, not {me}", task.how.len()),
                    ));
                }
            }
            if !task.with.is_empty() {
                let mut used: BTreeMap<u32, u32> = BTreeMap::new();
                for p in &done {
                    for u in &p.with {
                        *used.entry(u.resource.0).or_default() += u.quantity;
                    }
                }
                let name = |r: u32| {
                    scenario
                        .resources
                        .get(r as usize)
                        .map_or("?".to_string(), |x| x.name.clone())
                };
                let mut fracs = Vec::new();
                let mut short_any = false;
                for planned in &task.with {
                    let q = planned.quantity.max(1);
                    let got = used.get(&planned.resource.0).copied().unwrap_or(0);
                    fracs.push(f64::from(got.min(q)) / f64::from(q));
                    let n = name(planned.resource.0);
                    if got == 0 {
                        short_any = true;
                        reasons.push(Reason::new(
                            ReasonCode::MissingResource,
                            format!("未使用{n} (处置卡: {n} {})", planned.quantity),
                            format!("did not use {n} (plan: {} {n})", planned.quantity),
                        ));
                    } else if got < planned.quantity {
                        short_any = true;
                        reasons.push(Reason::new(
                            ReasonCode::ShortQuantity,
                            format!("用了{got}/{}个{n}", planned.quantity),
                            format!("used {got} of {} {n}", planned.quantity),
                        ));
                    }
                }
                let extra: Vec<String> = used
                    .iter()
                    .filter(|(r, _)| !task.with.iter().any(|w| w.resource.0 == **r))
                    .map(|(r, q)| format!("{} {q}", name(*r)))
                    .collect();
                if short_any && !extra.is_empty() {
                    let planned: Vec<String> = task
                        .with
                        .iter()
                        .map(|w| format!("{} {}", name(w.resource.0), w.quantity))
                        .collect();
                    reasons.push(Reason::new(
                        ReasonCode::WrongResource,
                        format!("用了{}, 处置卡为{}", extra.join("、"), planned.join("、")),
                        format!(
                            "used {} instead of {}",
                            extra.join(", "),
                            planned.join(", ")
                        ),
                    ));
                }
                parts.push(100.0 * fracs.iter().sum::<f64>() / fracs.len() as f64);
            }
            let resources = if parts.is_empty() {
                100.0
            } else {
                parts.iter().sum::<f64>() / parts.len() as f64
            };

            let criteria = Criteria {
                timeliness: round1(timeliness),
                completeness: round1(completeness),
                resources: round1(resources),
                roles: round1(roles),
            };
            let wsum =
                weights.timeliness + weights.completeness + weights.resources + weights.roles;
            let total = if wsum > 0.0 {
                (criteria.timeliness * weights.timeliness
                    + criteria.completeness * weights.completeness
                    + criteria.resources * weights.resources
                    + criteria.roles * weights.roles)
                    / wsum
            } else {
                0.0
            };
            let mut rating = if total >= thresholds.p {
                Rating::P
            } else if total >= thresholds.s {
                Rating::S
            } else if total >= thresholds.m {
                Rating::M
            } else {
                Rating::U
            };
            // A warning channel that made no contact is a challenge of its own, even
            // when the other channels made up for it (the plan relied on it).
            if matches!(
                task.work,
                Work::Warn(_)
                    | Work::KnockDoors(_)
                    | Work::ShelterInPlace(_)
                    | Work::Evacuate { .. }
            ) {
                reasons.extend(causes::channels_silent(
                    scenario,
                    facts,
                    TaskIdx(i as u32),
                    &mine,
                ));
            }
            // P means "without challenges" (rules C1-C5): any named shortcoming caps
            // it at S, people left in danger or a return before the assessment at M.
            if !reasons.is_empty() {
                caps.push(RatingCap::Challenge);
                // The causes behind the shortcoming, in the users' words.
                let left_behind = reasons
                    .iter()
                    .any(|r| matches!(r.code, ReasonCode::Shortfall | ReasonCode::Failed));
                reasons.extend(causes::behind_shortcoming(
                    scenario,
                    facts,
                    task,
                    perfs,
                    assignment,
                    &mine,
                    left_behind,
                ));
            }
            caps.sort();
            caps.dedup();
            rating = rules::capped(rating, &caps);
            score.caps = caps;
            score.criteria = criteria;
            score.score = round1(total);
            score.rating = Some(rating);
            score.reasons = reasons;
            score
        })
        .collect()
}
