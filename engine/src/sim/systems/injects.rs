//! 情景注入 — injects: the trainer's logged and live requests are taken up first, then
//! the scenario's own timed and contingency (`if not … by`) injects; a fired inject's
//! effects raise the warning level, close links and shelters, mark zones dangerous or
//! trap people, cut or restore power, equipment, channels and the phones (停电, 停用,
//! 通信中断, 恢复), hold a team up (延误), and drive the hazard models (来水, 起火).

use crate::model::*;
use crate::sim::events::*;
use crate::sim::snapshot::InjectStatus;
use crate::sim::world::*;
use bevy_ecs::prelude::*;

use super::Teams;

/// 情景注入 — fire injects whose time has come (or that the trainer fired), skip
/// those the trainer dropped or whose contingency task was started, apply effects.
#[allow(clippy::too_many_arguments)]
pub fn fire_injects(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut pending: ResMut<Pending>,
    mut log: ResMut<Log>,
    mut net: ResMut<Net>,
    mut danger: ResMut<Danger>,
    mut shelters: ResMut<Shelters>,
    mut contacts: ResMut<Contacts>,
    mut hazards: ResMut<Hazards>,
    mut teams: Teams,
) {
    let now = clock.now_s;
    let mut w = InjectWorld {
        now,
        ctx: &ctx,
        index: &index,
        log: &mut log,
        net: &mut net,
        danger: &mut danger,
        shelters: &mut shelters,
        outages: &mut contacts.outages,
        hazards: &mut hazards,
        teams: &mut teams,
    };
    // The trainer's logged commands that are due become requests, in log order, ahead
    // of any made by hand since the last step (a live drill logs its commands, so a
    // replay of the log takes them up in the same step as the live run did).
    let mut due = Vec::new();
    for (command, taken) in &mut pending.inject_schedule {
        if !*taken && command.at_s <= now + 1e-9 {
            *taken = true;
            due.push(*command);
        }
    }
    let mut requests = Vec::with_capacity(due.len() + pending.inject_requests.len());
    for command in due {
        let Some(i) = ctx
            .scenario
            .injects
            .iter()
            .position(|inject| inject.number == command.number)
        else {
            continue;
        };
        // A command the run has overtaken (the inject fired on its own, or its task
        // was done in time, in this run) has nothing left to do.
        if matches!(
            pending.inject_status[i],
            InjectStatus::Pending { requested: false }
        ) {
            pending.inject_status[i] = InjectStatus::Pending { requested: true };
            requests.push((i, InjectRequest::from(command.kind)));
        }
    }
    requests.append(&mut pending.inject_requests);
    // The trainer's requests first, in the order they were made.
    for (i, request) in requests {
        if pending.inject_done[i] {
            continue;
        }
        let inject = &ctx.scenario.injects[i];
        match request {
            InjectRequest::Fire => {
                w.log.push(
                    now,
                    SimEvent::InjectTriggeredByTrainer {
                        number: inject.number,
                    },
                );
                let contingency = matches!(inject.trigger, InjectTrigger::IfNot { .. });
                fire_inject(&mut w, &mut pending, i, inject, contingency, true);
            }
            InjectRequest::Skip => {
                skip_inject(&mut w, &mut pending, i, inject.number, InjectSkip::Trainer)
            }
        }
    }
    for (i, inject) in ctx.scenario.injects.iter().enumerate() {
        if pending.inject_done[i] {
            continue;
        }
        let contingency = match inject.trigger {
            InjectTrigger::At(t) if t <= now => false,
            InjectTrigger::IfNot { task, by_s } if by_s <= now => {
                if pending.started.get(task.index()).copied().unwrap_or(false) {
                    skip_inject(
                        &mut w,
                        &mut pending,
                        i,
                        inject.number,
                        InjectSkip::TaskDone(task),
                    );
                    continue;
                }
                true
            }
            _ => continue,
        };
        fire_inject(&mut w, &mut pending, i, inject, contingency, false);
    }
}

/// What an inject's effects change.
struct InjectWorld<'a, 'w, 's> {
    now: f64,
    ctx: &'a Ctx,
    index: &'a Index,
    log: &'a mut Log,
    net: &'a mut Net,
    danger: &'a mut Danger,
    shelters: &'a mut Shelters,
    outages: &'a mut Outages,
    hazards: &'a mut Hazards,
    teams: &'a mut Teams<'w, 's>,
}

fn skip_inject(w: &mut InjectWorld, pending: &mut Pending, i: usize, number: u32, why: InjectSkip) {
    pending.inject_done[i] = true;
    pending.inject_status[i] = InjectStatus::Skipped { t_s: w.now, why };
    w.log.push(w.now, SimEvent::InjectSkipped { number, why });
}

fn fire_inject(
    w: &mut InjectWorld,
    pending: &mut Pending,
    i: usize,
    inject: &Inject,
    contingency: bool,
    by_trainer: bool,
) {
    let now = w.now;
    pending.inject_done[i] = true;
    pending.inject_status[i] = InjectStatus::Fired {
        t_s: now,
        contingency,
        by_trainer,
    };
    pending.injects_fired.push(inject.number);
    w.log.push(
        now,
        SimEvent::InjectFired {
            number: inject.number,
            contingency,
        },
    );
    for effect in &inject.effects {
        match *effect {
            Effect::Warning(level) => {
                pending.levels.push(level);
                w.log.push(
                    now,
                    SimEvent::WarningLevelRaised {
                        level,
                        inject: inject.number,
                    },
                );
            }
            Effect::CloseLink(link) => {
                if link.index() < w.net.net.open.len() && w.net.net.close(link) {
                    w.log.push(
                        now,
                        SimEvent::LinkClosed {
                            link,
                            cause: LinkCloseCause::Inject(inject.number),
                        },
                    );
                }
            }
            Effect::Danger(zone) => {
                if zone.index() < w.danger.zone.len() {
                    w.danger.zone_by_inject[zone.index()] = true;
                    if !w.danger.zone[zone.index()] {
                        w.danger.zone[zone.index()] = true;
                        w.log.push(
                            now,
                            SimEvent::ZoneDangerous {
                                zone,
                                cause: DangerCause::Inject(inject.number),
                            },
                        );
                    }
                }
            }
            Effect::Trapped { place, people } => {
                if place.index() < w.danger.trapped_people.len() {
                    w.danger.trapped_people[place.index()] += people;
                    w.log.push(
                        now,
                        SimEvent::Trapped {
                            place,
                            people,
                            household: None,
                        },
                    );
                }
            }
            Effect::ShelterClosed(place) => {
                if place.index() < w.shelters.closed.len() && !w.shelters.closed[place.index()] {
                    w.shelters.closed[place.index()] = true;
                    w.log.push(now, SimEvent::ShelterClosed { shelter: place });
                }
            }
            Effect::PowerCut(target) | Effect::PowerRestored(target) => {
                let off = matches!(effect, Effect::PowerCut(_));
                for place in w.ctx.places_in(target) {
                    w.outages.set_power(place, off);
                }
                w.log.push(
                    now,
                    SimEvent::ServiceChanged {
                        what: ServiceChange::Power(target),
                        working: !off,
                        inject: inject.number,
                    },
                );
            }
            Effect::OutOfService(what) | Effect::Restored(what) => {
                let off = matches!(effect, Effect::OutOfService(_));
                w.outages.set_service(what, off);
                w.log.push(
                    now,
                    SimEvent::ServiceChanged {
                        what: ServiceChange::Service(what),
                        working: !off,
                        inject: inject.number,
                    },
                );
            }
            Effect::PhonesDown | Effect::PhonesRestored => {
                let off = matches!(effect, Effect::PhonesDown);
                w.outages.phones_down = off;
                w.log.push(
                    now,
                    SimEvent::ServiceChanged {
                        what: ServiceChange::Phones,
                        working: !off,
                        inject: inject.number,
                    },
                );
            }
            Effect::TeamDelayed { team, delay_s } => {
                delay_team(w, team, delay_s);
                w.log.push(
                    now,
                    SimEvent::TeamDelayed {
                        team,
                        delay_s,
                        inject: inject.number,
                    },
                );
            }
            Effect::Inflow {
                river,
                m3_s,
                ramp_s,
            } => {
                if let Some(r) = w.ctx.scenario.map.rivers.get(river.index()) {
                    for h in w.hazards.0.iter_mut() {
                        // A river the flood model cannot take (off its terrain) was
                        // reported by `drill check` (E0409); the run goes on.
                        let _ = h.set_inflow(&r.points, m3_s, ramp_s, now);
                    }
                    w.log.push(
                        now,
                        SimEvent::InflowSet {
                            river,
                            m3_s,
                            ramp_s,
                            inject: inject.number,
                        },
                    );
                }
            }
            Effect::Ignition(at) => {
                for h in w.hazards.0.iter_mut() {
                    // A point off the fire grid lights nothing; `drill check` keeps
                    // ignitions on the map.
                    let _ = h.ignite(at, now);
                }
                w.log.push(
                    now,
                    SimEvent::Ignited {
                        at,
                        inject: inject.number,
                    },
                );
            }
        }
    }
}

/// 延误 — the team is held up `delay_s` from now: whatever it is doing (assembling,
/// travelling, working) ends that much later, and work given to it while idle does
/// not set off before the delay is over.
fn delay_team(w: &mut InjectWorld, team: TeamIdx, delay_s: f64) {
    let Some(&e) = w.index.teams.get(team.index()) else {
        return;
    };
    let Ok(mut unit) = w.teams.get_mut(e) else {
        return;
    };
    unit.held_until_s = unit.held_until_s.max(w.now) + delay_s;
    match &mut unit.phase {
        Phase::Mobilising { until } | Phase::Working { until } => *until += delay_s,
        Phase::Travelling { arrive_s, .. } => *arrive_s += delay_s,
        Phase::Idle => {}
    }
}
