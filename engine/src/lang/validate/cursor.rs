//! The statement cursor `Cur` and the readers of a statement's plain parts shared by
//! every block: names, quoted texts, keywords among options, word lists, risk levels
//! and hazard kinds. Owns the diagnostics for unreadable statements: E0125 (unknown
//! keyword, with the nearest spelling), E0126 (extra words before a block's `{`),
//! E0127 (something else expected here) and E0128 (words left over at the end).

use super::V;
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords::{self, is, which};
use crate::lang::syntax::{Node, NodeKind};
use crate::model::*;

/// One statement: the meaningful nodes of a line, and the file they come from.
pub(super) struct Cur<'a> {
    pub(super) file: u32,
    pub(super) nodes: Vec<&'a Node<'a>>,
    pub(super) pos: usize,
}

impl<'a> Cur<'a> {
    pub(super) fn new(file: u32, nodes: Vec<&'a Node<'a>>) -> Self {
        Cur {
            file,
            nodes,
            pos: 0,
        }
    }
    pub(super) fn peek(&self) -> Option<&'a Node<'a>> {
        self.nodes.get(self.pos).copied()
    }
    pub(super) fn next(&mut self) -> Option<&'a Node<'a>> {
        let n = self.peek();
        if n.is_some() {
            self.pos += 1;
        }
        n
    }
    pub(super) fn done(&self) -> bool {
        self.pos >= self.nodes.len()
    }
    pub(super) fn peek_word(&self) -> Option<&'a str> {
        self.peek().and_then(|n| n.word())
    }
    pub(super) fn peek_kw(&self, kw: &str) -> bool {
        self.peek_word().is_some_and(|w| is(w, kw))
    }
    pub(super) fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.peek_kw(kw);
        if yes {
            self.pos += 1;
        }
        yes
    }
    pub(super) fn span_of(&self, n: &Node) -> Span {
        Span {
            file: self.file,
            start: n.span.start,
            end: n.span.end,
        }
    }
    /// Where the next node is, or just after the last one at the end of the line.
    pub(super) fn here(&self) -> Span {
        match self.peek() {
            Some(n) => self.span_of(n),
            None => self.nodes.last().map_or(
                Span {
                    file: self.file,
                    start: 0,
                    end: 0,
                },
                |n| Span {
                    file: self.file,
                    start: n.span.end,
                    end: n.span.end,
                },
            ),
        }
    }
    pub(super) fn whole(&self) -> Span {
        match (self.nodes.first(), self.nodes.last()) {
            (Some(a), Some(b)) => Span {
                file: self.file,
                start: a.span.start,
                end: b.span.end,
            },
            _ => Span {
                file: self.file,
                start: 0,
                end: 0,
            },
        }
    }
}

impl V {
    /// Reports `node` where one of `expected` keywords should be, with the nearest
    /// spelling as a suggestion.
    pub(super) fn unknown_keyword(
        &mut self,
        cur: &Cur<'_>,
        node: &Node,
        expected: &[&'static str],
        what: &str,
    ) -> Option<&'static str> {
        let found = node.describe();
        let mut d = Diagnostic::error(
            "E0125",
            cur.span_of(node),
            format!("无法识别 {found}"),
            format!("expected {what}, found {found}"),
        )
        .label("not understood here");
        let suggestion = node
            .word()
            .and_then(|w| keywords::nearest(w, keywords::spellings(expected)));
        d = match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
            None => d.help(format!(
                "expected one of: {} / 可用: {}",
                expected.join(", "),
                keywords::spellings(expected)
                    .iter()
                    .filter(|w| keywords::is_chinese(w))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        };
        self.err(d);
        // Read on as if the suggestion had been written, so one typo does not
        // cascade into errors about everything the statement declares.
        suggestion.and_then(|s| expected.iter().copied().find(|kw| is(s, kw)))
    }

    /// After a block header (`roles`), only the block itself is expected.
    pub(super) fn expect_header_end(&mut self, cur: &Cur<'_>, consumed: usize) {
        if let Some(extra) = cur.nodes.get(consumed) {
            let span = cur.span_of(extra);
            self.err(
                Diagnostic::error(
                    "E0126",
                    span,
                    format!("多余的 {}", extra.describe()),
                    format!("unexpected {} before `{{`", extra.describe()),
                )
                .help("remove it"),
            );
        }
    }

    pub(super) fn expected(&mut self, cur: &Cur<'_>, what_zh: &str, what_en: &str, help: &str) {
        let found = cur
            .peek()
            .map_or("the end of the line".to_string(), |n| n.describe());
        self.err(
            Diagnostic::error(
                "E0127",
                cur.here(),
                format!("此处应为{what_zh}"),
                format!("expected {what_en}, found {found}"),
            )
            .label(format!("expected {what_en}"))
            .help(help.to_string()),
        );
    }

    /// Reports anything left on the line after a statement was read.
    pub(super) fn finish(&mut self, cur: &Cur<'_>) {
        if let Some(n) = cur.peek() {
            let span = cur.span_of(n);
            self.err(
                Diagnostic::error(
                    "E0128",
                    span,
                    format!("多余的 {}", n.describe()),
                    format!("unexpected {} at the end of the statement", n.describe()),
                )
                .label("not understood")
                .help(
                    "remove it, or start a new line for a new statement / 删除它,或换行写新的语句",
                ),
            );
        }
    }

    pub(super) fn name(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<(String, Span)> {
        self.name_ref(cur, what)
            .map(|(name, span)| (name.to_string(), span))
    }

    /// A name as written, borrowed from the tree: for looking a name up, where an
    /// owned copy would be allocated only to be dropped.
    pub(super) fn name_ref<'a>(
        &mut self,
        cur: &mut Cur<'a>,
        what: &str,
    ) -> Option<(&'a str, Span)> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Word(w)) => {
                let n = cur.next()?;
                Some((w, cur.span_of(n)))
            }
            Some(NodeKind::Str { value, .. }) => {
                let n = cur.next()?;
                Some((value, cur.span_of(n)))
            }
            _ => {
                self.expected(
                    cur,
                    &format!("名称({what})"),
                    &format!("a name ({what})"),
                    "write a name; quote it if it has spaces or starts with a digit: \"3号桥\"",
                );
                None
            }
        }
    }

    pub(super) fn string(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<String> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Str { value, .. }) => {
                cur.next();
                Some(value.to_string())
            }
            _ => {
                self.expected(
                    cur,
                    &format!("带引号的文字({what})"),
                    &format!("a quoted text ({what})"),
                    "write the text in double quotes: \"...\"",
                );
                None
            }
        }
    }

    pub(super) fn level(&mut self, cur: &mut Cur<'_>) -> Option<RiskLevel> {
        self.choice(
            cur,
            &["red", "orange", "yellow", "blue"],
            "a level (red, orange, yellow, blue / 红 橙 黄 蓝)",
        )
        .map(|k| match k {
            "red" => RiskLevel::Red,
            "orange" => RiskLevel::Orange,
            "yellow" => RiskLevel::Yellow,
            _ => RiskLevel::Blue,
        })
    }

    pub(super) fn hazard_kind(&mut self, cur: &mut Cur<'_>) -> Option<HazardKind> {
        self.choice(
            cur,
            &["flood", "fire", "chemical"],
            "a hazard kind (flood, fire, chemical / 洪水 火灾 危化)",
        )
        .map(|k| match k {
            "flood" => HazardKind::Flood,
            "fire" => HazardKind::ForestFire,
            _ => HazardKind::Chemical,
        })
    }

    /// One keyword among `options`; reports the nearest spelling otherwise.
    pub(super) fn choice(
        &mut self,
        cur: &mut Cur<'_>,
        options: &[&'static str],
        what: &str,
    ) -> Option<&'static str> {
        match cur.peek() {
            Some(n) => match n.word().and_then(|w| which(w, options)) {
                Some(k) => {
                    cur.next();
                    Some(k)
                }
                None => {
                    let guess = self.unknown_keyword(cur, n, options, what);
                    cur.next();
                    guess
                }
            },
            None => {
                self.expected(cur, what, what, &format!("one of: {}", options.join(", ")));
                None
            }
        }
    }

    /// The words of a `[a b c]` list (commas allowed), or a single word.
    pub(super) fn word_list<'a>(&mut self, cur: &mut Cur<'a>) -> Vec<&'a Node<'a>> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::List(items)) => {
                cur.next();
                items
                    .iter()
                    .filter(|n| !n.is_trivia() && !matches!(n.kind, NodeKind::Comma))
                    .collect()
            }
            Some(NodeKind::Word(_)) | Some(NodeKind::Str { .. }) => {
                cur.next().into_iter().collect()
            }
            _ => {
                self.expected(
                    cur,
                    "列表 [ ... ]",
                    "a list `[a b c]`",
                    "write the items in square brackets",
                );
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{EXAMPLE, errors_of};

    #[test]
    fn keyword_typo_gets_the_nearest_keyword() {
        let (codes, rendered) = errors_of(&EXAMPLE.replace("shelter 竹源小学", "shleter 竹源小学"));
        assert!(codes.contains(&"E0125"), "{rendered}");
        assert!(rendered.contains("did you mean `shelter`"), "{rendered}");
    }
}
