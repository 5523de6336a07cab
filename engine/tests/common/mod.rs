//! Helpers shared by the simulation test files (each integration test is its own
//! crate, so each uses only some of these).
#![allow(dead_code)]

use drill_engine::hazard::raster::Raster;
use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use drill_engine::model::{Action, ActionLog, Actor, Channel, Scenario, Span, Work};
use drill_engine::sim::events::{SimEvent, TimedEvent};
use drill_engine::sim::params::{Delay, SimParams};
use std::path::{Path, PathBuf};

/// Everyone hears the broadcast, obeys it and leaves at once: the tests then measure
/// the mechanism under test, not the behavioural draws.
pub fn obedient() -> SimParams {
    SimParams {
        broadcast_reach: 1.0,
        comply_broadcast: 1.0,
        leave_delay: Delay::Fixed(0.0),
        ..SimParams::default()
    }
}

/// A participant's action with no resources.
pub fn action(at_s: f64, actor: Actor, work: Work, how: &[Channel]) -> Action {
    Action {
        at_s,
        actor,
        work,
        how: how.to_vec(),
        with: Vec::new(),
        span: Span::default(),
    }
}

/// The folder of the example scenarios.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

/// Example scenario `name` (`scenarios/NAME.drill`), checked, with its heightmap
/// terrain read as `drill run` reads it.
pub fn example(name: &str) -> (Scenario, Option<Raster>) {
    let dir = examples_dir();
    let path = dir.join(format!("{name}.drill"));
    let mut sources = SourceMap::new();
    let main = sources.add(
        path.to_string_lossy().into_owned(),
        io::read_text(&path).unwrap(),
    );
    let scenario = lang::check(&mut sources, main, &io::include_loader)
        .scenario
        .expect("example scenarios check clean");
    let terrain = scenario
        .map
        .terrain
        .as_ref()
        .map(|t| io::load_terrain(t, &dir).unwrap());
    (scenario, terrain)
}

/// The recorder's log of example `name` (`scenarios/NAME.actions.drill`), checked.
pub fn example_log(scenario: &Scenario, name: &str) -> ActionLog {
    let path = examples_dir().join(format!("{name}.actions.drill"));
    let mut sources = SourceMap::new();
    let file = sources.add(
        path.to_string_lossy().into_owned(),
        io::read_text(&path).unwrap(),
    );
    let (log, _) = lang::check_actions(scenario, &sources, file);
    log.expect("example logs check clean")
}

/// A fresh, empty folder under the system's temporary one, named for the test and
/// this process.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drill-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The 竹源 flood example with its inline terrain grid moved to a heightmap file
/// (`dem.asc`, the same elevations) in `dir`, next to the `shared/` file it includes;
/// returns the scenario's path. Runs on it must equal runs on the example.
pub fn flood_on_a_heightmap(dir: &Path) -> PathBuf {
    let text = io::read_text(&examples_dir().join("zhuyuan-flash-flood.drill")).unwrap();
    let open = "terrain grid 100m [";
    let start = text.find(open).expect("the example has an inline grid");
    let end = start + text[start..].find(']').unwrap();
    let rows: Vec<&str> = text[start + open.len()..end]
        .split(';')
        .map(str::trim)
        .collect();
    let cols = rows[0].split_whitespace().count();
    let asc = format!(
        "ncols {cols}\nnrows {}\ncellsize 100\nNODATA_value -9999\n{}\n",
        rows.len(),
        rows.join("\n")
    );
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::write(dir.join("dem.asc"), asc).unwrap();
    std::fs::copy(
        examples_dir().join("shared/county-resources.drill"),
        dir.join("shared/county-resources.drill"),
    )
    .unwrap();
    let path = dir.join("zhuyuan-dem.drill");
    let with_file = format!("{}terrain \"dem.asc\"{}", &text[..start], &text[end + 1..]);
    std::fs::write(&path, with_file).unwrap();
    path
}

/// Each household's arrival at a shelter: (household, time, people).
pub fn arrivals(events: &[TimedEvent]) -> Vec<(u32, f64, u32)> {
    events
        .iter()
        .filter_map(|e| match e.event {
            SimEvent::Arrived {
                household, people, ..
            } => Some((household.0, e.t_s, people)),
            _ => None,
        })
        .collect()
}
