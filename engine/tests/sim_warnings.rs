//! Warning channels (预警渠道), each its own way, and the decisions that follow; plus a
//! property test that generated counties keep their people and shelter limits.

use drill_engine::model::*;
use drill_engine::sim::build::ScenarioBuilder;
use drill_engine::sim::events::{SimEvent, TimedEvent};
use drill_engine::sim::generate;
use drill_engine::sim::params::SimParams;
use drill_engine::sim::{Mode, Simulation};
use proptest::prelude::*;

fn warn(sim: &mut Simulation, role: RoleIdx, target: Target, how: Channel) {
    sim.submit(Action {
        at_s: 0.0,
        actor: Actor::Role(role),
        work: Work::Warn(target),
        how: vec![how],
        with: Vec::new(),
        span: Span::default(),
    });
}

fn received(events: &[TimedEvent], channel: Channel) -> Vec<(u32, PlaceIdx, f64)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::WarningReceived {
                household,
                home,
                channel: c,
                contact: 1,
            } if c == channel => Some((household.0, home, e.t_s)),
            _ => None,
        })
        .collect()
}

fn run(
    b: &ScenarioBuilder,
    params: SimParams,
    role: RoleIdx,
    how: Channel,
    until: f64,
) -> Vec<TimedEvent> {
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 11, Vec::new(), params, Mode::Actions).unwrap();
    warn(&mut sim, role, Target::All, how);
    sim.run_until(until);
    sim.events().to_vec()
}

/// 大喇叭: heard within its radius only.
#[test]
fn loudspeaker_reaches_only_inside_its_radius() {
    let mut b = ScenarioBuilder::new();
    b.start_hour(10);
    let near = b.settlement("near", 200.0, 0.0, 20, 60);
    let far = b.settlement("far", 2000.0, 0.0, 20, 60);
    let office = b.junction("村委会", 0.0, 0.0);
    let speaker = b.resource("村广播", ResourceKind::Loudspeaker, 1, office);
    b.scenario.resources[speaker.index()].radius_m = Some(500.0);
    let role = b.role("村支书", AdminLevel::Village, 1, Some(office));
    let params = SimParams {
        loudspeaker_reach: 1.0,
        ..SimParams::default()
    };
    let got = received(
        &run(&b, params, role, Channel::Loudspeaker, 600.0),
        Channel::Loudspeaker,
    );
    assert_eq!(got.iter().filter(|g| g.1 == near).count(), 20);
    assert_eq!(got.iter().filter(|g| g.1 == far).count(), 0);
}

fn share_reached(start_hour: u8) -> f64 {
    let mut b = ScenarioBuilder::new();
    b.start_hour(start_hour);
    b.settlement("big", 0.0, 0.0, 1000, 3000);
    let office = b.junction("村委会", 0.0, 10.0);
    b.resource("村广播", ResourceKind::Loudspeaker, 1, office);
    let role = b.role("村支书", AdminLevel::Village, 1, Some(office));
    let params = SimParams {
        loudspeaker_reach: 0.8,
        loudspeaker_repeats: 1,
        ..SimParams::default()
    };
    received(
        &run(&b, params, role, Channel::Loudspeaker, 60.0),
        Channel::Loudspeaker,
    )
    .len() as f64
        / 1000.0
}

/// People asleep hear a broadcast less: the night factor (0.5) applies 22:00–06:00.
#[test]
fn loudspeaker_reach_halves_at_night() {
    let day = share_reached(10);
    let night = share_reached(23);
    assert!((day - 0.8).abs() < 0.05, "day {day}");
    assert!((night - 0.4).abs() < 0.05, "night {night}");
}

/// 短信: elderly-only households own or notice phones less (seed 003: the elderly are
/// reached by loudspeaker and knocking).
#[test]
fn sms_reaches_elderly_only_households_less() {
    let mut b = ScenarioBuilder::new();
    b.start_hour(10);
    let old = b.settlement_with(
        "old",
        0.0,
        0.0,
        400,
        800,
        Groups {
            elderly: 800,
            ..Groups::default()
        },
    );
    let young = b.settlement("young", 500.0, 0.0, 400, 800);
    let role = b.role("镇长", AdminLevel::Township, 1, None);
    let got = received(
        &run(&b, SimParams::default(), role, Channel::Sms, 600.0),
        Channel::Sms,
    );
    let share = |p: PlaceIdx| got.iter().filter(|g| g.1 == p).count() as f64 / 400.0;
    let (o, y) = (share(old), share(young));
    // Expected 0.45 × 0.8 = 0.36 and 0.9 × 0.8 = 0.72.
    assert!((o - 0.36).abs() < 0.07, "elderly-only {o}");
    assert!((y - 0.72).abs() < 0.07, "young {y}");
}

/// 敲门: one grid worker knocks house after house at walking pace: contacts are a visit
/// plus the walk to the next house apart.
#[test]
fn a_door_knocker_visits_households_one_after_another() {
    let mut b = ScenarioBuilder::new();
    b.step(1.0);
    let village = b.settlement("组", 0.0, 0.0, 5, 15);
    let role = b.role("网格员", AdminLevel::Group, 1, Some(village));
    let p = SimParams {
        knock_reach: 1.0,
        ..SimParams::default()
    };
    let gap = p.knock_visit_s + p.house_spacing_m / p.walk_adult_m_s;
    let got = received(
        &run(&b, p, role, Channel::DoorKnock, 3600.0),
        Channel::DoorKnock,
    );
    assert_eq!(got.len(), 5);
    for w in got.windows(2) {
        let d = w[1].2 - w[0].2;
        assert!((d - gap).abs() <= 1.0, "knocks {d} s apart, expected {gap}");
    }
}

/// Some households refuse a broadcast and leave when a grid worker knocks.
#[test]
fn a_second_contact_persuades_some_who_refused() {
    let mut b = ScenarioBuilder::new();
    b.start_hour(10);
    let village = b.settlement("组", 0.0, 0.0, 200, 600);
    let s = b.shelter("S", 500.0, 0.0, 1000);
    b.straight_road(village, s, 5.0);
    b.resource("村广播", ResourceKind::Loudspeaker, 1, village);
    let head = b.role("村支书", AdminLevel::Village, 1, Some(village));
    let grid = b.role("网格员", AdminLevel::Group, 4, Some(village));
    let scenario = b.build();
    let params = SimParams {
        loudspeaker_reach: 1.0,
        loudspeaker_repeats: 1,
        ..SimParams::default()
    };
    let mut sim = Simulation::with(&scenario, 2, Vec::new(), params, Mode::Actions).unwrap();
    warn(&mut sim, head, Target::All, Channel::Loudspeaker);
    sim.submit(Action {
        at_s: 1800.0,
        actor: Actor::Role(grid),
        work: Work::KnockDoors(Target::Place(village)),
        how: vec![Channel::DoorKnock],
        with: Vec::new(),
        span: Span::default(),
    });
    sim.run_until(4.0 * 3600.0);
    let refused: Vec<u32> = sim
        .events()
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Refused {
                household,
                contact: 1,
                ..
            } => Some(household.0),
            _ => None,
        })
        .collect();
    let persuaded_later = sim
        .events()
        .iter()
        .filter(|e| matches!(e.event, SimEvent::Decided { household, .. } if refused.contains(&household.0)))
        .count();
    assert!(
        refused.len() > 40,
        "{} refused the loudspeaker",
        refused.len()
    );
    assert!(
        persuaded_later > refused.len() / 2,
        "{persuaded_later} of {} persuaded by a knock",
        refused.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Whatever the seed and size: every resident is in exactly one household, no
    /// shelter holds more than its capacity, and nobody is counted twice.
    #[test]
    fn counties_conserve_people_and_respect_shelter_capacity(seed in 0u64..1000, people in 500u32..3000, links in 40u32..200) {
        let scenario = generate::county(people, links, seed);
        let mut sim = Simulation::new(&scenario, seed, Vec::new()).unwrap();
        sim.run_until(6.0 * 3600.0);
        let snap = sim.snapshot();
        let counted: u32 = snap.households.iter().map(|h| h.people).sum();
        prop_assert_eq!(counted, scenario.population());
        for s in &snap.shelters {
            prop_assert!(s.occupancy <= s.capacity);
        }
        let t = snap.totals;
        prop_assert!(t.evacuated + t.moving <= scenario.population());
        prop_assert!(t.warned <= scenario.population());
    }
}
