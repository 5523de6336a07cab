//! CPU time of the flood kernel, for `perf stat -e task-clock`: the `flood` bench's
//! valley (`Valley::bench`: 30 m cells falling east at 1:500 with 1:20 sides, 20 mm/h
//! rain on every cell, a 300 m³/s inflow at 512 cells, open edges) at a chosen size and
//! duration, printing steps, cell updates and the final depth and mass error. A larger
//! grid next to the 512 × 512 one shows what memory traffic adds once the grids
//! overflow the cache (1024 × 1024: half as much again per cell update); smaller ones
//! pay more per cell for each row's fixed work.
//!
//! ```sh
//! cargo build --release -p drill-engine --example flood_cpu
//! perf stat -e task-clock target/release/examples/flood_cpu 512 12   # cells per side, hours
//! ```

use drill_engine::hazard::flood::Valley;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(512);
    let hours: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(12.0);
    let mut m = Valley::bench(n).model().expect("valid valley");
    m.run_to(hours * 3600.0);
    let updates = m.steps() as f64 * (n * n) as f64;
    eprintln!(
        "{n}x{n}, {hours} h: {} steps, {updates:.3e} cell updates, max depth {:.3} m, mass error {:.1e}",
        m.steps(),
        m.depths().iter().copied().fold(0.0, f64::max),
        m.mass_error_relative()
    );
}
