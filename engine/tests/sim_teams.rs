//! Teams, the immobile, hazards and the `drill run` command line.

use drill_engine::model::*;
use drill_engine::sim::build::ScenarioBuilder;
use drill_engine::sim::events::SimEvent;
use drill_engine::sim::params::SimParams;
use drill_engine::sim::{Mode, Simulation};
use std::process::Command;

mod common;
use common::{action, obedient};

/// A household with a disabled member waits for help (残疾人需要帮扶) and leaves only
/// once a team doing 转移 has reached it.
#[test]
fn the_disabled_wait_for_a_team_and_then_leave() {
    let mut b = ScenarioBuilder::new();
    let home = b.settlement_with(
        "组",
        0.0,
        0.0,
        1,
        3,
        Groups {
            disabled: 1,
            ..Groups::default()
        },
    );
    let shelter = b.shelter("S", 400.0, 0.0, 10);
    let base = b.station("站", 1000.0, 0.0);
    b.straight_road(home, shelter, 4.0);
    b.straight_road(shelter, base, 6.0);
    let role = b.role("村支书", AdminLevel::Village, 1, Some(home));
    let team = b.team("民兵", 6, base, 600.0, &[Skill::Evacuation]);
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 1, Vec::new(), obedient(), Mode::Actions).unwrap();
    sim.submit(action(
        0.0,
        Actor::Role(role),
        Work::Warn(Target::All),
        &[Channel::Broadcast],
    ));
    sim.submit(action(
        3600.0,
        Actor::Team(team),
        Work::Evacuate {
            groups: vec![Group::Disabled],
            from: Target::Place(home),
            to: Some(shelter),
        },
        &[],
    ));
    sim.run_until(3600.0);
    let kinds = |sim: &Simulation, f: fn(&SimEvent) -> bool| {
        sim.events().iter().filter(|e| f(&e.event)).count()
    };
    assert_eq!(kinds(&sim, |e| matches!(e, SimEvent::NeedsHelp { .. })), 1);
    assert_eq!(
        kinds(&sim, |e| matches!(e, SimEvent::Departed { .. })),
        0,
        "left without help"
    );
    sim.run_until(3.0 * 3600.0);
    assert_eq!(kinds(&sim, |e| matches!(e, SimEvent::Helped { .. })), 1);
    let helped_at = sim
        .events()
        .iter()
        .find(|e| matches!(e.event, SimEvent::Helped { .. }))
        .unwrap()
        .t_s;
    // The team mobilises for 10 min, then walks 1,000 m (no vehicle) from its base.
    assert!(
        helped_at >= 3600.0 + 600.0 + 1000.0 / 1.34,
        "helped at {helped_at}"
    );
    assert_eq!(sim.snapshot().totals.evacuated, 3);
}

/// A zone that turns dangerous catches the unwarned at home (exposed, trapped), closes
/// the roads through it, and a boat team brings the trapped out (冲锋舟 round trips).
#[test]
fn danger_traps_those_at_home_and_boats_rescue_them() {
    let mut b = ScenarioBuilder::new();
    let low = b.settlement("低洼组", 0.0, 0.0, 4, 12);
    let shelter = b.shelter("S", 1000.0, 0.0, 50);
    let base = b.station("站", 1500.0, 0.0);
    let j = b.junction("J", 300.0, 0.0);
    b.straight_road(low, j, 4.0);
    let through = b.straight_road(j, shelter, 4.0);
    b.straight_road(shelter, base, 6.0);
    let zone = b.zone(
        "淹没区",
        &[
            (-100.0, -100.0),
            (800.0, -100.0),
            (800.0, 100.0),
            (-100.0, 100.0),
        ],
        Some(1800.0),
    );
    let boat = b.resource("冲锋舟", ResourceKind::Boat, 1, base);
    b.scenario.resources[boat.index()].capacity = Some(5);
    let team = b.team("救援队", 8, base, 300.0, &[Skill::WaterRescue]);
    b.scenario.teams[team.index()].equipment = vec![ResourceUse {
        resource: boat,
        quantity: 1,
    }];
    let scenario = b.build();
    let mut sim = Simulation::with(
        &scenario,
        1,
        Vec::new(),
        // No grace before entrapment: this test is about trapping and boat rescue.
        SimParams {
            trap_grace_s: 0.0,
            ..SimParams::default()
        },
        Mode::Actions,
    )
    .unwrap();
    sim.submit(action(
        2400.0,
        Actor::Team(team),
        Work::Rescue(Target::Zone(zone)),
        &[],
    ));
    sim.run_until(2000.0);
    let ev = sim.events();
    assert!(
        ev.iter()
            .any(|e| matches!(e.event, SimEvent::ZoneDangerous { .. }) && e.t_s == 1800.0)
    );
    assert!(
        ev.iter()
            .any(|e| matches!(e.event, SimEvent::LinkClosed { link, .. } if link == through))
    );
    let trapped: u32 = ev
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Trapped {
                people,
                household: Some(_),
                ..
            } => Some(people),
            _ => None,
        })
        .sum();
    assert_eq!(trapped, 12);
    assert_eq!(sim.snapshot().totals.exposed, 12);
    sim.run_until(4.0 * 3600.0);
    let trips: Vec<u32> = sim
        .events()
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Rescued { people, .. } => Some(people),
            _ => None,
        })
        .collect();
    assert_eq!(trips.iter().sum::<u32>(), 12);
    assert!(
        trips.iter().all(|&n| n <= 5),
        "a boat for 5 carried {trips:?}"
    );
    let t = sim.snapshot().totals;
    assert_eq!((t.trapped, t.rescued, t.evacuated), (0, 12, 12));
}

/// `drill run` end to end: same seed ⇒ same log hash; a missing file ⇒ exit 1.
#[test]
fn drill_run_is_reproducible_and_fails_cleanly() {
    let exe = env!("CARGO_BIN_EXE_drill");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/doc-example.drill");
    let run = || {
        let out = Command::new(exe)
            .args(["run", file, "--seed", "5", "--until", "3h", "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            v["log_hash"].as_str().unwrap().to_string(),
            v["hourly"].as_array().unwrap().len(),
        )
    };
    let (a, rows) = run();
    assert_eq!(a, run().0);
    assert_eq!(rows, 4, "0 h to 3 h");
    let bad = Command::new(exe)
        .args(["run", "no-such-file.drill"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no-such-file.drill"));
    let bad_until = Command::new(exe)
        .args(["run", file, "--until", "6 days"])
        .output()
        .unwrap();
    assert_eq!(bad_until.status.code(), Some(2));
}

/// 任务排队 — an order to a busy team is accepted and queued (not refused); the team
/// starts it when its running work ends, from where it stands, without assembling
/// again (its `arrives` delay counts once).
#[test]
fn a_busy_team_queues_an_order_and_does_it_next_without_assembling_again() {
    let mut b = ScenarioBuilder::new();
    let east = b.junction("东卡口", 600.0, 0.0);
    let west = b.junction("西卡口", -600.0, 0.0);
    let base = b.station("派出所", 0.0, 0.0);
    b.straight_road(base, east, 6.0);
    b.straight_road(base, west, 6.0);
    let police = b.team("警力", 6, base, 600.0, &[Skill::Roadblock]);
    let scenario = b.build();
    let mut sim = Simulation::with(&scenario, 1, Vec::new(), obedient(), Mode::Actions).unwrap();
    let police = Actor::Team(police);
    sim.submit(action(0.0, police, Work::Roadblock(east), &[]));
    sim.submit(action(60.0, police, Work::Roadblock(west), &[]));
    sim.run_until(2.0 * 3600.0);
    let at = |f: &dyn Fn(&SimEvent) -> bool| -> Vec<f64> {
        sim.events()
            .iter()
            .filter(|e| f(&e.event))
            .map(|e| e.t_s)
            .collect()
    };
    use drill_engine::sim::events::{ActionId, WorkRef};
    let (first, second) = (WorkRef::Action(ActionId(0)), WorkRef::Action(ActionId(1)));
    assert!(at(&|e| matches!(e, SimEvent::ActionRejected { .. })).is_empty());
    assert_eq!(
        at(&|e| *e
            == SimEvent::TaskQueued {
                work: second,
                team: TeamIdx(0),
                behind: first
            }),
        vec![60.0]
    );
    let finished = at(&|e| matches!(e, SimEvent::TaskFinished { work, .. } if *work == first));
    let started = at(&|e| matches!(e, SimEvent::TaskStarted { work, .. } if *work == second));
    assert_eq!(finished.len(), 1);
    assert_eq!(started.len(), 1);
    assert!(started[0] >= finished[0] && started[0] <= finished[0] + 10.0 + 1e-9);
    // It drives on from the east checkpoint at once: no second 10-minute assembly.
    let departures = at(&|e| matches!(e, SimEvent::TeamDeparted { from, .. } if *from == east));
    assert_eq!(departures.len(), 1);
    assert!(
        departures[0] - started[0] <= 10.0 + 1e-9,
        "{departures:?} {started:?}"
    );
    assert_eq!(
        at(&|e| matches!(e, SimEvent::TaskFinished { work, .. } if *work == second)).len(),
        1
    );
}

/// 强制转移 — a team's door-to-door evacuation leads out every household it reaches,
/// the disabled carried, where a warning knock by the same team persuades nobody
/// (households that never comply on a knock).
#[test]
fn a_forced_evacuation_moves_everyone_a_warning_knock_does_not() {
    let run = |forced: bool| {
        let mut b = ScenarioBuilder::new();
        let home = b.settlement_with(
            "组",
            0.0,
            0.0,
            8,
            24,
            Groups {
                disabled: 2,
                elderly: 6,
                ..Groups::default()
            },
        );
        let shelter = b.shelter("S", 500.0, 0.0, 100);
        let base = b.station("站", 800.0, 0.0);
        b.straight_road(home, shelter, 4.0);
        b.straight_road(shelter, base, 6.0);
        let team = b.team("救援队", 10, base, 300.0, &[Skill::Evacuation]);
        let scenario = b.build();
        let params = SimParams {
            comply_knock: 0.0,
            comply_per_extra_contact: 0.0,
            ..SimParams::default()
        };
        let mut sim = Simulation::with(&scenario, 3, Vec::new(), params, Mode::Actions).unwrap();
        let work = if forced {
            Work::Evacuate {
                groups: Vec::new(),
                from: Target::Place(home),
                to: Some(shelter),
            }
        } else {
            Work::KnockDoors(Target::Place(home))
        };
        sim.submit(action(0.0, Actor::Team(team), work, &[]));
        sim.run_until(3.0 * 3600.0);
        sim.events()
            .iter()
            .filter_map(|e| match e.event {
                SimEvent::Arrived { people, .. } => Some(people),
                _ => None,
            })
            .sum::<u32>()
    };
    assert_eq!(run(false), 0);
    assert_eq!(run(true), 24, "everyone, the two disabled included");
}

/// A toxic cloud traps nobody at home, and a team's forced evacuation leads people out
/// across it (their dose counted); the same village under flood water is cut off
/// (受困) once the grace has passed, and an evacuation no longer gets anyone out.
#[test]
fn a_toxic_cloud_can_be_crossed_when_led_out_but_flood_water_cannot() {
    let run = |kind: HazardKind| {
        let mut b = ScenarioBuilder::new();
        let home = b.settlement("村", 0.0, 0.0, 6, 18);
        let shelter = b.shelter("S", 1000.0, 0.0, 100);
        let base = b.station("站", 1300.0, 0.0);
        b.straight_road(home, shelter, 5.0);
        b.straight_road(shelter, base, 6.0);
        b.zone(
            "危险区",
            &[
                (-100.0, -100.0),
                (700.0, -100.0),
                (700.0, 100.0),
                (-100.0, 100.0),
            ],
            Some(0.0),
        );
        let team = b.team(
            "救援队",
            10,
            base,
            300.0,
            &[Skill::Evacuation, Skill::Hazmat],
        );
        let mut scenario = b.build();
        scenario.header.hazard_kinds = vec![kind];
        scenario.map.zones[0].hazard = kind;
        let mut sim = Simulation::with(
            &scenario,
            5,
            Vec::new(),
            SimParams::default(),
            Mode::Actions,
        )
        .unwrap();
        // Ordered after the 30-min trap grace.
        sim.submit(action(
            3600.0,
            Actor::Team(team),
            Work::Evacuate {
                groups: Vec::new(),
                from: Target::Place(home),
                to: Some(shelter),
            },
            &[],
        ));
        sim.run_until(4.0 * 3600.0);
        let count = |f: &dyn Fn(&SimEvent) -> Option<u32>| -> u32 {
            sim.events().iter().filter_map(|e| f(&e.event)).sum()
        };
        let trapped = count(&|e| match e {
            SimEvent::Trapped { people, .. } => Some(*people),
            _ => None,
        });
        let arrived = count(&|e| match e {
            SimEvent::Arrived { people, .. } => Some(*people),
            _ => None,
        });
        (trapped, arrived)
    };
    assert_eq!(run(HazardKind::Chemical), (0, 18));
    assert_eq!(run(HazardKind::Flood), (18, 0));
}

/// Holders of a post are people, each able to work on their own (issue 18, finding 2).
/// A role of ten (10 人) is given ten one-person evacuations at once, one house each,
/// 200 m apart round the post: one holder walks to each house, so all ten start at once
/// and the last household leaves about when a single evacuation's does. Before the fix
/// the first evacuation took all ten holders and the others waited in turn.
#[test]
fn ten_holders_of_a_role_do_ten_evacuations_side_by_side() {
    let run = |houses: usize| {
        let mut b = ScenarioBuilder::new();
        b.step(10.0);
        let post = b.junction("村委会", 0.0, 0.0);
        let shelter = b.shelter("小学", 0.0, -300.0, 100);
        b.straight_road(post, shelter, 4.0);
        let mut homes = Vec::new();
        for k in 0..houses {
            let angle = k as f64 * std::f64::consts::TAU / 10.0;
            let home = b.settlement(
                &format!("户{k}"),
                200.0 * angle.cos(),
                200.0 * angle.sin(),
                1,
                1,
            );
            b.straight_road(post, home, 3.0);
            homes.push(home);
        }
        let role = b.role("网格员", AdminLevel::Group, 10, Some(post));
        let scenario = b.build();
        let mut sim =
            Simulation::with(&scenario, 1, Vec::new(), obedient(), Mode::Actions).unwrap();
        for &home in &homes {
            sim.submit(action(
                0.0,
                Actor::Role(role),
                Work::Evacuate {
                    groups: Vec::new(),
                    from: Target::Place(home),
                    to: Some(shelter),
                },
                &[Channel::DoorKnock],
            ));
        }
        sim.run_until(3.0 * 3600.0);
        let times = |f: fn(&SimEvent) -> bool| -> Vec<f64> {
            sim.events()
                .iter()
                .filter(|e| f(&e.event))
                .map(|e| e.t_s)
                .collect()
        };
        let started = times(|e| matches!(e, SimEvent::TaskStarted { .. }));
        let departed = times(|e| matches!(e, SimEvent::Departed { .. }));
        (started, departed)
    };
    let (_, one) = run(1);
    assert_eq!(one.len(), 1);
    let single = one[0];
    let (started, departed) = run(10);
    assert_eq!(started.len(), 10, "every evacuation starts: {started:?}");
    assert!(
        started.iter().all(|&t| t <= 60.0),
        "all start within the first minute: {started:?}"
    );
    assert_eq!(departed.len(), 10, "every household leaves: {departed:?}");
    let last = departed.iter().copied().fold(0.0, f64::max);
    assert!(
        last <= single + 20.0,
        "the last leaves at {last} s, a single evacuation's at {single} s"
    );
}
