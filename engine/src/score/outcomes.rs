//! Outcome metrics: the 四个100% (责任人员到岗, 危险区人员转移, 危房和户外作业人员转移,
//! 返回前评估), warning coverage, the time to warn everyone and to clear each
//! evacuation target, and the people exposed, trapped and rescued.
//!
//! The populations are the plan's own: "danger-zone people" are those living in the
//! objects of the plan's evacuation tasks (a shelter-in-place zone is not evacuated),
//! and "people to warn" those in the objects of its warning, door-knocking,
//! shelter-in-place and evacuation tasks.

use super::facts::Facts;
use super::tasks::{Perf, places_in};
use super::{Clearance, OutcomeScore, Outcomes, Text, round1};
use crate::model::{Actor, Outcome, PlaceIdx, Scenario, Target, Work};
use std::collections::BTreeSet;

fn name(metric: Outcome) -> Text {
    match metric {
        Outcome::AtPost => Text::new("责任人员到岗", "responsible people at their posts"),
        Outcome::Evacuated => Text::new("危险区人员转移", "danger-zone people evacuated"),
        Outcome::VulnerableMoved => Text::new(
            "危房和户外作业人员转移",
            "dilapidated-house and outdoor-work people moved",
        ),
        Outcome::AssessedBeforeReturn => {
            Text::new("返回前安全评估", "assessed before anyone returned")
        }
        Outcome::Warned => Text::new("预警覆盖", "people warned"),
    }
}

fn pct(done: u32, total: u32) -> f64 {
    if total == 0 {
        100.0
    } else {
        round1(100.0 * f64::from(done) / f64::from(total))
    }
}

pub fn outcomes(scenario: &Scenario, facts: &Facts, perfs: &[Perf]) -> Outcomes {
    let tasks = &scenario.plan.tasks;
    let evac_targets: Vec<Target> = tasks
        .iter()
        .filter_map(|t| match t.work {
            Work::Evacuate { from, .. } => Some(from),
            _ => None,
        })
        .collect();
    let warn_targets: Vec<Target> = tasks
        .iter()
        .filter_map(|t| match t.work {
            Work::Warn(x) | Work::KnockDoors(x) | Work::ShelterInPlace(x) => Some(x),
            Work::Evacuate { from, .. } => Some(from),
            _ => None,
        })
        .collect();
    let places_of = |targets: &[Target]| -> BTreeSet<PlaceIdx> {
        targets
            .iter()
            .flat_map(|t| places_in(scenario, *t))
            .collect()
    };
    let evac_places = places_of(&evac_targets);
    let warn_places = places_of(&warn_targets);
    let hh_at = |places: &BTreeSet<PlaceIdx>| -> Vec<usize> {
        (0..facts.households.len())
            .filter(|&i| places.contains(&facts.households[i].home))
            .collect()
    };

    // 到岗: the roles the plan's report-at-post tasks name (or every role with a post).
    // Actor is neither Ord nor Hash-ordered: small Vecs keep the plan's order.
    let mut post_roles: Vec<Actor> = Vec::new();
    for a in tasks
        .iter()
        .filter(|t| matches!(t.work, Work::ReportAtPost))
        .flat_map(|t| t.who.iter().copied())
    {
        if !post_roles.contains(&a) {
            post_roles.push(a);
        }
    }
    if post_roles.is_empty() {
        post_roles = scenario
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| r.post.is_some())
            .map(|(i, _)| Actor::Role(crate::model::RoleIdx(i as u32)))
            .collect();
    }
    let reported: Vec<Actor> = perfs
        .iter()
        .filter(|p| p.accepted() && matches!(p.work, Work::ReportAtPost))
        .map(|p| p.actor)
        .collect();
    let at_post = post_roles.iter().filter(|a| reported.contains(a)).count() as u32;

    let evac_hh = hh_at(&evac_places);
    let people = |i: usize| facts.households[i].members.total();
    let evac_total: u32 = evac_hh.iter().map(|&i| people(i)).sum();
    let evac_done: u32 = evac_hh
        .iter()
        .filter(|&&i| facts.hh[i].safe_s().is_some())
        .map(|&i| people(i))
        .sum();
    let vulnerable = |i: usize| {
        let m = &facts.households[i].members;
        m.dilapidated + m.outdoor_workers
    };
    let vul_total: u32 = evac_hh.iter().map(|&i| vulnerable(i)).sum();
    let vul_done: u32 = evac_hh
        .iter()
        .filter(|&&i| facts.hh[i].safe_s().is_some())
        .map(|&i| vulnerable(i))
        .sum();

    // 返回前评估: every return preceded by a finished assessment of an overlapping object.
    let returns: Vec<&Perf> = perfs
        .iter()
        .filter(|p| p.accepted() && matches!(p.work, Work::Return(_)))
        .collect();
    let assessed_before = |r: &Perf| {
        let (Work::Return(rt), Some(start)) = (&r.work, r.started_s) else {
            return false;
        };
        let rp = places_in(scenario, *rt);
        perfs.iter().any(|a| {
            let Work::Assess(at) = &a.work else {
                return false;
            };
            a.accepted()
                && a.finished.is_some_and(|f| f.0 <= start + 1e-6)
                && places_in(scenario, *at).iter().any(|p| rp.contains(p))
        })
    };
    let assessed = returns.iter().filter(|r| assessed_before(r)).count() as u32;

    let warn_hh = hh_at(&warn_places);
    let warn_total: u32 = warn_hh.iter().map(|&i| people(i)).sum();
    let warned: u32 = warn_hh
        .iter()
        .filter(|&&i| facts.hh[i].warned_s.is_some())
        .map(|&i| people(i))
        .sum();
    let all_warned_s = if warned == warn_total {
        warn_hh
            .iter()
            .filter_map(|&i| facts.hh[i].warned_s)
            .reduce(f64::max)
    } else {
        None
    };

    let values = |metric: Outcome| -> (f64, Text) {
        match metric {
            Outcome::AtPost => (
                pct(at_post, post_roles.len() as u32),
                Text::new(
                    format!("{at_post}/{}个岗位", post_roles.len()),
                    format!("{at_post} of {} posts", post_roles.len()),
                ),
            ),
            Outcome::Evacuated => (
                pct(evac_done, evac_total),
                Text::new(
                    format!("{evac_done}/{evac_total}人"),
                    format!("{evac_done} of {evac_total} people"),
                ),
            ),
            Outcome::VulnerableMoved => (
                pct(vul_done, vul_total),
                Text::new(
                    format!("{vul_done}/{vul_total}人"),
                    format!("{vul_done} of {vul_total} people"),
                ),
            ),
            Outcome::AssessedBeforeReturn => (
                pct(assessed, returns.len() as u32),
                if returns.is_empty() {
                    Text::new("无人返回", "nobody returned")
                } else {
                    Text::new(
                        format!("{assessed}/{}次返回前已评估", returns.len()),
                        format!("{assessed} of {} returns assessed first", returns.len()),
                    )
                },
            ),
            Outcome::Warned => (
                pct(warned, warn_total),
                Text::new(
                    format!("{warned}/{warn_total}人"),
                    format!("{warned} of {warn_total} people"),
                ),
            ),
        }
    };
    // The scenario's targets first, in its order; the other metrics after, untargeted.
    let mut targets: Vec<OutcomeScore> = scenario
        .scoring
        .outcomes
        .iter()
        .map(|t| {
            let (v, detail) = values(t.metric);
            OutcomeScore {
                metric: t.metric,
                name: name(t.metric),
                value_percent: v,
                target_percent: Some(t.percent),
                met: v + 1e-9 >= t.percent,
                veto: t.veto || t.metric.is_four_hundred(),
                detail,
            }
        })
        .collect();
    for metric in [
        Outcome::AtPost,
        Outcome::Warned,
        Outcome::Evacuated,
        Outcome::VulnerableMoved,
        Outcome::AssessedBeforeReturn,
    ] {
        if !targets.iter().any(|t| t.metric == metric) {
            let (v, detail) = values(metric);
            targets.push(OutcomeScore {
                metric,
                name: name(metric),
                value_percent: v,
                target_percent: None,
                met: true,
                veto: false,
                detail,
            });
        }
    }

    let mut seen: Vec<Target> = Vec::new();
    let clearance = evac_targets
        .iter()
        .filter(|t| {
            let new = !seen.contains(t);
            seen.push(**t);
            new
        })
        .map(|t| {
            let places: BTreeSet<PlaceIdx> = places_in(scenario, *t).into_iter().collect();
            let hh = hh_at(&places);
            let total: u32 = hh.iter().map(|&i| people(i)).sum();
            let left: u32 = hh
                .iter()
                .filter(|&&i| facts.hh[i].safe_s().is_none())
                .map(|&i| people(i))
                .sum();
            Clearance {
                target: super::text::target(scenario, *t),
                people: total,
                left,
                cleared_s: if left == 0 {
                    hh.iter()
                        .filter_map(|&i| facts.hh[i].safe_s())
                        .reduce(f64::max)
                } else {
                    None
                },
            }
        })
        .collect();

    let trapped_hh: u32 = (0..facts.households.len())
        .filter(|&i| facts.hh[i].trapped_s.is_some())
        .map(people)
        .sum();
    let trapped_anon: u32 = facts.rescues.values().map(|r| r.trapped_anonymous).sum();
    let rescued: u32 = facts
        .rescues
        .values()
        .flat_map(|r| r.rescued.iter().map(|x| x.1))
        .sum();
    let trapped = trapped_hh + trapped_anon;
    Outcomes {
        title: scenario.scoring.outcomes_title.clone(),
        targets,
        all_warned_s,
        warned_people: warned,
        people_to_warn: warn_total,
        clearance,
        exposed: facts.exposed_people,
        trapped,
        rescued,
        still_trapped: trapped.saturating_sub(rescued),
    }
}
