//! The one place the editor asks the engine to check scenario text.
//!
//! Everything else in the editor sees only [`Checked`]: the validated
//! `drill_engine::model::Scenario` (when the text is valid enough) and the
//! diagnostics with byte ranges, line and column. Swapping in a newer engine
//! checker means changing [`check_source`] and nothing else.

use drill_engine::model::Scenario;
use std::ops::Range;

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
    /// False while this build has no engine checker: the editor says so instead of
    /// pretending the text is valid.
    pub checker_available: bool,
    /// True when `scenario` is the last valid version, kept while the text has errors
    /// so the map does not vanish on every typo.
    pub stale: bool,
}

/// Keeps the previous valid scenario on screen while the new text has errors.
pub fn keep_last_valid(mut new: Checked, old: Checked) -> Checked {
    if new.scenario.is_none() {
        new.scenario = old.scenario;
        new.stale = new.scenario.is_some();
    }
    new
}

/// Checks scenario text with the engine.
///
/// The engine's `lang::check` is not in this build yet, so this returns no scenario
/// and `checker_available: false`.
pub fn check_source(_text: &str, _path: Option<&std::path::Path>) -> Checked {
    Checked { scenario: None, diagnostics: Vec::new(), checker_available: false, stale: false }
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
    text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
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
pub fn diag_at(text: &str, severity: Severity, message: impl Into<String>, message_en: impl Into<String>, range: Range<usize>) -> Diag {
    let start = floor_char_boundary(text, range.start);
    let end = floor_char_boundary(text, range.end.max(start));
    let (line, col) = line_col(text, start);
    Diag { severity, message: message.into(), message_en: message_en.into(), range: start..end, line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let valid = Checked { scenario: Some(Scenario::default()), checker_available: true, ..Default::default() };
        let broken = Checked { checker_available: true, ..Default::default() };
        let kept = keep_last_valid(broken.clone(), valid.clone());
        assert!(kept.scenario.is_some() && kept.stale);
        let fresh = keep_last_valid(valid.clone(), broken);
        assert!(fresh.scenario.is_some() && !fresh.stale);
        let none = keep_last_valid(Checked::default(), Checked::default());
        assert!(none.scenario.is_none() && !none.stale);
    }
}
