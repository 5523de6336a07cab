//! `drill batch FILE --runs N [--actions LOG] [--seed BASE] [--json]`: Monte Carlo over
//! seeds on all cores, with a progress bar on stderr when it is a terminal. The terrain
//! is read as `drill run` reads it, so every run is the run `drill run --seed` makes.

use crate::cli::report::load;
use crate::limits::MAX_BATCH_RUNS;
use crate::score::batch::{render, run_batch};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// Scenario file (.drill)
    pub file: PathBuf,
    /// Number of runs (seeds), 1 to 100000
    #[arg(long, default_value_t = 100)]
    pub runs: u32,
    /// A recorder's `actions` log replayed in every run (default: the plan as written)
    #[arg(long)]
    pub actions: Option<PathBuf>,
    /// Base seed the runs' seeds derive from (default: the scenario's `seed`)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print the distribution as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &BatchArgs) -> ExitCode {
    if !(1..=MAX_BATCH_RUNS).contains(&args.runs) {
        eprintln!(
            "error: --runs must be between 1 and {MAX_BATCH_RUNS} (a distribution settles within a few hundred runs)"
        );
        return ExitCode::from(2);
    }
    let (scenario, actions) = match load(&args.file, args.actions.as_deref()) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let terrain = match crate::io::scenario_terrain(&scenario, &args.file) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let base = args.seed.unwrap_or(scenario.header.seed);
    let bar = ProgressBar::new(u64::from(args.runs));
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {elapsed} (eta {eta})")
    {
        bar.set_style(style);
    }
    let result = run_batch(
        &scenario,
        terrain.as_ref(),
        actions.as_ref(),
        args.runs,
        base,
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    let report = match result {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    crate::cli::report::print_json_or_text(&report, args.json, render)
}
