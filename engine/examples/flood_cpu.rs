//! CPU time of the flood kernel, for `perf stat -e task-clock`: the `flood` bench's
//! valley (30 m cells falling east at 1:500 with 1:20 sides, 20 mm/h rain on every cell,
//! a 300 m³/s inflow, open east edge) at a chosen size and duration, printing steps, cell
//! updates and the final depth and mass error. A smaller grid that fits the cache next to
//! the 512 × 512 one shows how much of the time is memory traffic.
//!
//! ```sh
//! cargo build --release -p drill-engine --example flood_cpu
//! perf stat -e task-clock target/release/examples/flood_cpu 512 12   # cells per side, hours
//! ```

use drill_engine::hazard::flood::{FloodConfig, FloodModel};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::Point;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(512);
    let hours: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(12.0);
    let cell = 30.0;
    let mid = (n as f64 - 1.0) / 2.0;
    let z: Vec<f64> = (0..n)
        .flat_map(|r| {
            (0..n).map(move |c| {
                0.002 * cell * (n - 1 - c) as f64 + 0.05 * cell * (r as f64 - mid).abs()
            })
        })
        .collect();
    let terrain = Raster::from_grid(n, n, cell, z).expect("valid grid");
    let config = FloodConfig {
        open_boundary: true,
        ..FloodConfig::default()
    };
    let mut m = FloodModel::new(terrain, config, None).expect("valid model");
    m.set_rain(vec![(0.0, 20.0)]);
    m.add_inflow(
        Point {
            x: 0.5 * cell,
            y: (mid + 0.5) * cell,
        },
        vec![(0.0, 300.0 * (n as f64 / 512.0))],
    )
    .expect("inside");
    m.run_to(hours * 3600.0);
    let updates = m.steps() as f64 * (n * n) as f64;
    eprintln!(
        "{n}x{n}, {hours} h: {} steps, {updates:.3e} cell updates, max depth {:.3} m, mass error {:.1e}",
        m.steps(),
        m.depths().iter().copied().fold(0.0, f64::max),
        m.mass_error_relative()
    );
}
