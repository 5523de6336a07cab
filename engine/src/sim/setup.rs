//! 推演组建 — the one place a run is built from a checked scenario: its hazard models
//! (the physical model of each `hazard` block next to the scripted zones) on the map's
//! terrain, the seed, the mode and the recorder's log. `drill run`, `drill batch`,
//! `drill exercise` (live and its replay) and the editor all start their runs here, so
//! that the same scenario, terrain, seed and log give the same event log whichever of
//! them ran it; a second way of building hazards is how `drill batch` once ran without
//! the flood model that `drill run` used.

use super::scripted::ScriptedHazard;
use super::{Mode, Simulation};
use crate::hazard::raster::Raster;
use crate::hazard::{self, HazardField};
use crate::model::{ActionLog, Scenario, TerrainSource};

/// The mode a run with or without a recorder's log runs in: the log's actions
/// (`drill run --actions`, `drill batch --actions`, `drill exercise`), or the plan as
/// written.
pub fn mode_for(log: Option<&ActionLog>) -> Mode {
    if log.is_some() {
        Mode::Actions
    } else {
        Mode::PlanAsWritten
    }
}

/// Builds a run of `scenario` at time 0: its hazard models (the physical model of each
/// `hazard` block next to the scripted zones) on `terrain`, `seed`, `mode`, and `log`'s
/// actions and trainer commands submitted.
///
/// `terrain` is the map's terrain as [`crate::io::load_terrain`] read it. Without it an
/// inline `terrain grid` is turned into the same raster `load_terrain` would give, so
/// a caller that read nothing gets the run `drill run` gets; a heightmap file that was
/// not read is an error rather than a silently flat map (the flood would be dropped).
/// The second value is the hazard blocks that could not be modelled on this map, and
/// why (a block whose model cannot be built on this map is left to the scripted zones).
pub fn build_run(
    scenario: &Scenario,
    terrain: Option<&Raster>,
    seed: u64,
    mode: Mode,
    log: Option<&ActionLog>,
) -> Result<(Simulation, Vec<String>), String> {
    let inline;
    let terrain = match (terrain, &scenario.map.terrain) {
        (Some(t), _) => Some(t),
        (None, None) => None,
        (None, Some(t)) => match &t.source {
            TerrainSource::File { path, .. } => {
                return Err(format!(
                    "terrain file {path} was not read; the hazard models need it / 地形文件未读取"
                ));
            }
            TerrainSource::Grid { .. } => {
                inline = Raster::from_terrain(t, None).map_err(|e| format!("terrain: {e}"))?;
                Some(&inline)
            }
        },
    };
    let (hazards, warnings) = scenario_hazards(scenario, terrain);
    let params = super::params::SimParams::for_scenario(scenario);
    let mut sim =
        Simulation::with(scenario, seed, hazards, params, mode).map_err(|e| e.to_string())?;
    if let Some(log) = log {
        sim.submit_log(log);
    }
    Ok((sim, warnings))
}

/// The hazard fields a run of `scenario` samples: the physical model of each `hazard`
/// block ([`hazard::scenario_field`]) next to the scripted zones, or the scripted zones
/// alone. A block whose model cannot be built on this map (a flood whose river misses a
/// small terrain grid) is left to the scripted zones, with a warning saying why, rather
/// than refusing a scenario `drill check` accepted.
fn scenario_hazards(
    scenario: &Scenario,
    terrain: Option<&Raster>,
) -> (Vec<Box<dyn HazardField>>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut hazards: Vec<Box<dyn HazardField>> = Vec::new();
    for h in &scenario.hazards {
        match hazard::scenario_field(scenario, h, terrain) {
            Ok(field) => hazards.push(field),
            Err(e) => warnings.push(format!("{e}; this hazard is not modelled in the run")),
        }
    }
    if !hazards.is_empty() {
        // Scripted zones keep their times next to the physical models.
        hazards.insert(0, Box::new(ScriptedHazard::new(scenario)));
    }
    (hazards, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Span, Terrain};
    use crate::sim::events::log_hash;

    /// A map whose heightmap file was not read is refused, not run flat; with the file's
    /// raster given, the run is built.
    #[test]
    fn an_unread_heightmap_is_an_error_not_a_flat_map() {
        let mut scenario = crate::sim::generate::village(1);
        scenario.map.terrain = Some(Terrain {
            source: TerrainSource::File {
                path: "maps/dem.asc".into(),
                vertical_m: 1.0,
            },
            cell_m: 100.0,
            span: Span::default(),
            georef: None,
        });
        let err = build_run(&scenario, None, 1, Mode::PlanAsWritten, None)
            .err()
            .expect("refused");
        assert!(err.contains("maps/dem.asc was not read"), "{err}");
        let raster = Raster::flat(4, 4, 100.0, 10.0);
        assert!(build_run(&scenario, Some(&raster), 1, Mode::PlanAsWritten, None).is_ok());
    }

    /// Without hazard blocks the run samples the scripted zones, whatever the terrain,
    /// and the same seed gives the same log.
    #[test]
    fn a_scenario_without_hazard_blocks_runs_the_same_on_any_terrain() {
        let scenario = crate::sim::generate::village(3);
        assert!(scenario.hazards.is_empty());
        let run = |terrain: Option<&Raster>| {
            let (mut sim, warnings) =
                build_run(&scenario, terrain, 5, Mode::PlanAsWritten, None).unwrap();
            assert!(warnings.is_empty());
            sim.run_until(2.0 * 3600.0);
            log_hash(sim.events())
        };
        assert_eq!(run(None), run(Some(&Raster::flat(4, 4, 100.0, 10.0))));
    }
}
