//! Pass 1: text to syntax tree, with `pest`.
//!
//! Before pest runs, a linear pre-scan catches the mistakes trainers actually make and
//! reports *each* of them in plain words: unclosed strings, brackets and comments
//! (pointing at the opener), binary content and absurd nesting. It also reads what a
//! Chinese input method types (see `normalise.rs`): full-width punctuation and digits
//! become their ASCII twins (one warning per file, W0010) and Chinese units after a
//! number become the canonical ones, in a rewritten copy whose offset map takes every
//! span back to the original text. Whatever pest still refuses is mapped to a human
//! message here; pest's rule names never reach the user. A word pest refuses for its
//! unit (`600mins`, `3号桥`) is reported, blanked out and the parse goes on, so every
//! such mistake of a file comes in one run.

use super::diagnostic::Diagnostic;
use super::normalise::{self, OffsetMap, Rewriter};
use super::syntax::{ByteSpan, Node, NodeKind, SyntaxFile};
use crate::model::Span;
use pest::Parser;
use pest::iterators::Pair;
use std::borrow::Cow;

#[derive(pest_derive::Parser)]
#[grammar = "lang/grammar.pest"]
struct DrillParser;

/// Deeper nesting than this is refused before pest runs (what reads the syntax tree
/// recurses per level).
const MAX_NESTING: usize = 64;

/// How many refused words (E0111) one parse reports before it gives up: each costs
/// a parse of the whole text.
const MAX_RECOVERIES: usize = 50;

/// Parses one source text. Returns the tree when the text could be read (possibly
/// with diagnostics for recovered mistakes such as a word with an unknown unit), and
/// all diagnostics found. Every span points into `text` as given.
pub fn parse(text: &str, file: u32) -> (Option<SyntaxFile<'_>>, Vec<Diagnostic>) {
    let sp = |s: usize, e: usize| Span {
        file,
        start: s as u32,
        end: e as u32,
    };
    // A byte-order mark is blank too (the grammar skips it like a space): a file
    // holding only one is empty, and `drill fmt` must not turn it into "".
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .is_empty()
    {
        return (
            None,
            vec![
                Diagnostic::error("E0100", sp(0, 0), "文件是空的", "the file is empty")
                    .help("write at least a `scenario \"标题\" { ... }` block; see docs/LANGUAGE.md / 至少写一个 scenario 块"),
            ],
        );
    }
    let (mut fixed, map, mut diags, fatal) = prescan(text, file);
    if fatal {
        return (None, diags);
    }
    // Diagnostics from here on are in the rewritten text's positions until mapped.
    let mut recovered: Vec<Diagnostic> = Vec::new();
    let mut blanked = false;
    loop {
        let mut converted_diags = Vec::new();
        let texts = Texts {
            source: text,
            parsed: &fixed,
            map: &map,
            replaced: blanked || !map.is_empty(),
        };
        let converted = parse_once(&texts, &mut converted_diags, file);
        match converted {
            Ok(mut nodes) => {
                map.nodes(&mut nodes);
                for mut d in recovered.into_iter().chain(converted_diags) {
                    map.diagnostic(&mut d);
                    diags.push(d);
                }
                return (Some(SyntaxFile { nodes }), diags);
            }
            Err(pos) => {
                // What conversion said about tokens before the failure is dropped, as if
                // pest had refused the text outright.
                let (d, blank) = pest_error_to_diagnostic(&fixed, pos, file);
                let progress = recovered
                    .last()
                    .is_none_or(|last| last.primary.span.start < d.primary.span.start);
                recovered.push(d);
                match blank {
                    Some((s, e)) if progress && e > s && recovered.len() < MAX_RECOVERIES => {
                        // Same length, so every position stays where it was.
                        let mut owned = std::mem::take(&mut fixed).into_owned();
                        owned.replace_range(s..e, &" ".repeat(e - s));
                        fixed = Cow::Owned(owned);
                        blanked = true;
                    }
                    _ => {
                        for mut d in recovered {
                            map.diagnostic(&mut d);
                            diags.push(d);
                        }
                        return (None, diags);
                    }
                }
            }
        }
    }
}

/// One pest parse of the (rewritten) text and its conversion to nodes, in the parsed
/// text's positions; `Err(pos)` where the text is refused.
fn parse_once<'a>(
    texts: &Texts<'a, '_>,
    diags: &mut Vec<Diagnostic>,
    file: u32,
) -> Result<Vec<Node<'a>>, usize> {
    match DrillParser::parse(Rule::file, texts.parsed) {
        Ok(mut pairs) => match pairs.next() {
            Some(file_pair) => convert_items(file_pair, diags, file, texts),
            None => Ok(Vec::new()),
        },
        Err(err) => {
            let pos = match err.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
            // A token glued wrongly to a name before that point is the first mistake.
            Err(first_glue_error(texts.parsed, pos).map_or(pos, |q| q.min(pos)))
        }
    }
}

fn is_opener(c: char) -> bool {
    matches!(c, '{' | '[' | '(')
}

fn closer_for(c: char) -> char {
    match c {
        '{' => '}',
        '[' => ']',
        _ => ')',
    }
}

/// How far the pre-scan may skip from a byte without a closer look: 1 from an ASCII
/// letter, digit, space or newline, 3 from the lead byte (E5-E9) of a CJK ideograph
/// U+5000..U+9FFF, 0 otherwise. (One table lookup per byte instead of five compares.)
const PLAIN_BYTE_SKIP: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b' ' | b'\n' => 1,
            0xE5..=0xE9 => 3,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The linear pre-scan. Returns the text to parse (rewritten where full-width
/// characters or Chinese units were read, see `normalise.rs`) with its map back to
/// `text`, the diagnostics (in `text`'s positions), and whether parsing must stop.
fn prescan(text: &str, file: u32) -> (Cow<'_, str>, OffsetMap, Vec<Diagnostic>, bool) {
    let sp = |s: usize, e: usize| Span {
        file,
        start: s as u32,
        end: e as u32,
    };
    let mut diags = Vec::new();
    let mut out = Rewriter::new(text);
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut fatal = false;
    let bytes = text.as_bytes();
    let mut pos = 0;
    // The character at byte `at` (always a boundary: the walk steps whole characters).
    let char_at = |at: usize| text[at..].chars().next().unwrap_or('\0');
    // The first full-width character (where, which, read as) and how many there are.
    let mut first_full_width: Option<(usize, char, char)> = None;
    let mut full_width_count = 0usize;
    let mut full_width = |out: &mut Rewriter<'_>, at: usize, c: char, ascii: char| {
        out.replace(at, c.len_utf8(), ascii.encode_utf8(&mut [0; 4]));
        first_full_width.get_or_insert((at, c, ascii));
        full_width_count += 1;
    };
    // U+FFFD is what `io` reads a byte that is not UTF-8 as (E0109, wherever it is).
    let stray = |diags: &mut Vec<Diagnostic>, at: usize| {
        if diags.iter().filter(|d| d.code == "E0109").count() < 20 {
            diags.push(stray_byte(sp(at, at + '\u{FFFD}'.len_utf8())));
        }
    };
    let strays_in = |diags: &mut Vec<Diagnostic>, from: usize, to: usize| {
        for (k, _) in text[from..to].match_indices('\u{FFFD}') {
            stray(diags, from + k);
        }
    };
    while pos < bytes.len() {
        // Most characters of a scenario need no check: ASCII letters, digits, spaces,
        // newlines, and CJK ideographs U+4E00..U+9FFF (lead byte E5-E9, or E4 then
        // B8-BF), which hold no full-width punctuation or digits. Skipped by byte;
        // an ideograph right after a digit or a space (or a rewritten character) may
        // be a Chinese unit and gets a closer look.
        let b = bytes[pos];
        let skip = PLAIN_BYTE_SKIP[usize::from(b)];
        if skip == 1 {
            pos += 1;
            continue;
        }
        if skip == 3 || (b == 0xE4 && bytes.get(pos + 1).is_some_and(|&n| n >= 0xB8)) {
            let unit_context = pos > 0
                && (matches!(bytes[pos - 1], b'0'..=b'9' | b' ' | b'\t' | b'\n')
                    || pos == out.last_end());
            if unit_context
                && let Some((len, unit)) = normalise::unit_at(text, pos, out.before(pos))
            {
                out.replace(pos, len, unit);
                pos += len;
            } else {
                pos += 3;
            }
            continue;
        }
        let (i, c) = (pos, char_at(pos));
        pos += c.len_utf8();
        match c {
            '\0' | '\u{1}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}' => {
                diags.push(
                    Diagnostic::error("E0101", sp(i, i + 1), "文件含有二进制或控制字符,不是文本", format!("the file contains binary data (byte 0x{:02x}); it is not a scenario text", c as u32))
                        .label("not text")
                        .help("open the right file, or save it as plain UTF-8 text / 请确认文件是 UTF-8 纯文本"),
                );
                return (Cow::Borrowed(text), OffsetMap::default(), diags, true);
            }
            '\u{FFFD}' => {
                stray(&mut diags, i);
                out.replace(i, c.len_utf8(), " ");
            }
            '/' if bytes.get(i + 1) == Some(&b'/') => {
                // (the newline itself is left for the walk)
                pos = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                strays_in(&mut diags, i, pos);
            }
            '/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/");
                let closed = end.is_some();
                pos = end.map_or(bytes.len(), |n| i + 2 + n + 2);
                strays_in(&mut diags, i, pos);
                if !closed {
                    diags.push(
                        Diagnostic::error(
                            "E0102",
                            sp(i, i + 2),
                            "注释 /* 没有结束",
                            "unclosed comment `/*`",
                        )
                        .label("this comment is never closed")
                        .help("add `*/` where the comment should end / 在注释结尾加 */"),
                    );
                    fatal = true;
                }
            }
            '"' | '“' | '＂' => {
                if c != '"' {
                    full_width(&mut out, i, c, '"');
                }
                // A string opened with `"` may hold Chinese quotes (`"他说“快跑”"`): a
                // `”` closes it only when no `"` follows on the line (an input method
                // switched mid-string). One opened with `“` closes at `”` or `"`.
                let line_end = text[pos..].find('\n').map_or(bytes.len(), |n| pos + n);
                let ascii_closer_ahead = |from: usize| text[from..line_end].contains('"');
                let mut closed = false;
                while pos < bytes.len() {
                    let (j, d) = (pos, char_at(pos));
                    pos += d.len_utf8();
                    match d {
                        '\\' if pos < bytes.len() => pos += char_at(pos).len_utf8(),
                        '\u{FFFD}' => stray(&mut diags, j),
                        '"' => {
                            closed = true;
                            break;
                        }
                        '”' | '＂' if c != '"' || !ascii_closer_ahead(pos) => {
                            full_width(&mut out, j, d, '"');
                            closed = true;
                            break;
                        }
                        '\n' => break,
                        _ => {}
                    }
                }
                if !closed {
                    diags.push(
                        Diagnostic::error("E0103", sp(i, i + c.len_utf8()), "字符串的引号没有配对", "unclosed string: the `\"` opened here has no closing `\"` on this line")
                            .label("string starts here")
                            .help("add the closing `\"` before the end of the line / 在行末之前补上右引号"),
                    );
                    fatal = true;
                }
            }
            _ => {
                let (ascii, len) = match normalise::ascii_for_full_width(c) {
                    Some(a) => {
                        full_width(&mut out, i, c, a);
                        (a, c.len_utf8())
                    }
                    None => (c, c.len_utf8()),
                };
                if is_opener(ascii) {
                    stack.push((ascii, i));
                    if stack.len() > MAX_NESTING {
                        diags.push(
                            Diagnostic::error("E0104", sp(i, i + len), "括号嵌套太深", format!("brackets nested more than {MAX_NESTING} deep"))
                                .help("a scenario never needs this much nesting; check for stray `{` / 检查多余的括号"),
                        );
                        return (Cow::Borrowed(text), OffsetMap::default(), diags, true);
                    }
                } else if matches!(ascii, '}' | ']' | ')') {
                    match stack.pop() {
                        Some((open, _)) if closer_for(open) == ascii => {}
                        Some((open, at)) => {
                            let (line, col) = super::diagnostic::line_col(text, at);
                            diags.push(
                                Diagnostic::error("E0105", sp(i, i + len), format!("`{ascii}` 与第 {line} 行的 `{open}` 不配对"), format!("`{ascii}` does not match the `{open}` opened at line {line}, column {col}"))
                                    .label(format!("expected `{}` here", closer_for(open)))
                                    .secondary(sp(at, at + char_at(at).len_utf8()), "opened here")
                                    .help(format!("close the `{open}` with `{}` first / 先用 `{}` 关闭", closer_for(open), closer_for(open))),
                            );
                            fatal = true;
                        }
                        None => {
                            diags.push(
                                Diagnostic::error("E0106", sp(i, i + len), format!("多余的 `{ascii}`"), format!("`{ascii}` closes nothing"))
                                    .label("nothing to close")
                                    .help("remove it, or add the opening bracket where the block starts / 删除它或补上左括号"),
                            );
                            fatal = true;
                        }
                    }
                }
            }
        }
    }
    if let Some((at, c, ascii)) = first_full_width {
        diags.push(full_width_warning(
            sp(at, at + c.len_utf8()),
            c,
            ascii,
            full_width_count,
        ));
    }
    for (open, at) in stack.into_iter().rev() {
        let (line, _) = super::diagnostic::line_col(text, at);
        diags.push(
            Diagnostic::error(
                "E0108",
                sp(at, at + char_at(at).len_utf8()),
                format!("第 {line} 行的 `{open}` 没有关闭"),
                format!("unclosed `{open}` opened at line {line}"),
            )
            .label("opened here, never closed")
            .help(format!(
                "add `{}` where this block ends / 在块结尾补上 `{}`",
                closer_for(open),
                closer_for(open)
            )),
        );
        fatal = true;
    }
    let (fixed, map) = out.finish();
    (fixed, map, diags, fatal)
}

/// E0109: a byte that is not UTF-8 (read as U+FFFD by `io`).
fn stray_byte(span: Span) -> Diagnostic {
    Diagnostic::error(
        "E0109",
        span,
        "此处有一个字节不是 UTF-8 文本(显示为 �)",
        "a byte here is not UTF-8 text (shown as �), in a file that is otherwise UTF-8",
    )
    .label("not UTF-8")
    .help("delete it and retype the character there; save the file as UTF-8 / 删除后重新输入该字符,文件请存为 UTF-8")
}

/// W0010: the file has full-width punctuation or digits, read as ASCII; one warning
/// per file, at the first of them.
fn full_width_warning(span: Span, c: char, ascii: char, count: usize) -> Diagnostic {
    let what = if c.is_numeric() {
        "digit"
    } else {
        "punctuation"
    };
    let (more_zh, more_en) = match count {
        1 => (String::new(), String::new()),
        n => (
            format!(",本文件共 {n} 处全角字符"),
            format!("; {n} full-width characters in this file"),
        ),
    };
    Diagnostic::warning(
        "W0010",
        span,
        format!("全角字符 '{c}' 已按半角 '{ascii}' 读取{more_zh}"),
        format!("full-width {what} '{c}' read as ASCII '{ascii}'{more_en}"),
    )
    .label(format!("read as '{ascii}'"))
    .help("`drill fmt` rewrites them in ASCII; or switch the input method to half-width (半角) / 运行 drill fmt 自动改为半角")
}

/// The message for a text pest refused at `pos`, and, when the refused thing is a
/// word with a unit that is not one (E0111), the bytes to blank so the parse can go
/// on past it (the unit; the number stays, so what needs a number gets one).
fn pest_error_to_diagnostic(
    text: &str,
    pos: usize,
    file: u32,
) -> (Diagnostic, Option<(usize, usize)>) {
    let sp = |s: usize, e: usize| Span {
        file,
        start: s as u32,
        end: e as u32,
    };
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    // The word around the failure: back to the previous separator.
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '%' | '-');
    let start = text[..pos]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(pos, |(i, _)| i);
    let end = text[pos..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| pos + i);
    let word = &text[start..end];
    let digits_only = word
        .trim_start_matches('-')
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    if !digits_only && word.starts_with(|c: char| c.is_ascii_digit())
        || (word.starts_with('-') && word[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        let digits = word.trim_start_matches('-');
        let number_len = digits
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(digits.len());
        let number = &word[..word.len() - digits.len() + number_len];
        let rest = &word[number.len()..];
        let blank = (start + number.len(), end);
        let d = Diagnostic::error(
            "E0111",
            sp(start, end.max(start + 1)),
            format!("`{word}` 既不是带单位的数量,也不是名称"),
            format!("`{word}`: `{rest}` is not a unit after {number}, and a name cannot start with a digit"),
        )
        .label(format!("unknown unit `{rest}`"))
        .help(format!(
            "write a unit like {number}m, {number}km, {number}min, {number}h, {number}m/s, {number}% (or 米 公里 分钟 小时 ...); or quote a name: \"{word}\" / 数量请用 m km min h 或 米 公里 分钟 小时 等单位,名称以数字开头请加引号"
        ));
        return (d, Some(blank));
    }
    let c = text[pos..].chars().next();
    let d = match c {
        None => Diagnostic::error("E0112", sp(pos, pos), "文件意外结束", "unexpected end of file").help("complete the last statement"),
        Some(c) => Diagnostic::error("E0113", sp(pos, pos + c.len_utf8()), format!("无法识别的字符 '{c}'"), format!("unexpected character '{c}'"))
            .label("not allowed here")
            .help("remove it; names use letters, digits, `_` and `-`, text goes in \"quotes\" / 删除该字符,文字请放在引号中"),
    };
    (d, None)
}

fn span_of(pair: &Pair<'_, Rule>) -> ByteSpan {
    let s = pair.as_span();
    ByteSpan::new(s.start(), s.end())
}

/// The spellings a unit may have when it stands alone as a word (`rain mm/h [...]`);
/// the grammar lets a `/s`, `/h` or `/m3` tail follow any name and this list decides.
const UNIT_WORDS: [&str; 7] = ["m3/s", "mm/h", "kg/s", "g/s", "km/h", "m/s", "mg/m3"];

/// Where node texts come from: the parsed text is the source itself, or (when the
/// pre-scan rewrote full-width characters or Chinese units, or a refused unit was
/// blanked) a copy of it, `map` taking its positions back to the source.
struct Texts<'a, 'p> {
    source: &'a str,
    parsed: &'p str,
    map: &'p OffsetMap,
    replaced: bool,
}

impl<'a> Texts<'a, '_> {
    /// A slice of the parsed text as node text: borrowed from the source where the
    /// source says the same there, owned where a rewrite makes the two differ (so
    /// `drill fmt` writes the ASCII).
    fn get(&self, s: &str) -> Cow<'a, str> {
        let start = s.as_ptr() as usize - self.parsed.as_ptr() as usize;
        if !self.replaced {
            return Cow::Borrowed(&self.source[start..start + s.len()]);
        }
        let orig = self.map.start(start as u32) as usize;
        match self.source.get(orig..orig + s.len()) {
            Some(original) if original == s => Cow::Borrowed(original),
            _ => Cow::Owned(s.to_string()),
        }
    }
}

/// Turns the pairs under the file into the tree of nodes, in one walk over pest's
/// flat token queue (nested `Pairs` would count each level's pairs first, walking
/// the queue once more per level). Brackets are tokens: a `{` or `[` opens a frame
/// that its `}` or `]` closes (the pre-scan has checked that they pair up, reading
/// strings and comments as the grammar does); the pairs inside a token, point or
/// offset (`unit`, `number`, `nl`, the insides of strings and comments) are read from
/// that pair and skipped here; a unit tail is glued to the name before it.
/// `Err(pos)` when the text is not in the language after all: a token glued wrongly
/// to the name before it (see [`glue`]), refused where the grammar's previous form
/// refused it.
fn convert_items<'a>(
    file_pair: Pair<'_, Rule>,
    diags: &mut Vec<Diagnostic>,
    file: u32,
    texts: &Texts<'a, '_>,
) -> Result<Vec<Node<'a>>, usize> {
    struct Frame<'a> {
        list: bool,
        start: usize,
        nodes: Vec<Node<'a>>,
    }
    let mut top = Vec::new();
    let mut open: Vec<Frame<'a>> = Vec::new();
    let mut inside_until = 0u32;
    for pair in file_pair.into_inner().flatten() {
        let span = span_of(&pair);
        if span.start < inside_until
            || matches!(
                pair.as_rule(),
                Rule::string_rest | Rule::line_comment_rest | Rule::block_comment_rest
            )
        {
            continue; // a part of the token, point or offset just read
        }
        let kind = match pair.as_rule() {
            Rule::token => {
                // (sliced from the span already read: `Pair::as_str` finds both ends in
                // pest's token queue again)
                let text = texts
                    .parsed
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or_default();
                match text.as_bytes().first() {
                    Some(b'{' | b'[') => {
                        open.push(Frame {
                            list: text == "[",
                            start: span.start as usize,
                            nodes: Vec::new(),
                        });
                        continue;
                    }
                    Some(b'}' | b']') => {
                        // (the pre-scan has refused unbalanced brackets: never an `Err` here)
                        let list = text == "]";
                        let frame = open
                            .pop()
                            .filter(|f| f.list == list)
                            .ok_or(span.start as usize)?;
                        let kind = if list {
                            NodeKind::List(frame.nodes)
                        } else {
                            NodeKind::Block(frame.nodes)
                        };
                        open.last_mut()
                            .map_or(&mut top, |f| &mut f.nodes)
                            .push(Node {
                                kind,
                                span: ByteSpan::new(frame.start, span.end as usize),
                            });
                        continue;
                    }
                    _ if needs_glue(text) => {
                        let nodes = open.last_mut().map_or(&mut top, |f| &mut f.nodes);
                        glue(nodes, text, span, texts)?;
                        inside_until = span.end;
                        continue;
                    }
                    _ => token_kind(text, span, diags, file, texts)?,
                }
            }
            Rule::offset => {
                let q = pair.into_inner().next().map_or("", |p| p.as_str());
                let (value, text, unit) = split_quantity(q, texts);
                NodeKind::Offset { value, text, unit }
            }
            Rule::point => {
                // (a point written over several lines also holds `nl` pairs)
                let mut numbers = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::number)
                    .map(|p| p.as_str());
                let xt = numbers.next();
                let yt = numbers.next();
                let value = |t: Option<&str>| t.map_or(0.0, number_value);
                let text = |t: Option<&str>| t.map_or(Cow::Borrowed("0"), |t| texts.get(t));
                NodeKind::Point {
                    x: value(xt),
                    y: value(yt),
                    x_text: text(xt),
                    y_text: text(yt),
                }
            }
            _ => continue, // EOI
        };
        inside_until = span.end;
        open.last_mut()
            .map_or(&mut top, |f| &mut f.nodes)
            .push(Node { kind, span });
    }
    match open.first() {
        Some(unclosed) => Err(unclosed.start),
        None => Ok(top),
    }
}

/// A `quantity` token (`600m`, `4 m`, `-3`).
fn quantity<'a>(s: &str, texts: &Texts<'a, '_>) -> NodeKind<'a> {
    let (value, text, unit) = split_quantity(s, texts);
    NodeKind::Quantity { value, text, unit }
}

/// A quantity's text (`600m`, `4 m`, `-3`) split into value, number as written, unit.
fn split_quantity<'a>(s: &str, texts: &Texts<'a, '_>) -> (f64, Cow<'a, str>, Option<Cow<'a, str>>) {
    let number_len = s
        .bytes()
        .enumerate()
        .position(|(i, b)| !(b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-')))
        .unwrap_or(s.len());
    let number = &s[..number_len];
    let unit = s[number_len..].trim_start_matches([' ', '\t', '\u{FEFF}']);
    (
        number_value(number),
        texts.get(number),
        (!unit.is_empty()).then(|| texts.get(unit)),
    )
}

/// A number's value. Whole numbers of up to 15 digits, most of a scenario's, are read
/// digit by digit: they are exact in an `f64`, so this is the value `str::parse` gives,
/// without its general algorithm; anything else goes to `str::parse`.
fn number_value(number: &str) -> f64 {
    if (1..=15).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()) {
        number
            .bytes()
            .fold(0u64, |value, b| value * 10 + u64::from(b - b'0')) as f64
    } else {
        number.parse().unwrap_or(0.0)
    }
}

/// The kind of one `token`, read from its first character (the grammar's token
/// alternatives all start differently; see `grammar.pest`).
fn token_kind<'a>(
    s: &str,
    span: ByteSpan,
    diags: &mut Vec<Diagnostic>,
    file: u32,
    texts: &Texts<'a, '_>,
) -> Result<NodeKind<'a>, usize> {
    let bytes = s.as_bytes();
    Ok(match bytes.first().copied().unwrap_or(b'\n') {
        b'\n' | b'\r' => NodeKind::Newline,
        // (a `\r` before the newline ends up in the line comment and is trimmed here)
        b'/' => NodeKind::Comment(texts.get(s.trim_end())),
        b'"' => {
            let raw = &s[1..s.len() - 1];
            let value = if raw.contains('\\') {
                let mut value = String::with_capacity(raw.len());
                let mut it = raw.chars();
                while let Some(c) = it.next() {
                    if c == '\\' {
                        if let Some(n) = it.next() {
                            value.push(n);
                        }
                    } else {
                        value.push(c);
                    }
                }
                Cow::Owned(value)
            } else {
                texts.get(raw)
            };
            NodeKind::Str {
                value,
                raw: texts.get(raw),
            }
        }
        b',' => NodeKind::Comma,
        b';' => NodeKind::Semi,
        b'-' if s == "->" => NodeKind::Arrow,
        b'-' => quantity(s, texts),
        b'0'..=b'9' if bytes.len() == 10 && bytes[4] == b'-' => {
            let year = s[0..4].parse().unwrap_or(0);
            let month: u8 = s[5..7].parse().unwrap_or(0);
            let day: u8 = s[8..10].parse().unwrap_or(0);
            if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                diags.push(
                    Diagnostic::error(
                        "E0114",
                        Span {
                            file,
                            start: span.start,
                            end: span.end,
                        },
                        format!("日期 {s} 不存在"),
                        format!("{s} is not a valid date"),
                    )
                    .help("write the date as YYYY-MM-DD, like 2026-06-18"),
                );
            }
            NodeKind::Date { year, month, day }
        }
        b'0'..=b'9' if bytes.contains(&b':') => {
            let (h, m) = s.split_once(':').unwrap_or(("0", "0"));
            let hour: u8 = h.parse().unwrap_or(0);
            let minute: u8 = m.parse().unwrap_or(0);
            if hour > 23 || minute > 59 {
                diags.push(
                    Diagnostic::error(
                        "E0115",
                        Span {
                            file,
                            start: span.start,
                            end: span.end,
                        },
                        format!("时刻 {s} 不存在"),
                        format!("{s} is not a valid time of day"),
                    )
                    .help("write a time like 20:00 (00:00 to 23:59)"),
                );
            }
            NodeKind::Time { hour, minute }
        }
        b'0'..=b'9' => quantity(s, texts),
        _ => NodeKind::Word(texts.get(s)),
    })
}

/// Whether a token is the `/s`, `/h` or `/m3` tail of a unit word (not a comment).
fn is_unit_tail(token: &str) -> bool {
    token.starts_with('/') && !token.starts_with("//") && !token.starts_with("/*")
}

/// Whether a token is read together with the name directly before it (see [`glue`]).
fn needs_glue(token: &str) -> bool {
    token.starts_with('>') || is_unit_tail(token)
}

/// Reads a token that the grammar leaves to be glued to the name directly before it
/// (so that a name costs pest no look at what follows it):
/// - a unit tail after a name makes one word (`mm/h`); a tail after anything else is
///   refused at its `/`;
/// - a name takes in every `-`, so `>` after a name ending in `-` is the arrow
///   (`a->b` is `a`, `->`, `b`); a `>` after anything else is refused;
/// - `>=` after a name ending in `-` is refused at the `=` (`a->=`); otherwise it is `>=`.
///
/// `Err(pos)` is where the grammar this one replaced refused the text.
fn glue<'a>(
    nodes: &mut Vec<Node<'a>>,
    token: &str,
    span: ByteSpan,
    texts: &Texts<'a, '_>,
) -> Result<(), usize> {
    let at = span.start as usize;
    let name_before = match nodes.last_mut() {
        Some(Node {
            kind: NodeKind::Word(word),
            span: word_span,
        }) if word_span.end == span.start => Some((word, word_span)),
        _ => None,
    };
    if is_unit_tail(token) {
        return match name_before {
            Some((word, word_span)) if !word.contains('/') => {
                let whole = &texts.parsed[word_span.start as usize..span.end as usize];
                if let Some(slash) = bad_unit_word(whole) {
                    return Err(word_span.start as usize + slash);
                }
                *word = texts.get(whole);
                word_span.end = span.end;
                Ok(())
            }
            _ => Err(at),
        };
    }
    let after_dash = name_before.filter(|_| texts.parsed[..at].ends_with('-'));
    match (token, after_dash) {
        (">", Some((word, word_span))) => {
            *word = texts.get(&texts.parsed[word_span.start as usize..at - 1]);
            word_span.end -= 1;
            nodes.push(Node {
                kind: NodeKind::Arrow,
                span: ByteSpan::new(at - 1, span.end as usize),
            });
            Ok(())
        }
        (">", None) => Err(at),
        (_, Some(_)) => Err(at + 1),
        (_, None) => {
            nodes.push(Node {
                kind: NodeKind::Ge,
                span,
            });
            Ok(())
        }
    }
}

/// Where a name with a `/s`, `/h` or `/m3` tail (`kg/h`) is not one of the unit
/// words, the offset of its `/`: the grammar this one replaced stopped there.
fn bad_unit_word(word: &str) -> Option<usize> {
    // (a byte loop: names are short, and `str::find` set up a searcher per name)
    let slash = word.bytes().position(|b| b == b'/')?;
    (!UNIT_WORDS.contains(&word)).then_some(slash)
}

/// Whether a token is a name (and so may take a unit tail).
fn is_name(token: &str) -> bool {
    token.as_bytes().first().is_some_and(|first| {
        !matches!(
            first,
            b'\n' | b'\r' | b'/' | b'"' | b',' | b';' | b'>' | b'-' | b'0'..=b'9'
        )
    })
}

/// The first place before `end` where the grammar this one replaced refused the
/// text and this one does not: a bad unit word, a unit tail or `>` after no name,
/// `->=` glued to a name (see [`glue`]); found by walking the tokens with the grammar's
/// own rules. Only runs when pest has refused the text at `end`: such a mistake
/// earlier on must be reported instead, as it was the first thing refused.
fn first_glue_error(text: &str, end: usize) -> Option<usize> {
    let mut i = 0;
    // Where the name token that ends at `i` starts, if one does.
    let mut name_before: Option<usize> = None;
    while i < end {
        let rest = &text[i..];
        let rule = match rest.as_bytes()[0] {
            b' ' | b'\t' | b'{' | b'}' | b'[' | b']' => {
                i += 1;
                name_before = None;
                continue;
            }
            _ if rest.starts_with('\u{FEFF}') => {
                i += '\u{FEFF}'.len_utf8();
                name_before = None;
                continue;
            }
            b'(' => Rule::point,
            b'+' => Rule::offset,
            _ => Rule::token,
        };
        let parsed = DrillParser::parse(rule, rest);
        let parsed = match (parsed, rule) {
            (Err(_), Rule::token) => DrillParser::parse(Rule::quantity, rest),
            (parsed, _) => parsed,
        };
        let pair = parsed.ok()?.next()?;
        let len = pair.as_span().end();
        let token = pair.as_str();
        if rule == Rule::token && is_unit_tail(token) {
            let Some(start) = name_before else {
                return Some(i); // a tail after no name
            };
            if let Some(slash) = bad_unit_word(&text[start..i + len]) {
                return Some(start + slash);
            }
            name_before = None;
        } else if rule == Rule::token && token.starts_with('>') {
            let after_dash = name_before.is_some() && text[..i].ends_with('-');
            match (token, after_dash) {
                (">", false) => return Some(i),
                (">=", true) => return Some(i + 1),
                _ => {}
            }
            name_before = None;
        } else {
            name_before = (rule == Rule::token && is_name(token)).then_some(i);
        }
        if len == 0 {
            return None;
        }
        i += len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<NodeKind<'_>> {
        let (tree, diags) = parse(text, 0);
        assert!(diags.is_empty(), "{diags:?}");
        tree.unwrap().nodes.into_iter().map(|n| n.kind).collect()
    }

    #[test]
    fn quantities_with_and_without_space_before_unit() {
        let k = kinds("600m 4 m 1.5h 30% 0.035 -3");
        let units: Vec<Option<String>> = k
            .iter()
            .map(|n| match n {
                NodeKind::Quantity { unit, .. } => unit.as_deref().map(str::to_string),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            units,
            vec![
                Some("m".into()),
                Some("m".into()),
                Some("h".into()),
                Some("%".into()),
                None,
                None
            ]
        );
    }

    #[test]
    fn chinese_names_times_dates_points_and_arrows() {
        let k = kinds("道路 上村 -> 村委会 (1, 2) 2026-06-18 20:00 +45min \"3号桥\"");
        assert_eq!(k[0], NodeKind::Word("道路".into()));
        assert_eq!(k[2], NodeKind::Arrow);
        assert!(matches!(k[4], NodeKind::Point { x, y, .. } if x == 1.0 && y == 2.0));
        assert_eq!(
            k[5],
            NodeKind::Date {
                year: 2026,
                month: 6,
                day: 18
            }
        );
        assert_eq!(
            k[6],
            NodeKind::Time {
                hour: 20,
                minute: 0
            }
        );
        assert!(
            matches!(&k[7], NodeKind::Offset { value, unit: Some(u), .. } if *value == 45.0 && u == "min")
        );
        assert!(matches!(&k[8], NodeKind::Str { value, .. } if value == "3号桥"));
    }

    #[test]
    fn full_width_characters_are_read_as_ascii_with_one_warning() {
        let text = "zone z polygon （1，2） (3, 4)";
        let (tree, diags) = parse(text, 0);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "W0010");
        assert!(!diags[0].is_error());
        assert_eq!(
            diags[0].message_en,
            "full-width punctuation '（' read as ASCII '('; 3 full-width characters in this file"
        );
        assert_eq!(
            diags[0].primary.span.start as usize,
            text.find('（').unwrap()
        );
        let tree = tree.unwrap();
        let point = &tree.nodes[3];
        assert!(matches!(point.kind, NodeKind::Point { x, y, .. } if x == 1.0 && y == 2.0));
        // the point's span is the one typed: from `（` to `）`
        assert_eq!(
            &text[point.span.start as usize..point.span.end as usize],
            "（1，2）"
        );
        assert!(matches!(tree.nodes[4].kind, NodeKind::Point { x, .. } if x == 3.0));
    }

    #[test]
    fn chinese_units_and_full_width_times_are_read_where_typed() {
        let text = "宽 4米 时长 13小时 时限 30 分钟 人数 41人 at 20：35 x １２公里";
        let (tree, diags) = parse(text, 0);
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["W0010"]);
        let tree = tree.unwrap();
        let quantities: Vec<(String, Option<String>, &str)> = tree
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Quantity { text: t, unit, .. } => Some((
                    t.to_string(),
                    unit.as_deref().map(str::to_string),
                    &text[n.span.start as usize..n.span.end as usize],
                )),
                _ => None,
            })
            .collect();
        let expected = [
            ("4", Some("m"), "4米"),
            ("13", Some("h"), "13小时"),
            ("30", Some("min"), "30 分钟"),
            ("41", None, "41人"),
            ("12", Some("km"), "１２公里"),
        ];
        assert_eq!(quantities.len(), expected.len(), "{quantities:?}");
        for (got, want) in quantities.iter().zip(expected) {
            assert_eq!((got.0.as_str(), got.1.as_deref(), got.2), want);
        }
        assert!(tree.nodes.iter().any(|n| n.kind
            == NodeKind::Time {
                hour: 20,
                minute: 35
            }));
    }

    #[test]
    fn strings_and_comments_keep_their_chinese_punctuation() {
        let text = "x \"他说“快跑”，好\" // 注释，（）\ny “全角引号”";
        let (tree, diags) = parse(text, 0);
        let codes: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["W0010"], "{diags:?}");
        assert_eq!(
            diags[0].primary.span.start as usize,
            text.find("“全角").unwrap()
        );
        let tree = tree.unwrap();
        let strings: Vec<&str> = tree
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Str { value, .. } => Some(value.as_ref()),
                _ => None,
            })
            .collect();
        assert_eq!(strings, ["他说“快跑”，好", "全角引号"]);
        assert!(
            tree.nodes
                .iter()
                .any(|n| n.kind == NodeKind::Comment("// 注释，（）".into()))
        );
    }

    #[test]
    fn every_refused_unit_of_a_file_is_reported_in_one_parse() {
        let text = "width 600个\nduration 12mins\nroad 3号桥\n";
        let (_, diags) = parse(text, 0);
        let found: Vec<(&str, usize)> = diags
            .iter()
            .map(|d| (d.code, d.primary.span.start as usize))
            .collect();
        assert_eq!(
            found,
            [
                ("E0111", text.find("600").unwrap()),
                ("E0111", text.find("12mins").unwrap()),
                ("E0111", text.find("3号").unwrap())
            ]
        );
    }

    #[test]
    fn unclosed_brace_points_at_its_opening_line() {
        let (tree, diags) = parse("map {\n  cell 10m\n", 0);
        assert!(tree.is_none());
        assert!(
            diags
                .iter()
                .any(|d| d.message_en == "unclosed `{` opened at line 1"),
            "{diags:?}"
        );
    }

    #[test]
    fn bad_unit_gets_a_message_not_a_rule_name() {
        let (_, diags) = parse("width 600个", 0);
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message_en.contains("not a unit after 600"),
            "{}",
            diags[0].message_en
        );
    }

    #[test]
    fn numbers_read_digit_by_digit_have_the_value_str_parse_gives() {
        let mut texts: Vec<String> = [
            "0",
            "7",
            "007",
            "600",
            "999999999999999",
            "1000000000000000",
            "12345678901234567890",
            "0.035",
            "-3",
            "-0",
            "5.",
            "",
        ]
        .map(String::from)
        .to_vec();
        // whole numbers across the 15-digit range, some with leading zeros
        let mut n = 1u64;
        while n < 10u64.pow(16) {
            texts.push(n.to_string());
            texts.push(format!("00{n}"));
            n = n * 7 + 3;
        }
        for text in texts {
            let parsed: f64 = text.parse().unwrap_or(0.0);
            assert_eq!(number_value(&text).to_bits(), parsed.to_bits(), "{text}");
        }
    }

    #[test]
    fn binary_and_empty_input_are_refused() {
        assert_eq!(parse("abc\0def", 0).1[0].code, "E0101");
        assert_eq!(parse("  \n ", 0).1[0].code, "E0100");
    }
}
