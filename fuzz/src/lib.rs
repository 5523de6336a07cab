//! What the fuzz targets share: the 竹源村 example scenario that action logs and
//! typed lines are checked against, checked once per process.

use drill_engine::lang::{self, SourceMap};
use drill_engine::model::Scenario;
use std::sync::OnceLock;

/// The example scenario `scenarios/zhuyuan-flash-flood.drill`, built in.
pub fn scenario() -> &'static Scenario {
    static SCENARIO: OnceLock<Scenario> = OnceLock::new();
    SCENARIO.get_or_init(|| {
        let mut sources = SourceMap::new();
        let main = sources.add(
            "scenarios/zhuyuan-flash-flood.drill",
            include_str!("../../scenarios/zhuyuan-flash-flood.drill"),
        );
        let shared = |_: &str| {
            Ok(include_str!("../../scenarios/shared/county-resources.drill").to_string())
        };
        lang::check(&mut sources, main, &shared)
            .scenario
            .expect("the example checks")
    })
}
