//! 队伍行动 — teams at work: they mobilise, travel place to place by road or on foot
//! (by boat to a rescue), and work at each place of their job (warnings, helping those
//! who cannot walk, rescue trips, opening shelters, closing roads, fire lines); rescued
//! loads land in safety (获救); and every job, a team's or a post's, ends here, giving
//! back what it drew.

use super::warning::{Issue, channels_of, order_of, warning_contacts};
use super::{Households, Teams, enters_danger};
use crate::model::*;
use crate::sim::events::*;
use crate::sim::world::*;
use bevy_ecs::prelude::*;

/// 队伍行动 — teams mobilise, travel, work at each place of their job, and finish.
#[allow(clippy::too_many_arguments)]
pub fn run_teams(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut log: ResMut<Log>,
    mut pending: ResMut<Pending>,
    mut contacts: ResMut<Contacts>,
    mut rngs: ResMut<Rngs>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    mut danger: ResMut<Danger>,
    mut landings: ResMut<Landings>,
    mut households: Households,
    mut teams: Teams,
) {
    let now = clock.now_s;
    let s = ctx.scenario.clone();
    let p = &ctx.params;
    for ti in 0..index.teams.len() {
        let Ok(mut unit) = teams.get_mut(index.teams[ti]) else {
            continue;
        };
        if unit.job.is_some() {
            unit.busy_s += clock.step_s;
        }
        let team = &s.teams[ti];
        for _ in 0..64 {
            let Some(mut job) = unit.job.take() else {
                break;
            };
            let mut finish: Option<TaskOutcome> = None;
            match unit.phase.clone() {
                Phase::Idle => finish = Some(TaskOutcome::Done),
                Phase::Mobilising { until } | Phase::Working { until } if until > now => {
                    unit.job = Some(job);
                    break;
                }
                Phase::Travelling { arrive_s, .. } if arrive_s > now => {
                    unit.job = Some(job);
                    break;
                }
                Phase::Mobilising { until } | Phase::Working { until } => {
                    // Next place of the job, or done.
                    if job.places.is_empty() {
                        finish = Some(if job.of > 0 && job.reached < job.of {
                            TaskOutcome::Partial {
                                reached: job.reached,
                                of: job.of,
                            }
                        } else {
                            TaskOutcome::Done
                        });
                    } else {
                        let to = job.places[0];
                        let boat = unit.boat_capacity > 0 && matches!(job.work, Work::Rescue(_));
                        let from = unit.pos;
                        let dest = s.place(to).pos;
                        let travel_s = if unit.at == to {
                            Some(0.0)
                        } else if boat {
                            Some(from.distance(dest) / p.boat_m_s)
                        } else {
                            let inside = enters_danger(&s, TeamIdx(ti as u32));
                            let tree = net.net.tree_through(to, unit.has_vehicle, inside);
                            let dist = tree.dist[unit.at.index()];
                            if dist.is_finite() {
                                Some(
                                    dist / if unit.has_vehicle {
                                        p.team_vehicle_m_s
                                    } else {
                                        p.walk_adult_m_s
                                    },
                                )
                            } else {
                                let foot =
                                    net.net.tree_through(to, false, inside).dist[unit.at.index()];
                                foot.is_finite().then(|| foot / p.walk_adult_m_s)
                            }
                        };
                        match travel_s {
                            Some(dt) => {
                                let depart = until.max(now - clock.step_s);
                                log.push(
                                    now,
                                    SimEvent::TeamDeparted {
                                        team: TeamIdx(ti as u32),
                                        from: unit.at,
                                        to,
                                    },
                                );
                                unit.phase = Phase::Travelling {
                                    from,
                                    to,
                                    depart_s: depart,
                                    arrive_s: depart + dt,
                                };
                            }
                            None => {
                                job.places.remove(0);
                                job.of += 1;
                                if job.places.is_empty() {
                                    finish = Some(TaskOutcome::Failed(Blocked::NoRoute));
                                }
                            }
                        }
                    }
                }
                Phase::Travelling { to, arrive_s, .. } => {
                    unit.at = to;
                    unit.pos = s.place(to).pos;
                    log.push(
                        now,
                        SimEvent::TeamArrived {
                            team: TeamIdx(ti as u32),
                            at: to,
                        },
                    );
                    job.places.remove(0);
                    let here = arrive_s;
                    let until = work_at(
                        &ctx,
                        &clock,
                        &mut log,
                        &mut contacts,
                        &mut rngs,
                        &mut net,
                        &mut shelters,
                        &mut danger,
                        &index,
                        &mut households,
                        &mut landings,
                        &mut unit,
                        &mut job,
                        to,
                        here,
                        team,
                    );
                    unit.phase = Phase::Working { until };
                }
            }
            if let Some(outcome) = finish {
                end_job(&mut log, &mut pending, &job, now, outcome);
                unit.phase = Phase::Idle;
                unit.job = None;
                break;
            }
            unit.job = Some(job);
        }
    }
}

/// 获救 — rescued loads reach safety: households are taken in, counts move from
/// aboard to rescued, and `Rescued` is logged at the landing.
pub fn land_rescued(
    clock: Res<Clock>,
    index: Res<Index>,
    mut landings: ResMut<Landings>,
    mut danger: ResMut<Danger>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    while let Some(entry) = landings.due.first_entry() {
        if f64::from_bits(entry.key().0) > now {
            break;
        }
        let l = entry.remove();
        for &h in &l.households {
            if let Ok(mut hh) = households.get_mut(index.households[h as usize]) {
                hh.state = HhState::Sheltered;
                hh.at = l.to;
            }
        }
        danger.aboard_anonymous = danger.aboard_anonymous.saturating_sub(l.anonymous);
        danger.rescued_anonymous += l.anonymous;
        danger.rescued_total += l.people;
        log.push(
            now,
            SimEvent::Rescued {
                place: l.place,
                people: l.people,
                team: l.team,
                to: l.to,
            },
        );
    }
}

fn end_job(log: &mut Log, pending: &mut Pending, job: &Job, now: f64, outcome: TaskOutcome) {
    for draw in &job.drawn {
        let ri = draw.resource.index();
        pending.committed[ri] = pending.committed[ri].saturating_sub(draw.common);
        if let Actor::Team(t) = job.actor {
            let c = &mut pending.committed_own[t.index()][ri];
            *c = c.saturating_sub(draw.own);
        }
    }
    if let Some(t) = job.task {
        pending.finished[t.index()] = true;
    }
    log.push(
        now,
        SimEvent::TaskFinished {
            work: job.work_ref,
            actor: job.actor,
            outcome,
        },
    );
}

/// Seats in the vehicles a team brings to an evacuation: those the work names under
/// `with` and the team's own `equipment`, each resource counted once (its larger
/// quantity) at its `capacity` persons per vehicle.
fn seats_of(s: &Scenario, team: &Team, job: &Job) -> u32 {
    let mut by_resource: Vec<(ResourceIdx, u32)> = Vec::new();
    for u in job.with.iter().chain(&team.equipment) {
        match by_resource.iter_mut().find(|(r, _)| *r == u.resource) {
            Some(e) => e.1 = e.1.max(u.quantity),
            None => by_resource.push((u.resource, u.quantity)),
        }
    }
    by_resource
        .iter()
        .filter_map(|(r, q)| {
            let res = s.resources.get(r.index())?;
            (res.kind == ResourceKind::Vehicle).then(|| q.saturating_mul(res.capacity.unwrap_or(0)))
        })
        .fold(0u32, u32::saturating_add)
}

/// What a team does on reaching one place of its job; returns when it is done there.
#[allow(clippy::too_many_arguments)]
fn work_at(
    ctx: &Ctx,
    clock: &Clock,
    log: &mut Log,
    contacts: &mut Contacts,
    rngs: &mut Rngs,
    net: &mut Net,
    shelters: &mut Shelters,
    danger: &mut Danger,
    index: &Index,
    households: &mut Households,
    landings: &mut Landings,
    unit: &mut TeamUnit,
    job: &mut Job,
    place: PlaceIdx,
    t: f64,
    team: &Team,
) -> f64 {
    let s = ctx.scenario.clone();
    let p = &ctx.params;
    let team_idx = unit.idx;
    let now = clock.now_s;
    match job.work.clone() {
        Work::Warn(_) | Work::KnockDoors(_) | Work::ShelterInPlace(_) | Work::Evacuate { .. } => {
            let how = channels_of(job);
            // 转移: a team also helps those who cannot walk, and an institution that
            // has not yet left boards the team's vehicles when they seat everyone.
            if matches!(job.work, Work::Evacuate { .. }) {
                let seats = seats_of(&s, team, job);
                for &h in &ctx.by_place[place.index()] {
                    if let Ok(mut hh) = households.get_mut(index.households[h as usize])
                        && hh.institution
                        && unit.has_vehicle
                        && seats >= hh.people()
                        && matches!(
                            hh.state,
                            HhState::Home
                                | HhState::Decided
                                | HhState::ShelteringInPlace
                                | HhState::WaitingHelp
                        )
                    {
                        hh.speed_m_s = p.team_vehicle_m_s;
                        hh.assisted_m_s = p.team_vehicle_m_s;
                        hh.helped = true;
                        hh.escorted = true;
                    }
                }
                for &h in &ctx.by_place[place.index()] {
                    if let Ok(mut hh) = households.get_mut(index.households[h as usize])
                        && hh.members.disabled > 0
                        && !hh.helped
                    {
                        hh.helped = true;
                        log.push(
                            now,
                            SimEvent::Helped {
                                household: hh.id,
                                team: team_idx,
                            },
                        );
                    }
                }
            }
            let origin = Some(s.place(place).pos);
            let issue = Issue {
                log,
                work: Some(job.work_ref),
            };
            let (finish, of) = warning_contacts(
                ctx,
                clock,
                contacts,
                rngs,
                issue,
                &how,
                &[place],
                origin,
                team.members.max(1),
                &job.with,
                t,
                order_of(&job.work),
            );
            job.of += of;
            job.reached += of;
            finish.max(t)
        }
        Work::Rescue(_) => {
            // Boat or carry trips until nobody is left trapped here. Each load goes to
            // the nearest open shelter with room for it, or, when every shelter is
            // full, back to the team's base (safe, but not a shelter).
            let per_trip = if unit.boat_capacity > 0 {
                unit.boat_capacity
            } else {
                (team.members / 2).max(1)
            };
            let here = s.place(place).pos;
            let speed = if unit.boat_capacity > 0 {
                p.boat_m_s
            } else {
                p.assisted_m_s
            };
            let mut trapped: Vec<(u32, u32)> = Vec::new();
            for &h in &ctx.by_place[place.index()] {
                if let Ok(hh) = households.get(index.households[h as usize])
                    && hh.state == HhState::Trapped
                {
                    trapped.push((h, hh.people()));
                }
            }
            job.of +=
                trapped.iter().map(|x| x.1).sum::<u32>() + danger.trapped_people[place.index()];
            let mut clock_t = t;
            loop {
                // Trapped households first (a household is never split), then people
                // trapped by injects.
                let mut load_hh = Vec::new();
                let mut load = 0;
                while let Some(&(h, n)) = trapped.first() {
                    if load > 0 && load + n > per_trip {
                        break;
                    }
                    load += n;
                    load_hh.push(h);
                    trapped.remove(0);
                }
                let mut anonymous = 0;
                if trapped.is_empty() && load < per_trip {
                    anonymous = (per_trip - load).min(danger.trapped_people[place.index()]);
                    danger.trapped_people[place.index()] -= anonymous;
                    load += anonymous;
                }
                if load == 0 {
                    break;
                }
                let usable = |sh: PlaceIdx| {
                    !shelters.closed[sh.index()]
                        && shelters.opened[sh.index()]
                        && shelters.occupancy[sh.index()] + load <= shelters.capacity[sh.index()]
                };
                let drop = job.drop_at.filter(|d| usable(*d)).or_else(|| {
                    ctx.shelters
                        .iter()
                        .copied()
                        .filter(|sh| usable(*sh))
                        .min_by(|a, b| {
                            s.place(*a)
                                .pos
                                .distance(here)
                                .total_cmp(&s.place(*b).pos.distance(here))
                                .then(a.cmp(b))
                        })
                });
                let to = drop.unwrap_or(team.base);
                if drop.is_some() {
                    // Seats are held from loading so walkers cannot take them.
                    shelters.occupancy[to.index()] += load;
                }
                for &h in &load_hh {
                    if let Ok(mut hh) = households.get_mut(index.households[h as usize]) {
                        hh.state = HhState::Aboard;
                    }
                }
                danger.aboard_anonymous += anonymous;
                job.reached += load;
                // Load, cross, unload: safe then (Rescued is stamped there); back empty.
                let leg = here.distance(s.place(to).pos) / speed;
                let landed = clock_t + leg + 2.0 * p.load_s;
                landings.schedule(
                    landed,
                    Landing {
                        place,
                        team: team_idx,
                        to,
                        households: load_hh,
                        anonymous,
                        people: load,
                        shelter: drop.is_some(),
                    },
                );
                clock_t = landed + leg;
            }
            clock_t
        }
        Work::OpenShelter(sh) => {
            if !shelters.opened[sh.index()] {
                shelters.opened[sh.index()] = true;
                log.push(
                    now,
                    SimEvent::ShelterOpened {
                        shelter: sh,
                        by: Some(job.actor),
                    },
                );
            }
            t
        }
        Work::CloseLink(l) => {
            if net.net.close(l) {
                log.push(
                    now,
                    SimEvent::LinkClosed {
                        link: l,
                        cause: LinkCloseCause::Closed(job.work_ref),
                    },
                );
            }
            t
        }
        Work::FireLine(points) => {
            let len: f64 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
            t + len / (p.fireline_m_s_per_member * f64::from(team.members.max(1)))
        }
        _ => t + p.on_the_spot_s,
    }
}

/// Role work (warnings from a post, on-the-spot tasks) finishes when its last contact
/// is made.
pub fn finish_role_jobs(clock: Res<Clock>, mut pending: ResMut<Pending>, mut log: ResMut<Log>) {
    let now = clock.now_s;
    let jobs = std::mem::take(&mut pending.role_jobs);
    for (finish, job) in jobs {
        if finish <= now {
            let outcome = if job.of > 0 && job.reached < job.of {
                TaskOutcome::Partial {
                    reached: job.reached,
                    of: job.of,
                }
            } else {
                TaskOutcome::Done
            };
            end_job(&mut log, &mut pending, &job, now, outcome);
        } else {
            pending.role_jobs.push((finish, job));
        }
    }
}
