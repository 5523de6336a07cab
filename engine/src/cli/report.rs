//! Shared by `drill run --report`, `drill batch` and `drill compare`: loading a checked
//! scenario with an optional recorder's log, writing the after-action report's three
//! files, and printing a result as JSON or text.

use crate::cli::check::check_file;
use crate::io;
use crate::lang::{self, SourceMap};
use crate::model::{ActionLog, Scenario};
use crate::score::{ScoreReport, render};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Prints `value` as pretty JSON (`--json`) or as `text` renders it, the last step of
/// `drill run`, `drill batch` and `drill compare`.
pub fn print_json_or_text<T: serde::Serialize>(
    value: &T,
    json: bool,
    text: impl FnOnce(&T) -> String,
) -> ExitCode {
    if json {
        match serde_json::to_string_pretty(value) {
            Ok(t) => println!("{t}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", text(value));
    }
    ExitCode::SUCCESS
}

/// Checks the scenario (errors rendered as by `drill check`) and reads the log.
pub fn load(file: &Path, actions: Option<&Path>) -> Result<(Scenario, Option<ActionLog>), String> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (sources, result) = check_file(file)?;
    let has_errors = result.has_errors();
    let Some(scenario) = result.scenario.filter(|_| !has_errors) else {
        return Err(lang::diagnostic::render_with(
            &result.diagnostics,
            &sources,
            color,
        ));
    };
    let Some(path) = actions else {
        return Ok((scenario, None));
    };
    let text = io::read_text(path)?;
    let mut sources = SourceMap::new();
    let id = sources.add(path.display().to_string(), text);
    let (log, diags) = lang::check_actions(&scenario, &sources, id);
    match log {
        Some(log) => Ok((scenario, Some(log))),
        None => Err(lang::diagnostic::render_with(&diags, &sources, color)),
    }
}

/// Writes `report.html`, `report.md` and `report.json` into `dir` (created if
/// needed), each atomically; returns the paths written.
pub fn write_report(dir: &Path, report: &ScoreReport) -> Result<Vec<PathBuf>, String> {
    io::ensure_dir(dir)?;
    let files = [
        ("report.html", render::html(report)),
        ("report.md", render::markdown(report)),
        ("report.json", render::json(report)?),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        io::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
