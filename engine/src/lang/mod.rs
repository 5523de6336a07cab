//! The scenario language front end (情景脚本语言): text in, [`Scenario`] and
//! diagnostics out. See `docs/LANGUAGE.md` for the language itself.
//!
//! Two passes: [`parse`] (pest) turns text into a [`syntax::SyntaxFile`] with spans;
//! [`validate`] resolves names, converts units to SI and checks the plan, reporting
//! every problem it finds. Everything here is pure: files reach it through a
//! [`SourceMap`] and an include loader closure (the `io` module supplies one), so the
//! editor can call [`check`] on every keystroke with the buffer's text.

pub mod diagnostic;
pub mod format;
pub mod generate;
pub mod keywords;
pub mod normalise;
pub mod parse;
pub mod print;
pub mod syntax;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, render, to_json};

use crate::model::{ActionLog, Scenario, Span};

/// Index of a file in a [`SourceMap`] (the `file` of every [`Span`]).
pub type FileId = u32;

/// One source text and the path it is shown under.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// The texts a check has seen: the main file first, then included files.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }
    /// Adds a text and returns its id.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile {
            path: path.into(),
            text: text.into(),
        });
        (self.files.len() - 1) as FileId
    }
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }
}

/// What a check found: the scenario when there is no error, and all diagnostics
/// (errors and warnings) in source order per file.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckResult {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the files a scenario `include`s for [`check`]. Any closure
/// `Fn(&str) -> Result<String, String>` is one, telling files apart by their paths
/// with `.`, `..` and doubled `/` resolved ([`normalise_path`]); `io::Includes` also
/// knows two spellings of one file (a symlink, an absolute path), so a file that
/// includes itself is always seen as a cycle (E0151).
pub trait IncludeLoader {
    /// The text of the file at `path` (already joined to the including file's
    /// folder, see [`resolve_include`]), or why it cannot be read.
    fn load(&self, path: &str) -> Result<String, String>;
    /// A name that every spelling of the file at `path` shares.
    fn identity(&self, path: &str) -> String {
        normalise_path(path)
    }
}

impl<F: Fn(&str) -> Result<String, String>> IncludeLoader for F {
    fn load(&self, path: &str) -> Result<String, String> {
        self(path)
    }
}

/// A `/`-separated path with `.` and empty parts dropped and each `..` taking the
/// part before it away (purely textual: `a/../b` is `b` even when `a` is a link).
pub fn normalise_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Joins an include path to the folder of the including file (`/`-separated,
/// purely textual, so it behaves the same everywhere).
pub fn resolve_include(including: &str, target: &str) -> String {
    if target.starts_with('/') {
        return target.to_string();
    }
    match including.rfind('/') {
        Some(i) => format!("{}/{}", &including[..i], target),
        None => target.to_string(),
    }
}

/// Checks the scenario in `sources[main]`.
///
/// `loader` is called with the path of each `include`d file, already joined to the
/// including file's folder (see [`resolve_include`]); it returns the text or a
/// message. Included texts are added to `sources` so diagnostics can point into them.
/// A file included twice, or including itself under any spelling the loader can
/// tell ([`IncludeLoader::identity`]), is reported once (E0151) and not read again.
pub fn check(sources: &mut SourceMap, main: FileId, loader: &dyn IncludeLoader) -> CheckResult {
    // The syntax trees borrow their texts from `sources`, which grows while includes
    // are read. A file without includes (the usual case) is parsed once and checked
    // from that tree; with includes, the files are first read (each parsed to find
    // its include lines), then parsed again for validation once `sources` is complete.
    if let Some(src) = sources.get(main) {
        let (tree, diagnostics) = parse::parse(&src.text, main);
        match tree {
            None => {
                return CheckResult {
                    scenario: None,
                    diagnostics,
                };
            }
            Some(tree) if !has_include(&tree) => {
                return finish(main, diagnostics, &[(main, &tree)]);
            }
            Some(_) => {}
        }
    }
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let mut queue = vec![main];
    let mut seen_files: Vec<String> = sources
        .get(main)
        .map(|f| vec![loader.identity(&f.path)])
        .unwrap_or_default();
    let mut parse_ok = true;
    while let Some(file) = queue.pop() {
        let Some(src) = sources.get(file) else {
            continue;
        };
        let (tree, diags) = parse::parse(&src.text, file);
        diagnostics.extend(diags);
        let Some(tree) = tree else {
            parse_ok = false;
            continue;
        };
        let including = src.path.clone();
        let targets = include_targets(&tree, file, &mut diagnostics);
        drop(tree);
        for (target, span) in targets {
            let path = resolve_include(&including, &target);
            let identity = loader.identity(&path);
            if seen_files.contains(&identity) {
                diagnostics.push(
                    Diagnostic::error(
                        "E0151",
                        span,
                        format!("重复或循环引用 {path}"),
                        format!("`{path}` is included twice or includes itself"),
                    )
                    .help("include each file once"),
                );
                continue;
            }
            seen_files.push(identity);
            match loader.load(&path) {
                Ok(text) => queue.push(sources.add(path, text)),
                Err(e) => diagnostics.push(
                    Diagnostic::error(
                        "E0152",
                        span,
                        format!("无法读取引用的文件 {path}"),
                        format!("cannot include `{path}`: {e}"),
                    )
                    .help("check the path; it is relative to this file's folder"),
                ),
            }
        }
        files.push(file);
    }
    if !parse_ok {
        return CheckResult {
            scenario: None,
            diagnostics,
        };
    }
    files.sort_by_key(|f| if *f == main { 0 } else { *f + 1 });
    // Same texts, same trees: the diagnostics of this second parse are already in.
    let trees: Vec<(FileId, syntax::SyntaxFile<'_>)> = files
        .iter()
        .filter_map(|&f| {
            let src = sources.get(f)?;
            Some((f, parse::parse(&src.text, f).0?))
        })
        .collect();
    let refs: Vec<(u32, &syntax::SyntaxFile<'_>)> = trees.iter().map(|(f, t)| (*f, t)).collect();
    finish(main, diagnostics, &refs)
}

/// Whether a file has a top-level `include` line.
fn has_include(tree: &syntax::SyntaxFile<'_>) -> bool {
    syntax::lines(&tree.nodes)
        .iter()
        .any(|line| is_include(line))
}

fn is_include(line: &syntax::Line<'_>) -> bool {
    line.first()
        .and_then(|n| n.word())
        .is_some_and(|w| keywords::is(w, "include"))
}

/// The quoted file names of a file's top-level `include "path"` lines, each with
/// its span; an `include` without one is reported.
fn include_targets(
    tree: &syntax::SyntaxFile<'_>,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Span)> {
    let span_of = |n: &syntax::Node<'_>| Span {
        file,
        start: n.span.start,
        end: n.span.end,
    };
    let mut targets = Vec::new();
    for line in syntax::lines(&tree.nodes) {
        if !is_include(&line) {
            continue;
        }
        match line.get(1).map(|n| (&n.kind, span_of(n))) {
            Some((syntax::NodeKind::Str { value, .. }, span)) => {
                targets.push((value.to_string(), span));
            }
            _ => diagnostics.push(
                Diagnostic::error(
                    "E0150",
                    span_of(line[0]),
                    "include 后应为带引号的文件名",
                    "`include` needs a file name in quotes",
                )
                .help("write `include \"county-resources.drill\"`"),
            ),
        }
    }
    targets
}

/// Validates the parsed files (main first) and merges, filters and sorts the
/// diagnostics.
fn finish(
    main: FileId,
    mut diagnostics: Vec<Diagnostic>,
    trees: &[(u32, &syntax::SyntaxFile<'_>)],
) -> CheckResult {
    debug_assert!(trees.first().is_none_or(|(f, _)| *f == main));
    let (scenario, diags) = validate::validate(trees);
    // A lexical error (a word with an unknown unit, a time like 25:70) is already
    // reported where it stands; what validation then says about the same token
    // ("expected a number", "after the drill ends") would only repeat it. A warning
    // (W0010, a full-width character read as ASCII) hides nothing.
    let lexical: Vec<Span> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.primary.span)
        .collect();
    diagnostics.extend(diags.into_iter().filter(|d| {
        let s = d.primary.span;
        !lexical
            .iter()
            .any(|w| w.file == s.file && w.start < s.end.max(s.start + 1) && s.start < w.end)
    }));
    let has_error = diagnostics.iter().any(Diagnostic::is_error);
    sort(&mut diagnostics);
    CheckResult {
        scenario: if has_error { None } else { scenario },
        diagnostics,
    }
}

/// Adds to a clean check what only the map's heightmap file can tell, once `io` has
/// read it (`drill check` does; this stays pure): W0007 / E0409 against the raster's
/// extent, as an inline `terrain grid` gets them from [`validate`], or E0153 at the
/// `terrain` statement when the file could not be read (`loaded` is then the reader's
/// message). Does nothing without a scenario or without a heightmap file.
pub fn check_heightmap(result: &mut CheckResult, loaded: Result<validate::TerrainExtent, String>) {
    let Some(scenario) = &result.scenario else {
        return;
    };
    let Some(terrain) = scenario.map.terrain.as_ref() else {
        return;
    };
    if !matches!(terrain.source, crate::model::TerrainSource::File { .. }) {
        return;
    }
    match loaded {
        Ok(extent) => result
            .diagnostics
            .extend(validate::off_the_terrain(scenario, extent)),
        Err(message) => result
            .diagnostics
            .push(validate::terrain_unreadable(terrain, &message)),
    }
    if result.has_errors() {
        result.scenario = None;
    }
    sort(&mut result.diagnostics);
}

/// Adds to a clean check E0154 at the `basemap` statement when `io::load_basemap`
/// could not read the image or its world file (`loaded` is then its message), as
/// [`check_heightmap`] does for a heightmap. Does nothing without a scenario or basemap.
pub fn check_basemap(result: &mut CheckResult, loaded: Result<(), String>) {
    let Some(basemap) = result
        .scenario
        .as_ref()
        .and_then(|s| s.map.basemap.as_ref())
    else {
        return;
    };
    if let Err(message) = loaded {
        result
            .diagnostics
            .push(validate::basemap_unreadable(basemap, &message));
        result.scenario = None;
        sort(&mut result.diagnostics);
    }
}

/// W0011: the file's bytes were not UTF-8 and `io` read them as `encoding` (GB18030,
/// UTF-16LE, UTF-16BE); added to a check of that file, at its start. `drill fmt`
/// writes the file back as UTF-8.
pub fn note_encoding(result: &mut CheckResult, file: FileId, encoding: &str) {
    result.diagnostics.push(encoding_warning(file, encoding));
    sort(&mut result.diagnostics);
}

/// The W0011 diagnostic of [`note_encoding`].
pub fn encoding_warning(file: FileId, encoding: &str) -> Diagnostic {
    Diagnostic::warning(
        "W0011",
        Span {
            file,
            start: 0,
            end: 0,
        },
        format!("文件不是 UTF-8 编码,已按 {encoding} 读取"),
        format!("the file is not UTF-8; it was read as {encoding}"),
    )
    .label(format!("read as {encoding}"))
    .help("`drill fmt` writes it back as UTF-8; or save it as UTF-8 in the editor / 运行 drill fmt 或在编辑器中另存为 UTF-8")
}

/// Checks a single self-contained text (no includes allowed to resolve).
pub fn check_text(path: &str, text: &str) -> (SourceMap, CheckResult) {
    let mut sources = SourceMap::new();
    let main = sources.add(path, text);
    let result = check(&mut sources, main, &|p: &str| {
        Err(format!("includes are not available here ({p})"))
    });
    (sources, result)
}

/// The scenario id a recorder's log names (`actions <id> {`), or `None` when the
/// text is not an action log. Lets `drill check` tell logs from scenarios.
pub fn action_log_scenario_id(text: &str) -> Option<String> {
    // `drill check` asks this of every file before checking it; a scenario's first
    // word (`scenario`, `map`, ...) is told apart without parsing the whole text.
    if first_word_is_not_actions(text) {
        return None;
    }
    action_log_scenario_id_by_parsing(text)
}

/// [`action_log_scenario_id`] without the first-word shortcut: from the full parse.
fn action_log_scenario_id_by_parsing(text: &str) -> Option<String> {
    let (tree, _) = parse::parse(text, 0);
    let tree = tree?;
    let first = syntax::lines(&tree.nodes).into_iter().next()?;
    let mut words = first.iter().filter(|n| !n.is_trivia());
    if !words
        .next()?
        .word()
        .is_some_and(|w| keywords::is(w, "actions"))
    {
        return None;
    }
    Some(words.next()?.word().unwrap_or_default().to_string())
}

/// Whether the text plainly starts (after spaces, line breaks and comments) with a
/// name that is not the `actions` keyword, followed by a space, a line break, `{` or
/// the end. Anything less plain (a full-width character, a bracket, a digit) answers
/// `false`, and the caller parses the text to decide.
fn first_word_is_not_actions(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{FEFF}');
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if let Some(comment) = rest.strip_prefix("//") {
            rest = comment.find('\n').map_or("", |i| &comment[i..]);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            match comment.find("*/") {
                Some(i) => rest = &comment[i + 2..],
                None => return false,
            }
        } else {
            break;
        }
    }
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c > '\u{ff}') {
        return false;
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let (word, after) = rest.split_at(end);
    let plain_end = after.is_empty() || after.starts_with([' ', '\t', '\r', '\n', '{']);
    let plain_word = !word.contains('-')
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric() || c == '_' || ('\u{4e00}'..='\u{9fff}').contains(&c)
        });
    plain_end && plain_word && !keywords::is(word, "actions")
}

/// Checks a recorder's `actions` log (in `sources[file]`) against a scenario.
pub fn check_actions(
    scenario: &Scenario,
    sources: &SourceMap,
    file: FileId,
) -> (Option<ActionLog>, Vec<Diagnostic>) {
    let Some(src) = sources.get(file) else {
        return (None, Vec::new());
    };
    let (tree, mut diags) = parse::parse(&src.text, file);
    let Some(tree) = tree else {
        return (None, diags);
    };
    let (log, more) = validate::validate_actions(scenario, file, &tree);
    diags.extend(more);
    sort(&mut diags);
    let has_error = diags.iter().any(Diagnostic::is_error);
    (if has_error { None } else { log }, diags)
}

/// Formats a text canonically (see [`format`](mod@format)); diagnostics when it
/// does not parse.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let (tree, diags) = parse::parse(text, 0);
    match tree {
        Some(tree) if !diags.iter().any(Diagnostic::is_error) => Ok(format::format_file(&tree)),
        _ => Err(diags),
    }
}

/// Orders diagnostics by file and position, errors before warnings at the same place.
fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.severity));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_dots_and_doubled_slashes() {
        for (path, normal) in [
            ("./a.drill", "a.drill"),
            ("dir/./x/../a.drill", "dir/a.drill"),
            ("dir//a.drill", "dir/a.drill"),
            ("../../a.drill", "../../a.drill"),
            ("x/../../a.drill", "../a.drill"),
            ("/../a.drill", "/a.drill"),
            ("/srv/./a.drill", "/srv/a.drill"),
        ] {
            assert_eq!(normalise_path(path), normal, "{path}");
        }
    }

    /// Issue 19, item 8: a file including itself as `./a.drill` was read again and
    /// again (2,046 errors, until the path grew too long), and E0151 never came.
    #[test]
    fn a_file_including_itself_under_another_spelling_is_one_cycle() {
        for (main, target) in [
            ("a.drill", "./a.drill"),
            ("dir/a.drill", "../dir/a.drill"),
            ("dir/a.drill", ".//a.drill"),
        ] {
            let text = format!("include \"{target}\"\nroles {{\n}}\n");
            let mut sources = SourceMap::new();
            let file = sources.add(main, text.clone());
            // A file system refuses a path that grows without end; so does this one.
            let loader = |p: &str| {
                if p.len() < 200 {
                    Ok(text.clone())
                } else {
                    Err("file name too long".to_string())
                }
            };
            let result = check(&mut sources, file, &loader);
            let includes: Vec<&str> = result
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| c.starts_with("E015"))
                .collect();
            assert_eq!(includes, ["E0151"], "{main} including {target}");
        }
    }

    /// A full-width character's warning (W0010) must not hide what validation says
    /// about the token it stands in.
    #[test]
    fn a_full_width_warning_hides_no_error_at_the_same_place() {
        let text =
            "map {\n  place a at (1, 2)\n  place b at (3, 4)\n  road a -> b width （1，2）\n}\n";
        let (_, result) = check_text("x.drill", text);
        let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"W0010"), "{codes:?}");
        assert!(codes.contains(&"E0301"), "{codes:?}");
        let at = text.find('（').unwrap() as u32;
        assert!(
            result
                .diagnostics
                .iter()
                .any(|d| d.code == "E0301" && d.primary.span.start == at),
            "{:?}",
            result.diagnostics
        );
    }

    #[test]
    fn the_first_word_shortcut_agrees_with_the_parse() {
        let texts = [
            ("scenario \"演练\" {\n  id a\n}\n", true),
            ("// 注释\n/* 块 */\n\nmap {\n}\n", true),
            ("\u{FEFF}地图 {\n}\n", true),
            ("actions flood-1 {\n}\n", false),
            ("  // log\n行动记录 flood-1 {\n}\n", false),
            ("\u{3000}actions flood-1 {\n}\n", false),
            ("actions-x {\n}\n", false),
            ("mm/h [0h 5]\n", false),
            ("（1, 2）\n", false),
            ("/* never closed", false),
            ("", false),
        ];
        for (text, shortcut) in texts {
            assert_eq!(first_word_is_not_actions(text), shortcut, "{text:?}");
            if shortcut {
                assert_eq!(action_log_scenario_id_by_parsing(text), None, "{text:?}");
            }
            assert_eq!(
                action_log_scenario_id(text),
                action_log_scenario_id_by_parsing(text),
                "{text:?}"
            );
        }
        assert_eq!(
            action_log_scenario_id("actions flood-1 {\n}\n").as_deref(),
            Some("flood-1")
        );
    }
}
