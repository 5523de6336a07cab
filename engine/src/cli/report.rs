//! Shared by `drill run --report` and `drill batch`: loading a checked scenario with an
//! optional recorder's log, and writing the after-action report's three files.

use crate::cli::check::check_file;
use crate::io;
use crate::lang::{self, SourceMap};
use crate::model::{ActionLog, Scenario};
use crate::score::{ScoreReport, render};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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
