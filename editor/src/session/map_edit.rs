//! 地图编辑 — edits made on the author's map, written back into the scenario text as
//! splices of the text the author wrote: a moved place replaces only the `(x, y)` of
//! its statement, a new place is one line inserted into the `map` block, a deleted
//! one loses its statement's lines. Everything else — comments, blank lines, the
//! author's Chinese or English keywords, number formats — stays byte for byte. The
//! statements are found in the engine's syntax tree (`drill_engine::lang::parse`,
//! which keeps every node's byte span); the text stays the truth, and the map re-derives
//! from its next check. Pure text in, text out: tested without a window.

use drill_engine::geo::{Datum, LocalFrame, china};
use drill_engine::lang::keywords::is;
use drill_engine::lang::parse::parse;
use drill_engine::lang::syntax::{Node, NodeKind};
use drill_engine::model::{Georef, LinkKind, Point};
use std::ops::Range;

/// One edit of the map, by the names the text uses.
#[derive(Debug, Clone, PartialEq)]
pub enum MapEdit {
    /// Move a place, shelter or institution to a map point.
    MovePlace { name: String, to: Point },
    /// Add a settlement (`place`) or a shelter (`shelter ... capacity`) at a map point.
    AddPlace { shelter: bool, at: Point },
    /// Delete a place's statement and the roads that end at it.
    DeletePlace { name: String },
    /// Add a road, path or bridge between two places.
    AddLink {
        kind: LinkKind,
        from: String,
        to: String,
    },
    /// Delete the road, path or bridge between `from` and `to` (either way round).
    DeleteLink { from: String, to: String },
    /// Move vertex `index` of a zone, a road's bends or a river (see [`Shape`]).
    MoveVertex {
        shape: Shape,
        index: usize,
        to: Point,
    },
    /// Insert a vertex so that it becomes vertex `index` (the ones from `index` on
    /// move up by one): a zone corner, a road bend or a river point between its ends.
    InsertVertex {
        shape: Shape,
        index: usize,
        at: Point,
    },
    /// Delete vertex `index`: a zone keeps three corners, a river its two ends (an
    /// end deleted takes the bend next to it as the new end).
    DeleteVertex { shape: Shape, index: usize },
}

/// A line or polygon whose points the author edits, by the names the text uses, and
/// how its vertices are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A risk zone (危险区): vertex `i` is corner `i` of its `polygon`.
    Zone(String),
    /// The road, path or bridge written `from -> to`: vertex `i` is its `via` bend `i`
    /// (its ends are places, moved as places).
    Link { from: String, to: String },
    /// A river (河流): vertex 0 is `from`, then the `via` points, the last is `to`.
    River(String),
}

/// How the text writes its points: metres, or `coordinates lonlat` with the map's
/// origin (WGS 84, as the check converted it) and the datum the text is written in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CoordForm {
    Metres,
    LonLat { origin: Georef, datum: Datum },
}

impl CoordForm {
    /// The text of a map point in this form: whole metres, or degrees to 6 decimals
    /// (about 0.1 m).
    pub fn write(&self, p: Point) -> String {
        match *self {
            CoordForm::Metres => format!("({:.0}, {:.0})", p.x, p.y),
            CoordForm::LonLat { origin, datum } => {
                let (lon, lat) = LocalFrame::new(origin).to_lonlat(p);
                let (lon, lat) = match datum {
                    Datum::Wgs84 => (lon, lat),
                    Datum::Gcj02 => china::wgs84_to_gcj02(lon, lat),
                    Datum::Bd09 => {
                        let (l, b) = china::wgs84_to_gcj02(lon, lat);
                        china::gcj02_to_bd09(l, b)
                    }
                };
                format!("({lon:.6}, {lat:.6})")
            }
        }
    }
}

/// A replacement of `range` of the text by `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub range: Range<usize>,
    pub insert: String,
}

/// Applies splices (non-overlapping, any order) to `text`.
pub fn apply(text: &str, splices: &[Splice]) -> String {
    let mut sorted: Vec<&Splice> = splices.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.range.start));
    let mut out = text.to_owned();
    for s in sorted {
        out.replace_range(s.range.clone(), &s.insert);
    }
    out
}

/// One statement of the map block: its meaningful nodes and its whole lines.
struct Statement<'t> {
    nodes: Vec<&'t Node<'t>>,
    /// From the start of its first line through its line break (trailing comment
    /// included): what deleting the statement removes.
    lines: Range<usize>,
}

impl Statement<'_> {
    fn keyword(&self) -> Option<&str> {
        self.nodes.first().and_then(|n| n.word())
    }
    fn is(&self, kws: &[&str]) -> bool {
        self.keyword().is_some_and(|w| kws.iter().any(|k| is(w, k)))
    }
    /// The name after the keyword (a word or a quoted string).
    fn name(&self, at: usize) -> Option<&str> {
        match &self.nodes.get(at)?.kind {
            NodeKind::Word(w) => Some(w),
            NodeKind::Str { value, .. } => Some(value),
            _ => None,
        }
    }
    /// `from -> to` of a road, path or bridge.
    fn ends(&self) -> Option<(&str, &str)> {
        let arrow = self
            .nodes
            .iter()
            .position(|n| matches!(n.kind, NodeKind::Arrow))?;
        Some((self.name(arrow - 1)?, self.name(arrow + 1)?))
    }
}

const PLACES: &[&str] = &["place", "shelter", "institution"];
const LINKS: &[&str] = &["road", "path", "bridge"];

/// The `map` block of `text`: its statements, the byte just after its `{`, the byte of
/// its `}`, and whether its keyword is written in Chinese.
struct MapBlock<'t> {
    statements: Vec<Statement<'t>>,
    close: usize,
    chinese: bool,
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn map_block<'t>(text: &'t str, nodes: &'t [Node<'t>]) -> Result<MapBlock<'t>, String> {
    let at = nodes
        .windows(2)
        .position(|w| {
            w[0].word().is_some_and(|k| is(k, "map")) && matches!(w[1].kind, NodeKind::Block(_))
        })
        .ok_or("this file has no map block / 本文件没有 map 块")?;
    let NodeKind::Block(body) = &nodes[at + 1].kind else {
        unreachable!("checked above");
    };
    let chinese = nodes[at].word().is_some_and(|w| !w.is_ascii());
    let mut statements = Vec::new();
    for chunk in body.split(|n| matches!(n.kind, NodeKind::Newline)) {
        let meaningful: Vec<&Node> = chunk.iter().filter(|n| !n.is_trivia()).collect();
        let (Some(first), Some(last)) = (meaningful.first(), chunk.last()) else {
            continue;
        };
        let start = line_start(text, first.span.start as usize);
        // Only whitespace before the statement on its line: delete whole lines.
        let start = if text[start..first.span.start as usize].trim().is_empty() {
            start
        } else {
            first.span.start as usize
        };
        let lines = start..line_end(text, last.span.end as usize);
        statements.push(Statement {
            nodes: meaningful,
            lines,
        });
    }
    let close = nodes[at + 1].span.end as usize - 1;
    Ok(MapBlock {
        statements,
        close,
        chinese,
    })
}

/// The keyword `kw` as the author writes them: Chinese in a `地图` block.
fn kw(chinese: bool, en: &'static str) -> &'static str {
    if !chinese {
        return en;
    }
    match en {
        "place" => "地点",
        "shelter" => "避灾点",
        "at" => "位于",
        "capacity" => "容量",
        "road" => "道路",
        "path" => "小路",
        "bridge" => "桥",
        "width" => "宽",
        other => other,
    }
}

/// The indentation of the line holding byte `at`.
fn indent_of(text: &str, at: usize) -> &str {
    let s = line_start(text, at);
    let rest = &text[s..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// Where a new statement goes: after the last statement matching `kws` (or any
/// statement, or just before the closing brace), with that statement's indentation.
fn insertion(text: &str, block: &MapBlock, kws: &[&[&str]]) -> (usize, String) {
    let after = kws
        .iter()
        .find_map(|k| block.statements.iter().rev().find(|s| s.is(k)))
        .or(block.statements.last());
    match after {
        Some(s) => {
            let at = s.lines.end;
            let indent = indent_of(text, s.lines.start).to_owned();
            // A statement ending the file without a newline: start a new line.
            if !text[..at].ends_with('\n') {
                return (at, format!("\n{indent}"));
            }
            (at, indent)
        }
        None => (line_start(text, block.close), "  ".to_owned()),
    }
}

/// A name not yet used in `text` as a word: `base` followed by a number.
fn fresh_name(text: &str, base: &str) -> String {
    (1..)
        .map(|n| format!("{base}{n}"))
        .find(|cand| {
            !text
                .match_indices(cand.as_str())
                .any(|(i, _)| !text[i + cand.len()..].starts_with(|c: char| c.is_alphanumeric()))
        })
        .expect("an unused name")
}

/// The splices that make `edit` in `text`, or why it cannot be made (a place defined
/// in an included file, a name not in the map block).
pub fn plan(text: &str, edit: &MapEdit, form: CoordForm) -> Result<Vec<Splice>, String> {
    let (tree, _) = parse(text, 0);
    let tree = tree.ok_or("the text cannot be read yet / 文本暂无法解析")?;
    let block = map_block(text, &tree.nodes)?;
    let not_here = |name: &str| {
        format!(
            "{name} is not in this file's map block (an included file?) / {name} 不在本文件的 map 块中 (是否在引用文件里?)"
        )
    };
    let find_place = |name: &str| {
        block
            .statements
            .iter()
            .find(|s| s.is(PLACES) && s.name(1) == Some(name))
            .ok_or_else(|| not_here(name))
    };
    match edit {
        MapEdit::MovePlace { name, to } => {
            let st = find_place(name)?;
            let at = st
                .nodes
                .iter()
                .position(|n| n.word().is_some_and(|w| is(w, "at")))
                .and_then(|i| st.nodes.get(i + 1))
                .filter(|n| matches!(n.kind, NodeKind::Point { .. }))
                .ok_or_else(|| format!("{name} has no `at (x, y)` / {name} 缺少位置"))?;
            Ok(vec![Splice {
                range: at.span.start as usize..at.span.end as usize,
                insert: form.write(*to),
            }])
        }
        MapEdit::MoveVertex { shape, index, to } => {
            let v = vertices(&block, shape).ok_or_else(|| not_here(shape.name()))?;
            let p = v.vertex(*index, shape)?;
            Ok(vec![Splice {
                range: span(p),
                insert: form.write(*to),
            }])
        }
        MapEdit::InsertVertex { shape, index, at } => {
            let v = vertices(&block, shape).ok_or_else(|| not_here(shape.name()))?;
            v.insert(text, *index, &form.write(*at), shape)
        }
        MapEdit::DeleteVertex { shape, index } => {
            let v = vertices(&block, shape).ok_or_else(|| not_here(shape.name()))?;
            v.delete(text, *index, shape)
        }
        MapEdit::AddPlace { shelter, at } => {
            let c = block.chinese;
            let (indent_at, indent) = insertion(text, &block, &[PLACES]);
            let line = if *shelter {
                format!(
                    "{} {} {} {} {} 100\n",
                    kw(c, "shelter"),
                    fresh_name(text, "新避灾点"),
                    kw(c, "at"),
                    form.write(*at),
                    kw(c, "capacity")
                )
            } else {
                format!(
                    "{} {} {} {}\n",
                    kw(c, "place"),
                    fresh_name(text, "新地点"),
                    kw(c, "at"),
                    form.write(*at)
                )
            };
            Ok(vec![Splice {
                range: indent_at..indent_at,
                insert: format!("{indent}{line}"),
            }])
        }
        MapEdit::DeletePlace { name } => {
            let st = find_place(name)?;
            let mut out = vec![Splice {
                range: st.lines.clone(),
                insert: String::new(),
            }];
            out.extend(
                block
                    .statements
                    .iter()
                    .filter(|s| {
                        s.is(LINKS) && s.ends().is_some_and(|(a, b)| a == name || b == name)
                    })
                    .map(|s| Splice {
                        range: s.lines.clone(),
                        insert: String::new(),
                    }),
            );
            Ok(out)
        }
        MapEdit::AddLink { kind, from, to } => {
            let c = block.chinese;
            let (keyword, width) = match kind {
                LinkKind::Road => ("road", "4m"),
                LinkKind::Path => ("path", "1.5m"),
                LinkKind::Bridge => ("bridge", "4m"),
            };
            let (at, indent) = insertion(text, &block, &[LINKS, PLACES]);
            Ok(vec![Splice {
                range: at..at,
                insert: format!(
                    "{indent}{} {from} -> {to} {} {width}\n",
                    kw(c, keyword),
                    kw(c, "width")
                ),
            }])
        }
        MapEdit::DeleteLink { from, to } => {
            let st = block
                .statements
                .iter()
                .find(|s| {
                    s.is(LINKS)
                        && s.ends()
                            .is_some_and(|(a, b)| (a == from && b == to) || (a == to && b == from))
                })
                .ok_or_else(|| not_here(&format!("{from} -> {to}")))?;
            Ok(vec![Splice {
                range: st.lines.clone(),
                insert: String::new(),
            }])
        }
    }
}

impl Shape {
    fn name(&self) -> &str {
        match self {
            Shape::Zone(n) | Shape::River(n) => n,
            Shape::Link { from, .. } => from,
        }
    }
}

fn span(n: &Node) -> Range<usize> {
    n.span.start as usize..n.span.end as usize
}

/// The points of one shape's statement as the text holds them.
struct Vertices<'t> {
    /// Every vertex in the order the engine counts them ([`Shape`]).
    points: Vec<&'t Node<'t>>,
    /// The `via` points (all of a zone's corners), in order, and where they start in
    /// `points`.
    list: Vec<&'t Node<'t>>,
    offset: usize,
    /// The `via` keyword of a road or river, when it has bends.
    via_kw: Option<&'t Node<'t>>,
    /// A road or river without `via`: where ` via (x, y)` goes (the end of its last
    /// word) and whether the statement is written in Chinese.
    end: usize,
    chinese: bool,
    zone: bool,
}

/// The points after the last `kw` of a statement, as far as they run.
fn points_after<'t>(st: &Statement<'t>, kw: &str) -> (Option<&'t Node<'t>>, Vec<&'t Node<'t>>) {
    let Some(k) = st
        .nodes
        .iter()
        .rposition(|n| n.word().is_some_and(|w| is(w, kw)))
    else {
        return (None, Vec::new());
    };
    let pts = st.nodes[k + 1..]
        .iter()
        .copied()
        .take_while(|n| matches!(n.kind, NodeKind::Point { .. }))
        .collect();
    (Some(st.nodes[k]), pts)
}

fn vertices<'t>(block: &MapBlock<'t>, shape: &Shape) -> Option<Vertices<'t>> {
    let st = block.statements.iter().find(|s| match shape {
        Shape::Zone(name) => s.is(&["zone"]) && s.name(1) == Some(name.as_str()),
        Shape::River(name) => s.is(&["river"]) && s.name(1) == Some(name.as_str()),
        Shape::Link { from, to } => s.is(LINKS) && s.ends() == Some((from.as_str(), to.as_str())),
    })?;
    let end = st.nodes.last().map_or(0, |n| n.span.end as usize);
    let chinese = st.keyword().is_some_and(|w| !w.is_ascii());
    let (via_kw, via) = points_after(st, "via");
    let via_kw = via_kw.filter(|_| !via.is_empty());
    let mut v = Vertices {
        points: Vec::new(),
        list: via.clone(),
        offset: 0,
        via_kw,
        end,
        chinese,
        zone: false,
    };
    match shape {
        Shape::Zone(_) => {
            v.zone = true;
            v.list = points_after(st, "polygon").1;
            v.points = v.list.clone();
        }
        Shape::Link { .. } => v.points = via,
        Shape::River(_) => {
            let (_, from) = points_after(st, "from");
            let (_, to) = points_after(st, "to");
            v.points.push(*from.first()?);
            v.points.extend(via);
            v.points.push(*to.first()?);
            v.offset = 1;
        }
    }
    Some(v)
}

impl Vertices<'_> {
    fn vertex(&self, index: usize, shape: &Shape) -> Result<&Node<'_>, String> {
        self.points
            .get(index)
            .copied()
            .ok_or_else(|| format!("{} has no point {} / 无此点", shape.name(), index + 1))
    }

    /// What separates the list's points (`" "` unless the author wrote otherwise).
    fn separator<'a>(&self, text: &'a str) -> &'a str {
        match self.list.as_slice() {
            [a, b, ..] => {
                let sep = &text[a.span.end as usize..b.span.start as usize];
                if sep.trim_matches([' ', '\t', ',', '，']).is_empty() && !sep.is_empty() {
                    sep
                } else {
                    " "
                }
            }
            _ => " ",
        }
    }

    fn insert(
        &self,
        text: &str,
        index: usize,
        point: &str,
        shape: &Shape,
    ) -> Result<Vec<Splice>, String> {
        let at_end = || {
            format!(
                "{} cannot grow past its ends / 只能在两端之间加点",
                shape.name()
            )
        };
        let j = index.checked_sub(self.offset).ok_or_else(at_end)?;
        if j > self.list.len() {
            return Err(at_end());
        }
        let sep = self.separator(text);
        let (at, insert) = if self.list.is_empty() {
            // A road or river without bends yet: ` via (x, y)` after its last word.
            let via = if self.chinese { "途经" } else { "via" };
            (self.end, format!(" {via} {point}"))
        } else if j < self.list.len() {
            (self.list[j].span.start as usize, format!("{point}{sep}"))
        } else {
            let last = self.list[j - 1];
            (last.span.end as usize, format!("{sep}{point}"))
        };
        Ok(vec![Splice {
            range: at..at,
            insert,
        }])
    }

    /// The splice that removes point `j` of the list with the blank before it (and
    /// the `via` keyword with its last point).
    fn remove(&self, text: &str, j: usize) -> Splice {
        let p = self.list[j];
        let first = match self.via_kw {
            Some(kw) if self.list.len() == 1 => kw,
            _ => p,
        };
        let start = text[..first.span.start as usize]
            .trim_end_matches([' ', '\t'])
            .len();
        // The first point of several keeps the blank before it and loses the one after.
        if j == 0 && self.list.len() > 1 {
            return Splice {
                range: p.span.start as usize..self.list[1].span.start as usize,
                insert: String::new(),
            };
        }
        Splice {
            range: start..p.span.end as usize,
            insert: String::new(),
        }
    }

    fn delete(&self, text: &str, index: usize, shape: &Shape) -> Result<Vec<Splice>, String> {
        let name = shape.name();
        let p = self.vertex(index, shape)?;
        if self.zone {
            if self.list.len() <= 3 {
                return Err(format!(
                    "{name} keeps at least three corners / 危险区至少要有三个顶点"
                ));
            }
            return Ok(vec![self.remove(text, index)]);
        }
        if index >= self.offset && index - self.offset < self.list.len() {
            return Ok(vec![self.remove(text, index - self.offset)]);
        }
        // A river's end: the bend next to it becomes the end.
        let Some(j) = (if index == 0 {
            Some(0)
        } else {
            self.list.len().checked_sub(1)
        })
        .filter(|_| !self.list.is_empty()) else {
            return Err(format!("{name} keeps its two ends / 河流须保留起点和终点"));
        };
        Ok(vec![
            Splice {
                range: span(p),
                insert: text[span(self.list[j])].to_owned(),
            },
            self.remove(text, j),
        ])
    }
}

/// The coordinate form of `text`'s map block: lon/lat when it says `coordinates
/// lonlat` (with the check's origin), metres otherwise.
pub fn coord_form(text: &str, origin: Option<Georef>) -> CoordForm {
    let (Some(tree), _) = parse(text, 0) else {
        return CoordForm::Metres;
    };
    let Ok(block) = map_block(text, &tree.nodes) else {
        return CoordForm::Metres;
    };
    let word_after = |k: &str| {
        block
            .statements
            .iter()
            .find(|s| s.is(&[k]))
            .and_then(|s| s.name(1).map(str::to_owned))
    };
    let lonlat = word_after("coordinates").is_some_and(|w| is(&w, "lonlat"));
    let datum = word_after("datum")
        .map(|w| {
            if is(&w, "gcj02") {
                Datum::Gcj02
            } else if is(&w, "bd09") {
                Datum::Bd09
            } else {
                Datum::Wgs84
            }
        })
        .unwrap_or_default();
    match (lonlat, origin) {
        (true, Some(origin)) => CoordForm::LonLat { origin, datum },
        _ => CoordForm::Metres,
    }
}

/// Makes `edit` in `text`: the new text, or why not.
pub fn edit_text(text: &str, edit: &MapEdit, form: CoordForm) -> Result<String, String> {
    Ok(apply(text, &plan(text, edit, form)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "场景 \"竹源\" {\n  编号 t\n}\n\n地图 {\n  网格 20m\n  // 村里的地点\n  地点   上村 位于 (500, 450) 户数 58 人数 162  // 上村在山脚\n  避灾点 竹源小学 位于 (1150, 450) 容量 300\n  地点   下村 位于 (700,950)\n\n  道路 上村 -> 竹源小学 宽 4m\n  道路 下村 -> 上村 宽 4m // 老路\n  危险区 低洼区 等级 红 灾害 洪水 范围 (560, 860) (860, 860) (880, 1060)\n}\n";

    const EN: &str = "scenario \"t\" {\n  id t\n}\n\nmap {\n  cell 20m\n  place A at (0, 0) households 3 people 9\n  shelter S at (100, 0) capacity 50 // school\n  road A -> S width 4m\n}\n";

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn moving_a_place_replaces_only_its_coordinates() {
        let out = edit_text(
            ZH,
            &MapEdit::MovePlace {
                name: "上村".into(),
                to: p(512.4, 430.6),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert_eq!(
            out,
            ZH.replace("上村 位于 (500, 450)", "上村 位于 (512, 431)")
        );
        assert!(out.contains("// 上村在山脚") && out.contains("// 村里的地点"));
    }

    #[test]
    fn adding_a_place_writes_a_line_in_the_authors_language() {
        let out = edit_text(
            ZH,
            &MapEdit::AddPlace {
                shelter: true,
                at: p(300.0, 200.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(
            out.contains(
                "  地点   下村 位于 (700,950)\n  避灾点 新避灾点1 位于 (300, 200) 容量 100\n"
            ),
            "{out}"
        );
        let out = edit_text(
            EN,
            &MapEdit::AddPlace {
                shelter: false,
                at: p(5.0, 6.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(
            out.contains("capacity 50 // school\n  place 新地点1 at (5, 6)\n  road A"),
            "{out}"
        );
        // In a complete scenario the result checks: the engine reads the new statement.
        let fixture = include_str!("../../tests/fixtures/mini-flood.drill");
        let out = edit_text(
            fixture,
            &MapEdit::AddPlace {
                shelter: false,
                at: p(5.0, 6.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        let (_, result) = drill_engine::lang::check_text("t.drill", &out);
        let sc = result
            .scenario
            .unwrap_or_else(|| panic!("{:?}", result.diagnostics));
        assert!(
            sc.map
                .places
                .iter()
                .any(|pl| pl.name == "新地点1" && pl.pos == p(5.0, 6.0))
        );
    }

    #[test]
    fn deleting_a_place_removes_its_line_and_roads_and_keeps_comments() {
        let out = edit_text(
            ZH,
            &MapEdit::DeletePlace {
                name: "下村".into(),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(!out.contains("下村"), "{out}");
        assert!(out.contains("  // 村里的地点\n"));
        assert!(
            out.contains("  道路 上村 -> 竹源小学 宽 4m\n  危险区"),
            "{out}"
        );
        // Exactly the two statements' lines went.
        assert_eq!(out.lines().count(), ZH.lines().count() - 2);
    }

    #[test]
    fn roads_and_zone_corners() {
        let out = edit_text(
            ZH,
            &MapEdit::AddLink {
                kind: LinkKind::Path,
                from: "下村".into(),
                to: "竹源小学".into(),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(
            out.contains("// 老路\n  小路 下村 -> 竹源小学 宽 1.5m\n  危险区"),
            "{out}"
        );
        let out = edit_text(
            &out,
            &MapEdit::DeleteLink {
                from: "上村".into(),
                to: "下村".into(),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(!out.contains("老路"));
        let out = edit_text(
            &out,
            &MapEdit::MoveVertex {
                shape: Shape::Zone("低洼区".into()),
                index: 1,
                to: p(900.0, 870.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(
            out.contains("范围 (560, 860) (900, 870) (880, 1060)"),
            "{out}"
        );
        // A triangle keeps its corners; a fourth one can go.
        let corner = |text: &str, corner| {
            plan(
                text,
                &MapEdit::DeleteVertex {
                    shape: Shape::Zone("低洼区".into()),
                    index: corner,
                },
                CoordForm::Metres,
            )
        };
        assert!(corner(&out, 0).is_err());
        let four = out.replace("(880, 1060)", "(880, 1060) (560, 1060)");
        let three = apply(&four, &corner(&four, 1).unwrap());
        assert!(
            three.contains("范围 (560, 860) (880, 1060) (560, 1060)\n"),
            "{three}"
        );
    }

    #[test]
    fn a_corner_is_inserted_between_its_neighbours() {
        let zone = |index, x, y| MapEdit::InsertVertex {
            shape: Shape::Zone("低洼区".into()),
            index,
            at: p(x, y),
        };
        // Between corners 0 and 1: it becomes corner 1.
        let out = edit_text(ZH, &zone(1, 710.0, 850.0), CoordForm::Metres).unwrap();
        assert_eq!(
            out,
            ZH.replace(
                "范围 (560, 860) (860, 860)",
                "范围 (560, 860) (710, 850) (860, 860)"
            )
        );
        // On the closing edge (last corner back to the first): appended.
        let out = edit_text(ZH, &zone(3, 700.0, 1000.0), CoordForm::Metres).unwrap();
        assert!(out.contains("(880, 1060) (700, 1000)\n}"), "{out}");
        // The engine reads the corner where it was put (in a complete scenario).
        let fixture = include_str!("../../tests/fixtures/mini-flood.drill");
        let zone = |index, at| MapEdit::InsertVertex {
            shape: Shape::Zone("下村低洼区".into()),
            index,
            at,
        };
        let out = edit_text(fixture, &zone(4, p(240.0, 420.0)), CoordForm::Metres).unwrap();
        let (_, result) = drill_engine::lang::check_text("t.drill", &out);
        let sc = result.scenario.expect("checks");
        let polygon = &sc.map.zones[0].polygon;
        assert_eq!(polygon.len(), 5);
        assert_eq!(polygon[4], p(240.0, 420.0));
    }

    #[test]
    fn road_bends_are_added_moved_and_deleted() {
        let road = || Shape::Link {
            from: "下村".into(),
            to: "上村".into(),
        };
        // A road without bends gets `途经` (the author writes Chinese) before its comment.
        let out = edit_text(
            ZH,
            &MapEdit::InsertVertex {
                shape: road(),
                index: 0,
                at: p(600.0, 700.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(
            out.contains("道路 下村 -> 上村 宽 4m 途经 (600, 700) // 老路\n"),
            "{out}"
        );
        // A second bend after the first, nearer 上村.
        let out = edit_text(
            &out,
            &MapEdit::InsertVertex {
                shape: road(),
                index: 1,
                at: p(550.0, 600.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(out.contains("途经 (600, 700) (550, 600) // 老路"), "{out}");
        let out = edit_text(
            &out,
            &MapEdit::MoveVertex {
                shape: road(),
                index: 0,
                to: p(620.0, 720.0),
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(out.contains("途经 (620, 720) (550, 600) // 老路"), "{out}");
        let one = edit_text(
            &out,
            &MapEdit::DeleteVertex {
                shape: road(),
                index: 0,
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert!(one.contains("宽 4m 途经 (550, 600) // 老路"), "{one}");
        // The last bend takes its keyword with it: the line is as it was.
        let none = edit_text(
            &one,
            &MapEdit::DeleteVertex {
                shape: road(),
                index: 0,
            },
            CoordForm::Metres,
        )
        .unwrap();
        assert_eq!(none, ZH);
        // The other direction is another road: refused, not guessed.
        assert!(
            plan(
                ZH,
                &MapEdit::DeleteVertex {
                    shape: Shape::Link {
                        from: "上村".into(),
                        to: "下村".into()
                    },
                    index: 0
                },
                CoordForm::Metres
            )
            .is_err()
        );
    }

    #[test]
    fn river_points_are_added_moved_and_deleted() {
        let text = "map {\n  // 溪流\n  river 竹源溪 from (0, 500) to (900, 380) width 8m via (400, 450) // 主河道\n}\n";
        let river = || Shape::River("竹源溪".into());
        let edit = |text: &str, e: MapEdit| edit_text(text, &e, CoordForm::Metres);
        // Vertex 0 is `from`, 1 the bend, 2 `to`: wherever the text writes them.
        let out = edit(
            text,
            MapEdit::MoveVertex {
                shape: river(),
                index: 2,
                to: p(950.0, 370.0),
            },
        )
        .unwrap();
        assert!(out.contains("to (950, 370) width 8m via (400, 450) // 主河道"));
        // Between the bend and `to`: a second via point.
        let out = edit(
            &out,
            MapEdit::InsertVertex {
                shape: river(),
                index: 2,
                at: p(700.0, 420.0),
            },
        )
        .unwrap();
        assert!(out.contains("via (400, 450) (700, 420) // 主河道"), "{out}");
        // Between `from` and the first bend.
        let out = edit(
            &out,
            MapEdit::InsertVertex {
                shape: river(),
                index: 1,
                at: p(200.0, 480.0),
            },
        )
        .unwrap();
        assert!(
            out.contains("via (200, 480) (400, 450) (700, 420) // 主河道"),
            "{out}"
        );
        // Not past an end.
        assert!(
            edit(
                &out,
                MapEdit::InsertVertex {
                    shape: river(),
                    index: 0,
                    at: p(0.0, 0.0)
                }
            )
            .is_err()
        );
        // Deleting `from` makes the first bend the start.
        let out = edit(
            &out,
            MapEdit::DeleteVertex {
                shape: river(),
                index: 0,
            },
        )
        .unwrap();
        assert!(
            out.contains(
                "from (200, 480) to (950, 370) width 8m via (400, 450) (700, 420) // 主河道"
            ),
            "{out}"
        );
        // A middle bend.
        let out = edit(
            &out,
            MapEdit::DeleteVertex {
                shape: river(),
                index: 1,
            },
        )
        .unwrap();
        assert!(out.contains("via (700, 420) // 主河道"), "{out}");
        // `to` takes the last bend; then the river has only its ends and keeps them.
        let out = edit(
            &out,
            MapEdit::DeleteVertex {
                shape: river(),
                index: 2,
            },
        )
        .unwrap();
        assert!(
            out.contains("river 竹源溪 from (200, 480) to (700, 420) width 8m // 主河道"),
            "{out}"
        );
        assert!(out.contains("// 溪流\n"));
        assert!(
            edit(
                &out,
                MapEdit::DeleteVertex {
                    shape: river(),
                    index: 1
                }
            )
            .is_err()
        );
        // The engine reads the river so (in a complete scenario).
        let line = out.lines().find(|l| l.contains("river 竹源溪")).unwrap();
        let fixture = include_str!("../../tests/fixtures/mini-flood.drill")
            .replace("  river  竹源溪 from (0, 500) to (900, 380) width 8m", line);
        let (_, result) = drill_engine::lang::check_text("t.drill", &fixture);
        let sc = result
            .scenario
            .unwrap_or_else(|| panic!("{:?}", result.diagnostics));
        assert_eq!(
            sc.map.rivers[0].points,
            vec![p(200.0, 480.0), p(700.0, 420.0)]
        );
    }

    #[test]
    fn a_place_from_an_included_file_is_refused() {
        let err = plan(
            EN,
            &MapEdit::MovePlace {
                name: "县应急指挥中心".into(),
                to: p(0.0, 0.0),
            },
            CoordForm::Metres,
        )
        .unwrap_err();
        assert!(err.contains("县应急指挥中心"), "{err}");
    }

    #[test]
    fn lonlat_maps_get_lonlat_coordinates() {
        let text = "map {\n  origin (119.5, 28.5)\n  coordinates lonlat\n  place A at (119.501000, 28.500000)\n}\n";
        let origin = Georef {
            lon: 119.5,
            lat: 28.5,
        };
        let form = coord_form(text, Some(origin));
        assert_eq!(
            form,
            CoordForm::LonLat {
                origin,
                datum: Datum::Wgs84
            }
        );
        assert_eq!(coord_form(EN, Some(origin)), CoordForm::Metres);
        // 97.8 m east of the origin at 28.5°N is 0.001° of longitude.
        let to = LocalFrame::new(origin).to_map(119.502, 28.499);
        let out = edit_text(
            text,
            &MapEdit::MovePlace {
                name: "A".into(),
                to,
            },
            form,
        )
        .unwrap();
        assert!(out.contains("place A at (119.502000, 28.499000)"), "{out}");
    }
}
