//! `drill calc fire --duration 3h` — "how big in three hours": the fire spread model of
//! the simulation run from one ignition on uniform fuel (flat, or a plane of `--slope`
//! facing `--aspect`), with the burnt area, the head, flank and back distances and the
//! perimeter, next to the ellipse the point behaviour predicts (Anderson 1983: head
//! and back along the spread direction, flank across it).

use crate::hazard::HazardField;
use crate::hazard::fire::spread::{FireField, FireSettings, WindAdjustment};
use crate::hazard::fire::{Fuelbed, WindLimit};
use crate::hazard::raster::Raster;
use crate::model::{Point, Wind};

/// The point behaviour's rates (m/s) and spread direction (compass, towards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointRates {
    pub head_m_s: f64,
    pub flank_m_s: f64,
    pub back_m_s: f64,
    pub azimuth_deg: f64,
}

/// What a spread run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpreadResult {
    pub cell_m: f64,
    pub cells: usize,
    pub burnt_area_m2: f64,
    pub head_m: f64,
    pub flank_m: f64,
    pub back_m: f64,
    /// Of the ellipse through the measured head, back and flank (Ramanujan's formula).
    pub perimeter_m: f64,
    /// π·a·b of the point behaviour's own ellipse: a = (head + back)·t / 2, b = flank·t.
    pub ellipse_area_m2: f64,
}

/// The largest grid side a spread run may use: 2,001 cells (4 million cells).
const MAX_SIDE: usize = 2001;

/// Runs the spread model for `duration_s` from an ignition at the grid's centre.
#[allow(clippy::too_many_arguments)]
pub fn spread(
    bed: Fuelbed,
    rates: PointRates,
    wind: Wind,
    waf: f64,
    slope: f64,
    aspect_deg: f64,
    wind_limit: WindLimit,
    duration_s: f64,
    cell_m: Option<f64>,
) -> Result<SpreadResult, String> {
    let reach = rates.head_m_s.max(rates.back_m_s).max(rates.flank_m_s) * duration_s;
    // Room for the whole fire with a margin, on at most ~800 cells a side by default.
    let half = reach * 1.15 + 1.0;
    let cell = match cell_m {
        Some(c) if c.is_finite() && c >= 0.5 => c,
        Some(c) => return Err(format!("--cell must be at least 0.5 m (got {c} m)")),
        None => (2.0 * half / 800.0).ceil().max(1.0),
    };
    let side = 2 * ((half / cell).ceil() as usize + 3) + 1;
    if side > MAX_SIDE {
        return Err(format!(
            "the fire reaches {reach:.0} m: at {cell} m cells that is a {side}x{side} grid, more than \
             {MAX_SIDE}x{MAX_SIDE}; give a larger --cell or a shorter --duration"
        ));
    }
    let centre = (side / 2) as f64 * cell + 0.5 * cell;
    // A plane falling towards the aspect (compass; the map's y points south).
    let (sa, ca) = aspect_deg.to_radians().sin_cos();
    let z: Vec<f64> = (0..side)
        .flat_map(|r| {
            (0..side).map(move |c| {
                let (x, y) = (c as f64 * cell - centre, r as f64 * cell - centre);
                -slope * (x * sa - y * ca)
            })
        })
        .collect();
    let grid = Raster::from_grid(side, side, cell, z)?;
    let settings = FireSettings {
        wind_adjustment: WindAdjustment::Factor(waf),
        wind_limit,
        danger_margin_s: 0.0,
    };
    let ignition = Point {
        x: centre,
        y: centre,
    };
    let mut field = FireField::uniform(
        grid,
        bed,
        vec![(0.0, wind)],
        vec![(0.0, ignition)],
        settings,
    )?;
    field.advance_to(duration_s);
    let arrival = field.arrival_times_s();
    // Unit vector of the spread direction on the map (x east, y south).
    let (st, ct) = rates.azimuth_deg.to_radians().sin_cos();
    let (mut head, mut back, mut flank, mut cells) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for (i, t) in arrival.iter().enumerate() {
        if !(t.is_finite() && *t <= duration_s) {
            continue;
        }
        cells += 1;
        let (r, c) = (i / side, i % side);
        let (dx, dy) = (
            (c as f64 + 0.5) * cell - centre,
            (r as f64 + 0.5) * cell - centre,
        );
        let along = dx * st - dy * ct;
        let across = dx * ct + dy * st;
        head = head.max(along);
        back = back.max(-along);
        flank = flank.max(across.abs());
    }
    // Distances to the far edge of the last burnt cell.
    let (head, back, flank) = (head + 0.5 * cell, back + 0.5 * cell, flank + 0.5 * cell);
    let (a, b) = (0.5 * (head + back), flank);
    let h = ((a - b) / (a + b)).powi(2);
    let perimeter =
        std::f64::consts::PI * (a + b) * (1.0 + 3.0 * h / (10.0 + (4.0 - 3.0 * h).sqrt()));
    let ea = 0.5 * (rates.head_m_s + rates.back_m_s) * duration_s;
    let eb = rates.flank_m_s * duration_s;
    Ok(SpreadResult {
        cell_m: cell,
        cells: side * side,
        burnt_area_m2: cells as f64 * cell * cell,
        head_m: head,
        flank_m: flank,
        back_m: back,
        perimeter_m: perimeter,
        ellipse_area_m2: std::f64::consts::PI * ea * eb,
    })
}
