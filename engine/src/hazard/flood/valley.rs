//! The built-in valley (a synthetic terrain): the flood model on a rectangular raster
//! falling east between two side slopes, with rain and an optional river. `drill calc
//! flood`, the `flood` bench and the `flood_cpu` example build their model here, so
//! the bench and the example time the same thing.

use super::{FloodConfig, FloodModel};
use crate::hazard::raster::Raster;
use crate::model::Point;

/// The built-in valley of `drill calc flood`, the `flood` bench and the `flood_cpu`
/// example: a rectangular raster whose floor falls east at `floor_slope`, with sides
/// rising at `side_slope` to the north and south edges, open edges, constant rain on
/// every cell and, when `inflow_m3_s` is above zero, a river entering at the middle of
/// the west edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valley {
    pub cols: usize,
    pub rows: usize,
    pub cell_m: f64,
    /// Floor slope towards the east, m/m.
    pub floor_slope: f64,
    /// Side slope towards the north and south edges, m/m.
    pub side_slope: f64,
    /// Manning's n, s/m^(1/3).
    pub manning_n: f64,
    pub rain_mm_h: f64,
    pub inflow_m3_s: f64,
}

impl Valley {
    /// The workload of the `flood` bench and the `flood_cpu` example, in one place so
    /// both time the same thing: `cells` × `cells` cells of 30 m (the resolution of the
    /// SRTM / ASTER elevation data most county DEMs come from), a floor falling 1:500
    /// with 1:20 sides, 20 mm/h of rain and, at 512 cells, a 300 m³/s river (scaled
    /// with the width on other sizes).
    pub fn bench(cells: usize) -> Valley {
        Valley {
            cols: cells,
            rows: cells,
            cell_m: 30.0,
            floor_slope: 0.002,
            side_slope: 0.05,
            manning_n: FloodConfig::default().manning_n,
            rain_mm_h: 20.0,
            inflow_m3_s: 300.0 * cells as f64 / 512.0,
        }
    }

    /// The flood model on this valley, dry at the start.
    pub fn model(&self) -> Result<FloodModel, String> {
        let Valley {
            cols,
            rows,
            cell_m: cell,
            ..
        } = *self;
        let mid = (rows as f64 - 1.0) / 2.0;
        let z: Vec<f64> = (0..rows)
            .flat_map(|r| {
                (0..cols).map(move |c| {
                    self.floor_slope * cell * (cols - 1 - c) as f64
                        + self.side_slope * cell * (r as f64 - mid).abs()
                })
            })
            .collect();
        let terrain = Raster::from_grid(cols, rows, cell, z)?;
        let config = FloodConfig {
            manning_n: self.manning_n,
            open_boundary: true,
            ..FloodConfig::default()
        };
        let mut model = FloodModel::new(terrain, config, None)?;
        model.set_rain(vec![(0.0, self.rain_mm_h)]);
        if self.inflow_m3_s > 0.0 {
            let west_middle = Point {
                x: 0.5 * cell,
                y: (mid + 0.5) * cell,
            };
            model.add_inflow(west_middle, vec![(0.0, self.inflow_m3_s)])?;
        }
        Ok(model)
    }
}
