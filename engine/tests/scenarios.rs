//! The example scenarios under `scenarios/` must check without errors or warnings and be stable
//! under `drill fmt` (formatting is idempotent and keeps the scenario). The test
//! iterates whatever `.drill` files exist there (files holding an `actions` log are
//! skipped), and passes vacuously only when the folder does not exist yet.

use drill_engine::io;
use drill_engine::lang::{self, SourceMap};
use std::path::Path;

#[test]
fn example_scenarios_check_clean_and_are_format_stable() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "drill"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in files {
        let text = io::read_text(&path).unwrap_or_else(|e| panic!("{e}"));
        if text.trim_start().starts_with("actions") || text.trim_start().starts_with("行动记录")
        {
            continue;
        }
        let shown = path.to_string_lossy().replace('\\', "/");
        let mut sources = SourceMap::new();
        let main = sources.add(shown.clone(), text.clone());
        let result = lang::check(&mut sources, main, &io::include_loader);
        // Clean means no warnings either: a trainer's first `drill check` on an example
        // should print nothing to worry about.
        if !result.diagnostics.is_empty() {
            failures.push(format!(
                "{shown} is not clean:\n{}",
                lang::render(&result.diagnostics, &sources)
            ));
            continue;
        }
        let Ok(once) = lang::format(&text) else {
            failures.push(format!("{shown} does not format"));
            continue;
        };
        if lang::format(&once).ok().as_ref() != Some(&once) {
            failures.push(format!("{shown}: formatting is not idempotent"));
        }
        let mut s2 = SourceMap::new();
        let m2 = s2.add(shown.clone(), once);
        let meaning = |s: &Option<drill_engine::model::Scenario>| {
            serde_json::to_string(s).unwrap_or_default()
        };
        if meaning(&lang::check(&mut s2, m2, &io::include_loader).scenario)
            != meaning(&result.scenario)
        {
            failures.push(format!("{shown}: formatting changed the scenario"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
