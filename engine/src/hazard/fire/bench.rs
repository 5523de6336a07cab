//! The fire spread workload of the `fire` bench and the `fire_cpu` example, in one
//! place so both time the same thing (as the flood's `Valley::bench` is for its bench
//! and `flood_cpu`).

use super::{FireField, FireSettings, FuelCatalog, Fuelbed};
use crate::hazard::raster::Raster;
use crate::model::{FuelMoisture, Point, Wind};

/// Cells per side of the bench grid.
pub const SIDE: usize = 1000;
/// Cell size, metres: the grid is 5 km square.
pub const CELL_M: f64 = 5.0;
/// Simulated hours: by then the fire has crossed the whole grid.
pub const HOURS: f64 = 12.0;

/// GR2 grass over rolling terrain (±40 m), one ignition in the centre at 0 s, a wind
/// of 4 m/s from the west turning to 6 m/s from 300° at 4 h and 3 m/s from 200° at 8 h.
pub fn rolling_grass() -> FireField {
    let mut grid = Raster::flat(SIDE, SIDE, CELL_M, 0.0);
    for r in 0..SIDE {
        for c in 0..SIDE {
            let (x, y) = (c as f64 * CELL_M, r as f64 * CELL_M);
            grid.elevation_m[r * SIDE + c] = 40.0 * (x / 300.0).sin() * (y / 420.0).cos();
        }
    }
    let moisture = FuelMoisture {
        dead_1h: 6.0,
        dead_10h: 7.0,
        dead_100h: 8.0,
        live_herb: 60.0,
        live_woody: 90.0,
    };
    let bed = Fuelbed::new(
        FuelCatalog::standard()
            .get("GR2")
            .expect("GR2 is a standard fuel model"),
        &moisture,
    );
    let wind = |h: f64, speed_m_s: f64, from_deg: f64| {
        (
            h * 3600.0,
            Wind {
                speed_m_s,
                from_deg,
            },
        )
    };
    let centre = Point {
        x: SIDE as f64 * CELL_M / 2.0,
        y: SIDE as f64 * CELL_M / 2.0,
    };
    FireField::uniform(
        grid,
        bed,
        vec![
            wind(0.0, 4.0, 270.0),
            wind(4.0, 6.0, 300.0),
            wind(8.0, 3.0, 200.0),
        ],
        vec![(0.0, centre)],
        FireSettings::default(),
    )
    .expect("the bench's fire field is valid")
}
