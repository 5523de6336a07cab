//! `drill check FILE...`: parse and validate scenarios and recorders' action logs,
//! print every diagnostic. A file whose first block is `actions <id>` (行动记录) is a log:
//! it is checked against the scenario with that id, taken from `--scenario`, from the
//! other files given, or from the `.drill` files in the log's own folder.
//!
//! Exit codes: 0 clean (warnings allowed), 1 when any file has errors, 2 when a
//! file cannot be read or the arguments are wrong.

use crate::io;
use crate::lang::validate::TerrainExtent;
use crate::lang::{self, SourceMap};
use crate::model::{Scenario, TerrainSource};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// ariadne reports: file:line:col, the source line, a caret, what to do.
    Text,
    /// A JSON array of {file, line, col, end_line, end_col, severity, code, message_zh, message_en, help}.
    Json,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Scenario files (.drill) to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// The scenario that action logs among FILES belong to (default: found by its id).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Also print each clean scenario's timeline: when the hazard (run without
    /// actions) reaches each place, road and zone, and when each plan task and inject
    /// is due, sorted by time / 时间线预览. Diagnostics then go to stderr as text.
    #[arg(long)]
    pub timeline: bool,
    /// With --timeline: the timeline as JSON (an array of {t_s, clock, kind, object,
    /// name, what}).
    #[arg(long, requires = "timeline")]
    pub json: bool,
}

/// Reads and checks one file; `Err` when the file itself cannot be read.
pub fn check_file(path: &std::path::Path) -> Result<(SourceMap, lang::CheckResult), String> {
    Ok(check_text_of(path, io::read_decoded(path)?))
}

/// Checks a file's text, already read, and its heightmap file if the map has one;
/// a file not in UTF-8 gets W0011 naming the encoding it was read in.
fn check_text_of(path: &Path, decoded: io::Decoded) -> (SourceMap, lang::CheckResult) {
    let mut sources = SourceMap::new();
    let main = sources.add(path.to_string_lossy().replace('\\', "/"), decoded.text);
    let mut result = lang::check(&mut sources, main, &io::Includes);
    check_heightmap_file(&mut result, parent_or_dot(path));
    check_basemap_file(&mut result, parent_or_dot(path));
    if let Some(encoding) = decoded.encoding {
        lang::note_encoding(&mut result, main, encoding);
    }
    (sources, result)
}

/// The folder of a file as given, `.` for a bare file name (whose parent is "").
fn parent_or_dot(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Reads a clean scenario's heightmap file (relative to `scenario_dir`, as `drill run`
/// reads it) and checks the map against its extent ([`lang::check_heightmap`]): a
/// shelter or river off it is W0007, an inflow that cannot enter it E0409, a file that
/// cannot be read E0153.
pub fn check_heightmap_file(result: &mut lang::CheckResult, scenario_dir: &Path) {
    let Some(terrain) = result
        .scenario
        .as_ref()
        .and_then(|s| s.map.terrain.as_ref())
    else {
        return;
    };
    if !matches!(terrain.source, TerrainSource::File { .. }) {
        return;
    }
    let loaded = io::load_terrain(terrain, scenario_dir).map(|raster| TerrainExtent {
        cols: raster.cols,
        rows: raster.rows,
        cell_m: raster.cell_m,
    });
    lang::check_heightmap(result, loaded);
}

/// Reads a clean scenario's basemap image header and world file (relative to
/// `scenario_dir`, as the editor reads them): E0154 when they cannot be read.
pub fn check_basemap_file(result: &mut lang::CheckResult, scenario_dir: &Path) {
    let Some(basemap) = result
        .scenario
        .as_ref()
        .and_then(|s| s.map.basemap.as_ref())
    else {
        return;
    };
    let loaded = io::load_basemap(basemap, scenario_dir).map(|_| ());
    lang::check_basemap(result, loaded);
}

/// Finds and checks the scenario an action log belongs to: `--scenario`, else a file
/// among `given` with that id, else a scenario with that id in the log's folder.
fn scenario_for_log(
    id: &str,
    log: &Path,
    explicit: Option<&Path>,
    given: &[PathBuf],
) -> Result<Scenario, String> {
    let clean = |path: &Path| -> Option<Scenario> {
        let (_, result) = check_file(path).ok()?;
        result.scenario
    };
    if let Some(path) = explicit {
        return clean(path)
            .ok_or_else(|| format!("the scenario {} has errors; check it first", path.display()));
    }
    let folder = parent_or_dot(log);
    let nearby = io::list_files(folder, "drill").unwrap_or_default();
    for path in given.iter().chain(&nearby) {
        if path.as_path() == log {
            continue;
        }
        let Ok(io::Decoded { text, .. }) = io::read_decoded(path) else {
            continue;
        };
        if lang::action_log_scenario_id(&text).is_some() || !text.contains(id) {
            continue;
        }
        if let Some(scenario) = clean(path)
            && scenario.header.id == id
        {
            return Ok(scenario);
        }
    }
    Err(format!(
        "{}: no error-free scenario with id `{id}` among the files given or in {}; name it with --scenario FILE",
        log.display(),
        folder.display()
    ))
}

/// Checks an action log against its scenario.
fn check_log(
    path: &Path,
    decoded: io::Decoded,
    id: &str,
    args: &CheckArgs,
) -> Result<(SourceMap, Vec<lang::Diagnostic>), String> {
    let scenario = scenario_for_log(id, path, args.scenario.as_deref(), &args.files)?;
    let mut sources = SourceMap::new();
    let file = sources.add(path.to_string_lossy().replace('\\', "/"), decoded.text);
    let (_, mut diagnostics) = lang::check_actions(&scenario, &sources, file);
    if let Some(encoding) = decoded.encoding {
        diagnostics.insert(0, lang::encoding_warning(file, encoding));
    }
    Ok((sources, diagnostics))
}

/// What one input turned out to be, after a first pass over all of them.
enum Input {
    /// Checked: its sources and diagnostics.
    Checked(SourceMap, Vec<lang::Diagnostic>),
    /// A shared file (no `scenario` block) that another input includes; it is
    /// validated as part of that scenario, not alone.
    IncludedBy(PathBuf),
    Unreadable(String),
}

/// Directories given on the command line stand for the `.drill` files under them; a
/// file named on the command line is checked whatever its name ends in.
fn expand(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in files {
        if path.is_dir() {
            out.extend(io::list_files_recursive(path, "drill").unwrap_or_default());
        } else {
            out.push(path.clone());
        }
    }
    out
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let files = expand(&args.files);
    // Pass 1: check scenarios and logs; note which files the scenarios include.
    let mut inputs: Vec<Input> = Vec::new();
    let mut included: Vec<(PathBuf, PathBuf)> = Vec::new(); // (included file, by)
    let mut clean: Vec<(PathBuf, Scenario)> = Vec::new(); // for --timeline
    for path in &files {
        let decoded = match io::read_decoded(path) {
            Ok(d) => d,
            Err(e) => {
                inputs.push(Input::Unreadable(e));
                continue;
            }
        };
        let checked = match lang::action_log_scenario_id(&decoded.text) {
            Some(id) => check_log(path, decoded, &id, args),
            None => {
                let (sources, r) = check_text_of(path, decoded);
                for source in sources.files.iter().skip(1) {
                    if let Some(p) = io::canonical(Path::new(&source.path)) {
                        included.push((p, path.clone()));
                    }
                }
                if args.timeline
                    && let Some(scenario) = r.scenario
                {
                    clean.push((path.clone(), scenario));
                }
                Ok((sources, r.diagnostics))
            }
        };
        inputs.push(match checked {
            Ok((sources, diagnostics)) => Input::Checked(sources, diagnostics),
            Err(e) => Input::Unreadable(e),
        });
    }
    // Pass 2: a file that fails only for lacking a `scenario` block and that another
    // input includes is a shared file, fine as it is.
    for (path, input) in files.iter().zip(inputs.iter_mut()) {
        let Input::Checked(_, diagnostics) = input else {
            continue;
        };
        let lacks_only_scenario = diagnostics.iter().any(|d| d.code == "E0123")
            && !diagnostics
                .iter()
                .any(|d| d.is_error() && d.code != "E0123");
        let me = io::canonical(path);
        if let Some((_, by)) = included
            .iter()
            .find(|(p, _)| lacks_only_scenario && Some(p) == me.as_ref())
        {
            *input = Input::IncludedBy(by.clone());
        }
    }
    let code = report(args, &files, inputs);
    if args.timeline {
        for (path, scenario) in &clean {
            if let Err(e) = print_timeline(path, scenario, args.json) {
                eprintln!("error: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    code
}

/// `--timeline`: runs the scenario's hazard without actions (on its terrain, with its
/// seed) and prints the timeline ([`crate::sim::timeline`]).
fn print_timeline(path: &Path, scenario: &Scenario, json: bool) -> Result<(), String> {
    use crate::sim::timeline;
    use std::io::Write;
    let terrain = io::scenario_terrain(scenario, path)?;
    let entries = timeline::of_scenario(scenario, terrain.as_ref())?;
    let text = if json {
        serde_json::to_string_pretty(&entries).map_err(|e| e.to_string())? + "\n"
    } else {
        timeline::render(scenario, &entries)
    };
    // A closed pipe (`| head`) ends the output quietly.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}

fn report(args: &CheckArgs, files: &[PathBuf], inputs: Vec<Input>) -> ExitCode {
    let mut any_error = false;
    let mut io_error = false;
    let mut json_items: Vec<serde_json::Value> = Vec::new();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for (path, input) in files.iter().zip(inputs) {
        match input {
            Input::IncludedBy(by) => {
                if args.format == OutputFormat::Text {
                    println!(
                        "{}: ok, shared file checked as part of {} / 共享文件,随引用它的情景一并检查",
                        path.display(),
                        by.display()
                    );
                }
            }
            Input::Unreadable(e) => {
                eprintln!("error: {e}");
                io_error = true;
            }
            Input::Checked(sources, diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                any_error |= errors > 0;
                // With --timeline, stdout is the timeline's: diagnostics as text on stderr.
                let format = if args.timeline {
                    OutputFormat::Text
                } else {
                    args.format
                };
                match format {
                    OutputFormat::Json => {
                        if let Ok(serde_json::Value::Array(items)) =
                            serde_json::from_str(&lang::to_json(&diagnostics, &sources))
                        {
                            json_items.extend(items);
                        }
                    }
                    OutputFormat::Text => {
                        let println = |line: String| {
                            if args.timeline {
                                eprintln!("{line}")
                            } else {
                                println!("{line}")
                            }
                        };
                        eprint!(
                            "{}",
                            lang::diagnostic::render_with(&diagnostics, &sources, color)
                        );
                        let warnings = diagnostics.len() - errors;
                        if errors == 0 {
                            println(format!(
                                "{}: ok ({warnings} warning(s)) / 检查通过",
                                path.display()
                            ));
                        } else {
                            println(format!(
                                "{}: {errors} error(s), {warnings} warning(s) / 发现 {errors} 个错误",
                                path.display()
                            ));
                        }
                    }
                }
            }
        }
    }
    if args.format == OutputFormat::Json && !args.timeline {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_items).unwrap_or_else(|_| "[]".into())
        );
    }
    if io_error {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
