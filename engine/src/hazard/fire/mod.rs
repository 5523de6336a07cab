//! 森林火灾 — the forest fire model.
//!
//! Three layers, each usable on its own:
//! - [`fuel`]: the standard fuel model table (Anderson 1982, Scott & Burgan 2005);
//! - [`rothermel`]: point fire behaviour, Rothermel (1972) as BehavePlus computes it;
//! - [`spread`]: fire growth over a raster by minimum travel time, and the
//!   [`HazardField`](crate::hazard::HazardField) the simulation samples.

pub mod bench;
pub mod fuel;
pub mod rothermel;
pub mod spread;

pub use fuel::{FuelCatalog, FuelModel};
pub use rothermel::{Fuelbed, SpreadConditions, SurfaceFire, WindLimit};
pub use spread::{FireField, FireSettings};
