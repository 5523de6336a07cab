//! Diagnostics: what went wrong, where, in Chinese and English, and what to do.
//!
//! Every problem the checker finds is a [`Diagnostic`] with a stable code (`E0102`),
//! a primary span, optional secondary labels and a help line. [`render`] prints them
//! with `ariadne` as `file:line:col`, the source line and a caret; [`to_json`] gives
//! the editor and scripts the same facts with 1-based lines and columns counted in
//! characters (a Chinese character is one column), never in bytes.

use super::SourceMap;
use crate::model::Span;
use ariadne::{Config, IndexType, Label as ALabel, Report, ReportKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A span with a short explanation shown under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code: `E01xx` text and syntax, `E02xx` names, `E03xx` units and values,
    /// `E04xx` consistency of the plan; `W0xxx` warnings.
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    /// What to do about it, in plain words.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        span: Span,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message_zh: zh.into(),
            message_en: en.into(),
            primary: Label {
                span,
                text: String::new(),
            },
            secondary: Vec::new(),
            help: None,
        }
    }
    pub fn warning(
        code: &'static str,
        span: Span,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, zh, en)
        }
    }
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }
    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of a byte offset. Offsets inside a
/// character or past the end are clamped, so a stale span never panics.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &text[..byte];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn clamp_range(text: &str, span: Span) -> std::ops::Range<usize> {
    let fix = |mut b: usize| {
        b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        b
    };
    let start = fix(span.start as usize);
    let end = fix(span.end as usize).max(start);
    start..end
}

/// Renders diagnostics as plain text (no colour), errors and warnings in the order given.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    render_with(diagnostics, sources, false)
}

/// Renders diagnostics, with ANSI colour when `color` (for a terminal).
pub fn render_with(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = Vec::new();
    // Only the files a diagnostic points into: ariadne indexes every line of each text
    // it is given, which for a clean 0.5 MB scenario took longer than validating it.
    let referenced = |file: usize| {
        diagnostics.iter().any(|d| {
            d.primary.span.file as usize == file
                || d.secondary.iter().any(|l| l.span.file as usize == file)
        })
    };
    let cache_sources: Vec<(String, &str)> = sources
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| referenced(*i))
        .map(|(_, f)| (f.path.clone(), f.text.as_str()))
        .collect();
    let mut cache = ariadne::sources(cache_sources);
    let name_of = |file: u32| {
        sources
            .files
            .get(file as usize)
            .map_or_else(|| "<unknown>".to_string(), |f| f.path.clone())
    };
    let text_of = |file: u32| {
        sources
            .files
            .get(file as usize)
            .map_or("", |f| f.text.as_str())
    };
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let file = name_of(d.primary.span.file);
        let range = clamp_range(text_of(d.primary.span.file), d.primary.span);
        let mut report = Report::build(kind, (file.clone(), range.clone()))
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(IndexType::Byte)
                    .with_char_set(ariadne::CharSet::Ascii),
            )
            .with_code(d.code)
            .with_message(format!("{} / {}", d.message_zh, d.message_en));
        let primary_text = if d.primary.text.is_empty() {
            d.message_en.clone()
        } else {
            d.primary.text.clone()
        };
        report = report.with_label(ALabel::new((file, range)).with_message(primary_text));
        for l in &d.secondary {
            let range = clamp_range(text_of(l.span.file), l.span);
            report =
                report.with_label(ALabel::new((name_of(l.span.file), range)).with_message(&l.text));
        }
        if let Some(help) = &d.help {
            report = report.with_help(help);
        }
        // Writing to a Vec cannot fail; a failure would only lose this report's text.
        let _ = report.finish().write(&mut cache, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    col: usize,
    end_line: usize,
    end_col: usize,
    severity: Severity,
    code: &'a str,
    message_zh: &'a str,
    message_en: &'a str,
    help: Option<&'a str>,
}

/// Diagnostics as a JSON array (for `drill check --format json` and the editor).
pub fn to_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| {
            let f = sources.files.get(d.primary.span.file as usize);
            let (path, text) = f.map_or(("<unknown>", ""), |f| (f.path.as_str(), f.text.as_str()));
            let (line, col) = line_col(text, d.primary.span.start as usize);
            let (end_line, end_col) = line_col(text, d.primary.span.end as usize);
            JsonDiagnostic {
                file: path,
                line,
                col,
                end_line,
                end_col,
                severity: d.severity,
                code: d.code,
                message_zh: &d.message_zh,
                message_en: &d.message_en,
                help: d.help.as_deref(),
            }
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "地点 下村\nplace 上村 at";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, "地点 ".len()), (1, 4));
        assert_eq!(line_col(text, text.find("at").unwrap()), (2, 10));
        // Inside a multi-byte character and past the end: clamped, no panic.
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 10_000).0, 2);
    }
}
