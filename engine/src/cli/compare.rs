//! `drill compare REPORT.json...`: a village's drills across years side by side.

use crate::io;
use crate::score::ScoreReport;
use crate::score::compare::{compare_held, render};
use crate::score::meta::ReportMeta;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// `report.json` files written by `drill run --report` (any order; sorted by date)
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Print the comparison as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &CompareArgs) -> ExitCode {
    let mut reports = Vec::new();
    for path in &args.reports {
        let parsed = io::read_text(path).and_then(|text| {
            read_report(&text).map_err(|e| {
                format!(
                    "{} is not a drill report (report.json from `drill run --report`): {e}",
                    path.display()
                )
            })
        });
        match parsed.and_then(|(r, held)| Ok((plausible(path, r)?, held))) {
            Ok(r) => reports.push(r),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let comparison = compare_held(&reports);
    crate::cli::report::print_json_or_text(&comparison, args.json, render)
}

/// A `report.json`: the report, and the date the drill was held from its 演练概况
/// (`meta`, absent in reports written before it).
fn read_report(text: &str) -> Result<(ScoreReport, Option<String>), serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_str(text)?;
    let meta = value
        .as_object_mut()
        .and_then(|m| m.remove("meta"))
        .and_then(|m| serde_json::from_value::<ReportMeta>(m).ok());
    let report = serde_json::from_value(value)?;
    Ok((report, meta.map(|m| m.held_on)))
}

/// A report's total and pass mark are scores out of 100: a file with other values was
/// not written by `drill run --report` (or was edited by hand), and comparing it
/// would print nonsense.
fn plausible(path: &std::path::Path, r: ScoreReport) -> Result<ScoreReport, String> {
    for (what, value) in [("total", r.total), ("pass mark", r.pass_score)] {
        if !(0.0..=100.0).contains(&value) {
            return Err(format!(
                "{}: its {what} {value:.1e} is not a score from 0 to 100; it is not a report `drill run --report` writes / 报告中的分数无效",
                path.display()
            ));
        }
    }
    Ok(r)
}
