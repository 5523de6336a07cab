//! What the event log says happened, gathered in one pass: per household (warned when,
//! by which channels, arrived where, trapped, rescued), per piece of work (accepted,
//! rejected, started, finished), and the times injects fired, levels were raised and
//! zones turned dangerous. Scoring reads only these facts and the scenario.

use crate::model::{Channel, LinkIdx, PlaceIdx, RiskLevel, Scenario, TaskIdx, TeamIdx};
use crate::sim::events::{
    Blocked, HouseholdInfo, LinkCloseCause, RejectReason, ServiceChange, Silence, SimEvent,
    TaskOutcome, TimedEvent, WorkRef,
};
use std::collections::BTreeMap;

/// One household's drill, as the log tells it.
#[derive(Debug, Clone, Default)]
pub struct HouseholdFacts {
    /// First warning of any kind.
    pub warned_s: Option<f64>,
    /// First reception per channel.
    pub channels: BTreeMap<Channel, f64>,
    /// Set off from home towards a shelter.
    pub departed_s: Option<f64>,
    /// Taken in at a shelter (walked there): when and where.
    pub arrived: Option<(f64, PlaceIdx)>,
    /// Trapped at home by the hazard.
    pub trapped_s: Option<f64>,
    /// Taken out by a rescue team (matched from `Rescued` loads).
    pub rescued_s: Option<f64>,
    /// Caught by the hazard at some point.
    pub exposed_s: Option<f64>,
    /// First time it could get nowhere useful, where and why.
    pub stranded: Option<(f64, PlaceIdx, Blocked)>,
    /// Sent on from a full or closed shelter: when, from which shelter.
    pub redirected: Option<(f64, PlaceIdx)>,
}

impl HouseholdFacts {
    /// When the household reached safety (a shelter, or a rescue boat), if it did.
    pub fn safe_s(&self) -> Option<f64> {
        match (self.arrived.map(|a| a.0), self.rescued_s) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        }
    }
}

/// One piece of work (a plan task performed as written, or an action).
#[derive(Debug, Clone, Default)]
pub struct WorkFacts {
    pub accepted_s: Option<f64>,
    pub rejected: Option<(f64, RejectReason)>,
    /// 排队 — accepted while its team was busy: when, which team, behind what.
    pub queued: Option<(f64, TeamIdx, WorkRef)>,
    pub started_s: Option<f64>,
    pub finished: Option<(f64, TaskOutcome)>,
}

/// People trapped by an inject (not tied to a household) and rescued at one place.
#[derive(Debug, Clone, Default)]
pub struct PlaceRescue {
    /// People trapped by injects here.
    pub trapped_anonymous: u32,
    /// People taken out here (households and anonymous), with times.
    pub rescued: Vec<(f64, u32)>,
    /// Inject-trapped people by time.
    pub anonymous_trapped_at: Vec<(f64, u32)>,
    /// The part of each load that was not a trapped household, by time.
    pub anonymous_rescued_at: Vec<(f64, u32)>,
}

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub seed: u64,
    /// The simulation's fixed step: event times are quantised to it.
    pub step_s: f64,
    pub households: Vec<HouseholdInfo>,
    pub hh: Vec<HouseholdFacts>,
    pub injects: BTreeMap<u32, f64>,
    pub levels: Vec<(f64, RiskLevel)>,
    pub zone_dangerous: BTreeMap<u32, f64>,
    pub work: BTreeMap<WorkRef, WorkFacts>,
    /// Who performed plan tasks (plan-as-written mode): `TaskStarted` per actor.
    pub task_starts: Vec<(f64, TaskIdx, crate::model::Actor)>,
    pub skipped: BTreeMap<TaskIdx, (f64, RejectReason)>,
    pub rescues: BTreeMap<PlaceIdx, PlaceRescue>,
    /// Shelter intake: (time, shelter, people), in log order.
    pub intake: Vec<(f64, PlaceIdx, u32)>,
    pub danger_starts: Vec<(f64, u32)>,
    /// Roads, paths and bridges closed, in log order.
    pub links_closed: Vec<(f64, LinkIdx, LinkCloseCause)>,
    /// When each shelter first reached its capacity.
    pub shelter_full: BTreeMap<PlaceIdx, f64>,
    pub exposed_people: u32,
    /// Warning channels or equipment that made no contact, and why (`ChannelSilent`),
    /// in log order.
    pub silenced: Vec<Silenced>,
    /// What injects took out of service or gave back: (time, what, working, inject).
    pub services: Vec<(f64, ServiceChange, bool, u32)>,
    /// The last time stamp in the log (the drill's end when it ran to completion).
    pub end_s: f64,
}

/// A warning channel or piece of equipment that made no contact (`ChannelSilent`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Silenced {
    pub t_s: f64,
    pub work: Option<WorkRef>,
    pub channel: crate::model::Channel,
    pub resource: Option<crate::model::ResourceIdx>,
    pub why: Silence,
}

impl Facts {
    pub fn from_events(scenario: &Scenario, events: &[TimedEvent]) -> Facts {
        let mut f = Facts::default();
        // Trapped households per place, in the order the sim lists them, to attribute
        // anonymous `Rescued` loads back to households (the sim loads households first).
        let mut trapped_queue: BTreeMap<PlaceIdx, Vec<usize>> = BTreeMap::new();
        for e in events {
            let t = e.t_s;
            f.end_s = f.end_s.max(t);
            match &e.event {
                SimEvent::Started {
                    seed,
                    step_s,
                    households,
                    ..
                } => {
                    f.seed = *seed;
                    f.step_s = *step_s;
                    f.households = households.clone();
                    f.hh = vec![HouseholdFacts::default(); households.len()];
                }
                SimEvent::InjectFired { number, .. } => {
                    f.injects.entry(*number).or_insert(t);
                }
                SimEvent::WarningLevelRaised { level, .. } => f.levels.push((t, *level)),
                SimEvent::ChannelSilent {
                    work,
                    channel,
                    resource,
                    why,
                } => f.silenced.push(Silenced {
                    t_s: t,
                    work: *work,
                    channel: *channel,
                    resource: *resource,
                    why: *why,
                }),
                SimEvent::ServiceChanged {
                    what,
                    working,
                    inject,
                } => f.services.push((t, *what, *working, *inject)),
                SimEvent::ZoneDangerous { zone, .. } => {
                    f.zone_dangerous.entry(zone.0).or_insert(t);
                    f.danger_starts.push((t, zone.0));
                }
                SimEvent::WarningReceived {
                    household, channel, ..
                } => {
                    if let Some(h) = f.hh.get_mut(household.index()) {
                        h.warned_s.get_or_insert(t);
                        h.channels.entry(*channel).or_insert(t);
                    }
                }
                SimEvent::Departed { household, .. } => {
                    if let Some(h) = f.hh.get_mut(household.index()) {
                        h.departed_s.get_or_insert(t);
                    }
                }
                SimEvent::Stranded { household, at, why } => {
                    if let Some(h) = f.hh.get_mut(household.index()) {
                        h.stranded.get_or_insert((t, *at, *why));
                    }
                }
                SimEvent::Redirected {
                    household, from, ..
                } => {
                    if let Some(h) = f.hh.get_mut(household.index()) {
                        h.redirected.get_or_insert((t, *from));
                    }
                }
                SimEvent::ShelterFull { shelter, .. } => {
                    f.shelter_full.entry(*shelter).or_insert(t);
                }
                SimEvent::LinkClosed { link, cause } => f.links_closed.push((t, *link, *cause)),
                SimEvent::TaskQueued { work, team, behind } => {
                    f.work
                        .entry(*work)
                        .or_default()
                        .queued
                        .get_or_insert((t, *team, *behind));
                }
                SimEvent::Arrived {
                    household,
                    shelter,
                    people,
                    ..
                } => {
                    if let Some(h) = f.hh.get_mut(household.index()) {
                        h.arrived.get_or_insert((t, *shelter));
                    }
                    f.intake.push((t, *shelter, *people));
                }
                SimEvent::Trapped {
                    place,
                    people,
                    household,
                } => match household {
                    Some(id) => {
                        if let Some(h) = f.hh.get_mut(id.index())
                            && h.trapped_s.is_none()
                        {
                            h.trapped_s = Some(t);
                            trapped_queue.entry(*place).or_default().push(id.index());
                        }
                    }
                    None => {
                        let r = f.rescues.entry(*place).or_default();
                        r.trapped_anonymous += people;
                        r.anonymous_trapped_at.push((t, *people));
                    }
                },
                SimEvent::Rescued {
                    place, people, to, ..
                } => {
                    f.rescues
                        .entry(*place)
                        .or_default()
                        .rescued
                        .push((t, *people));
                    if scenario
                        .map
                        .places
                        .get(to.index())
                        .is_some_and(|p| p.shelter.is_some())
                    {
                        f.intake.push((t, *to, *people));
                    }
                    let mut left = *people;
                    let queue = trapped_queue.entry(*place).or_default();
                    while let Some(&h) = queue.first() {
                        let n = f.households.get(h).map_or(0, |x| x.members.total());
                        if n > left {
                            break;
                        }
                        left -= n;
                        f.hh[h].rescued_s = Some(t);
                        queue.remove(0);
                    }
                    if left > 0 {
                        f.rescues
                            .entry(*place)
                            .or_default()
                            .anonymous_rescued_at
                            .push((t, left));
                    }
                }
                SimEvent::Exposed {
                    household, people, ..
                } => {
                    f.exposed_people += people;
                    if let Some(h) = f.hh.get_mut(household.index()) {
                        h.exposed_s.get_or_insert(t);
                    }
                }
                SimEvent::ActionAccepted { action, .. } => {
                    f.work
                        .entry(WorkRef::Action(*action))
                        .or_default()
                        .accepted_s = Some(t);
                }
                SimEvent::ActionRejected { action, reason, .. } => {
                    f.work.entry(WorkRef::Action(*action)).or_default().rejected =
                        Some((t, reason.clone()));
                }
                SimEvent::TaskStarted { work, actor } => {
                    f.work.entry(*work).or_default().started_s.get_or_insert(t);
                    if let WorkRef::Task(task) = work {
                        f.task_starts.push((t, *task, *actor));
                    }
                }
                SimEvent::TaskFinished { work, outcome, .. } => {
                    let w = f.work.entry(*work).or_default();
                    // Several actors may share a plan task: keep the worst outcome,
                    // stamped with the last finish.
                    w.finished = Some(match w.finished.take() {
                        None => (t, *outcome),
                        Some((_, prev)) => (t, worse(prev, *outcome)),
                    });
                }
                SimEvent::TaskSkipped { task, why } => {
                    f.skipped.entry(*task).or_insert((t, why.clone()));
                }
                _ => {}
            }
        }
        f
    }

    /// First time a warning of `level` or more severe was raised.
    pub fn level_raised(&self, level: RiskLevel) -> Option<f64> {
        self.levels
            .iter()
            .filter(|(_, l)| *l <= level)
            .map(|(t, _)| *t)
            .reduce(f64::min)
    }
}

fn worse(a: TaskOutcome, b: TaskOutcome) -> TaskOutcome {
    let rank = |o: &TaskOutcome| match o {
        TaskOutcome::Done => 0,
        TaskOutcome::Partial { .. } => 1,
        TaskOutcome::Failed(_) => 2,
    };
    if rank(&b) > rank(&a) { b } else { a }
}
