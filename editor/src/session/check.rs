//! The one place the editor asks the engine to check scenario text.
//!
//! Everything else in the editor sees only [`Checked`]: the validated
//! `drill_engine::model::Scenario` (when the text is valid enough) and the
//! diagnostics with byte ranges, line and column. A change in the engine checker's
//! API means changing [`check_source`] and nothing else.

use drill_engine::hazard::raster::Raster;
use drill_engine::model::{Action, ActionLog, Scenario, TerrainSource};
use drill_engine::{io, lang};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One message from the engine's checker, located in the edited text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub severity: Severity,
    /// The message in Chinese and in English (with the checker's help line, if any).
    pub message: String,
    pub message_en: String,
    /// Byte range in the edited text (always on char boundaries, possibly empty).
    pub range: Range<usize>,
    /// 1-based line and column (column in characters).
    pub line: usize,
    pub col: usize,
}

/// The result of checking the current text.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<Diag>,
    /// False only before the first check (and in builds without the engine checker):
    /// the editor then says so instead of pretending the text is valid.
    pub checker_available: bool,
    /// True when `scenario` is the last valid version, kept while the text has errors
    /// so the map does not vanish on every typo.
    pub stale: bool,
    /// The map's heightmap file as the engine's `io::load_terrain` read it (what
    /// `drill run` reads), for the hazard models; `None` when the terrain is inline or
    /// absent, or the file could not be read (then an error diagnostic says why).
    pub terrain: Option<Arc<Raster>>,
    /// 底图 — the map's basemap as the engine's `io::load_basemap` placed it (image
    /// file, size, corners in map metres); `None` without one, or when it could not be
    /// read (then E0154 says why).
    pub basemap: Option<Arc<io::PlacedBasemap>>,
}

/// Keeps the previous valid scenario on screen while the new text has errors.
pub fn keep_last_valid(mut new: Checked, old: Checked) -> Checked {
    if new.scenario.is_none() {
        new.scenario = old.scenario;
        new.terrain = old.terrain;
        new.basemap = old.basemap;
        new.stale = new.scenario.is_some();
    }
    new
}

/// Checks scenario text with the engine (`drill_engine::lang::check`), resolving
/// `include`s relative to `path` through the engine's `io::Includes` (cycles found on canonical paths).
///
/// Diagnostics inside included files are listed at the top of this file with the
/// included file's name, since only the main text is open in the editor.
pub fn check_source(text: &str, path: Option<&Path>) -> Checked {
    let mut sources = lang::SourceMap::new();
    let name = path.map_or_else(
        || "untitled.drill".to_owned(),
        |p| p.to_string_lossy().replace('\\', "/"),
    );
    let main = sources.add(name, text);
    let mut result = lang::check(&mut sources, main, &io::Includes);
    // A heightmap file is read here, relative to the scenario's folder as `drill run`
    // and `drill check` read it, and checked by the engine as `drill check` does:
    // E0153 at the `terrain` line when it cannot be read, W0007/E0409 for what lies
    // off its extent.
    let terrain =
        match result
            .scenario
            .as_ref()
            .and_then(|sc| sc.map.terrain.as_ref())
        {
            Some(t) if matches!(t.source, TerrainSource::File { .. }) => {
                let dir = path
                    .and_then(Path::parent)
                    .unwrap_or_else(|| Path::new("."));
                let loaded = io::load_terrain(t, dir);
                let extent = loaded.as_ref().map_err(Clone::clone).map(|raster| {
                    lang::validate::TerrainExtent {
                        cols: raster.cols,
                        rows: raster.rows,
                        cell_m: raster.cell_m,
                    }
                });
                lang::check_heightmap(&mut result, extent);
                loaded.ok().map(Arc::new)
            }
            _ => None,
        };
    // The basemap's image header and world file, read as `drill check` reads them
    // (E0154 at the `basemap` line when they cannot be); its pixels are decoded by
    // the map (`ui::basemap`).
    let basemap = match result
        .scenario
        .as_ref()
        .and_then(|sc| sc.map.basemap.as_ref())
    {
        Some(b) => {
            let dir = path
                .and_then(Path::parent)
                .unwrap_or_else(|| Path::new("."));
            let loaded = io::load_basemap(b, dir);
            lang::check_basemap(
                &mut result,
                loaded.as_ref().map(|_| ()).map_err(Clone::clone),
            );
            loaded.ok().map(Arc::new)
        }
        None => None,
    };
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|d| {
            let severity = match d.severity {
                lang::diagnostic::Severity::Error => Severity::Error,
                lang::diagnostic::Severity::Warning => Severity::Warning,
            };
            let help = d
                .help
                .as_deref()
                .map(|h| format!(" — {h}"))
                .unwrap_or_default();
            let span = d.primary.span;
            let (zh, en) = (
                format!("{} {}{help}", d.code, d.message_zh),
                format!("{} {}{help}", d.code, d.message_en),
            );
            if span.file == main {
                diag_at(
                    text,
                    severity,
                    zh,
                    en,
                    span.start as usize..span.end as usize,
                )
            } else {
                let file = sources.get(span.file).map_or("?", |f| f.path.as_str());
                diag_at(
                    text,
                    severity,
                    format!("{file}: {zh}"),
                    format!("{file}: {en}"),
                    0..0,
                )
            }
        })
        .collect::<Vec<_>>();
    Checked {
        scenario: result.scenario,
        diagnostics,
        checker_available: true,
        stale: false,
        terrain,
        basemap,
    }
}

/// The example scenarios' folder and the flood example checked from it, for the
/// editor's tests (its logs and runs).
#[cfg(test)]
pub fn flood_example() -> (std::path::PathBuf, Scenario) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let path = examples.join("zhuyuan-flash-flood.drill");
    let sc = check_source(&io::read_text(&path).unwrap(), Some(&path))
        .scenario
        .expect("example checks");
    (examples, sc)
}

/// Reads and checks a recorder's `actions` log against `scenario` with the engine
/// (`drill_engine::lang::check_actions`); the first error comes back as text.
pub fn load_actions(scenario: &Scenario, path: &Path) -> Result<Vec<Action>, String> {
    load_log(scenario, path).map(|log| log.actions)
}

/// The whole log: the decisions and the trainer's inject commands (导调).
pub fn load_log(scenario: &Scenario, path: &Path) -> Result<ActionLog, String> {
    log_in(scenario, path, io::read_text(path)?)
}

fn log_in(scenario: &Scenario, path: &Path, text: String) -> Result<ActionLog, String> {
    let mut sources = lang::SourceMap::new();
    let name = path.to_string_lossy().replace('\\', "/");
    let file = sources.add(name.clone(), text.clone());
    let (log, diags) = lang::check_actions(scenario, &sources, file);
    match log {
        Some(log) => Ok(log),
        // Where, what and what to do, as `drill check` says it.
        None => Err(diags.iter().find(|d| d.is_error()).map_or_else(
            || format!("{name}: not an actions log"),
            |d| {
                let (line, col) = line_col(&text, d.primary.span.start as usize);
                let help = d
                    .help
                    .as_deref()
                    .map_or(String::new(), |h| format!(" — {h}"));
                format!(
                    "{name}:{line}:{col}: {} {} / {}{help}",
                    d.code, d.message_zh, d.message_en
                )
            },
        )),
    }
}

/// Opens `path` as the exercise's live action log (`io::ActionLogFile`: created with
/// the scenario's `actions ID {` header when missing, extended whatever its layout,
/// refused untouched when it cannot be extended) and returns it with the decisions
/// and the trainer's inject commands already in it, to resume from.
pub fn open_action_log(
    scenario: &Scenario,
    path: &Path,
) -> Result<(io::ActionLogFile, ActionLog), String> {
    let header = lang::print::action_log_header(scenario);
    let (log, text) = io::ActionLogFile::open(path, &header)?;
    Ok((log, log_in(scenario, path, text)?))
}

/// 1-based (line, column in chars) of a byte offset; offsets past the end or inside a
/// character are clamped back to the previous boundary.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = floor_char_boundary(text, byte);
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..byte].chars().count() + 1)
}

/// Byte offset where 1-based `line` starts (the end of the text past the last line).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Largest char boundary not after `byte`.
pub fn floor_char_boundary(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// Makes a diagnostic from a byte range, clamping it to the text.
pub fn diag_at(
    text: &str,
    severity: Severity,
    message: impl Into<String>,
    message_en: impl Into<String>,
    range: Range<usize>,
) -> Diag {
    let start = floor_char_boundary(text, range.start);
    let end = floor_char_boundary(text, range.end.max(start));
    let (line, col) = line_col(text, start);
    Diag {
        severity,
        message: message.into(),
        message_en: message_en.into(),
        range: start..end,
        line,
        col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exercise's live log: created with the header, each decision appended is
    /// there for the next opening (a resumed drill), in order, with its time.
    #[test]
    fn the_exercise_log_keeps_every_decision_for_a_resume() {
        let (examples, sc) = flood_example();
        let recorded = load_actions(&sc, &examples.join("zhuyuan-flash-flood.actions.drill"))
            .expect("example log checks");
        assert!(recorded.len() >= 2);
        // Where each action was written differs between the two files; what it says must not.
        let unplaced = |v: &[Action]| -> Vec<Action> {
            v.iter()
                .cloned()
                .map(|mut a| {
                    a.span = Default::default();
                    a
                })
                .collect()
        };
        let dir = std::env::temp_dir().join(format!("drill-editor-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log_path = dir.join("live.actions.drill");
        let _ = std::fs::remove_file(&log_path);

        let (mut log, before) = open_action_log(&sc, &log_path).unwrap();
        assert!(before.actions.is_empty());
        log.append(&lang::print::action_line(&sc, &recorded[0]))
            .unwrap();
        drop(log);
        let (mut log, resumed) = open_action_log(&sc, &log_path).unwrap();
        assert_eq!(unplaced(&resumed.actions), unplaced(&recorded[..1]));
        log.append(&lang::print::action_line(&sc, &recorded[1]))
            .unwrap();
        // Not closed: the line is on disk as soon as `append` returns.
        assert_eq!(
            unplaced(&load_actions(&sc, &log_path).unwrap()),
            unplaced(&recorded[..2])
        );
        drop(log);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A log that does not check is refused with where and what, and left as it was.
    #[test]
    fn a_broken_exercise_log_says_where_and_is_not_touched() {
        let (_, sc) = flood_example();
        let dir = std::env::temp_dir().join(format!("drill-editor-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log_path = dir.join("bad.actions.drill");
        let text = format!(
            "{}\n  20:45 村应急管里员 report\n}}\n",
            lang::print::action_log_header(&sc)
        );
        std::fs::write(&log_path, &text).unwrap();
        let Err(message) = open_action_log(&sc, &log_path) else {
            panic!("a log naming an unknown role was accepted");
        };
        assert!(message.contains("bad.actions.drill:2:9: "), "{message}");
        assert!(message.contains("村应急管里员"), "{message}");
        assert_eq!(std::fs::read_to_string(&log_path).unwrap(), text);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A heightmap the engine cannot read is the engine's E0153 at the `terrain`
    /// line (as `drill check` reports it), not an uncoded message at the top.
    #[test]
    fn a_missing_heightmap_is_reported_at_its_terrain_line() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/broken/heightmap-missing.drill");
        let text = io::read_text(&path).unwrap();
        let checked = check_source(&text, Some(&path));
        let terrain_line = 1 + text
            .lines()
            .position(|l| l.trim_start().starts_with("terrain"))
            .unwrap();
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.message.contains("E0153"))
            .unwrap_or_else(|| panic!("no E0153: {:#?}", checked.diagnostics));
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.line, terrain_line);
        assert!(d.message_en.contains("no-such-dem.asc"), "{}", d.message_en);
        assert!(checked.scenario.is_none() && checked.terrain.is_none());
    }

    /// 底图: the example's basemap is placed by its world file (4 m pixels over the
    /// 2,000 m × 1,500 m terrain grid); a missing image is E0154 at its `basemap` line.
    #[test]
    fn the_basemap_is_placed_by_the_engine_and_a_missing_one_reported() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../scenarios/zhuyuan-reservoir-release.drill");
        let text = io::read_text(&path).unwrap();
        let checked = check_source(&text, Some(&path));
        let b = checked.basemap.as_deref().expect("the basemap is placed");
        assert_eq!((b.width_px, b.height_px), (500, 375));
        let p = |x, y| drill_engine::model::Point { x, y };
        assert_eq!(
            b.corners,
            [
                p(0.0, 0.0),
                p(2000.0, 0.0),
                p(2000.0, 1500.0),
                p(0.0, 1500.0)
            ]
        );
        assert!((b.opacity - 0.85).abs() < 1e-12);
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/broken/basemap-missing.drill");
        let text = io::read_text(&path).unwrap();
        let checked = check_source(&text, Some(&path));
        let line = 1 + text
            .lines()
            .position(|l| l.trim_start().starts_with("basemap"))
            .unwrap();
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.message.contains("E0154"))
            .unwrap_or_else(|| panic!("no E0154: {:#?}", checked.diagnostics));
        assert_eq!((d.severity, d.line), (Severity::Error, line));
        assert!(checked.scenario.is_none() && checked.basemap.is_none());
    }

    #[test]
    fn engine_diagnostics_land_on_the_right_line_in_both_languages() {
        let text = "scenario \"t\" {\n  id t\n  duration 12\n}\n";
        let checked = check_source(text, None);
        assert!(checked.checker_available);
        assert!(checked.scenario.is_none());
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.line == 3)
            .unwrap_or_else(|| panic!("no diagnostic on line 3: {:#?}", checked.diagnostics));
        assert_eq!(d.severity, Severity::Error);
        assert!(!d.message.is_empty() && d.message != d.message_en);
        assert!(
            text[d.range.clone()].contains("12") || d.range.is_empty(),
            "range {:?}",
            d.range
        );
    }

    #[test]
    fn the_test_fixture_checks_into_a_scenario_with_four_zones() {
        let text = include_str!("../../tests/fixtures/mini-flood.drill");
        let checked = check_source(text, None);
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let sc = checked.scenario.expect("scenario");
        assert_eq!(sc.map.zones.len(), 4);
        assert_eq!(sc.injects.len(), 4);
    }

    #[test]
    fn the_example_actions_log_checks_against_its_scenario() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let main = root.join("zhuyuan-flash-flood.drill");
        let text = std::fs::read_to_string(&main).unwrap();
        let sc = check_source(&text, Some(&main)).scenario.expect("scenario");
        let actions = load_actions(&sc, &root.join("zhuyuan-flash-flood.actions.drill")).unwrap();
        assert_eq!(actions.len(), 18);
        assert!(actions.windows(2).all(|w| w[0].at_s <= w[1].at_s));
        let wrong = load_actions(&sc, &root.join("forest-edge-fire.actions.drill"));
        assert!(wrong.is_err(), "a log for another scenario is refused");
    }

    #[test]
    fn line_col_counts_chinese_as_one_column_each() {
        let text = "map {\n  place 村委会 at (1, 2)\n}";
        let at = text.find("at").unwrap();
        assert_eq!(line_col(text, at), (2, 13));
        assert_eq!(line_col(text, 0), (1, 1));
        // Inside a multi-byte char: clamped to its start.
        let cun = text.find('村').unwrap();
        assert_eq!(line_col(text, cun + 1), line_col(text, cun));
    }

    #[test]
    fn line_start_finds_each_line_and_clamps_past_the_end() {
        let text = "a\nbb\n村\n";
        assert_eq!(line_start(text, 1), 0);
        assert_eq!(line_start(text, 2), 2);
        assert_eq!(line_start(text, 3), 5);
        assert_eq!(line_start(text, 4), text.len());
        assert_eq!(line_start(text, 99), text.len());
    }

    #[test]
    fn diag_ranges_are_clamped_to_char_boundaries() {
        let text = "村委会";
        let d = diag_at(text, Severity::Error, "x", "x", 1..100);
        assert_eq!(d.range, 0..text.len());
        assert_eq!((d.line, d.col), (1, 1));
    }

    #[test]
    fn the_last_valid_scenario_stays_while_the_text_has_errors() {
        let valid = Checked {
            scenario: Some(Scenario::default()),
            checker_available: true,
            ..Default::default()
        };
        let broken = Checked {
            checker_available: true,
            ..Default::default()
        };
        let kept = keep_last_valid(broken.clone(), valid.clone());
        assert!(kept.scenario.is_some() && kept.stale);
        let fresh = keep_last_valid(valid.clone(), broken);
        assert!(fresh.scenario.is_some() && !fresh.stale);
        let none = keep_last_valid(Checked::default(), Checked::default());
        assert!(none.scenario.is_none() && !none.stale);
    }
}
