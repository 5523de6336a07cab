//! `drill batch` simulates what `drill run` simulates (issue 17, item 5): on the 竹源
//! flash flood, whose `hazard flood` block runs as a physical model, every run that
//! `drill batch --json` lists is reproduced by `drill run --seed` with the same event
//! log, total, pass and per-task ratings, for the plan as written and for the
//! recorder's log, on the example and under a storm heavy enough for the flood model to
//! change the score.

use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::temp_dir;

const FLOOD: &str = "zhuyuan-flash-flood.drill";
const FLOOD_LOG: &str = "zhuyuan-flash-flood.actions.drill";

fn example(name: &str) -> PathBuf {
    common::examples_dir().join(name)
}

/// Runs `drill ARGS` and returns its standard output, failing on a non-zero exit.
fn drill<S: AsRef<OsStr> + std::fmt::Debug>(args: &[S]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_drill"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "drill {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `drill batch --runs 3 --json` on `scenario`, then `drill run --seed S --report DIR`
/// for each run's seed: the report's event-log hash, total, pass and ratings equal the
/// batch's. Returns the batch's totals.
fn batch_runs_are_reproduced_by_drill_run(
    scenario: &Path,
    actions: Option<&Path>,
    name: &str,
) -> Vec<f64> {
    let with_log = |mut args: Vec<OsString>| {
        if let Some(log) = actions {
            args.push("--actions".into());
            args.push(log.into());
        }
        args
    };
    let batch: Value = serde_json::from_slice(&drill(&with_log(vec![
        "batch".into(),
        scenario.into(),
        "--runs".into(),
        "3".into(),
        "--seed".into(),
        "11".into(),
        "--json".into(),
    ])))
    .unwrap();
    assert_eq!(batch["run_count"], 3);
    assert!(
        batch.get("warnings").is_none(),
        "the flood is modelled: {}",
        batch["warnings"]
    );
    let runs = batch["runs"].as_array().expect("`runs` lists every run");
    assert_eq!(runs.len(), 3);
    let dir = temp_dir(name);
    for (i, run) in runs.iter().enumerate() {
        let seed = run["seed"].as_u64().unwrap().to_string();
        let out = dir.join(format!("run{i}"));
        drill(&with_log(vec![
            "run".into(),
            scenario.into(),
            "--seed".into(),
            seed.clone().into(),
            "--report".into(),
            out.clone().into(),
        ]));
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        assert_eq!(report["seed"].as_u64().unwrap().to_string(), seed);
        assert_eq!(
            report["log_hash"], run["log_hash"],
            "event log of seed {seed}"
        );
        // Exactly equal, not within a tolerance: the same run, scored the same way.
        assert_eq!(report["total"], run["total"], "total of seed {seed}");
        assert_eq!(report["passed"], run["passed"], "pass of seed {seed}");
        let ratings: Vec<&Value> = report["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| &t["rating"])
            .collect();
        let listed: Vec<&Value> = run["ratings"].as_array().unwrap().iter().collect();
        assert_eq!(ratings, listed, "ratings of seed {seed}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    runs.iter().map(|r| r["total"].as_f64().unwrap()).collect()
}

#[test]
fn batch_runs_of_the_plan_are_the_runs_of_drill_run() {
    batch_runs_are_reproduced_by_drill_run(&example(FLOOD), None, "batch-plan");
}

#[test]
fn batch_runs_of_the_recorders_log_are_the_runs_of_drill_run() {
    batch_runs_are_reproduced_by_drill_run(
        &example(FLOOD),
        Some(&example(FLOOD_LOG)),
        "batch-actions",
    );
}

/// The example's `hazard flood` block with every rain and inflow rate times `factor`
/// (`3h 85` becomes `3h 340`), or without the block when `factor` is `None`.
fn storm(text: &str, factor: Option<f64>) -> String {
    let start = text
        .find("hazard flood {")
        .expect("the example has a flood model");
    let end = start + text[start..].find('}').unwrap() + 1;
    let Some(factor) = factor else {
        return format!("{}{}", &text[..start], &text[end..]);
    };
    let mut block = String::new();
    let mut after_time = false;
    for word in text[start..end].split_inclusive(' ') {
        let value = word.trim_end_matches([' ', ',', ']', '\n']);
        match value.parse::<f64>() {
            Ok(v) if after_time => {
                block.push_str(&format!("{}{}", v * factor, &word[value.len()..]));
            }
            _ => block.push_str(word),
        }
        let time = value.trim_start_matches('[');
        after_time = time.ends_with('h') && time[..time.len() - 1].parse::<f64>().is_ok();
    }
    format!("{}{block}{}", &text[..start], &text[end..])
}

/// In the example the flood model changes the event log but no score (the scripted
/// zones carry the danger), so a storm four times as heavy, whose water cuts the valley
/// off, is where a batch without the model would give other totals: the same storm
/// without its `hazard flood` block scores differently, and batch and run still agree.
#[test]
fn under_a_heavier_storm_batch_and_run_agree_and_the_model_counts() {
    let dir = temp_dir("batch-storm");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::copy(
        example("shared/county-resources.drill"),
        dir.join("shared/county-resources.drill"),
    )
    .unwrap();
    let text = std::fs::read_to_string(example(FLOOD)).unwrap();
    let heavy = dir.join("heavy.drill");
    std::fs::write(&heavy, storm(&text, Some(4.0))).unwrap();
    assert!(
        std::fs::read_to_string(&heavy).unwrap().contains("3h 340,"),
        "the rain is scaled"
    );
    let scripted = dir.join("scripted.drill");
    std::fs::write(&scripted, storm(&text, None)).unwrap();
    let with_model = batch_runs_are_reproduced_by_drill_run(&heavy, None, "batch-heavy");
    let without: Value = serde_json::from_slice(&drill(&[
        "batch".as_ref(),
        scripted.as_os_str(),
        "--runs".as_ref(),
        "3".as_ref(),
        "--seed".as_ref(),
        "11".as_ref(),
        "--json".as_ref(),
    ] as &[&OsStr]))
    .unwrap();
    let without: Vec<f64> = without["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["total"].as_f64().unwrap())
        .collect();
    assert!(
        with_model.iter().zip(&without).all(|(a, b)| a < b),
        "the heavy storm's flood costs points in every run: {with_model:?} vs {without:?}"
    );
    batch_runs_are_reproduced_by_drill_run(&heavy, Some(&example(FLOOD_LOG)), "batch-heavy-log");
    let _ = std::fs::remove_dir_all(&dir);
}
