//! The systems of one fixed step, run in this order (`.chain()`ed, single-threaded):
//! clock → injects → dispatch (plan triggers, actions, queued work) → hazards →
//! warnings delivered → departures → movement → teams → role work → exposure → end.
//! `step_schedule` holds that order and fits the physical hazards' effects
//! (`hazard_effects`) in between.
//!
//! Each system stamps its events with the step's end time, `Clock::now_s`. The files,
//! by concern: `injects` (情景注入), `dispatch` (plan triggers, actions, starting work),
//! `validate` (whether work may start, what it draws), `warning` (预警: contacts made
//! and delivered), `danger` (hazard sampling, exposure, trapping, totals), `movement`
//! (households on their way to a shelter), `teams` (teams at work, rescue landings,
//! the end of every job).

mod danger;
mod dispatch;
mod injects;
mod movement;
mod teams;
mod validate;
mod warning;

pub(super) use danger::totals;

use super::{SimStep, hazard_effects};
use crate::model::*;
use crate::sim::world::*;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{Schedule, SingleThreadedExecutor};

/// The schedule of one fixed step: the systems chained in the order above on a
/// single-threaded executor, with the physical hazards' effects fitted in.
pub(super) fn step_schedule() -> Schedule {
    let mut schedule = Schedule::new(SimStep);
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.add_systems(
        (
            tick_clock,
            injects::fire_injects,
            dispatch::dispatch,
            danger::sample_hazards,
            warning::deliver_contacts,
            movement::depart,
            movement::admit_at_opened_shelters,
            movement::move_walkers,
            teams::run_teams,
            teams::land_rescued,
            teams::finish_role_jobs,
            danger::check_exposure,
        )
            .chain(),
    );
    // How the physical hazards act on people, between the movement and the exposure
    // check (kept out of the chain above so that it stays a separate concern).
    schedule.add_systems(
        (hazard_effects::wade, hazard_effects::breathe)
            .chain()
            .after(movement::move_walkers)
            .before(teams::run_teams),
    );
    schedule.add_systems(
        hazard_effects::build_fire_lines
            .after(teams::finish_role_jobs)
            .before(danger::check_exposure),
    );
    schedule
}

/// The drill's time 0, before the first step: injects, plan triggers and actions due
/// at the start, and the contacts they make at once, without moving the clock (so
/// `at +0s` happens at 0 s, not at the end of the first step). With nothing due at 0
/// it changes nothing.
pub(super) fn start_schedule() -> Schedule {
    let mut schedule = Schedule::new(super::SimStart);
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.add_systems(
        (
            injects::fire_injects,
            dispatch::dispatch,
            warning::deliver_contacts,
        )
            .chain(),
    );
    schedule
}

type Households<'w, 's> = Query<'w, 's, &'static mut Household>;
type Teams<'w, 's> = Query<'w, 's, &'static mut TeamUnit>;

/// 时钟 — the clock moves on one step.
fn tick_clock(mut clock: ResMut<Clock>) {
    clock.steps += 1;
    clock.now_s = clock.steps as f64 * clock.step_s;
}

/// Whether a team's work takes it into the danger zone, so it may route over links
/// the hazard closed: it has a skill that works in one of the scenario's hazards
/// (火场 firefighting or evacuation, 毒气 hazmat or evacuation, 洪水 water rescue).
/// Households and other teams keep out.
fn enters_danger(s: &Scenario, t: TeamIdx) -> bool {
    let Some(team) = s.teams.get(t.index()) else {
        return false;
    };
    s.header.hazard_kinds.iter().any(|k| {
        let skills: &[Skill] = match k {
            HazardKind::Chemical => &[Skill::Hazmat, Skill::Evacuation],
            HazardKind::ForestFire => &[Skill::Firefighting, Skill::Evacuation],
            _ => &[Skill::WaterRescue],
        };
        skills.iter().any(|k| team.skills.contains(k))
    })
}
