//! CPU time of the fire spread, for side-by-side comparisons on a loaded machine: the
//! `fire` bench's case (1000 × 1000 cells of 5 m, GR2 over rolling terrain, one ignition
//! in the centre, three wind periods, 12 hours advanced minute by minute), run `N` times;
//! prints the on-CPU time of each spread (from `/proc/self/schedstat`, so time spent
//! waiting for a core is not counted), the building of the field left out. The case is
//! `hazard::fire::bench::rolling_grass`, the bench's own.
//!
//! ```sh
//! cargo build --release -p drill-engine --example fire_cpu
//! target/release/examples/fire_cpu 5     # runs; prints each and the minimum
//! ```

use drill_engine::hazard::HazardField;
use drill_engine::hazard::fire::bench::{HOURS, SIDE, rolling_grass};

/// Nanoseconds this process has run on a CPU (Linux).
fn on_cpu_ns() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .expect("/proc/self/schedstat (Linux)")
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let mut field = rolling_grass();
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
