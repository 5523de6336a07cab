//! Shared by `drill run --report`, `drill exercise --report`, `drill batch` and
//! `drill compare`: loading a checked scenario with an optional recorder's log, the
//! report's flags (演练概况 and language), writing the report's four files, and
//! printing a result as JSON or text.

use crate::cli::check::check_file;
use crate::io;
use crate::lang::{self, SourceMap};
use crate::model::{ActionLog, Scenario};
use crate::score::meta::{DrillKind, FieldRecord, Lang, ReportMeta, parse_date};
use crate::score::{ScoreReport, docx, render};
use clap::Args;
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

/// What the signed report says besides the scores (演练概况, 评估组), and its language:
/// flags of `drill run` and `drill exercise`, used with `--report DIR`. What is not
/// given comes from the scenario (title, date, posts and teams) or is left blank to
/// fill in by hand.
#[derive(Args, Debug, Clone, Default)]
pub struct ReportArgs {
    /// Language of the report: zh (Chinese, the default), en, or both
    #[arg(long, default_value = "zh", value_parser = ["zh", "en", "both"])]
    pub lang: String,
    /// 演练名称: the drill's name in the report (default: the scenario's title)
    #[arg(long)]
    pub title: Option<String>,
    /// 演练目的: what the drill was for (default: a sentence naming the plan)
    #[arg(long)]
    pub purpose: Option<String>,
    /// 组织单位: who organised the drill
    #[arg(long)]
    pub organiser: Option<String>,
    /// 演练日期 YYYY-MM-DD: when it was held (default: the scenario's start date)
    #[arg(long = "held-on")]
    pub held_on: Option<String>,
    /// 演练地点: where it was held
    #[arg(long = "held-at")]
    pub held_at: Option<String>,
    /// 演练形式: tabletop (桌面推演) or field (实战演练)
    #[arg(long, value_parser = ["tabletop", "field"])]
    pub kind: Option<String>,
    /// 评估组长: the lead evaluator, who signs the report
    #[arg(long = "lead-evaluator")]
    pub lead_evaluator: Option<String>,
    /// 评估人员: an evaluator (repeat the flag for each)
    #[arg(long = "evaluator")]
    pub evaluators: Vec<String>,
    /// 评估组现场记录: the evaluators' observations and self-assessments filed on
    /// `drill serve` (its .records.jsonl), shown beside the engine's ratings
    #[arg(long)]
    pub records: Option<PathBuf>,
}

/// The records of a `drill serve` record log (one JSON object a line); a line that
/// is not a record is an error naming it.
pub fn parse_records(name: &str, text: &str) -> Result<Vec<FieldRecord>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                format!(
                    "error: {name}:{}: not a record of `drill serve` ({e}) / 不是评估记录",
                    i + 1
                )
            })
        })
        .collect()
}

impl ReportArgs {
    /// The report's language and 演练概况: the scenario's, overridden by the flags;
    /// `default_kind` is what the command knows of the drill (`drill exercise` is a
    /// tabletop drill). A bad `--held-on` date is an error.
    pub fn meta(
        &self,
        scenario: &Scenario,
        default_kind: Option<DrillKind>,
    ) -> Result<(ReportMeta, Lang), String> {
        let mut meta = ReportMeta::from_scenario(scenario);
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                *field = v.to_string();
            }
        };
        set(&mut meta.title, &self.title);
        set(&mut meta.purpose, &self.purpose);
        set(&mut meta.organiser, &self.organiser);
        set(&mut meta.held_at, &self.held_at);
        set(&mut meta.lead_evaluator, &self.lead_evaluator);
        if let Some(d) = &self.held_on {
            meta.held_on = parse_date(d).map_err(|e| format!("--held-on: {e}"))?;
        }
        meta.kind = self
            .kind
            .as_deref()
            .and_then(DrillKind::parse)
            .or(default_kind);
        meta.evaluators = self
            .evaluators
            .iter()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        if let Some(path) = &self.records {
            meta.records = parse_records(&path.display().to_string(), &io::read_text(path)?)?;
        }
        let lang = Lang::parse(&self.lang).unwrap_or_default();
        Ok((meta, lang))
    }
}

/// Writes `report.html`, `report.md`, `report.json` and `report.docx` into `dir`
/// (created if needed), each atomically; returns the paths written.
pub fn write_report(
    dir: &Path,
    report: &ScoreReport,
    meta: &ReportMeta,
    lang: Lang,
) -> Result<Vec<PathBuf>, String> {
    io::ensure_dir(dir)?;
    let files = [
        (
            "report.html",
            render::html_with(report, meta, lang).into_bytes(),
        ),
        (
            "report.md",
            render::markdown_with(report, meta, lang).into_bytes(),
        ),
        ("report.json", render::json_with(report, meta)?.into_bytes()),
        ("report.docx", docx::docx(report, meta, lang)?),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        io::write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
