//! The hazard layers (`Simulation::hazard_layers`) over runs of the three example
//! scenarios: the flood's water, the fire's burning and burnt ground and the plume's
//! AEGL classes appear where and when the physical models put them, and asking twice at
//! the same time gives the same answer from the cache.

mod common;

use drill_engine::sim::hazard_layer::{HazardLayer, HazardLayerKind};
use drill_engine::sim::setup::build_run;
use drill_engine::sim::{Mode, Simulation};

fn sim(name: &str) -> Simulation {
    let (scenario, terrain) = common::example(name);
    let (sim, warnings) = build_run(
        &scenario,
        terrain.as_ref(),
        scenario.header.seed,
        Mode::PlanAsWritten,
        None,
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    sim
}

fn classes(layer: &HazardLayer) -> Vec<usize> {
    let mut n = vec![0; layer.thresholds.len() + 2];
    for &v in &layer.values {
        n[layer.class_of(v)] += 1;
    }
    n
}

fn layer(sim: &mut Simulation, kind: HazardLayerKind) -> Option<HazardLayer> {
    sim.hazard_layers(96)
        .iter()
        .find(|l| l.kind == kind)
        .cloned()
}

#[test]
fn flood_water_rises_on_the_layer() {
    let mut sim = sim("zhuyuan-flash-flood");
    let dry = layer(&mut sim, HazardLayerKind::WaterDepth);
    sim.run_until(3.0 * 3600.0);
    let wet = layer(&mut sim, HazardLayerKind::WaterDepth).expect("water after 3 h");
    assert_eq!(wet.values.len(), wet.width * wet.height);
    assert!(wet.width.max(wet.height) == 96);
    let wet_cells = wet.values.iter().filter(|&&d| d >= 0.05).count();
    let dry_cells = dry.map_or(0, |l| l.values.iter().filter(|&&d| d >= 0.05).count());
    assert!(
        wet_cells > dry_cells,
        "{wet_cells} wet cells vs {dry_cells} at the start"
    );
    // Not the whole map: the valley floods, the hills stay dry.
    assert!(wet_cells < wet.values.len());
    // Cached: the same answer at the same time, a new one after a step.
    assert_eq!(
        sim.hazard_layers(96).to_vec(),
        sim.hazard_layers(96).to_vec()
    );
    let t = sim.time_s();
    sim.step();
    assert!(sim.hazard_layers(96).iter().all(|l| l.t_s > t));
}

#[test]
fn fire_layer_shows_a_burning_front_ahead_of_burnt_ground() {
    let mut sim = sim("forest-edge-fire");
    sim.run_until(4.0 * 3600.0);
    let fire = layer(&mut sim, HazardLayerKind::Fire).expect("fire after 4 h");
    let n = classes(&fire);
    assert!(n[1] > 0, "burning cells: {n:?}");
    assert!(n[2] > 0, "burnt cells: {n:?}");
    assert!(n[0] > 0, "unburnt cells: {n:?}");
}

#[test]
fn plume_layer_is_classed_by_the_substances_aegls() {
    let mut sim = sim("haiyan-chemical-release");
    // An hour in: 50 min into the release, in the afternoon's steady east wind.
    sim.run_until(3600.0);
    let plume = layer(&mut sim, HazardLayerKind::Plume).expect("plume after 1 h");
    // Chlorine's 60-minute AEGL-1/2/3 (EPA): 0.5, 2, 20 ppm.
    assert_eq!(plume.thresholds, vec![0.5, 2.0, 20.0]);
    assert!(plume.thresholds.windows(2).all(|w| w[0] <= w[1]));
    let n = classes(&plume);
    assert!(
        n[1] > 0 && n[2] > 0 && n[3] > 0,
        "cells in each AEGL class: {n:?}"
    );
    // The east wind blows the plume west of the source (1500, 900): every cell above
    // AEGL-1 lies west of it.
    for row in 0..plume.height {
        for col in 0..plume.width {
            if plume.class_of(plume.value(col, row)) > 0 {
                assert!(plume.center(col, row).x < 1500.0);
            }
        }
    }
    assert!(n[0] > 0, "clean air: {n:?}");
}
