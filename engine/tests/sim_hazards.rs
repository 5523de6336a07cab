//! The physical hazard models acting on the simulation: a road through a flooding
//! valley closes and households walk round by the high road; households downwind of a
//! chlorine release breathe it (indoors, through the one-box air exchange) and pass its
//! AEGLs, those upwind do not.

use drill_engine::hazard::HazardField;
use drill_engine::hazard::flood::{FloodConfig, FloodModel};
use drill_engine::hazard::plume::PlumeModel;
use drill_engine::hazard::raster::Raster;
use drill_engine::model::*;
use drill_engine::sim::build::ScenarioBuilder;
use drill_engine::sim::events::{LinkCloseCause, SimEvent, TimedEvent};
use drill_engine::sim::params::SimParams;
use drill_engine::sim::{Mode, Simulation};

mod common;
use common::obedient;

fn warn_all(sim: &mut Simulation, t: f64) {
    sim.submit(Action {
        at_s: t,
        actor: Actor::Role(RoleIdx(0)),
        work: Work::Warn(Target::All),
        how: vec![Channel::Broadcast],
        with: Vec::new(),
        span: Span::default(),
    });
}

/// A 500 m × 300 m raster of 10 m cells: high ground (5 m) in the north, a basin (0 m)
/// from y = 150 m southwards, into which a river pours 50 m³/s from the start.
fn valley_flood() -> FloodModel {
    let (cols, rows, cell) = (50, 30, 10.0);
    let z = (0..rows)
        .flat_map(|r| (0..cols).map(move |_| if r >= 15 { 0.0 } else { 5.0 }))
        .collect();
    let terrain = Raster::from_grid(cols, rows, cell, z).unwrap();
    let mut m = FloodModel::new(terrain, FloodConfig::default(), None).unwrap();
    m.add_inflow(Point { x: 255.0, y: 255.0 }, vec![(0.0, 50.0)])
        .unwrap();
    m
}

/// Village and shelter on the high ground; the short road dips through the basin by a
/// junction on the valley floor, the long road goes round by the north.
fn two_roads() -> (ScenarioBuilder, LinkIdx, LinkIdx) {
    let mut b = ScenarioBuilder::new();
    b.role("村应急管理员", AdminLevel::Village, 1, None);
    let village = b.settlement("上村", 50.0, 50.0, 4, 12);
    let shelter = b.shelter("村小学避灾点", 450.0, 50.0, 100);
    let low = b.junction("谷底桥", 250.0, 280.0);
    let high = b.junction("北岭垭口", 250.0, -300.0);
    let low_in = b.straight_road(village, low, 6.0);
    let low_out = b.straight_road(low, shelter, 6.0);
    b.straight_road(village, high, 6.0);
    b.straight_road(high, shelter, 6.0);
    (b, low_in, low_out)
}

fn arrivals(events: &[TimedEvent]) -> Vec<f64> {
    events
        .iter()
        .filter(|e| matches!(e.event, SimEvent::Arrived { .. }))
        .map(|e| e.t_s)
        .collect()
}

#[test]
fn a_road_through_a_flooding_valley_closes_and_households_go_round() {
    let (b, low_in, low_out) = two_roads();
    let scenario = b.build();
    let run = |flood: bool| {
        let hazards: Vec<Box<dyn HazardField>> = if flood {
            vec![Box::new(valley_flood())]
        } else {
            Vec::new()
        };
        let mut sim = Simulation::with(&scenario, 1, hazards, obedient(), Mode::Actions).unwrap();
        warn_all(&mut sim, 1800.0);
        sim.run_until(3600.0);
        sim.events().to_vec()
    };
    let dry = run(false);
    let wet = run(true);
    let closed: Vec<(f64, LinkIdx)> = wet
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::LinkClosed {
                link,
                cause: LinkCloseCause::Hazard,
            } => Some((e.t_s, link)),
            _ => None,
        })
        .collect();
    for link in [low_in, low_out] {
        assert!(
            closed.iter().any(|&(t, l)| l == link && t < 1800.0),
            "the valley road {link:?} should close under water before the warning: {closed:?}"
        );
    }
    let (dry_arrivals, wet_arrivals) = (arrivals(&dry), arrivals(&wet));
    assert_eq!(
        dry_arrivals.len(),
        4,
        "all four households reach the shelter by the short road"
    );
    assert_eq!(
        wet_arrivals.len(),
        4,
        "all four reach it by the high road: {wet:#?}"
    );
    // The high road is 806 m against 610 m by the valley: about 150 s more at 1.34 m/s.
    let (d, w) = (dry_arrivals[0] - 1800.0, wet_arrivals[0] - 1800.0);
    assert!(
        w > d + 100.0,
        "going round should take longer: {d} s dry, {w} s wet"
    );
    assert!(
        !wet.iter()
            .any(|e| matches!(e.event, SimEvent::Exposed { .. })),
        "nobody should walk into the water"
    );
}

fn chlorine(source: Point) -> ChemicalSpec {
    ChemicalSpec {
        source,
        substance: "chlorine".into(),
        release: Release::Rate {
            kg_s: 1.0,
            duration_s: 3600.0,
        },
        start_s: 0.0,
        height_m: 1.0,
        weather: vec![(
            0.0,
            PlumeWeather {
                wind: Wind {
                    speed_m_s: 3.0,
                    // From the west: the plume blows east (+x).
                    from_deg: 270.0,
                },
                stability: Stability::D,
            },
        )],
        urban: false,
    }
}

#[test]
fn households_downwind_of_a_chlorine_release_breathe_it_indoors_and_pass_the_aegls() {
    let mut b = ScenarioBuilder::new();
    b.role("村应急管理员", AdminLevel::Village, 1, None);
    let east = b.settlement("下风村", 1000.0, 0.0, 3, 9);
    let west = b.settlement("上风村", -1000.0, 0.0, 3, 9);
    let shelter = b.shelter("避灾点", 0.0, -3000.0, 100);
    b.straight_road(east, shelter, 6.0);
    b.straight_road(west, shelter, 6.0);
    let spec = chlorine(Point { x: 0.0, y: 0.0 });
    let mut scenario = b.build();
    scenario.hazards.push(Hazard::Chemical(spec.clone()));
    let plume = PlumeModel::from_spec(&spec).unwrap();
    let mut outdoor = plume.clone();
    let mut sim = Simulation::with(
        &scenario,
        1,
        vec![Box::new(plume)],
        SimParams::default(),
        Mode::Actions,
    )
    .unwrap();
    sim.run_until(3600.0);
    // The outdoor dose at the downwind village over the same steps.
    let step = scenario.header.step_s;
    let mut outdoor_dose = 0.0;
    let mut t = 0.0;
    while t < 3600.0 - 1e-9 {
        t += step;
        outdoor.advance_to(t);
        outdoor_dose += outdoor.concentration_ppm(Point { x: 1000.0, y: 0.0 }) * step / 60.0;
    }
    let started = sim.events().iter().find_map(|e| match &e.event {
        SimEvent::Started { households, .. } => Some(households.clone()),
        _ => None,
    });
    let homes: Vec<PlaceIdx> = started.unwrap().iter().map(|h| h.home).collect();
    let breathing = sim.breathing();
    for (id, home) in homes.iter().enumerate() {
        let dose = breathing.households[id].exposure.dose_ppm_min;
        if *home == east {
            assert!(
                dose > 30.0,
                "downwind household {id} should breathe chlorine, dose {dose}"
            );
            assert!(
                dose < outdoor_dose,
                "indoors the dose ({dose}) is below the outdoor dose ({outdoor_dose})"
            );
        } else {
            assert_eq!(*home, west);
            assert_eq!(dose, 0.0, "upwind household {id} breathes none");
        }
    }
    let levels: Vec<(PlaceIdx, u8)> = sim
        .events()
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::AeglReached { at, level, .. } => Some((at, level)),
            _ => None,
        })
        .collect();
    assert!(levels.iter().all(|&(at, _)| at == east), "{levels:?}");
    for level in [1, 2] {
        assert_eq!(
            levels.iter().filter(|&&(_, l)| l == level).count(),
            3,
            "each downwind household passes AEGL-{level} once: {levels:?}"
        );
    }
}

/// A grass strip 1 km long and 200 m wide, burning eastwards from its west end towards a
/// village at its east end. With a fire line cut across the strip by a 30-strong team
/// (finished in about 15 minutes at 30 m/h each, long before the head arrives) the
/// village is never threatened; without it the village households are trapped.
#[test]
fn a_fire_line_built_by_a_team_stops_the_fire() {
    use drill_engine::hazard::fire::{FireField, FireSettings, FuelCatalog, Fuelbed};
    let fire = || -> Box<dyn HazardField> {
        let bed = Fuelbed::new(
            FuelCatalog::standard().get("GR2").unwrap(),
            &FuelMoisture {
                dead_1h: 6.0,
                dead_10h: 7.0,
                dead_100h: 8.0,
                live_herb: 60.0,
                live_woody: 90.0,
            },
        );
        let wind = vec![(
            0.0,
            Wind {
                speed_m_s: 6.0,
                from_deg: 270.0,
            },
        )];
        let ignition = vec![(0.0, Point { x: 25.0, y: 105.0 })];
        Box::new(
            FireField::uniform(
                Raster::flat(100, 21, 10.0, 0.0),
                bed,
                wind,
                ignition,
                FireSettings::default(),
            )
            .unwrap(),
        )
    };
    let mut b = ScenarioBuilder::new();
    b.role("村应急管理员", AdminLevel::Village, 1, None);
    let village = b.settlement("林边村", 950.0, 105.0, 3, 9);
    let post = b.station("护林站", 800.0, 105.0);
    b.straight_road(post, village, 4.0);
    b.team("乡镇扑火队", 30, post, 0.0, &[Skill::Firefighting]);
    let scenario = b.build();
    let trapped_at_village = |with_line: bool| {
        let mut sim =
            Simulation::with(&scenario, 1, vec![fire()], obedient(), Mode::Actions).unwrap();
        if with_line {
            sim.submit(Action {
                at_s: 0.0,
                actor: Actor::Team(TeamIdx(0)),
                work: Work::FireLine(vec![
                    Point { x: 800.0, y: -5.0 },
                    Point { x: 800.0, y: 215.0 },
                ]),
                how: Vec::new(),
                with: Vec::new(),
                span: Span::default(),
            });
        }
        sim.run_until(4.0 * 3600.0);
        let events = sim.events().to_vec();
        let line_done = events.iter().any(|e| {
            matches!(
                e.event,
                SimEvent::TaskFinished {
                    outcome: drill_engine::sim::events::TaskOutcome::Done,
                    ..
                }
            )
        });
        let trapped = events
            .iter()
            .filter(|e| matches!(e.event, SimEvent::Trapped { place, .. } if place == village))
            .count();
        (line_done, trapped)
    };
    let (_, trapped_without) = trapped_at_village(false);
    assert!(
        trapped_without > 0,
        "without a fire line the fire reaches the village"
    );
    let (done, trapped_with) = trapped_at_village(true);
    assert!(done, "the team should finish the fire line");
    assert_eq!(trapped_with, 0, "the fire line should hold the fire");
}

/// Still water 0.35 m deep everywhere: below the flood danger rating, so nothing closes,
/// but walking it takes 1 / 0.6 as long (DOMAIN.md: about 40 % slower in 0.35 m).
struct StandingWater;

impl HazardField for StandingWater {
    fn name(&self) -> &str {
        "standing water"
    }
    fn advance_to(&mut self, _t_s: f64) {}
    fn water_depth_m(&self, _p: Point) -> f64 {
        0.35
    }
    fn dangerous(&self, _p: Point) -> bool {
        false
    }
}

#[test]
fn wading_through_shallow_water_slows_households_by_forty_percent() {
    let mut b = ScenarioBuilder::new();
    b.role("村应急管理员", AdminLevel::Village, 1, None);
    let village = b.settlement("下村", 0.0, 0.0, 1, 2);
    let shelter = b.shelter("避灾点", 1340.0, 0.0, 10);
    b.straight_road(village, shelter, 6.0);
    let scenario = b.build();
    let walk = |water: bool| {
        let hazards: Vec<Box<dyn HazardField>> = if water {
            vec![Box::new(StandingWater)]
        } else {
            Vec::new()
        };
        let mut sim = Simulation::with(&scenario, 1, hazards, obedient(), Mode::Actions).unwrap();
        warn_all(&mut sim, 0.0);
        sim.run_until(3600.0);
        let events = sim.events().to_vec();
        let depart = events
            .iter()
            .find(|e| matches!(e.event, SimEvent::Departed { .. }))
            .map(|e| e.t_s)
            .unwrap();
        arrivals(&events)[0] - depart
    };
    let (dry, wet) = (walk(false), walk(true));
    // 1340 m at the household's speed; the step (10 s) rounds both ends.
    assert!(dry > 500.0, "dry walk {dry} s");
    let ratio = wet / dry;
    assert!(
        (ratio - 1.0 / 0.6).abs() < 0.05,
        "wet {wet} s / dry {dry} s = {ratio}, expected about {}",
        1.0 / 0.6
    );
}

/// 就地避险: the same downwind households, told at once to shelter in place (doors and
/// windows shut: 0.3 instead of 1 air change per hour), breathe a smaller dose.
#[test]
fn sheltering_in_place_lowers_the_dose_downwind_of_a_chlorine_release() {
    let mut b = ScenarioBuilder::new();
    b.role("村应急管理员", AdminLevel::Village, 1, None);
    let east = b.settlement("下风村", 1000.0, 0.0, 3, 9);
    let shelter = b.shelter("避灾点", 0.0, -3000.0, 100);
    b.straight_road(east, shelter, 6.0);
    let spec = chlorine(Point { x: 0.0, y: 0.0 });
    let mut scenario = b.build();
    scenario.hazards.push(Hazard::Chemical(spec.clone()));
    let dose = |shelter_in_place: bool| {
        let plume = PlumeModel::from_spec(&spec).unwrap();
        let mut sim = Simulation::with(
            &scenario,
            1,
            vec![Box::new(plume)],
            obedient(),
            Mode::Actions,
        )
        .unwrap();
        if shelter_in_place {
            sim.submit(Action {
                at_s: 0.0,
                actor: Actor::Role(RoleIdx(0)),
                work: Work::ShelterInPlace(Target::Place(east)),
                how: vec![Channel::Broadcast],
                with: Vec::new(),
                span: Span::default(),
            });
        }
        sim.run_until(3600.0);
        let sealed = sim
            .events()
            .iter()
            .filter(|e| matches!(e.event, SimEvent::ShelteredInPlace { .. }))
            .count();
        let total: f64 = sim
            .breathing()
            .households
            .iter()
            .map(|b| b.exposure.dose_ppm_min)
            .sum();
        (sealed, total)
    };
    let (none_sealed, open_dose) = dose(false);
    let (sealed, sealed_dose) = dose(true);
    assert_eq!((none_sealed, sealed), (0, 3));
    assert!(
        open_dose > 90.0,
        "open houses breathe chlorine: {open_dose}"
    );
    assert!(
        sealed_dose < 0.6 * open_dose,
        "sealed houses should breathe much less: {sealed_dose} vs {open_dose}"
    );
}
