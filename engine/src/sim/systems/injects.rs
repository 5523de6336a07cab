//! 情景注入 — injects: the trainer's logged and live requests are taken up first, then
//! the scenario's own timed and contingency (`if not … by`) injects; a fired inject's
//! effects raise the warning level, close links and shelters, mark zones dangerous or
//! trap people.

use crate::model::*;
use crate::sim::events::*;
use crate::sim::snapshot::InjectStatus;
use crate::sim::world::*;
use bevy_ecs::prelude::*;

/// 情景注入 — fire injects whose time has come (or that the trainer fired), skip
/// those the trainer dropped or whose contingency task was started, apply effects.
pub fn fire_injects(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut pending: ResMut<Pending>,
    mut log: ResMut<Log>,
    mut net: ResMut<Net>,
    mut danger: ResMut<Danger>,
    mut shelters: ResMut<Shelters>,
) {
    let now = clock.now_s;
    let mut w = InjectWorld {
        now,
        log: &mut log,
        net: &mut net,
        danger: &mut danger,
        shelters: &mut shelters,
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
struct InjectWorld<'a> {
    now: f64,
    log: &'a mut Log,
    net: &'a mut Net,
    danger: &'a mut Danger,
    shelters: &'a mut Shelters,
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
        }
    }
}
