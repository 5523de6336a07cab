//! Canonical formatting (`drill fmt`), printed from the syntax tree.
//!
//! The formatter keeps everything the author chose: comments, line breaks (at most
//! one blank line in a row), Chinese or English keywords, the way numbers are
//! written. It normalises the rest: two-space indentation per block, single spaces
//! between tokens, `600m` with no space before the unit, `(x, y)` points, and
//! alignment of the second column across consecutive lines that start with a word
//! (`place 村委会` / `shelter 竹源小学`). A line that starts with a quoted text
//! continues the statement above it (an inject's message) and is indented further.
//! Formatting is idempotent and never changes what the file means; both are
//! tested (`engine/tests/roundtrip.rs`).

use super::syntax::{Node, NodeKind, SyntaxFile};
use unicode_width::UnicodeWidthStr;

/// Formats a parsed file.
pub fn format_file(tree: &SyntaxFile) -> String {
    let mut out = String::new();
    body(&tree.nodes, 0, &mut out);
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

/// A body's lines; `None` is one blank line (runs of blank lines collapse).
fn split_lines<'a>(nodes: &'a [Node<'a>]) -> Vec<Option<Vec<&'a Node<'a>>>> {
    let mut lines: Vec<Option<Vec<&Node>>> = Vec::new();
    let mut current: Vec<&Node> = Vec::new();
    let mut newlines = 0;
    for n in nodes {
        if matches!(n.kind, NodeKind::Newline) {
            if current.is_empty() {
                newlines += 1;
                if newlines >= 1
                    && !lines.is_empty()
                    && !matches!(lines.last(), Some(None))
                    && newlines == 1
                {
                    lines.push(None);
                }
            } else {
                lines.push(Some(std::mem::take(&mut current)));
                newlines = 0;
            }
        } else {
            current.push(n);
        }
    }
    if !current.is_empty() {
        lines.push(Some(current));
    }
    while matches!(lines.last(), Some(None)) {
        lines.pop();
    }
    lines
}

fn indent(depth: usize, out: &mut String) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Lines whose first node is a word and which say more than that word take part in
/// second-column alignment.
fn alignable(line: &[&Node]) -> Option<usize> {
    match (line.first().map(|n| &n.kind), line.get(1).map(|n| &n.kind)) {
        (Some(NodeKind::Word(w)), Some(k)) if !matches!(k, NodeKind::Comment(_)) => Some(w.width()),
        _ => None,
    }
}

fn body(nodes: &[Node], depth: usize, out: &mut String) {
    let lines = split_lines(nodes);
    // Alignment width per line: the widest first word of its run of consecutive
    // alignable lines.
    let mut pads = vec![0usize; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        let mut widest = 0;
        while j < lines.len() {
            match lines[j].as_deref().and_then(alignable) {
                Some(w) => widest = widest.max(w),
                None => break,
            }
            j += 1;
        }
        if j - i >= 2 {
            for p in &mut pads[i..j] {
                *p = widest;
            }
        }
        i = j.max(i + 1);
    }
    for (k, line) in lines.iter().enumerate() {
        let Some(line) = line else {
            out.push('\n');
            continue;
        };
        indent(depth, out);
        if k > 0
            && matches!(line.first().map(|n| &n.kind), Some(NodeKind::Str { .. }))
            && lines[k - 1].is_some()
        {
            out.push_str("    ");
        }
        for (t, node) in line.iter().enumerate() {
            if t > 0 && !matches!(node.kind, NodeKind::Comma) {
                out.push(' ');
            }
            token(node, depth, out);
            if t == 0 && pads[k] > 0 {
                let w = match &node.kind {
                    NodeKind::Word(w) => w.width(),
                    _ => 0,
                };
                out.extend(std::iter::repeat_n(' ', pads[k].saturating_sub(w)));
            }
        }
        out.push('\n');
    }
}

fn has_newline(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| matches!(n.kind, NodeKind::Newline))
}

fn inline(nodes: &[Node], depth: usize, out: &mut String) {
    for (t, node) in nodes.iter().enumerate() {
        if t > 0 && !matches!(node.kind, NodeKind::Comma) {
            out.push(' ');
        }
        token(node, depth, out);
    }
}

fn token(node: &Node, depth: usize, out: &mut String) {
    match &node.kind {
        NodeKind::Word(w) => out.push_str(w),
        NodeKind::Str { raw, .. } => {
            out.push('"');
            out.push_str(raw);
            out.push('"');
        }
        NodeKind::Quantity { text, unit, .. } => {
            out.push_str(text);
            out.push_str(unit.as_deref().unwrap_or(""));
        }
        NodeKind::Offset { text, unit, .. } => {
            out.push('+');
            out.push_str(text);
            out.push_str(unit.as_deref().unwrap_or(""));
        }
        NodeKind::Date { year, month, day } => {
            out.push_str(&format!("{year:04}-{month:02}-{day:02}"))
        }
        NodeKind::Time { hour, minute } => out.push_str(&format!("{hour:02}:{minute:02}")),
        NodeKind::Arrow => out.push_str("->"),
        NodeKind::Ge => out.push_str(">="),
        NodeKind::Comma => out.push(','),
        NodeKind::Semi => out.push(';'),
        NodeKind::Point { x_text, y_text, .. } => out.push_str(&format!("({x_text}, {y_text})")),
        NodeKind::Comment(c) => out.push_str(c),
        NodeKind::Newline => {}
        NodeKind::List(items) | NodeKind::Block(items) => {
            let (open, close) = if matches!(node.kind, NodeKind::List(_)) {
                ('[', ']')
            } else {
                ('{', '}')
            };
            out.push(open);
            if has_newline(items) {
                out.push('\n');
                body(items, depth + 1, out);
                indent(depth, out);
            } else if items.is_empty() {
                if open == '{' {
                    out.push(' ');
                }
            } else if open == '{' {
                out.push(' ');
                inline(items, depth, out);
                out.push(' ');
            } else {
                inline(items, depth, out);
            }
            out.push(close);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::format;

    #[test]
    fn normalises_spacing_units_points_and_alignment() {
        let text = "map {\n    place   上村   at (120,80)  // 上村\n\n\n\n  shelter 竹源小学 at ( 600 , 150 ) capacity 300 { water  power }\n    road 上村 -> 竹源小学 width 4 m\n}\n";
        let out = format(text).unwrap();
        assert_eq!(
            out,
            "map {\n  place 上村 at (120, 80) // 上村\n\n  shelter 竹源小学 at (600, 150) capacity 300 { water power }\n  road    上村 -> 竹源小学 width 4m\n}\n"
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    /// Issue 19, item 12: a file of a byte-order mark alone was "formatted" to an
    /// empty file, which the next `drill fmt` refused (E0100).
    #[test]
    fn a_byte_order_mark_alone_is_an_empty_file_and_formatting_is_idempotent() {
        for blank in ["\u{FEFF}", "\u{FEFF}\n \u{FEFF}\t\n", ""] {
            let codes: Vec<_> = format(blank).unwrap_err().iter().map(|d| d.code).collect();
            assert_eq!(codes, ["E0100"], "{blank:?}");
        }
        for text in ["\u{FEFF}// 注释\n", "\u{FEFF}map {\n}\n", "\u{FEFF}map {}"] {
            let out = format(text).unwrap();
            assert_eq!(format(&out).as_ref(), Ok(&out), "{text:?}");
        }
    }

    #[test]
    fn inject_message_lines_are_indented_as_continuations() {
        let text = "injects {\n1 at 20:00 from 县气象局\n\"预警\" expect T1\n}";
        let out = format(text).unwrap();
        assert_eq!(
            out,
            "injects {\n  1 at 20:00 from 县气象局\n      \"预警\" expect T1\n}\n"
        );
        assert_eq!(format(&out).unwrap(), out);
    }
}
