//! `drill calc flood`: runs the flood model on a built-in valley — a rectangular raster
//! falling eastwards, with side slopes rising to the north and south edges — with rain,
//! an optional river inflow at the middle of the west edge and an open east edge, then
//! prints depths, flooded area and the mass balance.

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use std::io::IsTerminal;

use super::quantity as q;
use crate::hazard::flood::{DANGER_FOR_SOME_HR, Valley, hazard_rating};

#[derive(Args, Debug)]
pub struct FloodArgs {
    /// Raster columns (west → east)
    #[arg(long, default_value_t = 100)]
    pub cols: usize,
    /// Raster rows (north → south)
    #[arg(long, default_value_t = 60)]
    pub rows: usize,
    /// Cell size, 1m to 1000m: 10m
    #[arg(long, value_parser = q::length_m, default_value = "10m")]
    pub cell: f64,
    /// Valley floor slope towards the east, m/m
    #[arg(long, default_value_t = 0.002)]
    pub slope: f64,
    /// Side slope rising towards the north and south edges, m/m
    #[arg(long, default_value_t = 0.05)]
    pub side_slope: f64,
    /// Constant rain intensity: 30mm/h
    #[arg(long, value_parser = q::rain_mm_h, default_value = "30mm/h")]
    pub rain: f64,
    /// River inflow at the middle of the west edge: 20m3/s (default none)
    #[arg(long, value_parser = q::discharge_m3_s, default_value = "0m3/s")]
    pub inflow: f64,
    /// Simulated time: 1h, 30min
    #[arg(long, value_parser = q::duration_s, default_value = "1h")]
    pub duration: f64,
    /// Manning's n, s/m^(1/3)
    #[arg(long, default_value_t = 0.035)]
    pub manning: f64,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &FloodArgs) -> Result<String, String> {
    if a.cols < 3 || a.rows < 3 || a.cols * a.rows > 4_000_000 {
        return Err(format!(
            "--cols and --rows must be at least 3 and at most 4 million cells in all (got {}x{})",
            a.cols, a.rows
        ));
    }
    // Elevation models have cells of 1 to 90 m. Below 1 m the Courant step shrinks
    // with the cell and a run of hours takes days; above 1 km the valley's sides rise
    // kilometres.
    if !(1.0..=1000.0).contains(&a.cell) {
        return Err(format!(
            "--cell must be between 1m and 1000m (elevation models use 1-90 m cells; got {} m)",
            a.cell
        ));
    }
    if !(a.slope.is_finite() && a.side_slope.is_finite() && a.slope >= 0.0 && a.side_slope >= 0.0) {
        return Err("--slope and --side-slope must be zero or positive".into());
    }
    if !(a.duration > 0.0 && a.duration <= 7.0 * 86400.0) {
        return Err("--duration must be between 0 and 7 days".into());
    }
    // Manning's n runs from 0.01 (smooth concrete) to about 0.2 (dense floodplain
    // forest); outside (0, 1] it is a slip.
    q::plain_within("--manning", a.manning, 0.001..=1.0)?;
    let (cols, rows, cell) = (a.cols, a.rows, a.cell);
    let valley = Valley {
        cols,
        rows,
        cell_m: cell,
        floor_slope: a.slope,
        side_slope: a.side_slope,
        manning_n: a.manning,
        rain_mm_h: a.rain,
        inflow_m3_s: a.inflow,
    };
    let mut model = valley.model()?;
    // Simulated seconds on stderr, on a terminal only; a run of hours on a large grid
    // takes a while.
    let bar = ProgressBar::new(a.duration.ceil() as u64);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} s simulated {elapsed}") {
        bar.set_style(style);
    }
    model.run_to_reporting(a.duration, |t| bar.set_position(t as u64));
    bar.finish_and_clear();

    let area = cell * cell;
    let depths = model.depths();
    let max_depth = depths.iter().copied().fold(0.0, f64::max);
    let wet = depths.iter().filter(|&&h| h > 0.01).count();
    let dangerous = (0..depths.len())
        .filter(|&i| {
            let (u, v) = model.velocity(i);
            hazard_rating(depths[i], u.hypot(v), model.config.debris_factor) >= DANGER_FOR_SOME_HR
        })
        .count();
    let b = model.balance();
    let stored = model.stored_m3();
    q::finite(&[
        ("maximum depth", max_depth),
        ("maximum speed", model.max_speed()),
        ("stored volume", stored),
        ("outflow", b.outflow_m3),
    ])?;
    if a.json {
        let value = json!({
            "cols": cols, "rows": rows, "cell_m": cell,
            "simulated_s": model.time_s(), "steps": model.steps(),
            "max_depth_m": max_depth, "max_speed_m_s": model.max_speed(),
            "wet_area_m2": wet as f64 * area,
            "dangerous_area_m2": dangerous as f64 * area,
            "stored_m3": stored, "rain_m3": b.rain_m3, "inflow_m3": b.inflow_m3, "outflow_m3": b.outflow_m3,
            "mass_error_relative": model.mass_error_relative(),
        });
        return serde_json::to_string_pretty(&value).map_err(|e| e.to_string());
    }
    Ok(format!(
        "valley {cols}x{rows} cells of {cell} m, floor slope {}, side slope {}, Manning n {}\n\
         rain {} mm/h, inflow {} m³/s, simulated {:.0} s in {} adaptive steps\n\
         max depth {:.3} m, max speed {:.2} m/s\n\
         wet (>1 cm) {:.3} km², dangerous (hazard rating ≥ {DANGER_FOR_SOME_HR}, FD2321) {:.3} km²\n\
         volume: rain {:.0} m³ + inflow {:.0} m³ − outflow {:.0} m³ = stored {:.0} m³ (relative error {:.1e})",
        a.slope,
        a.side_slope,
        a.manning,
        a.rain,
        a.inflow,
        model.time_s(),
        model.steps(),
        max_depth,
        model.max_speed(),
        wet as f64 * area / 1e6,
        dangerous as f64 * area / 1e6,
        b.rain_m3,
        b.inflow_m3,
        b.outflow_m3,
        stored,
        model.mass_error_relative()
    ))
}
