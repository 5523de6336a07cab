//! 危险 — where the danger is and who is in it: the hazard fields are advanced and
//! sampled to mark zones, places and links dangerous (closing links the hazard cuts);
//! people at a dangerous place are exposed and, once the grace has run out, those
//! still at home are trapped (受困). Also the headline totals over all households.

use super::Households;
use crate::model::*;
use crate::sim::events::*;
use crate::sim::world::*;
use bevy_ecs::prelude::*;

/// 危险 — advance hazard fields; mark dangerous zones, places and links.
pub fn sample_hazards(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut hazards: ResMut<Hazards>,
    mut danger: ResMut<Danger>,
    mut net: ResMut<Net>,
    mut log: ResMut<Log>,
) {
    let now = clock.now_s;
    let s = &ctx.scenario;
    for h in hazards.0.iter_mut() {
        h.advance_to(now);
    }
    for (zi, zone) in s.map.zones.iter().enumerate() {
        if !danger.zone[zi] && zone.dangerous_from_s.is_some_and(|t| t <= now) {
            danger.zone[zi] = true;
            log.push(
                now,
                SimEvent::ZoneDangerous {
                    zone: ZoneIdx(zi as u32),
                    cause: DangerCause::Scripted,
                },
            );
        }
    }
    for (pi, place) in s.map.places.iter().enumerate() {
        let by_field = hazards.0.iter().any(|h| h.dangerous(place.pos));
        if by_field {
            for &z in &ctx.place_zones[pi] {
                if !danger.zone[z.index()] {
                    danger.zone[z.index()] = true;
                    log.push(
                        now,
                        SimEvent::ZoneDangerous {
                            zone: z,
                            cause: DangerCause::Model,
                        },
                    );
                }
            }
        }
        let by_zone = ctx.place_zones[pi]
            .iter()
            .any(|z| danger.zone_by_inject[z.index()]);
        let bad = by_field || by_zone;
        danger.place[pi] = bad;
        if !bad {
            danger.place_since_s[pi] = None;
        } else if danger.place_since_s[pi].is_none() {
            danger.place_since_s[pi] = Some(now);
        }
    }
    if now >= net.next_link_sample_s {
        net.next_link_sample_s = now + ctx.params.link_sample_s;
        for (li, link) in s.map.links.iter().enumerate() {
            let (Some(a), Some(b)) = (
                s.map.places.get(link.from.index()),
                s.map.places.get(link.to.index()),
            ) else {
                continue;
            };
            let mid = Point {
                x: (a.pos.x + b.pos.x) / 2.0,
                y: (a.pos.y + b.pos.y) / 2.0,
            };
            let inject_zone = |p: Point| {
                s.map
                    .zones
                    .iter()
                    .enumerate()
                    .any(|(z, zone)| danger.zone_by_inject[z] && zone.contains(p))
            };
            let points: Vec<Point> = if link.via.is_empty() {
                vec![mid]
            } else {
                link.via.clone()
            };
            let bad = points
                .iter()
                .any(|&p| hazards.0.iter().any(|h| h.dangerous(p)) || inject_zone(p));
            net.link_danger[li] = bad;
            if bad && net.net.close_for_hazard(LinkIdx(li as u32)) {
                log.push(
                    now,
                    SimEvent::LinkClosed {
                        link: LinkIdx(li as u32),
                        cause: LinkCloseCause::Hazard,
                    },
                );
            }
        }
    }
}

/// 受困/暴露 — people at a dangerous place are exposed; those still at home are trapped.
pub fn check_exposure(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    net: Res<Net>,
    mut danger: ResMut<Danger>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    for mut hh in households.iter_mut() {
        let here_bad = match hh.state {
            HhState::Sheltered | HhState::Aboard => false,
            HhState::Walking => hh.lane.is_some_and(|d| net.link_danger[d.link.index()]),
            _ => danger.place[hh.at.index()],
        };
        if !here_bad {
            continue;
        }
        let n = hh.people();
        if !hh.exposed {
            hh.exposed = true;
            danger.exposed_total += n;
            log.push(
                now,
                SimEvent::Exposed {
                    household: hh.id,
                    home: hh.home,
                    at: hh.at,
                    people: n,
                },
            );
        }
        // Trapped only once the grace has run out: until then they may still leave.
        // Water and fire cut people off (受困); a toxic cloud alone does not: people
        // indoors breathe what seeps in (see `hazard_effects::breathe`) and can still
        // leave, or be led out by a team (强制转移), so they are never trapped by it.
        let cut_off = ctx
            .scenario
            .header
            .hazard_kinds
            .iter()
            .any(|k| *k != HazardKind::Chemical);
        let past_grace = cut_off
            && danger
                .place_since_s
                .get(hh.at.index())
                .copied()
                .flatten()
                .is_some_and(|t| now - t >= ctx.params.trap_grace_s);
        if past_grace
            && matches!(
                hh.state,
                HhState::Home | HhState::Decided | HhState::WaitingHelp | HhState::Stranded
            )
        {
            hh.state = HhState::Trapped;
            log.push(
                now,
                SimEvent::Trapped {
                    place: hh.at,
                    people: n,
                    household: Some(hh.id),
                },
            );
        }
    }
}

/// Totals over all households now.
pub fn totals<'a>(
    world_households: impl Iterator<Item = &'a Household>,
    danger: &Danger,
    net: &Net,
) -> Totals {
    let mut t = Totals {
        exposed: danger.exposed_total,
        rescued: danger.rescued_total,
        ..Totals::default()
    };
    t.trapped = danger.trapped_people.iter().sum();
    t.evacuated = danger.rescued_anonymous;
    t.moving = danger.aboard_anonymous;
    for hh in world_households {
        let n = hh.people();
        if hh.contacts > 0 {
            t.warned += n;
        }
        match hh.state {
            HhState::Sheltered => t.evacuated += n,
            HhState::Walking | HhState::AtNode | HhState::AtShelterDoor | HhState::Aboard => {
                t.moving += n
            }
            HhState::Trapped => t.trapped += n,
            _ => {}
        }
        let bad = match hh.state {
            HhState::Sheltered | HhState::Aboard => false,
            HhState::Walking => hh.lane.is_some_and(|d| net.link_danger[d.link.index()]),
            _ => danger.place[hh.at.index()],
        };
        if bad {
            t.in_danger += n;
        }
    }
    // People trapped by injects are in danger by definition.
    t.in_danger += danger.trapped_people.iter().sum::<u32>();
    t
}
