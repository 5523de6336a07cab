//! 灾情对人的影响 — how the physical hazard fields act on people, beyond the danger flag
//! that `sample_hazards` already turns into trapped households (受困, rescued by boat in
//! a flood) and closed roads (道路封闭):
//!
//! - 涉水 — wading: a household entering a link under water walks it more slowly, in
//!   proportion to the deepest water along it (DOMAIN.md: about 40 % slower in 0.35 m of
//!   water). Deeper water reaches the flood model's danger rating, which closes the link
//!   and traps those at home, so the slow-down only spans the shallow range.
//! - 吸入 — breathing the plume: each household's dose (∫C dt, ppm·min) and peak of the
//!   concentration it actually breathes, and an [`SimEvent::AeglReached`] event the first
//!   time that exceeds each 60-minute AEGL (the level ALOHA draws its threat zones at).
//!   Indoors (at home, in a shelter) the air follows the one-box model
//!   [`plume::indoor_step`] with the house's air changes per hour; 就地避险 (shelter in
//!   place: doors and windows shut, fans off) lowers the air exchange, so the indoor
//!   concentration lags and stays below the outdoor one.
//!
//! - 隔离带 — a fire line a team finishes ([`Work::FireLine`]) is handed to the hazard
//!   fields, and the fire model stops spreading across it from then on.
//!
//! The systems only act when a field reports water or a concentration, or a fire line
//! is finished, so a run with only the scripted hazard is unchanged (the determinism
//! snapshot holds).

use bevy_ecs::prelude::*;

use super::events::{SimEvent, TaskOutcome, WorkRef};
use super::world::{Clock, Ctx, Hazards, HhState, Household, Log, Net, Pending};
use crate::hazard::plume::{self, AEGL_60_MIN, Exposure};
use crate::model::{Hazard, Point, Work};

/// How hazards act on people; defaults below, each with its basis.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct EffectParams {
    /// Fraction of walking speed lost per metre of water: 0.4 / 0.35 m (DOMAIN.md:
    /// "walking in 0.35 m of water slows people by roughly 40 %").
    pub wading_loss_per_m: f64,
    /// Slowest wading speed as a fraction of the free speed.
    pub wading_min_factor: f64,
    /// Air changes per hour of a house as lived in. An assumed value within the
    /// 0.2-2 ACH range of ordinary dwellings; ALOHA computes it from the building type
    /// and the weather (Jones et al. 2013, NOAA TM NOS OR&R 43), which a scenario does
    /// not give.
    pub ach_home: f64,
    /// Air changes per hour with doors and windows shut and fans off (就地避险); assumed.
    pub ach_sealed: f64,
}

impl Default for EffectParams {
    fn default() -> Self {
        EffectParams {
            wading_loss_per_m: 0.4 / 0.35,
            wading_min_factor: 0.25,
            ach_home: 1.0,
            ach_sealed: 0.3,
        }
    }
}

impl EffectParams {
    /// Walking speed factor in water `depth_m` deep.
    pub fn wading_factor(&self, depth_m: f64) -> f64 {
        (1.0 - self.wading_loss_per_m * depth_m.max(0.0)).max(self.wading_min_factor)
    }
}

/// Where a household breathes: outdoors, or indoors at so many air changes per hour.
/// Every state is named (no wildcard) so that a new household state must say where its
/// people breathe.
pub fn air_changes_per_hour(state: HhState, p: &EffectParams) -> Option<f64> {
    match state {
        HhState::Home | HhState::Decided | HhState::WaitingHelp | HhState::Trapped => {
            Some(p.ach_home)
        }
        HhState::Sheltered => Some(p.ach_home),
        // 就地避险: doors and windows shut.
        HhState::ShelteringInPlace => Some(p.ach_sealed),
        HhState::AtNode
        | HhState::Walking
        | HhState::Stranded
        | HhState::AtShelterDoor
        | HhState::Aboard => None,
    }
}

/// What one household has breathed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Breath {
    /// Concentration inside the building it is in, ppm (outdoor when outside).
    pub indoor_ppm: f64,
    pub exposure: Exposure,
    /// Highest AEGL (1-3) exceeded so far; 0 when none.
    pub aegl_reached: u8,
}

impl Breath {
    /// One step of `dt_s` at outdoor concentration `outdoor_ppm`, indoors at `ach` air
    /// changes per hour or outdoors (`None`). Returns the concentration breathed.
    pub fn step(&mut self, outdoor_ppm: f64, ach: Option<f64>, dt_s: f64) -> f64 {
        let breathed = match ach {
            Some(ach) => plume::indoor_step(self.indoor_ppm, outdoor_ppm, ach, dt_s),
            None => outdoor_ppm,
        };
        self.indoor_ppm = breathed;
        self.exposure.add(breathed, dt_s);
        breathed
    }
}

/// Per-household breathing state, and the AEGLs it is judged against.
#[derive(Resource, Debug, Clone, Default)]
pub struct Breathing {
    /// By household id.
    pub households: Vec<Breath>,
    /// AEGL-1/2/3 (60 min), ppm, of the scenario's released substance.
    pub aegl_60_ppm: [Option<f64>; 3],
    /// Whether the scenario releases a substance at all.
    pub active: bool,
    /// By household id: when (f64 bits) the household entered the link on which it
    /// was last slowed by water, so each link entry is slowed once.
    pub waded: Vec<Option<u64>>,
}

impl Breathing {
    /// The breathing state for a scenario: AEGLs of its (first) `hazard chemical`
    /// substance; inactive without one, or when the substance is unknown (`drill check`
    /// reports that).
    pub fn for_scenario(scenario: &crate::model::Scenario, households: usize) -> Breathing {
        let substance = scenario.hazards.iter().find_map(|h| match h {
            Hazard::Chemical(c) => plume::find_substance(&c.substance).ok(),
            _ => None,
        });
        Breathing {
            households: vec![Breath::default(); households],
            aegl_60_ppm: substance.as_ref().map_or([None; 3], |s| {
                [1, 2, 3].map(|level| s.aegl(level, AEGL_60_MIN))
            }),
            active: substance.is_some(),
            waded: vec![None; households],
        }
    }
}

/// The deepest water any field reports along a link (its via points, or its midpoint).
fn link_depth_m(ctx: &Ctx, hazards: &Hazards, link: usize) -> f64 {
    let s = &ctx.scenario;
    let Some(l) = s.map.links.get(link) else {
        return 0.0;
    };
    let (Some(a), Some(b)) = (
        s.map.places.get(l.from.index()),
        s.map.places.get(l.to.index()),
    ) else {
        return 0.0;
    };
    let mid = Point {
        x: (a.pos.x + b.pos.x) / 2.0,
        y: (a.pos.y + b.pos.y) / 2.0,
    };
    let points = if l.via.is_empty() {
        vec![mid]
    } else {
        l.via.clone()
    };
    points
        .iter()
        .flat_map(|&p| hazards.0.iter().map(move |h| h.water_depth_m(p)))
        .fold(0.0, f64::max)
}

/// 涉水 — walkers who entered a link under water take longer to walk it.
pub fn wade(
    ctx: Res<Ctx>,
    params: Res<EffectParams>,
    hazards: Res<Hazards>,
    mut breathing: ResMut<Breathing>,
    mut net: ResMut<Net>,
) {
    let links = net.net.lanes.len() / 2;
    for slot in 0..net.net.lanes.len() {
        if net.net.lanes[slot].queue.is_empty() {
            continue;
        }
        let link = slot / 2;
        let mut depth = None;
        for w in net.net.lanes[slot].queue.iter_mut() {
            let entered = Some(w.entered_s.to_bits());
            let Some(mark) = breathing.waded.get_mut(w.household as usize) else {
                continue;
            };
            if *mark == entered {
                continue;
            }
            let d = *depth.get_or_insert_with(|| {
                if link < links {
                    link_depth_m(&ctx, &hazards, link)
                } else {
                    0.0
                }
            });
            if d <= 0.0 {
                continue;
            }
            let factor = params.wading_factor(d);
            // The rest of the way from where its present pace began (its entry,
            // unless the crowd changed its pace since) takes 1/factor as long.
            w.ready_s = w.pace_from_s + (w.ready_s - w.pace_from_s) / factor;
            *mark = entered;
        }
    }
}

/// 吸入 — every household breathes the plume for one step; AEGL exceedances are logged.
pub fn breathe(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    params: Res<EffectParams>,
    hazards: Res<Hazards>,
    mut breathing: ResMut<Breathing>,
    mut log: ResMut<Log>,
    households: Query<&Household>,
) {
    if !breathing.active {
        return;
    }
    let (now, dt) = (clock.now_s, clock.step_s);
    let s = &ctx.scenario;
    let mut list: Vec<&Household> = households.iter().collect();
    // Query order is not part of the contract: go by household id.
    list.sort_by_key(|hh| hh.id.0);
    // One sample per place, shared by the households there.
    let mut at_place: Vec<Option<f64>> = vec![None; s.map.places.len()];
    for hh in list {
        let Some(place) = s.map.places.get(hh.at.index()) else {
            continue;
        };
        let outdoor = *at_place[hh.at.index()].get_or_insert_with(|| {
            hazards
                .0
                .iter()
                .map(|h| h.concentration_ppm(place.pos))
                .sum()
        });
        let aegl = breathing.aegl_60_ppm;
        let Some(b) = breathing.households.get_mut(hh.id.0 as usize) else {
            continue;
        };
        if outdoor <= 0.0 && b.indoor_ppm <= 0.0 {
            continue;
        }
        let breathed = b.step(outdoor, air_changes_per_hour(hh.state, &params), dt);
        for (i, level) in aegl.iter().enumerate() {
            let n = i as u8 + 1;
            if b.aegl_reached < n && level.is_some_and(|l| breathed > l) {
                b.aegl_reached = n;
                log.push(
                    now,
                    SimEvent::AeglReached {
                        household: hh.id,
                        at: hh.at,
                        level: n,
                        ppm: breathed,
                        dose_ppm_min: b.exposure.dose_ppm_min,
                    },
                );
            }
        }
    }
}

/// 隔离带 — fire lines finished since the last step go to the hazard fields.
pub fn build_fire_lines(
    ctx: Res<Ctx>,
    pending: Res<Pending>,
    log: Res<Log>,
    mut hazards: ResMut<Hazards>,
    mut seen: Local<usize>,
) {
    let new = &log.events[(*seen).min(log.events.len())..];
    for e in new {
        let SimEvent::TaskFinished { work, outcome, .. } = &e.event else {
            continue;
        };
        if !matches!(outcome, TaskOutcome::Done) {
            continue;
        }
        let done = match work {
            WorkRef::Task(t) => ctx.scenario.plan.tasks.get(t.index()).map(|t| &t.work),
            WorkRef::Action(a) => pending.actions.get(a.0 as usize).map(|(a, _)| &a.work),
        };
        if let Some(Work::FireLine(points)) = done {
            for h in hazards.0.iter_mut() {
                h.add_fire_line(points, e.t_s);
            }
        }
    }
    *seen = log.events.len();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wading_slows_by_forty_percent_at_35_cm() {
        let p = EffectParams::default();
        assert_eq!(p.wading_factor(0.0), 1.0);
        assert!((p.wading_factor(0.35) - 0.6).abs() < 1e-12);
        assert_eq!(p.wading_factor(5.0), p.wading_min_factor);
    }

    #[test]
    fn a_sealed_house_breathes_less_than_an_open_one_and_both_less_than_outdoors() {
        let p = EffectParams::default();
        let (mut open, mut sealed, mut outside) =
            (Breath::default(), Breath::default(), Breath::default());
        // 30 minutes of 20 ppm outside, then clean air for 30 minutes.
        for k in 0..360 {
            let c = if k < 180 { 20.0 } else { 0.0 };
            open.step(c, Some(p.ach_home), 10.0);
            sealed.step(c, Some(p.ach_sealed), 10.0);
            outside.step(c, None, 10.0);
        }
        assert!((outside.exposure.dose_ppm_min - 600.0).abs() < 1e-9);
        assert!(open.exposure.peak_ppm < 20.0 * (1.0 - (-0.5f64).exp()) + 1e-9);
        assert!(sealed.exposure.peak_ppm < open.exposure.peak_ppm);
        // Indoors the dose is only delayed for a long exposure, but within the hour
        // the sealed house keeps most of it out.
        assert!(sealed.exposure.dose_ppm_min < 0.5 * outside.exposure.dose_ppm_min);
        assert!(sealed.exposure.dose_ppm_min < open.exposure.dose_ppm_min);
    }
}
