//! 预警 — warnings: the contacts a warning makes by each channel (loudspeaker, siren,
//! hand-cranked alarm, reservoir broadcast, SMS, WeChat group, broadcast, phone,
//! door-knocking, megaphone and gong), scheduled each its own way, unless what injects
//! took out of service (停电, 停用, 通信中断) silences them;
//! and their delivery: a household that hears decides to leave, refuses, stays indoors
//! (就地避险) or is led out (强制转移).

use super::Households;
use crate::model::*;
use crate::sim::events::*;
use crate::sim::world::*;
use bevy_ecs::prelude::*;
use rand::RngExt;

/// What a warning-like work tells people: 就地避险 says stay, everything else go.
pub(super) fn order_of(work: &Work) -> Order {
    match work {
        Work::ShelterInPlace(_) => Order::StayIndoors,
        Work::Evacuate { .. } => Order::Evacuate,
        _ => Order::Leave,
    }
}

/// The channels a warning-like work uses, with a sensible default when none is given.
pub(super) fn channels_of(job: &Job) -> Vec<Channel> {
    match job.work {
        Work::KnockDoors(_) | Work::Evacuate { .. } if job.how.is_empty() => {
            vec![Channel::DoorKnock]
        }
        _ if job.how.is_empty() => vec![Channel::Loudspeaker],
        _ => job.how.clone(),
    }
}

/// Rain intensity (mm/h) of the scenario's flood block at `t`, piecewise linear.
fn rain_at(s: &Scenario, t: f64) -> f64 {
    let Some(flood) = s.hazards.iter().find_map(|h| {
        if let Hazard::Flood(f) = h {
            Some(f)
        } else {
            None
        }
    }) else {
        return 0.0;
    };
    let tl = &flood.rain_mm_h;
    match tl.iter().position(|(ts, _)| *ts > t) {
        None => tl.last().map_or(0.0, |x| x.1),
        Some(0) => tl[0].1,
        Some(i) => {
            let (t0, v0) = tl[i - 1];
            let (t1, v1) = tl[i];
            v0 + (v1 - v0) * (t - t0) / (t1 - t0).max(1e-9)
        }
    }
}

/// Who issues a warning: the work named in `ChannelSilent`, and the log that says so.
pub struct Issue<'a> {
    pub log: &'a mut Log,
    /// The work issuing it, named in `ChannelSilent`.
    pub work: Option<WorkRef>,
}

/// Schedules the contacts of a warning by each channel, each its own way. Returns when
/// the last contact is made and how many households the work addressed. A channel out
/// of service, the phones down, or equipment silenced by a power cut makes no contact,
/// and `ChannelSilent` says why.
#[allow(clippy::too_many_arguments)]
pub fn warning_contacts(
    ctx: &Ctx,
    clock: &Clock,
    contacts: &mut Contacts,
    rngs: &mut Rngs,
    issue: Issue<'_>,
    channels: &[Channel],
    places: &[PlaceIdx],
    origin: Option<Point>,
    workers: u32,
    with: &[ResourceUse],
    start: f64,
    order: Order,
) -> (f64, u32) {
    let s = ctx.scenario.clone();
    let p = &ctx.params;
    let Issue { log, work } = issue;
    // What injects took out of service (停电, 停用, 通信中断), as of the warning.
    let outages = contacts.outages.clone();
    let mut audible = 1.0;
    if clock.is_night() {
        audible *= p.night_factor;
    }
    if rain_at(&s, start) > p.heavy_rain_mm_h {
        audible *= p.rain_factor;
    }
    let night = if clock.is_night() {
        p.night_factor
    } else {
        1.0
    };
    let households: Vec<(u32, PlaceIdx)> = places
        .iter()
        .flat_map(|&pl| ctx.by_place[pl.index()].iter().map(move |&h| (h, pl)))
        .collect();
    let of = households.len() as u32;
    let mut finish = start;
    let walk = p.walk_adult_m_s;
    for &channel in channels {
        if let Some(why) = outages.channel_silence(channel) {
            log.push(
                clock.now_s,
                SimEvent::ChannelSilent {
                    work,
                    channel,
                    resource: None,
                    why,
                },
            );
            continue;
        }
        // Only someone at the door can lead a household out (强制转移); the other
        // channels of an evacuation carry an ordinary order to leave.
        let order = match order {
            Order::Evacuate if channel != Channel::DoorKnock => Order::Leave,
            o => o,
        };
        let contact = |household: u32, reach: f64, source: Option<ResourceIdx>| Contact {
            household,
            order,
            channel,
            reach,
            source,
            work,
        };
        if let Some(kind) = ResourceKind::sounding(channel) {
            // 大喇叭, 警报器, 手摇报警器, 水库广播: heard within each working piece of
            // equipment's radius, from where it stands.
            let (default_radius, reach, repeats, spread_s) = match channel {
                Channel::Siren => (p.siren_radius_m, p.siren_reach, p.loudspeaker_repeats, 0.0),
                Channel::HandAlarm => (
                    p.hand_alarm_radius_m,
                    p.hand_alarm_reach,
                    1,
                    p.hand_alarm_crank_s,
                ),
                Channel::ReservoirBroadcast => (
                    p.reservoir_broadcast_radius_m,
                    p.loudspeaker_reach,
                    p.loudspeaker_repeats,
                    0.0,
                ),
                _ => (
                    p.loudspeaker_radius_m,
                    p.loudspeaker_reach,
                    p.loudspeaker_repeats,
                    0.0,
                ),
            };
            let mut working = Vec::new();
            for (idx, r) in s.sounding_for(&kind, with) {
                match outages.resource_silence(&s, idx) {
                    Some(why) => log.push(
                        clock.now_s,
                        SimEvent::ChannelSilent {
                            work,
                            channel,
                            resource: Some(idx),
                            why,
                        },
                    ),
                    None => working.push((idx, r)),
                }
            }
            for rep in 0..repeats.max(1) {
                let t = start + f64::from(rep) * p.loudspeaker_repeat_s;
                for &(h, pl) in &households {
                    let pos = s.place(pl).pos;
                    let source = working.iter().find(|(_, r)| {
                        s.map.places.get(r.at.index()).is_some_and(|at| {
                            at.pos.distance(pos) <= r.radius_m.unwrap_or(default_radius)
                        })
                    });
                    if let Some(&(idx, _)) = source {
                        // Only a hand-cranked alarm spreads its contacts over the
                        // cranking (a draw for the others would shift the stream).
                        let t = if spread_s > 0.0 {
                            t + spread_s * rngs.warnings.random::<f64>()
                        } else {
                            t
                        };
                        contacts.schedule(t, contact(h, reach * audible, Some(idx)));
                        finish = finish.max(t);
                    }
                }
            }
            continue;
        }
        match channel {
            Channel::Sms | Channel::App | Channel::WeChat => {
                let (delay, seen) = if channel == Channel::WeChat {
                    (p.wechat_delay_max_s, p.wechat_seen)
                } else {
                    (p.sms_delay_max_s, p.sms_seen)
                };
                for &(h, _) in &households {
                    let t = start + delay * rngs.warnings.random::<f64>();
                    contacts.schedule(t, contact(h, seen * night, None));
                    finish = finish.max(t);
                }
            }
            Channel::Broadcast => {
                for &(h, _) in &households {
                    contacts.schedule(start, contact(h, p.broadcast_reach, None));
                }
            }
            Channel::Phone => {
                for (k, &(h, _)) in households.iter().enumerate() {
                    let t = start + ((k as u32 / workers.max(1)) + 1) as f64 * p.phone_call_s;
                    contacts.schedule(t, contact(h, p.phone_reach, None));
                    finish = finish.max(t);
                }
            }
            Channel::DoorKnock => {
                // 敲门行动: knockers share the households; each walks house to house.
                let k = workers.max(1) as usize;
                for j in 0..k {
                    let mut clock = start;
                    let mut pos = origin;
                    let mut last_place: Option<PlaceIdx> = None;
                    for &(h, pl) in households.iter().skip(j).step_by(k) {
                        let walk_m = match (last_place, pos) {
                            (Some(lp), _) if lp == pl => p.house_spacing_m,
                            (_, Some(from)) => from.distance(s.place(pl).pos),
                            _ => 0.0,
                        };
                        clock += walk_m / walk;
                        // 应转尽转: an evacuation checks every house until someone
                        // is found; a warning knock may find nobody answering.
                        let reach = if order == Order::Evacuate {
                            1.0
                        } else {
                            p.knock_reach
                        };
                        contacts.schedule(clock, contact(h, reach, None));
                        clock += p.knock_visit_s;
                        pos = Some(s.place(pl).pos);
                        last_place = Some(pl);
                    }
                    finish = finish.max(clock);
                }
            }
            Channel::Megaphone | Channel::Gong => {
                let reach = if channel == Channel::Megaphone {
                    p.megaphone_reach
                } else {
                    p.gong_reach
                } * audible;
                let carriers = (workers.max(1) as usize).min(places.len().max(1));
                for j in 0..carriers {
                    let mut clock = start;
                    let mut pos = origin;
                    for &pl in places.iter().skip(j).step_by(carriers) {
                        let here = s.place(pl).pos;
                        clock += pos.map_or(0.0, |from| from.distance(here)) / walk;
                        for &h in &ctx.by_place[pl.index()] {
                            let t = clock + p.megaphone_dwell_s * rngs.warnings.random::<f64>();
                            contacts.schedule(t, contact(h, reach, None));
                        }
                        clock += p.megaphone_dwell_s;
                        pos = Some(here);
                    }
                    finish = finish.max(clock);
                }
            }
            // 对讲机 links responders, not households; the fixed equipment's channels
            // were handled above.
            Channel::Radio
            | Channel::Loudspeaker
            | Channel::Siren
            | Channel::HandAlarm
            | Channel::ReservoirBroadcast => {}
        }
    }
    (finish, of)
}

/// 预警送达 — deliver due contacts; households hear, then decide or refuse.
pub fn deliver_contacts(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut contacts: ResMut<Contacts>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    let p = &ctx.params;
    while let Some(entry) = contacts.due.first_entry() {
        let t = f64::from_bits(entry.key().0);
        if t > now {
            break;
        }
        let c = entry.remove();
        // Cut off on its way: the channel went out of service or the phones down, or
        // the equipment lost its power, since the warning was issued.
        let silence = contacts.outages.channel_silence(c.channel).or_else(|| {
            c.source
                .and_then(|r| contacts.outages.resource_silence(&ctx.scenario, r))
        });
        if let Some(why) = silence {
            let key = (c.work, c.channel, c.source);
            if !contacts.silenced.contains(&key) {
                contacts.silenced.push(key);
                log.push(
                    now,
                    SimEvent::ChannelSilent {
                        work: c.work,
                        channel: c.channel,
                        resource: c.source,
                        why,
                    },
                );
            }
            continue;
        }
        let Some(&e) = index.households.get(c.household as usize) else {
            continue;
        };
        let Ok(mut hh) = households.get_mut(e) else {
            continue;
        };
        if matches!(
            hh.state,
            HhState::Sheltered
                | HhState::Walking
                | HhState::AtNode
                | HhState::AtShelterDoor
                | HhState::Aboard
        ) {
            continue;
        }
        let phone_ok =
            !matches!(c.channel, Channel::Sms | Channel::App | Channel::WeChat) || hh.phone;
        let draw = hh.rng.random::<f64>();
        if !phone_ok || draw >= c.reach {
            continue;
        }
        hh.contacts += 1;
        let (id, home, contact) = (hh.id, hh.home, hh.contacts);
        log.push(
            now,
            SimEvent::WarningReceived {
                household: id,
                home,
                channel: c.channel,
                contact,
            },
        );
        if c.order == Order::StayIndoors {
            // 就地避险: staying put asks nothing of anyone, so whoever hears it does
            // (a household already decided to leave stays instead).
            if matches!(hh.state, HhState::Home | HhState::Decided) {
                hh.state = HhState::ShelteringInPlace;
                hh.leave_at_s = f64::INFINITY;
                log.push(
                    now,
                    SimEvent::ShelteredInPlace {
                        household: id,
                        home,
                    },
                );
            }
            continue;
        }
        if c.order == Order::Evacuate {
            // 强制转移: led out when the knocker moves on, those who cannot walk
            // carried or wheeled by the knockers; a household that had already
            // decided leaves now rather than later.
            if matches!(
                hh.state,
                HhState::Home
                    | HhState::ShelteringInPlace
                    | HhState::Decided
                    | HhState::WaitingHelp
                    | HhState::Stranded
            ) {
                let leave = t + if hh.institution {
                    p.institution_muster_s
                } else {
                    p.knock_visit_s
                };
                hh.helped |= hh.members.disabled > 0;
                hh.escorted = true;
                if hh.state == HhState::WaitingHelp {
                    // `depart` sets helped households off at once.
                    continue;
                }
                if hh.state != HhState::Decided || hh.leave_at_s > leave {
                    hh.leave_at_s = leave;
                    hh.state = HhState::Decided;
                    log.push(
                        now,
                        SimEvent::Decided {
                            household: id,
                            home,
                            leave_at_s: leave,
                        },
                    );
                }
            }
            continue;
        }
        if !matches!(hh.state, HhState::Home | HhState::ShelteringInPlace) {
            continue;
        }
        if hh.institution {
            // 单位: the order reaches whoever is on duty, and the responsible person
            // has everyone mustered and led out together; nobody refuses.
            hh.leave_at_s = t + p.institution_muster_s;
            hh.state = HhState::Decided;
            log.push(
                now,
                SimEvent::Decided {
                    household: id,
                    home,
                    leave_at_s: hh.leave_at_s,
                },
            );
            continue;
        }
        let base = match c.channel {
            Channel::Loudspeaker | Channel::ReservoirBroadcast => p.comply_loudspeaker,
            Channel::Sms | Channel::App | Channel::WeChat => p.comply_sms,
            Channel::Siren => p.comply_siren,
            Channel::HandAlarm => p.comply_hand_alarm,
            Channel::DoorKnock => p.comply_knock,
            Channel::Megaphone => p.comply_megaphone,
            Channel::Gong => p.comply_gong,
            Channel::Phone | Channel::Radio => p.comply_phone,
            Channel::Broadcast => p.comply_broadcast,
        };
        let chance = base + f64::from(contact - 1) * p.comply_per_extra_contact;
        if hh.stubbornness < chance {
            let u = hh.rng.random::<f64>();
            hh.leave_at_s = t + p.leave_delay.sample(u).max(0.0);
            hh.state = HhState::Decided;
            log.push(
                now,
                SimEvent::Decided {
                    household: id,
                    home,
                    leave_at_s: hh.leave_at_s,
                },
            );
        } else {
            log.push(
                now,
                SimEvent::Refused {
                    household: id,
                    home,
                    contact,
                },
            );
        }
    }
}
