//! The syntax tree: what the text says, before any name is resolved.
//!
//! The tree is shallow on purpose: a file is a sequence of [`Node`]s (tokens,
//! newlines, comments, and bracketed groups that contain more nodes). Which keyword
//! may follow which is decided by `validate`, so the same tree serves scenario files,
//! included files and `actions` logs, and the formatter can reproduce comments,
//! line breaks and the author's choice of Chinese or English keywords exactly.
//! Every node carries the byte range it came from.
//!
//! Names, numbers and comments borrow their text from the source (`Cow::Borrowed`),
//! so building and dropping the tree allocates only the bracket groups' vectors;
//! a token is owned only where the pre-scan replaced a full-width character inside
//! it (or a string has escapes), since that text no longer matches the source.

use std::borrow::Cow;

/// A byte range in one source text (the file is known from context).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByteSpan {
    pub start: u32,
    pub end: u32,
}

impl ByteSpan {
    pub fn new(start: usize, end: usize) -> Self {
        ByteSpan {
            start: start as u32,
            end: end as u32,
        }
    }
    /// The smallest span covering both.
    pub fn join(self, other: ByteSpan) -> ByteSpan {
        ByteSpan {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One node of the tree with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub kind: NodeKind<'a>,
    pub span: ByteSpan,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind<'a> {
    /// A name or keyword: `place`, `地点`, `下村`, `T1`.
    Word(Cow<'a, str>),
    /// A quoted string; `value` is unescaped, `raw` is the text between the quotes.
    Str {
        value: Cow<'a, str>,
        raw: Cow<'a, str>,
    },
    /// A number with an optional unit (`600m`, `4 m`, `0.035`, `30%`). `text` is the
    /// number as written, so formatting never changes `0.50` into `0.5`.
    Quantity {
        value: f64,
        text: Cow<'a, str>,
        unit: Option<Cow<'a, str>>,
    },
    /// `2026-06-18`
    Date { year: i32, month: u8, day: u8 },
    /// `20:00`
    Time { hour: u8, minute: u8 },
    /// `+45min`: a quantity counted from the drill start.
    Offset {
        value: f64,
        text: Cow<'a, str>,
        unit: Option<Cow<'a, str>>,
    },
    /// `->`
    Arrow,
    /// `>=`
    Ge,
    /// `,` (inside lists)
    Comma,
    /// `;` (separates rows of an inline grid)
    Semi,
    /// `(x, y)`; the texts keep the numbers as written.
    Point {
        x: f64,
        y: f64,
        x_text: Cow<'a, str>,
        y_text: Cow<'a, str>,
    },
    /// `[ ... ]`
    List(Vec<Node<'a>>),
    /// `{ ... }`
    Block(Vec<Node<'a>>),
    /// A line break (kept: statements end at line ends).
    Newline,
    /// `// ...` or `/* ... */`, the full text including the markers.
    Comment(Cow<'a, str>),
}

impl Node<'_> {
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Word(w) => Some(w),
            _ => None,
        }
    }
    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, NodeKind::Newline | NodeKind::Comment(_))
    }
    /// A short description for messages ("the name 下村", "the number 600").
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Word(w) => format!("`{w}`"),
            NodeKind::Str { raw, .. } => format!("\"{raw}\""),
            NodeKind::Quantity { text, unit, .. } => {
                format!("`{text}{}`", unit.as_deref().unwrap_or(""))
            }
            NodeKind::Offset { text, unit, .. } => {
                format!("`+{text}{}`", unit.as_deref().unwrap_or(""))
            }
            NodeKind::Date { year, month, day } => format!("`{year:04}-{month:02}-{day:02}`"),
            NodeKind::Time { hour, minute } => format!("`{hour:02}:{minute:02}`"),
            NodeKind::Arrow => "`->`".into(),
            NodeKind::Ge => "`>=`".into(),
            NodeKind::Comma => "`,`".into(),
            NodeKind::Semi => "`;`".into(),
            NodeKind::Point { x_text, y_text, .. } => format!("`({x_text}, {y_text})`"),
            NodeKind::List(_) => "a list `[...]`".into(),
            NodeKind::Block(_) => "a block `{...}`".into(),
            NodeKind::Newline => "the end of the line".into(),
            NodeKind::Comment(_) => "a comment".into(),
        }
    }
}

/// A parsed source file: its top-level nodes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyntaxFile<'a> {
    pub nodes: Vec<Node<'a>>,
}

/// A statement: the nodes of one logical line of a body, without comments or
/// newlines. `validate` splits bodies into statements in ways that depend on the block.
pub type Line<'a> = Vec<&'a Node<'a>>;

/// Splits a body at newlines into lines of meaningful nodes (comments dropped, empty
/// lines skipped).
pub fn lines<'a>(body: &'a [Node<'a>]) -> Vec<Line<'a>> {
    // Each line's vector is allocated once at its final size (validation calls this
    // for every block, so growing vectors node by node showed in the profile).
    let mut out = Vec::new();
    for chunk in body.split(|n| matches!(n.kind, NodeKind::Newline)) {
        let mut line: Line<'_> = Vec::with_capacity(chunk.len());
        line.extend(
            chunk
                .iter()
                .filter(|n| !matches!(n.kind, NodeKind::Comment(_))),
        );
        if !line.is_empty() {
            out.push(line);
        }
    }
    out
}
