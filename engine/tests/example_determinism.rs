//! Determinism over full runs of the three example scenarios, with their physical
//! hazard models and recorders' logs: the same scenario + seed + actions give the same
//! event log byte for byte, whatever the thread count of the pool the run happens on
//! (the schedule is single-threaded by design), and another seed gives another log.
//! The generated village's hash is snapshotted in `sim_determinism.rs`.

mod common;

use drill_engine::cli::run::simulate_on;
use drill_engine::hazard::raster::Raster;
use drill_engine::model::{ActionLog, Scenario};
use drill_engine::sim::events::log_hash;

fn load(name: &str) -> (Scenario, ActionLog, Option<Raster>) {
    let (scenario, terrain) = common::example(name);
    let log = common::example_log(&scenario, name);
    (scenario, log, terrain)
}

fn hash(scenario: &Scenario, log: &ActionLog, terrain: Option<&Raster>, seed: u64) -> u64 {
    let (_, sim) = simulate_on(
        scenario,
        terrain,
        seed,
        Some(log),
        scenario.header.duration_s,
        |_| {},
    )
    .unwrap();
    log_hash(sim.events())
}

#[test]
fn example_runs_are_reproducible_on_any_thread_count() {
    for name in [
        "zhuyuan-flash-flood",
        "forest-edge-fire",
        "haiyan-chemical-release",
    ] {
        let (scenario, log, terrain) = load(name);
        let seed = scenario.header.seed;
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| hash(&scenario, &log, terrain.as_ref(), seed))
        };
        let one = on(1);
        assert_eq!(one, on(4), "{name}: thread count changed the log");
        assert_eq!(one, hash(&scenario, &log, terrain.as_ref(), seed), "{name}");
        assert_ne!(
            one,
            hash(&scenario, &log, terrain.as_ref(), seed + 1),
            "{name}: the seed must matter"
        );
    }
}
