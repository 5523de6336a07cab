//! CPU time of the simulation, for side-by-side comparisons on a loaded machine: the
//! `sim` bench's generated county (`generate::county(PEOPLE, 2000, 1)`, plan as
//! written, 12 hours at the 10 s step), run `N` times; prints the on-CPU time of each
//! run (from `/proc/self/schedstat`, so waiting for a core is not counted), the
//! generation of the county left out.
//!
//! ```sh
//! cargo build --release -p drill-engine --example sim_cpu
//! target/release/examples/sim_cpu 50000 5     # people, runs
//! ```

use drill_engine::sim::{Simulation, generate};

/// Nanoseconds this process has run on a CPU (Linux).
fn on_cpu_ns() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .expect("/proc/self/schedstat (Linux)")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let people: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(50_000);
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let scenario = generate::county(people, 2_000, 1);
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let start = on_cpu_ns();
        let mut sim = Simulation::new(&scenario, 7, Vec::new()).expect("a valid county");
        sim.run_until(12.0 * 3600.0);
        let s = (on_cpu_ns() - start) / 1e9;
        best = best.min(s);
        println!(
            "county {people} people, 12 h: {s:.3} s CPU, {} events",
            sim.events().len()
        );
    }
    println!("minimum {best:.3} s CPU");
}
