//! Generated scenarios for tests and benchmarks: a flood-prone village (~1,000 people)
//! and a county-sized road grid of any size. Both are deterministic in their seed.

use super::build::ScenarioBuilder;
use super::world::rng_for;
use crate::model::*;
use rand::RngExt;

const GENERATOR: u64 = 99;

/// A river-valley village (行政村) of about 1,000 people in eight village groups, two
/// shelters on higher ground, a bridge, a red zone that floods three hours in, and the
/// usual response card: loudspeaker and SMS on an orange warning, door-knocking by grid
/// workers on red, the county rescue team evacuating and rescuing.
pub fn village(seed: u64) -> Scenario {
    let mut rng = rng_for(seed, GENERATOR, 1, 0);
    let mut b = ScenarioBuilder::new();
    b.scenario.header.id = "village".into();
    b.scenario.header.seed = seed;
    let mut groups = Vec::new();
    for i in 0..8u32 {
        let x = 300.0 * f64::from(i);
        let y = if i % 2 == 0 { 200.0 } else { 420.0 };
        let people = 110 + rng.random_range(0..40u32);
        let g = Groups {
            elderly: people / 5,
            disabled: 2 + rng.random_range(0..3u32),
            children: people / 8,
            dilapidated: rng.random_range(0..6u32),
            outdoor_workers: rng.random_range(0..8u32),
        };
        groups.push(b.settlement_with(
            &format!("第{}村民小组", i + 1),
            x,
            y,
            people / 3,
            people,
            g,
        ));
    }
    let office = b.junction("村委会", 1050.0, 900.0);
    let school = b.shelter("村小学避灾点", 600.0, 1400.0, 500);
    let hall = b.shelter("文化礼堂避灾点", 1800.0, 1300.0, 400);
    let station = b.station("县救援站", 3000.0, 2500.0);
    let ford = b.junction("桥头", 1050.0, 650.0);
    for w in groups.windows(2) {
        b.straight_road(w[0], w[1], 4.0);
    }
    for (i, &g) in groups.iter().enumerate() {
        if i % 2 == 1 {
            b.straight_road(g, ford, 3.0);
        }
    }
    let bridge_len = b
        .scenario
        .place(ford)
        .pos
        .distance(b.scenario.place(office).pos);
    let bridge = b.link(LinkKind::Bridge, ford, office, bridge_len, 5.0);
    b.straight_road(groups[0], school, 2.5);
    b.straight_road(office, school, 5.0);
    b.straight_road(office, hall, 5.0);
    b.straight_road(groups[7], hall, 2.0);
    b.straight_road(hall, station, 6.0);
    let zone = b.zone(
        "沿河低洼区",
        &[
            (-100.0, 100.0),
            (2300.0, 100.0),
            (2300.0, 500.0),
            (-100.0, 500.0),
        ],
        Some(3.0 * 3600.0),
    );
    let secretary = b.role("村支书", AdminLevel::Village, 1, Some(office));
    let grid = b.role("网格员", AdminLevel::Group, 6, Some(office));
    let speaker = b.resource("村广播", ResourceKind::Loudspeaker, 1, office);
    b.scenario.resources[speaker.index()].radius_m = Some(1500.0);
    let boat = b.resource("冲锋舟", ResourceKind::Boat, 2, station);
    b.scenario.resources[boat.index()].capacity = Some(8);
    let truck = b.resource("救援车", ResourceKind::Vehicle, 1, station);
    let team = b.team(
        "县综合救援队",
        12,
        station,
        1800.0,
        &[Skill::WaterRescue, Skill::Evacuation],
    );
    b.scenario.teams[team.index()].equipment = vec![
        ResourceUse {
            resource: boat,
            quantity: 2,
        },
        ResourceUse {
            resource: truck,
            quantity: 1,
        },
    ];
    b.task(
        "T1",
        Trigger::Warning(RiskLevel::Orange),
        &[Actor::Role(secretary)],
        Work::Warn(Target::Zone(zone)),
        &[Channel::Loudspeaker, Channel::Sms],
    );
    let knock = b.task(
        "T2",
        Trigger::Warning(RiskLevel::Red),
        &[Actor::Role(grid)],
        Work::KnockDoors(Target::Zone(zone)),
        &[Channel::DoorKnock],
    );
    b.task(
        "T3",
        Trigger::AfterDone(knock),
        &[Actor::Team(team)],
        Work::Evacuate {
            groups: Vec::new(),
            from: Target::Zone(zone),
            to: None,
        },
        &[],
    );
    let rescue = b.task(
        "T4",
        Trigger::Inject(4),
        &[Actor::Team(team)],
        Work::Rescue(Target::Zone(zone)),
        &[],
    );
    b.inject(
        1,
        InjectTrigger::At(600.0),
        vec![Effect::Warning(RiskLevel::Orange)],
    );
    b.inject(
        2,
        InjectTrigger::At(3600.0),
        vec![Effect::Warning(RiskLevel::Red)],
    );
    b.inject(
        3,
        InjectTrigger::At(2.5 * 3600.0),
        vec![Effect::CloseLink(bridge)],
    );
    b.inject(
        4,
        InjectTrigger::At(4.0 * 3600.0),
        vec![Effect::Trapped {
            place: groups[2],
            people: 6,
        }],
    );
    b.inject(
        5,
        InjectTrigger::IfNot {
            task: rescue,
            by_s: 5.0 * 3600.0,
        },
        vec![Effect::Trapped {
            place: groups[4],
            people: 4,
        }],
    );
    b.build()
}

/// A county-sized road grid with about `people` residents and `links` road links:
/// junctions on a square grid 400 m apart, three in five of them settlements, one
/// shelter per 25 settlements sized for 1.2× their people, a valley zone across a third
/// of the map that floods four hours in, and a plan of loudspeaker + SMS warnings on
/// orange and door-knocking on red.
pub fn county(people: u32, links: u32, seed: u64) -> Scenario {
    let mut rng = rng_for(seed, GENERATOR, 2, 0);
    let mut b = ScenarioBuilder::new();
    b.scenario.header.id = format!("county-{people}-{links}");
    b.scenario.header.seed = seed;
    let nodes = (links / 2).max(4);
    let side = (f64::from(nodes).sqrt().ceil() as u32).max(2);
    let spacing = 400.0;
    let mut grid = Vec::new();
    let mut settlements = Vec::new();
    for r in 0..side {
        for c in 0..side {
            let (x, y) = (f64::from(c) * spacing, f64::from(r) * spacing);
            let p = if rng.random_range(0..5u32) < 3 {
                let idx = b.settlement(&format!("村{r}-{c}"), x, y, 0, 0);
                settlements.push(idx);
                idx
            } else {
                b.junction(&format!("路口{r}-{c}"), x, y)
            };
            grid.push(p);
        }
    }
    // Spread the people over the settlements.
    let per = people / (settlements.len() as u32).max(1);
    let mut left = people;
    for (i, &s) in settlements.iter().enumerate() {
        let n = if i + 1 == settlements.len() {
            left
        } else {
            per.min(left)
        };
        left -= n;
        let place = &mut b.scenario.map.places[s.index()];
        place.people = n;
        place.households = n.div_ceil(3);
        place.groups = Groups {
            elderly: n / 5,
            disabled: n / 100,
            children: n / 8,
            dilapidated: n / 50,
            outdoor_workers: n / 30,
        };
    }
    let mut made = 0;
    'outer: for r in 0..side {
        for c in 0..side {
            let here = grid[(r * side + c) as usize];
            for (dr, dc) in [(0, 1), (1, 0)] {
                if made >= links {
                    break 'outer;
                }
                let (nr, nc) = (r + dr, c + dc);
                if nr < side && nc < side {
                    let width = [3.0, 4.0, 6.0][rng.random_range(0..3usize)];
                    b.straight_road(here, grid[(nr * side + nc) as usize], width);
                    made += 1;
                }
            }
        }
    }
    let shelters = (settlements.len() / 25).max(1);
    let capacity = (f64::from(people) * 1.2 / shelters as f64).ceil() as u32;
    for k in 0..shelters {
        let near = settlements[(k * settlements.len()) / shelters];
        let pos = b.scenario.place(near).pos;
        let sh = b.shelter(&format!("避灾点{k}"), pos.x + 120.0, pos.y + 80.0, capacity);
        b.straight_road(near, sh, 6.0);
    }
    let extent = f64::from(side) * spacing;
    let zone = b.zone(
        "山洪危险区",
        &[
            (-spacing, extent / 3.0),
            (extent, extent / 3.0),
            (extent, 2.0 * extent / 3.0),
            (-spacing, 2.0 * extent / 3.0),
        ],
        Some(4.0 * 3600.0),
    );
    let office = settlements[0];
    let head = b.role("乡镇长", AdminLevel::Township, 1, Some(office));
    let workers = b.role(
        "网格员",
        AdminLevel::Group,
        (settlements.len() as u32 / 3).max(1),
        Some(office),
    );
    for (i, &s) in settlements.iter().enumerate().step_by(4) {
        let r = b.resource(&format!("大喇叭{i}"), ResourceKind::Loudspeaker, 1, s);
        b.scenario.resources[r.index()].radius_m = Some(700.0);
    }
    b.task(
        "T1",
        Trigger::Warning(RiskLevel::Orange),
        &[Actor::Role(head)],
        Work::Warn(Target::Zone(zone)),
        &[Channel::Loudspeaker, Channel::Sms],
    );
    b.task(
        "T2",
        Trigger::Warning(RiskLevel::Red),
        &[Actor::Role(workers)],
        Work::KnockDoors(Target::Zone(zone)),
        &[Channel::DoorKnock],
    );
    b.inject(
        1,
        InjectTrigger::At(600.0),
        vec![Effect::Warning(RiskLevel::Orange)],
    );
    b.inject(
        2,
        InjectTrigger::At(5400.0),
        vec![Effect::Warning(RiskLevel::Red)],
    );
    b.build()
}
