//! Determinism over full runs of the three example scenarios, with their physical
//! hazard models and recorders' logs: the same scenario + seed + actions give the same
//! event log byte for byte, whatever the thread count of the pool the run happens on
//! (the schedule is single-threaded by design), and another seed gives another log.
//! The generated village's hash is snapshotted in `sim_determinism.rs`.

use drill_engine::cli::run::simulate_on;
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::{ActionLog, Scenario};
use drill_engine::sim::events::log_hash;
use drill_engine::{hazard::raster::Raster, io};
use std::path::Path;

fn load(name: &str) -> (Scenario, ActionLog, Option<Raster>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let path = dir.join(format!("{name}.drill"));
    let mut sources = SourceMap::new();
    let main = sources.add(
        path.to_string_lossy().into_owned(),
        io::read_text(&path).unwrap(),
    );
    let scenario = lang::check(&mut sources, main, &io::include_loader)
        .scenario
        .expect("example scenarios check clean");
    let log_path = dir.join(format!("{name}.actions.drill"));
    let log_file = sources.add(
        log_path.to_string_lossy().into_owned(),
        io::read_text(&log_path).unwrap(),
    );
    let (log, _) = lang::check_actions(&scenario, &sources, log_file);
    let terrain = scenario
        .map
        .terrain
        .as_ref()
        .map(|t| io::load_terrain(t, &dir).unwrap());
    (scenario, log.expect("example logs check clean"), terrain)
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
