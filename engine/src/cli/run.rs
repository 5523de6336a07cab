//! `drill run FILE [--seed N] [--actions LOG] [--until 6h] [--events out.ron] [--json]`:
//! checks the scenario, runs the simulation (plan as written, or the recorder's actions
//! when `--actions` is given) and prints a summary: people warned, evacuated and still
//! in danger hour by hour, exposure, shelter occupancy and team utilisation. The run is
//! built by [`crate::sim::setup::build_run`]: the scenario's `hazard
//! flood|fire|chemical` blocks run as physical models on its terrain, alongside the
//! scripted zones.

use crate::hazard::raster::Raster;
use crate::io;
use crate::model::{ActionLog, Scenario};
use crate::sim::Simulation;
use crate::sim::events::{SimEvent, Totals, log_hash};
use crate::sim::setup::{build_run, mode_for};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (.drill)
    pub file: PathBuf,
    /// Random seed (default: the scenario's `seed`)
    #[arg(long)]
    pub seed: Option<u64>,
    /// A recorder's `actions` log: run these actions instead of the plan as written
    #[arg(long)]
    pub actions: Option<PathBuf>,
    /// Stop after this long, e.g. 6h, 90min, 1800s (default: the scenario's duration)
    #[arg(long)]
    pub until: Option<String>,
    /// Write the event log here (RON; JSON when the name ends in .json)
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
    /// Score the run and write report.html, report.md, report.json and report.docx
    /// here (演练评估报告; the plan as written is scored when no --actions is given)
    #[arg(long)]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub report_args: crate::cli::report::ReportArgs,
}

/// Parses `6h`, `90min`, `45m`, `1800s` or a bare number of seconds, up to 30 days
/// (the language's bound on `duration`).
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 6h, 90min or 1800s"))?;
    let factor = match unit.trim() {
        "" | "s" => 1.0,
        "min" | "m" => 60.0,
        "h" => 3600.0,
        other => {
            return Err(format!(
                "unknown time unit `{other}` in `{text}`; use s, min or h"
            ));
        }
    };
    let seconds = value * factor;
    if seconds > crate::limits::MAX_DURATION_S {
        return Err(format!(
            "`{text}` is more than 30 days, the longest drill the engine runs / 超过 30 天"
        ));
    }
    Ok(seconds)
}

/// One row of the hourly table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub t_s: f64,
    pub clock: String,
    #[serde(flatten)]
    pub totals: Totals,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShelterRow {
    pub name: String,
    pub occupancy: u32,
    pub capacity: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamRow {
    pub name: String,
    pub utilisation: f64,
}

/// What `drill run` reports.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Hazard blocks that could not be modelled on this map, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub scenario: String,
    pub seed: u64,
    pub until_s: f64,
    pub population: u32,
    pub events: usize,
    /// FNV-1a of the event log's JSON: equal hashes mean identical runs.
    pub log_hash: String,
    pub actions_accepted: usize,
    pub actions_rejected: usize,
    pub hourly: Vec<Row>,
    pub totals: Totals,
    pub shelters: Vec<ShelterRow>,
    pub teams: Vec<TeamRow>,
}

/// Runs a checked scenario to `until_s` and gathers the report; `on_step` is called
/// with the time after every step (for a progress bar). Its hazard models are built on
/// the inline terrain grid, if any; a scenario with a heightmap file needs
/// [`simulate_on`] with the file read.
pub fn simulate(
    scenario: &Scenario,
    seed: u64,
    log: Option<&ActionLog>,
    until_s: f64,
    on_step: impl FnMut(f64),
) -> Result<(RunReport, Simulation), String> {
    simulate_on(scenario, None, seed, log, until_s, on_step)
}

/// [`simulate`] with the map's terrain as [`io::load_terrain`] read it.
pub fn simulate_on(
    scenario: &Scenario,
    terrain: Option<&Raster>,
    seed: u64,
    log: Option<&ActionLog>,
    until_s: f64,
    mut on_step: impl FnMut(f64),
) -> Result<(RunReport, Simulation), String> {
    let (mut sim, warnings) = build_run(scenario, terrain, seed, mode_for(log), log)?;
    let mut hourly = vec![Row {
        t_s: 0.0,
        clock: scenario.header.start.clock_at(0.0),
        totals: sim.totals(),
    }];
    let mut next_row = 3600.0;
    while sim.time_s() < until_s - 1e-9 {
        sim.step();
        on_step(sim.time_s());
        if sim.time_s() >= next_row - 1e-9 || sim.time_s() >= until_s - 1e-9 {
            let t = sim.time_s();
            hourly.push(Row {
                t_s: t,
                clock: scenario.header.start.clock_at(t),
                totals: sim.totals(),
            });
            next_row += 3600.0;
        }
    }
    let snap = sim.snapshot();
    let events = sim.events();
    let count = |f: fn(&SimEvent) -> bool| events.iter().filter(|e| f(&e.event)).count();
    let report = RunReport {
        warnings,
        scenario: scenario.header.id.clone(),
        seed,
        until_s: sim.time_s(),
        population: scenario.population(),
        events: events.len(),
        log_hash: format!("{:016x}", log_hash(events)),
        actions_accepted: count(|e| matches!(e, SimEvent::ActionAccepted { .. })),
        actions_rejected: count(|e| matches!(e, SimEvent::ActionRejected { .. })),
        hourly,
        totals: snap.totals,
        shelters: snap
            .shelters
            .iter()
            .map(|s| ShelterRow {
                name: scenario.place(s.place).name.clone(),
                occupancy: s.occupancy,
                capacity: s.capacity,
            })
            .collect(),
        teams: snap
            .teams
            .iter()
            .map(|t| TeamRow {
                name: scenario.teams[t.team.index()].name.clone(),
                utilisation: t.utilisation,
            })
            .collect(),
    };
    Ok((report, sim))
}

/// The human-readable summary.
pub fn render(r: &RunReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "drill run: {} (seed {}), {} people, {:.1} h simulated",
        r.scenario,
        r.seed,
        r.population,
        r.until_s / 3600.0
    );
    let _ = writeln!(out, "event log: {} events, hash {}", r.events, r.log_hash);
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    if r.actions_accepted + r.actions_rejected > 0 {
        let _ = writeln!(
            out,
            "actions: {} accepted, {} rejected",
            r.actions_accepted, r.actions_rejected
        );
    }
    let _ = writeln!(
        out,
        "\n  time   warned  evacuated  moving  in danger  exposed  trapped"
    );
    for row in &r.hourly {
        let t = row.totals;
        let _ = writeln!(
            out,
            "  {:>5}  {:>6}  {:>9}  {:>6}  {:>9}  {:>7}  {:>7}",
            row.clock, t.warned, t.evacuated, t.moving, t.in_danger, t.exposed, t.trapped
        );
    }
    let pct = |n: u32| {
        if r.population > 0 {
            100.0 * f64::from(n) / f64::from(r.population)
        } else {
            0.0
        }
    };
    let t = r.totals;
    let _ = writeln!(
        out,
        "\nwarned {} ({:.0} %), evacuated {} ({:.0} %), still in danger {}, exposed {}, trapped {}, rescued {}",
        t.warned,
        pct(t.warned),
        t.evacuated,
        pct(t.evacuated),
        t.in_danger,
        t.exposed,
        t.trapped,
        t.rescued
    );
    if !r.shelters.is_empty() {
        let _ = writeln!(out, "\nshelters:");
        for s in &r.shelters {
            let _ = writeln!(
                out,
                "  {} {:>5} / {}",
                pad(&s.name, 24),
                s.occupancy,
                s.capacity
            );
        }
    }
    if !r.teams.is_empty() {
        let _ = writeln!(out, "\nteams (busy share of the drill):");
        for tm in &r.teams {
            let _ = writeln!(
                out,
                "  {} {:>5.0} %",
                pad(&tm.name, 24),
                100.0 * tm.utilisation
            );
        }
    }
    out
}

/// Pads to a display width: Chinese characters take two terminal columns.
fn pad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn run(args: &RunArgs) -> ExitCode {
    let (scenario, actions) = match crate::cli::report::load(&args.file, args.actions.as_deref()) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let until_s = match args.until.as_deref().map(parse_duration).transpose() {
        Ok(u) => u.unwrap_or(scenario.header.duration_s),
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    // A bad --held-on is refused before the simulation runs, not after.
    let (meta, lang) = match args.report_args.meta(&scenario, None) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let seed = args.seed.unwrap_or(scenario.header.seed);
    let steps = (until_s / scenario.header.step_s.max(1e-9)).ceil().max(1.0) as u64;
    let bar = ProgressBar::new(steps);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} steps {elapsed}") {
        bar.set_style(style);
    }
    let terrain = match io::scenario_terrain(&scenario, &args.file) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let step_s = scenario.header.step_s;
    let result = simulate_on(
        &scenario,
        terrain.as_ref(),
        seed,
        actions.as_ref(),
        until_s,
        |t| bar.set_position((t / step_s).round() as u64),
    );
    bar.finish_and_clear();
    let (report, sim) = match result {
        Ok(x) => x,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.events {
        let json = path.extension().is_some_and(|e| e == "json");
        let text = if json {
            // Names next to indices (`"link": 9, "link_name": "bridge …"`).
            serde_json::to_string_pretty(&crate::sim::timeline::named_events(
                &scenario,
                sim.events(),
            ))
            .map_err(|e| e.to_string())
        } else {
            ron::ser::to_string_pretty(sim.events(), ron::ser::PrettyConfig::default())
                .map_err(|e| e.to_string())
        };
        if let Err(message) = text.and_then(|t| io::write_atomic(path, t.as_bytes())) {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(dir) = &args.report {
        let scored = crate::score::score(&scenario, actions.as_ref(), sim.events());
        match crate::cli::report::write_report(dir, &scored, &meta, lang) {
            Ok(paths) => {
                for p in paths {
                    eprintln!("wrote {}", p.display());
                }
                eprintln!("{} / {}", scored.conclusion.zh, scored.conclusion.en);
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    crate::cli::report::print_json_or_text(&report, args.json, render)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_and_reject_nonsense() {
        assert_eq!(parse_duration("6h"), Ok(21_600.0));
        assert_eq!(parse_duration("90min"), Ok(5_400.0));
        assert_eq!(parse_duration("45m"), Ok(2_700.0));
        assert_eq!(parse_duration("1800"), Ok(1_800.0));
        assert!(parse_duration("6 days").is_err());
        assert!(parse_duration("h").is_err());
        // Issue 19, item 6: `--until 99999999h` ran on without a bound.
        assert_eq!(parse_duration("720h"), Ok(2_592_000.0));
        assert!(
            parse_duration("99999999h")
                .unwrap_err()
                .contains("more than 30 days")
        );
        assert!(parse_duration("721h").is_err());
    }

    #[test]
    fn village_summary_has_an_hourly_table_and_shelters() {
        let scenario = crate::sim::generate::village(1);
        let (report, _) = simulate(&scenario, 7, None, 3.0 * 3600.0, |_| {}).unwrap();
        assert_eq!(report.hourly.len(), 4, "0 h, 1 h, 2 h, 3 h");
        let text = render(&report);
        assert!(text.contains("20:00") && text.contains("23:00"), "{text}");
        assert!(text.contains("村小学避灾点"));
        assert!(
            report
                .hourly
                .windows(2)
                .all(|w| w[0].totals.warned <= w[1].totals.warned)
        );
    }
}
