//! Hazard models and the hook through which the simulation reads them.
//!
//! The simulation never knows which model is behind a hazard: each step it calls
//! [`HazardField::advance_to`] and then samples the field at the points it cares about
//! (households, road links, shelters, team positions). Flood, fire and plume models
//! implement this trait; so does the scripted hazard (zones turning dangerous at
//! given times) used when a scenario has no physical model.

pub mod fire;
pub mod flood;
pub mod plume;
pub mod raster;

use crate::model::Point;

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

    /// Whether a person standing at `p` now is in danger (the model's own threshold:
    /// water above wading depth, inside the fire front, concentration above AEGL-2...).
    fn dangerous(&self, p: Point) -> bool;
}
