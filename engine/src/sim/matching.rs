//! 任务匹配 — which plan task a participant's action counts as.
//!
//! A recorder writes what people did, not the plan's words: the plan says `evacuate
//! zone 下村低洼区`, the log says `evacuate [elderly] from 下村`. So an action counts as
//! a task when it is the same kind of work on the same object, or on a place inside
//! the task's zone (or anywhere, for a task on `all`); details (groups, channels,
//! resources, destination) are for scoring to judge, not for matching. Among several
//! candidates the closest wins: identical work, then the same object, then a covered
//! one; within a tier a task whose `who` names the actor, then one not yet started,
//! then the lower task number.

use crate::model::{Action, Actor, Scenario, Target, TaskIdx, Work};
use std::mem::discriminant;

/// What a piece of work acts on, for matching.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Object {
    Target(Target),
    Place(crate::model::PlaceIdx),
    Link(crate::model::LinkIdx),
    Nothing,
}

fn object(work: &Work) -> Object {
    match work {
        Work::Warn(t)
        | Work::KnockDoors(t)
        | Work::Assess(t)
        | Work::Rescue(t)
        | Work::ShelterInPlace(t)
        | Work::Return(t) => Object::Target(*t),
        Work::Evacuate { from, .. } => Object::Target(*from),
        Work::OpenShelter(p) | Work::Roadblock(p) => Object::Place(*p),
        Work::CloseLink(l) => Object::Link(*l),
        Work::ReportAtPost | Work::Report | Work::FireLine(_) => Object::Nothing,
    }
}

/// Whether the task's target takes in the action's: all ⊇ zone ⊇ place in it.
fn covers(s: &Scenario, task: Target, action: Target) -> bool {
    match (task, action) {
        (Target::All, _) => true,
        (Target::Zone(z), Target::Place(p)) => s
            .map
            .zones
            .get(z.index())
            .zip(s.map.places.get(p.index()))
            .is_some_and(|(zone, place)| zone.contains(place.pos)),
        _ => false,
    }
}

/// How closely a task's work matches an action's: 0 identical, 1 same kind and
/// object, 2 same kind on a covered target; `None` when it does not match.
pub fn tier(s: &Scenario, task: &Work, action: &Work) -> Option<u8> {
    if discriminant(task) != discriminant(action) {
        return None;
    }
    if task == action {
        return Some(0);
    }
    match (object(task), object(action)) {
        (a, b) if a == b => Some(1),
        (Object::Target(t), Object::Target(a)) if covers(s, t, a) => Some(2),
        _ => None,
    }
}

/// The plan task an action counts as, if any. `started[i]`: task `i` already begun.
pub fn task_for(s: &Scenario, action: &Action, started: &[bool]) -> Option<TaskIdx> {
    s.plan
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, task)| {
            let tier = tier(s, &task.work, &action.work)?;
            let not_named = !task.who.contains(&action.actor);
            let begun = started.get(i).copied().unwrap_or(false);
            Some(((tier, not_named, begun, i), TaskIdx(i as u32)))
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, t)| t)
}

/// Whether `actor` is among a task's `who` (for callers that only need a yes/no).
pub fn named(s: &Scenario, task: TaskIdx, actor: Actor) -> bool {
    s.plan
        .tasks
        .get(task.index())
        .is_some_and(|t| t.who.contains(&actor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, PlaceIdx, ZoneIdx};

    fn zhuyuan() -> Scenario {
        let text = include_str!("../../../scenarios/zhuyuan-flash-flood.drill");
        let shared = include_str!("../../../scenarios/shared/county-resources.drill");
        let mut sources = crate::lang::SourceMap::new();
        let main = sources.add("zhuyuan-flash-flood.drill", text);
        let result = crate::lang::check(&mut sources, main, &|p: &str| {
            if p.ends_with("county-resources.drill") {
                Ok(shared.to_string())
            } else {
                Err("no such file".into())
            }
        });
        result.scenario.expect("the example scenario checks")
    }

    fn action(s: &Scenario, who: &str, work: Work) -> Action {
        let actor = s
            .roles
            .iter()
            .position(|r| r.name == who)
            .map(|i| Actor::Role(crate::model::RoleIdx(i as u32)))
            .or_else(|| {
                s.teams
                    .iter()
                    .position(|t| t.name == who)
                    .map(|i| Actor::Team(crate::model::TeamIdx(i as u32)))
            })
            .expect("known actor");
        Action {
            at_s: 0.0,
            actor,
            work,
            how: Vec::new(),
            with: Vec::new(),
            span: Default::default(),
        }
    }

    fn task_id(s: &Scenario, t: Option<TaskIdx>) -> Option<&str> {
        t.map(|t| s.task(t).id.as_str())
    }

    #[test]
    fn a_place_inside_the_task_zone_matches_without_channels_or_resources() {
        let s = zhuyuan();
        let xiacun = s.place_named("下村").unwrap();
        let zone = s
            .map
            .zones
            .iter()
            .position(|z| z.name == "下村低洼区")
            .unwrap();
        let none = vec![false; s.plan.tasks.len()];
        // T1 is `warn zone 下村低洼区 how [loudspeaker sms gong] with [...]`.
        let a = action(&s, "村应急管理员", Work::Warn(Target::Place(xiacun)));
        assert_eq!(task_id(&s, task_for(&s, &a, &none)), Some("T1"));
        let a = action(
            &s,
            "村应急管理员",
            Work::Warn(Target::Zone(ZoneIdx(zone as u32))),
        );
        assert_eq!(task_id(&s, task_for(&s, &a, &none)), Some("T1"));
        // A warning for a zone the plan never warns matches nothing.
        let kengli = s.place_named("坑里").unwrap();
        let a = action(&s, "村应急管理员", Work::Warn(Target::Place(kengli)));
        assert_eq!(task_for(&s, &a, &none), None);
    }

    #[test]
    fn evacuations_go_to_the_closest_task_not_the_enclosing_one() {
        let s = zhuyuan();
        let xiacun = s.place_named("下村").unwrap();
        let school = s.place_named("竹源小学");
        let none = vec![false; s.plan.tasks.len()];
        // Groups as in T6, but no destination: same object (下村) → T6, not T7's zone.
        let a = action(
            &s,
            "村志愿者服务队",
            Work::Evacuate {
                groups: vec![Group::Elderly],
                from: Target::Place(xiacun),
                to: None,
            },
        );
        assert_eq!(task_id(&s, task_for(&s, &a, &none)), Some("T6"));
        // Everyone from the zone → T7 exactly.
        let zone = ZoneIdx(
            s.map
                .zones
                .iter()
                .position(|z| z.name == "下村低洼区")
                .unwrap() as u32,
        );
        let a = action(
            &s,
            "乡综合应急救援队",
            Work::Evacuate {
                groups: Vec::new(),
                from: Target::Zone(zone),
                to: school,
            },
        );
        assert_eq!(task_id(&s, task_for(&s, &a, &none)), Some("T7"));
        // A different kind of work on the same place never matches.
        let a = action(&s, "网格员", Work::Rescue(Target::Place(PlaceIdx(0))));
        assert_eq!(task_for(&s, &a, &none), None);
    }

    #[test]
    fn report_at_post_prefers_a_task_that_names_the_actor() {
        let s = zhuyuan();
        let none = vec![false; s.plan.tasks.len()];
        let a = action(&s, "网格长", Work::ReportAtPost);
        let t = task_for(&s, &a, &none).unwrap();
        assert_eq!(s.task(t).id, "T2");
        assert!(named(&s, t, a.actor));
    }
}
