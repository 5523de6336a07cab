//! 疏散行进 — households on their way: departure towards the nearest shelter with room,
//! the queue model on links (storage and flow capacity, local route choice, rerouting
//! when the way is cut), and arrival at a shelter: taken in, waiting at the gate until
//! it is opened (开放避灾点), or sent on when it is full or closed.

use super::Households;
use crate::model::*;
use crate::sim::events::*;
use crate::sim::network::{DirLink, Walker};
use crate::sim::world::*;
use bevy_ecs::prelude::*;

/// Whether households led out by a knocker (强制转移) may cross links the hazard
/// closed: through a toxic cloud, yes, on the shortest way out, their dose counted
/// (people are led out crosswind with masks rather than left in the plume); through
/// flood water or fire, no.
fn escorts_cross(ctx: &Ctx) -> bool {
    ctx.scenario
        .header
        .hazard_kinds
        .contains(&HazardKind::Chemical)
}

/// The nearest shelter from `at` by open foot routes, skipping closed shelters and
/// those that fail `room`. Ties go to the lower place index.
fn nearest_shelter(
    ctx: &Ctx,
    net: &Net,
    shelters: &Shelters,
    at: PlaceIdx,
    escorted: bool,
    room: impl Fn(PlaceIdx) -> bool,
) -> Option<(usize, PlaceIdx)> {
    let mut best: Option<(f64, usize, PlaceIdx)> = None;
    for (k, &sh) in ctx.shelters.iter().enumerate() {
        if shelters.closed[sh.index()] || !room(sh) {
            continue;
        }
        let dist = net.tree(k, escorted).dist[at.index()];
        if dist.is_finite() && best.is_none_or(|(bd, _, _)| dist < bd) {
            best = Some((dist, k, sh));
        }
    }
    best.map(|(_, k, sh)| (k, sh))
}

/// 出发 — households whose leave time has come set off (or wait for help).
#[allow(clippy::too_many_arguments)]
pub fn depart(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut net: ResMut<Net>,
    shelters: Res<Shelters>,
    mut movers: ResMut<Movers>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    net.refresh(&ctx.shelters, escorts_cross(&ctx));
    for mut hh in households.iter_mut() {
        let ready = match hh.state {
            HhState::Decided => hh.leave_at_s <= now,
            HhState::WaitingHelp => hh.helped,
            _ => false,
        };
        if !ready {
            continue;
        }
        let (id, home, people) = (hh.id, hh.home, hh.people());
        if hh.needs_help() {
            hh.state = HhState::WaitingHelp;
            log.push(
                now,
                SimEvent::NeedsHelp {
                    household: id,
                    home,
                    people,
                },
            );
            continue;
        }
        let at = hh.at;
        let escorted = hh.escorted;
        match nearest_shelter(&ctx, &net, &shelters, at, escorted, |sh| {
            !shelters.full_logged[sh.index()]
        }) {
            Some((k, sh)) => {
                hh.target = sh;
                hh.expect_m = net.tree(k, escorted).dist[at.index()];
                hh.state = HhState::AtNode;
                hh.at_since_s = hh.leave_at_s.min(now).max(now - clock.step_s);
                if hh.helped {
                    hh.speed_m_s = hh.assisted_m_s;
                }
                movers.at_node.push(id.0);
                log.push(
                    now,
                    SimEvent::Departed {
                        household: id,
                        home,
                        people,
                        towards: sh,
                    },
                );
            }
            None => {
                hh.state = HhState::Stranded;
                log.push(
                    now,
                    SimEvent::Stranded {
                        household: id,
                        at,
                        why: Blocked::NoShelter,
                    },
                );
            }
        }
    }
}

/// 疏散行进 — the queue model: households enter links while storage allows, walk them
/// at their free speed slowed by the crowd walking with them (Weidmann's speed–density
/// relation, repaced at the start of each step) and leave them in order no faster than
/// the link's flow capacity.
///
/// Both limits are rates in continuous time, never counts per step: a link lets out
/// one household per `people / capacity` seconds after the one before (capacity =
/// specific flow × width, `SimParams::specific_flow_p_m_s`), and a household refused
/// for storage enters when the next one leaves. The passes below repeat until nothing
/// moves, so a step of 60 s lets through what sixty steps of 1 s do (issue 18: a fixed
/// eight passes made a 1 m door pass 1.30 p/s at 1 s steps and 0.14 p/s at 60 s). The
/// loop ends: every pass that moves someone moves them into a link or out of one, and
/// each link takes a positive time (length ≥ 0.1 m) that must end by `now`.
#[allow(clippy::too_many_arguments)]
pub fn move_walkers(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    mut movers: ResMut<Movers>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    net.refresh(&ctx.shelters, escorts_cross(&ctx));
    let movers = &mut *movers;
    // The crowd on each link sets its walkers' pace for this step (from its start).
    for &slot in &movers.active_lanes {
        net.net.repace_lane(slot, now - clock.step_s);
    }
    loop {
        let mut progressed = false;
        // Waiting households, first come first served.
        // The keys are looked up once per pass, not once per comparison: the passes
        // repeat until nothing moves, so this sort runs many times in a busy step.
        let mut waiting: Vec<(f64, u32)> = std::mem::take(&mut movers.at_node)
            .into_iter()
            .map(|h| {
                let since = households
                    .get(index.households[h as usize])
                    .map(|hh| hh.at_since_s)
                    .unwrap_or(0.0);
                (since, h)
            })
            .collect();
        waiting.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, h) in waiting {
            let Ok(mut hh) = households.get_mut(index.households[h as usize]) else {
                continue;
            };
            if hh.state != HhState::AtNode {
                continue;
            }
            let at = hh.at;
            let escorted = hh.escorted;
            let mut k = ctx
                .shelters
                .iter()
                .position(|s| *s == hh.target)
                .unwrap_or(0);
            let dist_here = if k < net.trees.len() {
                net.tree(k, escorted).dist[at.index()]
            } else {
                f64::INFINITY
            };
            if !dist_here.is_finite() || hh.expect_m + 1.0 < dist_here {
                // The planned way is cut or longer: choose again.
                let n = hh.people();
                match nearest_shelter(&ctx, &net, &shelters, at, escorted, |sh| {
                    shelters.occupancy[sh.index()] + n <= shelters.capacity[sh.index()]
                        || !shelters.full_logged[sh.index()]
                }) {
                    Some((nk, sh)) => {
                        k = nk;
                        hh.target = sh;
                        hh.expect_m = net.tree(k, escorted).dist[at.index()];
                        log.push(
                            now,
                            SimEvent::Rerouted {
                                household: hh.id,
                                at,
                                towards: sh,
                            },
                        );
                    }
                    None => {
                        hh.state = HhState::Stranded;
                        log.push(
                            now,
                            SimEvent::Stranded {
                                household: hh.id,
                                at,
                                why: Blocked::NoRoute,
                            },
                        );
                        continue;
                    }
                }
            }
            // Local route choice: free walking time plus the queue ahead, so parallel
            // exits share the flow (RiMEA test 9 needs both doors used).
            let tree = net.tree(k, escorted);
            let speed = hh.speed_m_s.max(0.05);
            let mut best: Option<(f64, DirLink)> = None;
            for &(nb, link) in &net.net.adjacency[at.index()] {
                let li = link.index();
                let passable = net.net.open[li]
                    || (escorted && !net.trees_inside.is_empty() && net.net.hazard_closed[li]);
                if !passable || !tree.dist[nb.index()].is_finite() {
                    continue;
                }
                let d = net.net.dir_from(link, at);
                let lane = &net.net.lanes[d.slot()];
                let cost = (net.net.length_m[li] + tree.dist[nb.index()]) / speed
                    + f64::from(lane.people) / net.net.capacity_p_s[li];
                if best.is_none_or(|(bc, bd)| cost < bc || (cost == bc && d < bd)) {
                    best = Some((cost, d));
                }
            }
            let Some((_, d)) = best else {
                movers.at_node.push(h);
                continue;
            };
            let expect_next = tree.dist[net.net.head(d).index()];
            let li = d.link.index();
            let n = hh.people();
            let (storage, length) = (net.net.storage_p[li], net.net.length_m[li]);
            let on_lane = net.net.lanes[d.slot()].people;
            if on_lane > 0 && on_lane + n > storage {
                net.net.lanes[d.slot()].blocked = true;
                movers.at_node.push(h);
                continue;
            }
            // Only for those who enter: a household refused for storage asks again
            // in every pass of a busy step.
            let factor = net.net.entry_factor(d.slot(), n);
            let lane = &mut net.net.lanes[d.slot()];
            let entered = hh.at_since_s.max(now - clock.step_s).max(lane.room_at_s);
            lane.queue.push_back(Walker {
                household: h,
                people: n,
                entered_s: entered,
                ready_s: entered + length / (speed * factor),
                factor,
                pace_from_s: entered,
                done_at_pace: 0.0,
                walking: true,
            });
            lane.people += n;
            lane.walking += n;
            hh.expect_m = expect_next;
            hh.state = HhState::Walking;
            hh.lane = Some(d);
            movers.active_lanes.insert(d.slot());
            progressed = true;
        }
        // Lanes, in slot order.
        let active: Vec<usize> = movers.active_lanes.iter().copied().collect();
        for slot in active {
            loop {
                let lane = &net.net.lanes[slot];
                let Some(&head) = lane.queue.front() else {
                    break;
                };
                let li = slot / 2;
                let exit = head.ready_s.max(lane.next_exit_s);
                if exit > now {
                    break;
                }
                let cap = net.net.capacity_p_s[li];
                let lane = &mut net.net.lanes[slot];
                lane.queue.pop_front();
                lane.next_exit_s = exit + f64::from(head.people) / cap;
                lane.people -= head.people;
                if head.walking {
                    lane.walking -= head.people;
                }
                if lane.blocked {
                    lane.blocked = false;
                    lane.room_at_s = exit;
                }
                let d = DirLink {
                    link: LinkIdx(li as u32),
                    reverse: slot % 2 == 1,
                };
                let node = net.net.head(d);
                progressed = true;
                let Ok(mut hh) = households.get_mut(index.households[head.household as usize])
                else {
                    continue;
                };
                hh.at = node;
                hh.at_since_s = exit;
                hh.lane = None;
                if node == hh.target {
                    arrive(&ctx, &net, &mut shelters, &mut log, &mut hh, now);
                    if hh.state == HhState::AtShelterDoor {
                        movers.at_door.push(head.household);
                    }
                }
                if hh.state == HhState::Walking {
                    hh.state = HhState::AtNode;
                }
                if hh.state == HhState::AtNode {
                    movers.at_node.push(head.household);
                }
            }
            if net.net.lanes[slot].queue.is_empty() {
                movers.active_lanes.remove(&slot);
            }
        }
        if !progressed {
            break;
        }
    }
}

/// 开放避灾点 — households waiting at a shelter's gate go in once it is opened (or
/// are sent on if it closed or filled meanwhile), in the order they arrived.
#[allow(clippy::too_many_arguments)]
pub fn admit_at_opened_shelters(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    mut movers: ResMut<Movers>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    if movers.at_door.is_empty() {
        return;
    }
    let now = clock.now_s;
    net.refresh(&ctx.shelters, escorts_cross(&ctx));
    for h in std::mem::take(&mut movers.at_door) {
        let Ok(mut hh) = households.get_mut(index.households[h as usize]) else {
            continue;
        };
        let sh = hh.target.index();
        if !shelters.opened[sh] && !shelters.closed[sh] {
            movers.at_door.push(h);
            continue;
        }
        arrive(&ctx, &net, &mut shelters, &mut log, &mut hh, now);
        if hh.state == HhState::AtNode {
            movers.at_node.push(h);
        }
    }
}

/// A household reaches its target shelter: taken in, or sent on when it is full.
fn arrive(
    ctx: &Ctx,
    net: &Net,
    shelters: &mut Shelters,
    log: &mut Log,
    hh: &mut Household,
    now: f64,
) {
    let sh = hh.target;
    let n = hh.people();
    let i = sh.index();
    if !shelters.closed[i] && !shelters.opened[i] {
        // Not opened yet: wait at the gate (admit_at_opened_shelters lets them in).
        if hh.state != HhState::AtShelterDoor {
            hh.state = HhState::AtShelterDoor;
            log.push(
                now,
                SimEvent::WaitingAtShelter {
                    household: hh.id,
                    shelter: sh,
                },
            );
        }
        return;
    }
    if !shelters.closed[i] && shelters.occupancy[i] + n <= shelters.capacity[i] {
        shelters.occupancy[i] += n;
        hh.state = HhState::Sheltered;
        log.push(
            now,
            SimEvent::Arrived {
                household: hh.id,
                home: hh.home,
                shelter: sh,
                people: n,
            },
        );
        if shelters.occupancy[i] == shelters.capacity[i] && !shelters.full_logged[i] {
            shelters.full_logged[i] = true;
            log.push(
                now,
                SimEvent::ShelterFull {
                    shelter: sh,
                    occupancy: shelters.occupancy[i],
                },
            );
        }
        return;
    }
    if !shelters.full_logged[i] && !shelters.closed[i] {
        shelters.full_logged[i] = true;
        log.push(
            now,
            SimEvent::ShelterFull {
                shelter: sh,
                occupancy: shelters.occupancy[i],
            },
        );
    }
    let next = nearest_shelter(ctx, net, shelters, sh, hh.escorted, |s| {
        s != sh && shelters.occupancy[s.index()] + n <= shelters.capacity[s.index()]
    });
    match next {
        Some((k, to)) => {
            hh.target = to;
            hh.expect_m = net.tree(k, hh.escorted).dist[sh.index()];
            hh.state = HhState::AtNode;
            log.push(
                now,
                SimEvent::Redirected {
                    household: hh.id,
                    from: sh,
                    to,
                },
            );
        }
        None => {
            hh.state = HhState::Stranded;
            log.push(
                now,
                SimEvent::Stranded {
                    household: hh.id,
                    at: sh,
                    why: Blocked::NoShelter,
                },
            );
        }
    }
}
