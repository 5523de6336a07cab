//! Hazard models and the hook through which the simulation reads them.
//!
//! The simulation never knows which model is behind a hazard: each step it calls
//! [`HazardField::advance_to`] and then samples the field at the points it cares about
//! (households, road links, shelters, team positions). Flood, fire and plume models
//! implement this trait; so does the scripted hazard (zones turning dangerous at
//! given times) used when a scenario has no physical model.

pub mod fire;
pub mod flood;
pub mod pages;
pub mod plume;
pub mod raster;

use crate::hazard::fire::{FireField, FireSettings, FuelCatalog};
use crate::hazard::flood::FloodModel;
use crate::hazard::plume::PlumeModel;
use crate::hazard::raster::Raster;
use crate::model::{Hazard, Point, Scenario};

/// The physical model of one `hazard` block (a run's models are gathered by
/// [`crate::sim::setup::build_run`]). `terrain` is the map's terrain as
/// [`crate::io::load_terrain`] read it (needed for a heightmap file); without it an
/// inline `terrain grid` is used, and a fire on a map without terrain burns on a flat
/// raster covering the map. A flood needs terrain, and its rivers must cross it.
pub fn scenario_field(
    scenario: &Scenario,
    hazard: &Hazard,
    terrain: Option<&Raster>,
) -> Result<Box<dyn HazardField>, String> {
    let raster = || -> Result<Option<Raster>, String> {
        match (terrain, &scenario.map.terrain) {
            (Some(t), _) => Ok(Some(t.clone())),
            (None, Some(_)) => Raster::covering_scenario(scenario).map(Some),
            (None, None) => Ok(None),
        }
    };
    Ok(match hazard {
        Hazard::Flood(spec) => {
            let t = raster()?.ok_or(
                "hazard flood needs the map's terrain (`terrain grid [...]` or a heightmap)",
            )?;
            Box::new(
                FloodModel::from_scenario(scenario, spec, t)
                    .map_err(|e| format!("hazard flood: {e}"))?,
            )
        }
        Hazard::Fire(_) => {
            let grid = match raster()? {
                Some(t) => t,
                None => Raster::covering_scenario(scenario)?,
            };
            Box::new(
                FireField::from_scenario(
                    scenario,
                    grid,
                    &FuelCatalog::standard(),
                    FireSettings::default(),
                )
                .map_err(|e| format!("hazard fire: {e}"))?,
            )
        }
        Hazard::Chemical(spec) => {
            Box::new(PlumeModel::from_spec(spec).map_err(|e| format!("hazard chemical: {e}"))?)
        }
    })
}

/// What a hazard looks like to the simulation at the current time.
///
/// Implementations must be deterministic: the same sequence of `advance_to` calls gives
/// the same samples. Times are seconds from the drill start and only move forward.
pub trait HazardField: Send + Sync {
    /// A short name for logs and reports ("flood", "fire", "plume", "scripted").
    fn name(&self) -> &str;

    /// Advances the model's state to `t_s`.
    fn advance_to(&mut self, t_s: f64);

    /// Water depth in metres (0 where dry or not modelled).
    fn water_depth_m(&self, _p: Point) -> f64 {
        0.0
    }

    /// Depth-averaged water speed in m/s.
    fn water_speed_m_s(&self, _p: Point) -> f64 {
        0.0
    }

    /// Whether the fire front has reached the point and it is burning or burnt.
    fn burning(&self, _p: Point) -> bool {
        false
    }

    /// Outdoor concentration of the released substance in ppm.
    fn concentration_ppm(&self, _p: Point) -> f64 {
        0.0
    }

    /// When the fire front reached `p`, seconds from the drill start; `None` where it
    /// has not (or for models other than fire). For the map's hazard layer.
    fn fire_arrival_s(&self, _p: Point) -> Option<f64> {
        None
    }

    /// The released substance's 60-minute AEGL-1, -2 and -3 in ppm, those it has (all
    /// `None` for models other than plume). For the map's hazard layer.
    fn aegl_60_min_ppm(&self) -> [Option<f64>; 3] {
        [None; 3]
    }

    /// 隔离带 — a fire line along `points`, finished at `time_s`, from which on it stops
    /// the fire (a no-op for models other than fire).
    fn add_fire_line(&mut self, _points: &[Point], _time_s: f64) {}

    /// 来水 / 泄洪 — the inflow where the river along `river` enters becomes `m3_s` from
    /// `t_s`, reached over `ramp_s` and held (an inject that drives the flood; a no-op
    /// for models other than flood).
    fn set_inflow(
        &mut self,
        _river: &[Point],
        _m3_s: f64,
        _ramp_s: f64,
        _t_s: f64,
    ) -> Result<(), String> {
        Ok(())
    }

    /// 起火 — a fire starts at `at` at `t_s` (an inject that drives the fire; a no-op
    /// for models other than fire).
    fn ignite(&mut self, _at: Point, _t_s: f64) -> Result<(), String> {
        Ok(())
    }

    /// Whether a person standing at `p` now is in danger (the model's own threshold:
    /// water above wading depth, inside the fire front, concentration above AEGL-2...).
    fn dangerous(&self, p: Point) -> bool;
}
