//! CPU time of the fire spread, for side-by-side comparisons on a loaded machine: the
//! `fire` bench's case (1000 × 1000 cells of 5 m, GR2 over rolling terrain, one ignition
//! in the centre, three wind periods, 12 hours advanced minute by minute), run `N` times;
//! prints the on-CPU time of each spread (from `/proc/self/schedstat`, so time spent
//! waiting for a core is not counted), the building of the field left out.
//!
//! ```sh
//! cargo build --release -p drill-engine --example fire_cpu
//! target/release/examples/fire_cpu 5     # runs; prints each and the minimum
//! ```

use drill_engine::hazard::HazardField;
use drill_engine::hazard::fire::{FireField, FireSettings, FuelCatalog, Fuelbed};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::{FuelMoisture, Point, Wind};

const SIDE: usize = 1000;
const CELL_M: f64 = 5.0;
const HOURS: f64 = 12.0;

/// Nanoseconds this process has run on a CPU (Linux).
fn on_cpu_ns() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .expect("/proc/self/schedstat (Linux)")
}

fn setup() -> FireField {
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
    let bed = Fuelbed::new(FuelCatalog::standard().get("GR2").unwrap(), &moisture);
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
    .unwrap()
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let mut field = setup();
        let start = on_cpu_ns();
        let mut t = 0.0;
        while t < HOURS * 3600.0 {
            t += 60.0;
            field.advance_to(t);
        }
        let s = (on_cpu_ns() - start) / 1e9;
        best = best.min(s);
        println!(
            "spread {s:.3} s CPU, {:.1} % of the cells burnt",
            100.0 * field.burnt_cells() as f64 / (SIDE * SIDE) as f64
        );
    }
    println!("minimum {best:.3} s CPU");
}
