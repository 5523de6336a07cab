//! What injects do to the means of warning and response, and to the hazard: a power cut
//! (停电) silences loudspeakers without backup power and restoring it brings them back,
//! the phones down (通信中断) stop SMS and WeChat groups, equipment out of service (停用),
//! a team delayed (延误); sirens, hand-cranked alarms and the reservoir broadcast reach
//! by distance; and an inflow inject (来水 / 泄洪) starts the flood model's water.

mod common;

use drill_engine::model::*;
use drill_engine::sim::build::ScenarioBuilder;
use drill_engine::sim::events::{ServiceChange, Silence, SimEvent, TimedEvent};
use drill_engine::sim::params::SimParams;
use drill_engine::sim::{Mode, Simulation};

/// Every parameter that makes a contact certain, so that counts are exact.
fn certain() -> SimParams {
    SimParams {
        loudspeaker_reach: 1.0,
        siren_reach: 1.0,
        hand_alarm_reach: 1.0,
        sms_seen: 1.0,
        wechat_seen: 1.0,
        phone_owner_young: 1.0,
        phone_owner_elderly_only: 1.0,
        ..SimParams::default()
    }
}

/// A village by day: 20 households 200 m from the office, where the loudspeaker is.
fn village() -> (ScenarioBuilder, PlaceIdx, PlaceIdx, RoleIdx, ResourceIdx) {
    let mut b = ScenarioBuilder::new();
    b.start_hour(10);
    let near = b.settlement("下村", 200.0, 0.0, 20, 60);
    let office = b.junction("村委会", 0.0, 0.0);
    let speaker = b.resource("村广播", ResourceKind::Loudspeaker, 1, office);
    b.scenario.resources[speaker.index()].radius_m = Some(500.0);
    let role = b.role("村应急管理员", AdminLevel::Village, 1, Some(office));
    (b, near, office, role, speaker)
}

fn warn_at(sim: &mut Simulation, at_s: f64, role: RoleIdx, how: &[Channel], with: &[ResourceIdx]) {
    sim.submit(Action {
        at_s,
        actor: Actor::Role(role),
        work: Work::Warn(Target::All),
        how: how.to_vec(),
        with: with
            .iter()
            .map(|&resource| ResourceUse {
                resource,
                quantity: 1,
            })
            .collect(),
        span: Span::default(),
    });
}

fn run(
    scenario: &Scenario,
    params: SimParams,
    f: impl FnOnce(&mut Simulation),
    until: f64,
) -> Vec<TimedEvent> {
    let mut sim = Simulation::with(scenario, 7, Vec::new(), params, Mode::Actions).unwrap();
    f(&mut sim);
    sim.run_until(until);
    sim.events().to_vec()
}

fn heard(events: &[TimedEvent], channel: Channel) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(e.event, SimEvent::WarningReceived { channel: c, contact: 1, .. } if c == channel)
        })
        .count()
}

fn silent(events: &[TimedEvent]) -> Vec<(f64, Channel, Option<ResourceIdx>, Silence)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::ChannelSilent {
                channel,
                resource,
                why,
                ..
            } => Some((e.t_s, channel, resource, why)),
            _ => None,
        })
        .collect()
}

/// 停电: a warning ordered by loudspeaker during a power cut reaches nobody, and the
/// log says which loudspeaker was silent and why; without the cut, all 20 hear it.
#[test]
fn a_power_cut_silences_a_loudspeaker_without_backup_power() {
    let (mut b, _, office, role, speaker) = village();
    let before = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker]),
        900.0,
    );
    assert_eq!(heard(&before, Channel::Loudspeaker), 20);
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::PowerCut(Target::Place(office))],
    );
    let events = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker]),
        900.0,
    );
    assert_eq!(heard(&events, Channel::Loudspeaker), 0);
    let s = silent(&events);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(
        (s[0].1, s[0].2, s[0].3),
        (Channel::Loudspeaker, Some(speaker), Silence::PowerCut)
    );
    assert!(events.iter().any(|e| matches!(
        e.event,
        SimEvent::ServiceChanged { what: ServiceChange::Power(Target::Place(p)), working: false, inject: 1 } if p == office
    )));
}

/// 备用电源: the same cut leaves a loudspeaker with backup power sounding; a cut at
/// another place leaves this one alone.
#[test]
fn backup_power_or_a_cut_elsewhere_keeps_the_loudspeaker_sounding() {
    let (mut b, near, _, role, speaker) = village();
    b.scenario.resources[speaker.index()].backup_power = true;
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::PowerCut(Target::All)],
    );
    let events = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker]),
        900.0,
    );
    assert_eq!(heard(&events, Channel::Loudspeaker), 20);
    let (mut b, near2, _, role, speaker) = village();
    assert_eq!(near, near2);
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::PowerCut(Target::Place(near))],
    );
    let events = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker]),
        900.0,
    );
    assert_eq!(heard(&events, Channel::Loudspeaker), 20);
}

/// 恢复供电 (a generator started): after the restore the loudspeaker is heard again.
#[test]
fn restoring_power_brings_the_loudspeaker_back() {
    let (mut b, _, office, role, speaker) = village();
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::PowerCut(Target::All)],
    );
    b.inject(
        2,
        InjectTrigger::At(300.0),
        vec![Effect::PowerRestored(Target::Place(office))],
    );
    let events = run(
        &b.build(),
        certain(),
        |s| {
            warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker]);
            warn_at(s, 900.0, role, &[Channel::Loudspeaker], &[speaker]);
        },
        1200.0,
    );
    let times: Vec<f64> = events
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                SimEvent::WarningReceived {
                    channel: Channel::Loudspeaker,
                    ..
                }
            )
        })
        .map(|e| e.t_s)
        .collect();
    assert_eq!(times.len(), 20, "heard once each, after the restore");
    assert!(times.iter().all(|&t| t >= 900.0), "{times:?}");
}

/// A cut between the broadcast and its repeats silences the repeats, logged once.
#[test]
fn a_power_cut_cuts_off_the_repeats_already_scheduled() {
    let (mut b, _, _, role, speaker) = village();
    b.inject(
        1,
        InjectTrigger::At(300.0),
        vec![Effect::PowerCut(Target::All)],
    );
    let params = SimParams {
        loudspeaker_reach: 0.0,
        ..certain()
    };
    let events = run(
        &b.build(),
        params,
        |s| warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker]),
        2000.0,
    );
    let s = silent(&events);
    assert_eq!(s.len(), 1, "{s:?}");
    // The first repeat falls 600 s after the broadcast, after the cut at 300 s.
    assert!(s[0].0 >= 600.0 && s[0].3 == Silence::PowerCut, "{s:?}");
}

/// 通信中断: SMS and WeChat stop while the phones are down, and work again once
/// restored; a hand-cranked alarm needs neither power nor the network.
#[test]
fn phones_down_stop_sms_and_wechat_but_not_the_hand_cranked_alarm() {
    let (mut b, _, office, role, _) = village();
    let alarm = b.resource("手摇报警器", ResourceKind::HandAlarm, 1, office);
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::PhonesDown, Effect::PowerCut(Target::All)],
    );
    b.inject(2, InjectTrigger::At(3000.0), vec![Effect::PhonesRestored]);
    let events = run(
        &b.build(),
        certain(),
        |s| {
            warn_at(
                s,
                60.0,
                role,
                &[Channel::Sms, Channel::WeChat, Channel::HandAlarm],
                &[alarm],
            );
        },
        2900.0,
    );
    assert_eq!(heard(&events, Channel::Sms), 0);
    assert_eq!(heard(&events, Channel::WeChat), 0);
    assert_eq!(heard(&events, Channel::HandAlarm), 20);
    let whys: Vec<Silence> = silent(&events).iter().map(|s| s.3).collect();
    assert_eq!(whys, vec![Silence::PhonesDown, Silence::PhonesDown]);
    let events = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 3100.0, role, &[Channel::Sms, Channel::WeChat], &[]),
        3100.0 + 2000.0,
    );
    assert_eq!(
        heard(&events, Channel::Sms) + heard(&events, Channel::WeChat),
        20
    );
}

/// 停用: one loudspeaker out of service leaves the other one sounding; a whole channel
/// out of service makes no contact; `restore` gives them back.
#[test]
fn equipment_or_a_channel_out_of_service_is_silent_until_restored() {
    let (mut b, _, _, role, speaker) = village();
    let far = b.settlement("上村", 3000.0, 0.0, 10, 30);
    let other = b.resource("上村广播", ResourceKind::Loudspeaker, 1, far);
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::OutOfService(Service::Resource(speaker))],
    );
    let events = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 60.0, role, &[Channel::Loudspeaker], &[speaker, other]),
        900.0,
    );
    assert_eq!(
        heard(&events, Channel::Loudspeaker),
        10,
        "only 上村 hears its own"
    );
    let (mut b, _, _, role, _) = village();
    b.inject(
        1,
        InjectTrigger::At(30.0),
        vec![Effect::OutOfService(Service::Channel(Channel::Sms))],
    );
    b.inject(
        2,
        InjectTrigger::At(500.0),
        vec![Effect::Restored(Service::Channel(Channel::Sms))],
    );
    let events = run(
        &b.build(),
        certain(),
        |s| {
            warn_at(s, 60.0, role, &[Channel::Sms], &[]);
            warn_at(s, 600.0, role, &[Channel::Sms], &[]);
        },
        1200.0,
    );
    assert_eq!(silent(&events).len(), 1);
    let first: Vec<f64> = events
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                SimEvent::WarningReceived {
                    channel: Channel::Sms,
                    ..
                }
            )
        })
        .map(|e| e.t_s)
        .collect();
    assert_eq!(first.len(), 20);
    assert!(first.iter().all(|&t| t >= 600.0));
}

/// 警报器 and 水库广播 reach by distance: a siren's default radius (1.5 km) takes in a
/// hamlet 1.2 km off and not one 2 km off; the reservoir broadcast covers its radius.
#[test]
fn sirens_and_the_reservoir_broadcast_reach_by_distance() {
    let mut b = ScenarioBuilder::new();
    b.start_hour(10);
    let office = b.junction("村委会", 0.0, 0.0);
    b.settlement("near", 1200.0, 0.0, 10, 30);
    b.settlement("far", 2000.0, 0.0, 7, 20);
    let siren = b.resource("警报器", ResourceKind::Siren, 1, office);
    let broadcast = b.resource("水库广播", ResourceKind::ReservoirBroadcast, 1, office);
    b.scenario.resources[broadcast.index()].radius_m = Some(2500.0);
    let role = b.role("水库管理员", AdminLevel::Village, 1, Some(office));
    let events = run(
        &b.build(),
        certain(),
        |s| warn_at(s, 60.0, role, &[Channel::Siren], &[siren]),
        900.0,
    );
    assert_eq!(heard(&events, Channel::Siren), 10);
    let params = SimParams {
        loudspeaker_reach: 1.0,
        ..certain()
    };
    let events = run(
        &b.build(),
        params,
        |s| warn_at(s, 60.0, role, &[Channel::ReservoirBroadcast], &[broadcast]),
        900.0,
    );
    assert_eq!(heard(&events, Channel::ReservoirBroadcast), 17);
}

/// 延误: a team held up 20 minutes sets off no earlier than the end of the delay
/// (counted from the inject, here before its call-out and its 10 minutes' assembly are
/// over), and one held up on the road arrives 20 minutes later.
#[test]
fn a_delayed_team_sets_off_that_much_later() {
    let mut b = ScenarioBuilder::new();
    b.start_hour(10);
    let base = b.station("救援站", 0.0, 0.0);
    let village = b.settlement("下村", 1000.0, 0.0, 5, 15);
    b.straight_road(base, village, 5.0);
    let team = b.team("救援队", 10, base, 600.0, &[Skill::Evacuation]);
    let times = |s: &Scenario| {
        let events = run(
            s,
            SimParams::default(),
            |s| {
                s.submit(Action {
                    at_s: 120.0,
                    actor: Actor::Team(team),
                    work: Work::KnockDoors(Target::Place(village)),
                    how: vec![Channel::DoorKnock],
                    with: Vec::new(),
                    span: Span::default(),
                });
            },
            7200.0,
        );
        let at = |f: fn(&SimEvent) -> bool| {
            events
                .iter()
                .find(|e| f(&e.event))
                .map(|e| e.t_s)
                .expect("the team set off and arrived")
        };
        (
            at(|e| matches!(e, SimEvent::TeamDeparted { .. })),
            at(|e| matches!(e, SimEvent::TeamArrived { .. })),
        )
    };
    let delayed_at = |at_s: f64| {
        let mut b2 = ScenarioBuilder::new();
        b2.scenario = b.build();
        b2.inject(
            1,
            InjectTrigger::At(at_s),
            vec![Effect::TeamDelayed {
                team,
                delay_s: 1200.0,
            }],
        );
        times(&b2.build())
    };
    let (set_off, arrived) = times(&b.build());
    assert!(
        (set_off - 720.0).abs() <= 10.0,
        "called out at 120 s, 600 s to assemble: {set_off}"
    );
    let (late, _) = delayed_at(60.0);
    assert!(
        (late - 1260.0).abs() <= 10.0,
        "held from 60 s to 1260 s: {late}"
    );
    let (_, late) = delayed_at(900.0);
    assert!(
        (late - arrived - 1200.0).abs() <= 10.0,
        "on time {arrived}, held on the road {late}"
    );
}

/// 来水 / 泄洪 drive the flood model: in the example, the reservoir release injects
/// (150 m³/s from 20:40, 300 m³/s from 21:30) put far more water on the valley floor
/// than the block's own 10 m³/s base flow; before the gates open the two runs are the
/// same, and closing them (01:00) lets the water fall again.
#[test]
fn an_inflow_inject_starts_the_flood() {
    use drill_engine::sim::hazard_layer::HazardLayerKind;
    let (scenario, terrain) = common::example("zhuyuan-reservoir-release");
    let water = |s: &Scenario, at_s: f64| {
        let (mut sim, warnings) = drill_engine::sim::setup::build_run(
            s,
            terrain.as_ref(),
            s.header.seed,
            Mode::PlanAsWritten,
            None,
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        sim.run_until(at_s);
        let layer = sim
            .hazard_layers(100)
            .iter()
            .find(|l| l.kind == HazardLayerKind::WaterDepth)
            .expect("a water layer")
            .clone();
        let wet = layer.values.iter().filter(|&&h| h > 0.3).count();
        let inflows = sim
            .events()
            .iter()
            .filter(|e| matches!(e.event, SimEvent::InflowSet { .. }))
            .count();
        (wet, inflows)
    };
    let mut base = scenario.clone();
    for inject in &mut base.injects {
        inject
            .effects
            .retain(|e| !matches!(e, Effect::Inflow { .. }));
    }
    // 20:35, before the gates open: the same water either way.
    assert_eq!(water(&scenario, 35.0 * 60.0), water(&base, 35.0 * 60.0));
    // 23:00: the release is running at 300 m³/s.
    let (released, n) = water(&scenario, 3.0 * 3600.0);
    let (natural, _) = water(&base, 3.0 * 3600.0);
    assert_eq!(n, 2, "the release starts at 20:40 and rises at 21:30");
    assert!(
        released > 2 * natural.max(1),
        "cells over 0.3 m deep: {released} with the release, {natural} without"
    );
    // 03:30, 2.5 h after the gates closed: the water has gone down.
    let (after, n) = water(&scenario, 7.5 * 3600.0);
    assert_eq!(n, 3);
    assert!(
        after < released,
        "{after} cells still deep after the release stopped, {released} during it"
    );
}
