//! Input as typed (按输入法原样输入): what a Chinese input method produces is read as
//! the ASCII the grammar knows, before pest runs.
//!
//! Two kinds of text are rewritten, outside strings and comments only (there a `，`
//! or `“` is what the author means):
//! - full-width punctuation and digits (全角标点、数字) and the full-width space, each
//!   read as its ASCII twin (`（` `(`, `【` `[`, `、` `,`, `０` `0`, ...); the pre-scan
//!   reports them once per file (W0010) and `drill fmt` writes the ASCII;
//! - Chinese units (中文单位) after a number (`4米`, `13小时`, `30 分钟`, `2公里`), or
//!   standing alone before a timeline (`毫米/小时 [0h 5]`), read as the canonical unit
//!   (`4m`, `13h`, `30 min`, `2km`); `人` and `户` after a count (`41人`, `12户`) are
//!   dropped, since a count has no unit, and only when written directly after the
//!   number: `户 12 人 41` uses them as keywords.
//!
//! The rewritten text is shorter than the original, so an [`OffsetMap`] takes every
//! position pest or the tree reports back to the original text: spans keep pointing
//! at the line and column the author typed.

use super::syntax::{ByteSpan, Node, NodeKind};
use std::borrow::Cow;

/// Full-width characters a Chinese input method produces, with their ASCII twins.
pub fn ascii_for_full_width(c: char) -> Option<char> {
    Some(match c {
        '，' | '、' => ',',
        '：' => ':',
        '；' => ';',
        '（' => '(',
        '）' => ')',
        '｛' => '{',
        '｝' => '}',
        '［' | '【' => '[',
        '］' | '】' => ']',
        '“' | '”' | '＂' => '"',
        '．' | '。' => '.',
        '－' => '-',
        '＋' => '+',
        '＞' => '>',
        '＝' => '=',
        '％' => '%',
        '／' => '/',
        '\u{3000}' => ' ',
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        _ => return None,
    })
}

/// Chinese spellings of units and the canonical unit each is read as, longest first
/// (so `分钟` wins over `分`, `毫米/小时` over `毫米`). An empty unit (`人`, `户`) is
/// dropped: the number is a count.
pub const CHINESE_UNITS: &[(&str, &str)] = &[
    ("毫克/立方米", "mg/m3"),
    ("立方米/秒", "m3/s"),
    ("毫米/小时", "mm/h"),
    ("千米/小时", "km/h"),
    ("公里/小时", "km/h"),
    ("毫米/时", "mm/h"),
    ("千米/时", "km/h"),
    ("公里/时", "km/h"),
    ("千克/秒", "kg/s"),
    ("公斤/秒", "kg/s"),
    ("米/秒", "m/s"),
    ("克/秒", "g/s"),
    ("公里", "km"),
    ("千米", "km"),
    ("厘米", "cm"),
    ("毫米", "mm"),
    ("分钟", "min"),
    ("小时", "h"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("米", "m"),
    ("秒", "s"),
    ("分", "min"),
    ("时", "h"),
    ("天", "d"),
    ("克", "g"),
    ("吨", "t"),
    ("度", "deg"),
    ("人", ""),
    ("户", ""),
];

/// Whether a character continues a name or number (the grammar's `XID_CONTINUE`, near
/// enough: what matters here is letters, ideographs and digits).
fn continues_name(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The Chinese unit starting at byte `at` of `text`, if it is read as one there: its
/// length in bytes and the canonical unit. `before` yields the (already rewritten)
/// characters before `at`, nearest first.
///
/// A unit is read after a number (`4米`, `4 米`, `+45分钟`; not after a name such as
/// `T3`, a time `20:00` or a date), or standing alone after a space where a timeline's
/// unit goes (a unit with a `/` anywhere, a plain one only before `[`). Either way
/// the next character must not continue a name: `4米家村` is left alone.
pub fn unit_at(
    text: &str,
    at: usize,
    mut before: impl Iterator<Item = char>,
) -> Option<(usize, &'static str)> {
    let rest = &text[at..];
    // (most ideographs after a space or digit start no unit: a few compares each)
    if !matches!(
        rest.chars().next(),
        Some(
            '毫' | '立'
                | '千'
                | '公'
                | '厘'
                | '米'
                | '分'
                | '小'
                | '秒'
                | '时'
                | '天'
                | '克'
                | '吨'
                | '度'
                | '人'
                | '户'
        )
    ) {
        return None;
    }
    let (spelling, unit) = CHINESE_UNITS
        .iter()
        .find(|(spelling, _)| rest.starts_with(spelling))?;
    let after = &rest[spelling.len()..];
    if after.chars().next().is_some_and(continues_name) {
        return None;
    }
    // What comes before: spaces, then a number (digits and `.`, then maybe a sign)
    // that does not end a name, time or date.
    let mut spaced = false;
    let mut c = before.next();
    while let Some(' ' | '\t') = c {
        spaced = true;
        c = before.next();
    }
    let mut digits = false;
    while let Some(d) = c.filter(|d| d.is_ascii_digit() || *d == '.') {
        digits |= d.is_ascii_digit();
        c = before.next();
    }
    let number = digits
        && match c {
            None | Some('+') => true,
            Some('-') => !before.next().is_some_and(|p| continues_name(p) || p == '-'),
            Some(p) => !(continues_name(p) || matches!(p, ':' | '-' | '/' | '.')),
        };
    if number {
        // `户 12 人 41`: a spaced `人` or `户` is the keyword.
        return (!spaced || !unit.is_empty()).then_some((spelling.len(), unit));
    }
    let alone = (spaced || matches!(c, None | Some('\n'))) && !digits;
    let timeline_unit = unit.contains('/')
        || after
            .trim_start_matches([' ', '\t', '\u{3000}'])
            .starts_with(['[', '【', '［']);
    (alone && !unit.is_empty() && timeline_unit).then_some((spelling.len(), unit))
}

/// One rewritten stretch: `old_len` bytes at `orig` in the source became `new_len`
/// bytes at `parsed` in the rewritten text.
#[derive(Debug, Clone, Copy)]
struct Repl {
    parsed: u32,
    orig: u32,
    new_len: u32,
    old_len: u32,
}

/// Takes positions in the rewritten text back to the source.
#[derive(Debug, Default)]
pub struct OffsetMap {
    repls: Vec<Repl>,
}

impl OffsetMap {
    pub fn is_empty(&self) -> bool {
        self.repls.is_empty()
    }

    /// The rewrite at or before `p`, if any.
    fn repl_before(&self, p: u32) -> Option<&Repl> {
        let i = self.repls.partition_point(|r| r.parsed <= p);
        i.checked_sub(1).map(|i| &self.repls[i])
    }

    /// The source position of a span's start at `p`; a position inside a rewritten
    /// stretch goes to its start.
    pub fn start(&self, p: u32) -> u32 {
        match self.repl_before(p) {
            None => p,
            Some(r) if p >= r.parsed + r.new_len => r.orig + r.old_len + (p - r.parsed - r.new_len),
            Some(r) => r.orig,
        }
    }

    /// The source position of a span's end at `p`; a position inside a rewritten
    /// stretch goes to its end (a dropped `人` belongs to the count before it).
    pub fn end(&self, p: u32) -> u32 {
        match self.repl_before(p) {
            None => p,
            Some(r) if p >= r.parsed + r.new_len => r.orig + r.old_len + (p - r.parsed - r.new_len),
            Some(r) if p == r.parsed => r.orig,
            Some(r) => r.orig + r.old_len,
        }
    }

    pub fn span(&self, s: ByteSpan) -> ByteSpan {
        let start = self.start(s.start);
        ByteSpan {
            start,
            end: self.end(s.end).max(start),
        }
    }

    /// Moves every span of a tree back to the source.
    pub fn nodes(&self, nodes: &mut [Node<'_>]) {
        if self.is_empty() {
            return;
        }
        for n in nodes {
            n.span = self.span(n.span);
            if let NodeKind::List(items) | NodeKind::Block(items) = &mut n.kind {
                self.nodes(items);
            }
        }
    }

    /// Moves a diagnostic's spans back to the source.
    pub fn diagnostic(&self, d: &mut super::Diagnostic) {
        for label in std::iter::once(&mut d.primary).chain(d.secondary.iter_mut()) {
            let s = self.span(ByteSpan {
                start: label.span.start,
                end: label.span.end,
            });
            label.span.start = s.start;
            label.span.end = s.end;
        }
    }
}

/// Builds the rewritten text while the pre-scan walks the source.
pub struct Rewriter<'a> {
    text: &'a str,
    out: String,
    /// End (in the source) of the last rewritten stretch.
    last: usize,
    map: OffsetMap,
}

impl<'a> Rewriter<'a> {
    pub fn new(text: &'a str) -> Self {
        Rewriter {
            text,
            out: String::new(),
            last: 0,
            map: OffsetMap::default(),
        }
    }

    /// Where the last rewritten stretch ends in the source (0 before any).
    pub fn last_end(&self) -> usize {
        self.last
    }

    /// Replaces the `old_len` bytes at `at` (after everything replaced so far).
    pub fn replace(&mut self, at: usize, old_len: usize, new: &str) {
        if self.out.capacity() == 0 {
            self.out.reserve(self.text.len());
        }
        self.out.push_str(&self.text[self.last..at]);
        self.map.repls.push(Repl {
            parsed: self.out.len() as u32,
            orig: at as u32,
            new_len: new.len() as u32,
            old_len: old_len as u32,
        });
        self.out.push_str(new);
        self.last = at + old_len;
    }

    /// The rewritten characters before source position `at`, nearest first.
    pub fn before(&self, at: usize) -> impl Iterator<Item = char> + '_ {
        self.text[self.last..at]
            .chars()
            .rev()
            .chain(self.out.chars().rev())
    }

    /// The text to parse and the map back to the source.
    pub fn finish(mut self) -> (Cow<'a, str>, OffsetMap) {
        if self.map.is_empty() {
            return (Cow::Borrowed(self.text), self.map);
        }
        self.out.push_str(&self.text[self.last..]);
        (Cow::Owned(self.out), self.map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unit read at the last `spelling` in `text`.
    fn unit(text: &str, spelling: &str) -> Option<&'static str> {
        let at = text.rfind(spelling).unwrap();
        let before = text[..at].chars().rev().collect::<Vec<_>>();
        unit_at(text, at, before.into_iter()).map(|(_, u)| u)
    }

    #[test]
    fn units_are_listed_longest_first_and_their_first_characters_are_known() {
        for (spelling, _) in CHINESE_UNITS {
            let before = ['1'];
            assert!(
                unit_at(spelling, 0, before.into_iter()).is_some(),
                "{spelling}"
            );
        }
        for (i, (a, _)) in CHINESE_UNITS.iter().enumerate() {
            for (b, _) in &CHINESE_UNITS[i + 1..] {
                assert!(!b.starts_with(a), "{b} must come before {a}");
            }
        }
    }

    #[test]
    fn a_unit_is_read_after_a_number_and_nowhere_else() {
        assert_eq!(unit("宽 4米", "米"), Some("m"));
        assert_eq!(unit("时长 13小时", "小时"), Some("h"));
        assert_eq!(unit("时限 30 分钟", "分钟"), Some("min"));
        assert_eq!(unit("+45分钟", "分钟"), Some("min"));
        assert_eq!(unit("x -2.5公里", "公里"), Some("km"));
        assert_eq!(unit("雨强 毫米/小时 [0h 5]", "毫米/小时"), Some("mm/h"));
        assert_eq!(unit("水位 米 [0h 5]", "米"), Some("m"));
        assert_eq!(unit("人数 41人", "人"), Some(""));
        // a keyword, a name, a time or a date before, or a name after
        assert_eq!(unit("户 12 人 41", "人"), None);
        assert_eq!(unit("4米家村", "米"), None);
        assert_eq!(unit("之后 T3 时", "时"), None);
        assert_eq!(unit("20:00 时", "时"), None);
        assert_eq!(unit("2026-06-18 天", "天"), None);
        assert_eq!(unit("a-3 天", "天"), None);
        assert_eq!(unit("地点 米", "米"), None);
        assert_eq!(unit("要求 100% 户", "户"), None);
    }

    #[test]
    fn positions_map_back_to_the_source() {
        let text = "宽 ４米，x";
        let mut r = Rewriter::new(text);
        let four = text.find('４').unwrap();
        r.replace(four, 3, "4");
        r.replace(four + 3, 3, "m");
        r.replace(four + 6, 3, ",");
        let (fixed, map) = r.finish();
        assert_eq!(fixed, "宽 4m,x");
        let q = fixed.find('4').unwrap() as u32;
        assert_eq!(map.start(q), four as u32);
        assert_eq!(map.end(q + 2), four as u32 + 6);
        assert_eq!(map.start(q + 3) as usize, text.find('x').unwrap());
        assert_eq!(map.start(0), 0);
    }
}
