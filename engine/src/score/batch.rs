//! `drill batch` — Monte Carlo over seeds: the same scenario (and action log) run with
//! many seeds, each run scored, and the distribution of the total score, the pass rate,
//! each task's ratings and the reasons the weakest tasks fail.
//!
//! Each run is built by [`crate::sim::setup::build_run`], as `drill run` builds its
//! run, physical hazard models included, so `drill run --seed S` reproduces the run of
//! seed `S` exactly (its total is listed in [`BatchReport::runs`]).
//!
//! Run `i` uses the seed `seed_for(base, i)`, and results are gathered in run order
//! (rayon's indexed `collect`), so the report is identical whatever the number of
//! threads.

use super::{Rating, ReasonCode, ScoreReport, Text, round1};
use crate::hazard::raster::Raster;
use crate::limits::MAX_BATCH_RUNS;
use crate::model::{ActionLog, Scenario};
use crate::sim::events::TimedEvent;
use crate::sim::setup::{build_run, mode_for};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The seed of run `i` of a batch: SplitMix64 of the base and the index, so nearby
/// bases do not share runs.
pub fn seed_for(base: u64, i: u32) -> u64 {
    let mut z = base ^ u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Simulates one run to the scenario's end, as `drill run` does: the plan as written,
/// or the log's actions, on `terrain` (see [`build_run`]).
pub fn simulate(
    scenario: &Scenario,
    terrain: Option<&Raster>,
    actions: Option<&ActionLog>,
    seed: u64,
) -> Result<Vec<TimedEvent>, String> {
    simulate_with_warnings(scenario, terrain, actions, seed).map(|(events, _)| events)
}

/// [`simulate`], with the hazard blocks that could not be modelled.
fn simulate_with_warnings(
    scenario: &Scenario,
    terrain: Option<&Raster>,
    actions: Option<&ActionLog>,
    seed: u64,
) -> Result<(Vec<TimedEvent>, Vec<String>), String> {
    let (mut sim, warnings) = build_run(scenario, terrain, seed, mode_for(actions), actions)?;
    sim.run_to_end();
    Ok((sim.events().to_vec(), warnings))
}

/// One run, reduced to what the distribution needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub seed: u64,
    /// The run's event-log hash, as `drill run` prints it.
    pub log_hash: String,
    pub total: f64,
    pub passed: bool,
    pub ratings: Vec<Option<Rating>>,
    /// Per task, the reasons (code and text) behind a rating below P.
    pub reasons: Vec<Vec<(ReasonCode, Text)>>,
    pub outcomes: Vec<(f64, bool)>,
}

impl RunSummary {
    fn of(r: &ScoreReport) -> RunSummary {
        RunSummary {
            seed: r.seed,
            log_hash: r.log_hash.clone(),
            total: r.total,
            passed: r.passed,
            ratings: r.tasks.iter().map(|t| t.rating).collect(),
            reasons: r
                .tasks
                .iter()
                .map(|t| {
                    t.reasons
                        .iter()
                        .map(|x| (x.code, Text::new(x.zh.clone(), x.en.clone())))
                        .collect()
                })
                .collect(),
            outcomes: r
                .outcomes
                .targets
                .iter()
                .map(|o| (o.value_percent, o.met))
                .collect(),
        }
    }
}

/// Percentiles of a sample (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Distribution {
    pub mean: f64,
    pub min: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub max: f64,
}

impl Distribution {
    pub fn of(values: &[f64]) -> Distribution {
        if values.is_empty() {
            return Distribution::default();
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let k = ((p / 100.0) * v.len() as f64).ceil() as usize;
            v[k.clamp(1, v.len()) - 1]
        };
        Distribution {
            mean: round1(v.iter().sum::<f64>() / v.len() as f64),
            min: v[0],
            p5: rank(5.0),
            p25: rank(25.0),
            p50: rank(50.0),
            p75: rank(75.0),
            p95: rank(95.0),
            max: v[v.len() - 1],
        }
    }
}

/// A reason and how many runs gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub code: ReasonCode,
    pub runs: u32,
    /// The first run's wording, as an example.
    pub example: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDistribution {
    pub id: String,
    pub title: String,
    /// Runs rated P, S, M, U, and not scored.
    pub p: u32,
    pub s: u32,
    pub m: u32,
    pub u: u32,
    pub not_scored: u32,
    pub reasons: Vec<ReasonCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeDistribution {
    pub name: Text,
    pub target_percent: Option<f64>,
    pub value: Distribution,
    /// Share of runs meeting the target, percent.
    pub met_rate: f64,
}

/// One run of a batch as `drill batch --json` lists it: `drill run --seed SEED` (with
/// the same `--actions`) gives the same total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    pub seed: u64,
    /// The event log's hash: equal to `drill run --seed SEED`'s, the same run.
    pub log_hash: String,
    pub total: f64,
    pub passed: bool,
    /// Per plan task, in the order of [`BatchReport::tasks`]; `null` when not scored.
    pub ratings: Vec<Option<Rating>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchReport {
    /// Hazard blocks that could not be modelled on this map, and why (as `drill run`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub scenario_id: String,
    pub mode: String,
    /// How many runs were made.
    pub run_count: u32,
    pub base_seed: u64,
    pub total: Distribution,
    /// Share of runs that pass, percent.
    pub pass_rate: f64,
    pub tasks: Vec<TaskDistribution>,
    /// Task ids, most often rated M or U first (only those that ever were).
    pub most_failed: Vec<String>,
    pub outcomes: Vec<OutcomeDistribution>,
    /// Every run, in run order.
    pub runs: Vec<RunRow>,
}

/// Runs gathered per parallel round: the memory a batch holds grows with the runs
/// done, never with the runs asked for up front.
const ROUND: u32 = 1024;

/// Runs and scores `runs` seeds (at most [`MAX_BATCH_RUNS`]) in parallel on rayon's
/// current pool, each on `terrain` (the map's terrain as [`crate::io::load_terrain`]
/// read it; see [`build_run`]). `tick` is called once per finished run (for a
/// progress bar).
pub fn run_batch(
    scenario: &Scenario,
    terrain: Option<&Raster>,
    actions: Option<&ActionLog>,
    runs: u32,
    base_seed: u64,
    tick: &(dyn Fn() + Sync),
) -> Result<BatchReport, String> {
    if runs > MAX_BATCH_RUNS {
        return Err(format!("at most {MAX_BATCH_RUNS} runs, not {runs}"));
    }
    let mut all = Vec::new();
    let mut first = None;
    for start in (0..runs).step_by(ROUND as usize) {
        type Done = (RunSummary, Option<(ScoreReport, Vec<String>)>);
        let round: Vec<Result<Done, String>> = (start..runs.min(start + ROUND))
            .into_par_iter()
            .map(|i| {
                let seed = seed_for(base_seed, i);
                let (events, warnings) = simulate_with_warnings(scenario, terrain, actions, seed)?;
                let report = super::score(scenario, actions, &events);
                tick();
                // The first run's report names the tasks and outcome metrics; the
                // hazard warnings are the same in every run.
                Ok((
                    RunSummary::of(&report),
                    (i == 0).then_some((report, warnings)),
                ))
            })
            .collect();
        for s in round {
            let (summary, report) = s?;
            if first.is_none() {
                first = report;
            }
            all.push(summary);
        }
    }
    let (first, warnings) = first.unzip();
    let mut report = aggregate(scenario, &all, first.as_ref(), base_seed, actions.is_some());
    report.warnings = warnings.unwrap_or_default();
    Ok(report)
}

/// The distribution over runs (pure; in run order).
pub fn aggregate(
    scenario: &Scenario,
    runs: &[RunSummary],
    first: Option<&ScoreReport>,
    base_seed: u64,
    with_actions: bool,
) -> BatchReport {
    let n = runs.len().max(1) as f64;
    let totals: Vec<f64> = runs.iter().map(|r| r.total).collect();
    let tasks: Vec<TaskDistribution> = scenario
        .plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let mut d = TaskDistribution {
                id: task.id.clone(),
                title: task.title.clone(),
                p: 0,
                s: 0,
                m: 0,
                u: 0,
                not_scored: 0,
                reasons: Vec::new(),
            };
            let mut reasons: BTreeMap<ReasonCode, ReasonCount> = BTreeMap::new();
            for r in runs {
                match r.ratings.get(i).copied().flatten() {
                    Some(Rating::P) => d.p += 1,
                    Some(Rating::S) => d.s += 1,
                    Some(Rating::M) => d.m += 1,
                    Some(Rating::U) => d.u += 1,
                    None => d.not_scored += 1,
                }
                let mut seen = Vec::new();
                for (code, text) in r.reasons.get(i).into_iter().flatten() {
                    if seen.contains(code) {
                        continue;
                    }
                    seen.push(*code);
                    reasons
                        .entry(*code)
                        .or_insert_with(|| ReasonCount {
                            code: *code,
                            runs: 0,
                            example: text.clone(),
                        })
                        .runs += 1;
                }
            }
            d.reasons = reasons.into_values().collect();
            d.reasons
                .sort_by(|a, b| b.runs.cmp(&a.runs).then(a.code.cmp(&b.code)));
            d
        })
        .collect();
    let mut failing: Vec<(u32, usize)> = tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.m + t.u > 0)
        .map(|(i, t)| (t.m + t.u, i))
        .collect();
    failing.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let outcomes = first
        .map(|f| {
            f.outcomes
                .targets
                .iter()
                .enumerate()
                .map(|(k, o)| {
                    let values: Vec<f64> = runs
                        .iter()
                        .filter_map(|r| r.outcomes.get(k).map(|x| x.0))
                        .collect();
                    let met = runs
                        .iter()
                        .filter(|r| r.outcomes.get(k).is_some_and(|x| x.1))
                        .count();
                    OutcomeDistribution {
                        name: o.name.clone(),
                        target_percent: o.target_percent,
                        value: Distribution::of(&values),
                        met_rate: round1(100.0 * met as f64 / n),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    BatchReport {
        warnings: Vec::new(),
        scenario_id: scenario.header.id.clone(),
        mode: if with_actions { "actions" } else { "plan" }.into(),
        run_count: runs.len() as u32,
        base_seed,
        total: Distribution::of(&totals),
        pass_rate: round1(100.0 * runs.iter().filter(|r| r.passed).count() as f64 / n),
        most_failed: failing.iter().map(|(_, i)| tasks[*i].id.clone()).collect(),
        tasks,
        outcomes,
        runs: runs
            .iter()
            .map(|r| RunRow {
                seed: r.seed,
                log_hash: r.log_hash.clone(),
                total: r.total,
                passed: r.passed,
                ratings: r.ratings.clone(),
            })
            .collect(),
    }
}

/// The batch report as text for the terminal.
pub fn render(b: &BatchReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let t = &b.total;
    let _ = writeln!(
        out,
        "drill batch: {} ({}), {} runs from base seed {}",
        b.scenario_id,
        if b.mode == "actions" {
            "recorded actions"
        } else {
            "plan as written"
        },
        b.run_count,
        b.base_seed
    );
    for w in &b.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let _ = writeln!(
        out,
        "总分 total score: mean {:.1}, min {:.1}, p5 {:.1}, p25 {:.1}, median {:.1}, p75 {:.1}, p95 {:.1}, max {:.1}",
        t.mean, t.min, t.p5, t.p25, t.p50, t.p75, t.p95, t.max
    );
    let _ = writeln!(out, "合格率 pass rate: {:.1} %\n", b.pass_rate);
    let _ = writeln!(out, "  task      P     S     M     U   n/a  title");
    for d in &b.tasks {
        let _ = writeln!(
            out,
            "  {:<6} {:>5} {:>5} {:>5} {:>5} {:>5}  {}",
            d.id, d.p, d.s, d.m, d.u, d.not_scored, d.title
        );
    }
    if !b.outcomes.is_empty() {
        let _ = writeln!(
            out,
            "\n结果指标 outcomes (median, p5–p95, share of runs meeting the target):"
        );
        for o in &b.outcomes {
            let _ = writeln!(
                out,
                "  {} / {}: {:.1} % ({:.1}–{:.1}), met in {:.1} % of runs",
                o.name.zh, o.name.en, o.value.p50, o.value.p5, o.value.p95, o.met_rate
            );
        }
    }
    if b.most_failed.is_empty() {
        let _ = writeln!(out, "\nno task was rated M or U in any run");
    } else {
        let _ = writeln!(
            out,
            "\n最常失分的任务 tasks most often rated M or U, and why:"
        );
        for id in b.most_failed.iter().take(5) {
            let Some(d) = b.tasks.iter().find(|t| &t.id == id) else {
                continue;
            };
            let _ = writeln!(
                out,
                "  {} {}: {} of {} runs",
                d.id,
                d.title,
                d.m + d.u,
                b.run_count
            );
            for r in d.reasons.iter().take(3) {
                let _ = writeln!(
                    out,
                    "    {:>5} runs  {} / {}",
                    r.runs, r.example.zh, r.example.en
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        let d = Distribution::of(&v);
        assert_eq!(
            (d.min, d.p5, d.p25, d.p50, d.p95, d.max),
            (1.0, 1.0, 5.0, 10.0, 19.0, 20.0)
        );
        assert_eq!(d.mean, 10.5);
        assert_eq!(Distribution::of(&[]), Distribution::default());
    }

    proptest::proptest! {
        #[test]
        fn percentiles_are_ordered_and_within_the_sample(
            v in proptest::collection::vec(0.0f64..100.0, 1..200)
        ) {
            let d = Distribution::of(&v);
            let ordered = [d.min, d.p5, d.p25, d.p50, d.p75, d.p95, d.max];
            proptest::prop_assert!(ordered.windows(2).all(|w| w[0] <= w[1]));
            proptest::prop_assert!(ordered.iter().all(|x| v.contains(x)));
            proptest::prop_assert!(d.mean >= d.min - 0.05 && d.mean <= d.max + 0.05);
        }
    }

    #[test]
    fn run_seeds_differ_by_index_and_base() {
        let seeds: Vec<u64> = (0..100).map(|i| seed_for(7, i)).collect();
        let mut unique = seeds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 100);
        assert_ne!(seed_for(7, 1), seed_for(8, 0));
    }
}
