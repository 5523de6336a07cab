//! Quantities and their units: numbers with a unit converted to SI, plain numbers,
//! counts, percentages, points, clock or offset times, and timelines (`[0h 5, 1h 30]`)
//! as the hazards and scoring blocks write them. Owns E0301–E0306 (no quantity, no
//! unit, a unit of the wrong dimension, a unit on a plain number, a bad count, a
//! percentage out of range), E0127 for a missing timeline and W0003 (a timeline out
//! of time order).

use super::V;
use super::cursor::Cur;
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::{Node, NodeKind};
use crate::limits::Range;
use crate::model::*;
use std::borrow::Cow;

/// What a quantity measures; each unit belongs to one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    Length,
    Time,
    Speed,
    Rain,
    Discharge,
    MassRate,
    Mass,
    Percent,
    Angle,
}

impl Dim {
    fn units(self) -> &'static str {
        match self {
            Dim::Length => "m, km, cm, mm",
            Dim::Time => "s, min, h, d",
            Dim::Speed => "m/s, km/h, mph",
            Dim::Rain => "mm/h",
            Dim::Discharge => "m3/s",
            Dim::MassRate => "kg/s, g/s",
            Dim::Mass => "kg, g, t",
            Dim::Percent => "%",
            Dim::Angle => "deg",
        }
    }
    fn example(self) -> &'static str {
        match self {
            Dim::Length => "m",
            Dim::Time => "min",
            Dim::Speed => "m/s",
            Dim::Rain => "mm/h",
            Dim::Discharge => "m3/s",
            Dim::MassRate => "kg/s",
            Dim::Mass => "kg",
            Dim::Percent => "%",
            Dim::Angle => "deg",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            Dim::Length => "长度",
            Dim::Time => "时间",
            Dim::Speed => "速度",
            Dim::Rain => "雨强",
            Dim::Discharge => "流量",
            Dim::MassRate => "泄漏速率",
            Dim::Mass => "质量",
            Dim::Percent => "百分比",
            Dim::Angle => "角度",
        }
    }
}

/// The dimension of a unit and its factor to SI.
pub fn unit_info(unit: &str) -> Option<(Dim, f64)> {
    Some(match unit {
        "m" => (Dim::Length, 1.0),
        "km" => (Dim::Length, 1000.0),
        "cm" => (Dim::Length, 0.01),
        "mm" => (Dim::Length, 0.001),
        "s" => (Dim::Time, 1.0),
        "min" => (Dim::Time, 60.0),
        "h" => (Dim::Time, 3600.0),
        "d" => (Dim::Time, 86_400.0),
        "m/s" => (Dim::Speed, 1.0),
        "km/h" => (Dim::Speed, 1.0 / 3.6),
        "mph" => (Dim::Speed, 0.44704),
        "mm/h" => (Dim::Rain, 1.0),
        "m3/s" => (Dim::Discharge, 1.0),
        "kg/s" => (Dim::MassRate, 1.0),
        "g/s" => (Dim::MassRate, 0.001),
        "kg" => (Dim::Mass, 1.0),
        "g" => (Dim::Mass, 0.001),
        "t" => (Dim::Mass, 1000.0),
        "%" => (Dim::Percent, 1.0),
        "deg" => (Dim::Angle, 1.0),
        _ => return None,
    })
}

impl V {
    fn quantity_of(&mut self, cur: &Cur<'_>, node: &Node, dim: Dim) -> Option<f64> {
        let NodeKind::Quantity { value, text, unit } = &node.kind else {
            self.err(
                Diagnostic::error(
                    "E0301",
                    cur.span_of(node),
                    format!("此处应为带单位的{},如 10{}", dim.zh(), dim.example()),
                    format!(
                        "expected a {:?} quantity like 10{}, found {}",
                        dim,
                        dim.example(),
                        node.describe()
                    )
                    .to_lowercase(),
                )
                .help(format!("units: {}", dim.units())),
            );
            return None;
        };
        match unit.as_deref() {
            None => {
                self.err(
                    Diagnostic::error(
                        "E0302",
                        cur.span_of(node),
                        format!("{text} 后缺少单位,如 {text}{}", dim.example()),
                        format!("expected a unit after {text}, like {text}{}", dim.example()),
                    )
                    .label("unit missing")
                    .help(format!(
                        "write the unit right after the number; units for {}: {} / 可用单位: {}",
                        format!("{dim:?}").to_lowercase(),
                        dim.units(),
                        dim.units()
                    )),
                );
                None
            }
            Some(u) => match unit_info(u) {
                Some((d, f)) if d == dim => Some(value * f),
                Some((d, _)) => {
                    self.err(
                        Diagnostic::error(
                            "E0303",
                            cur.span_of(node),
                            format!("单位 {u} 是{},此处需要{}", d.zh(), dim.zh()),
                            format!(
                                "`{u}` measures {}, but a {} is needed here",
                                format!("{d:?}").to_lowercase(),
                                format!("{dim:?}").to_lowercase()
                            ),
                        )
                        .label("wrong kind of unit")
                        .help(format!("use one of: {}", dim.units())),
                    );
                    None
                }
                None => None,
            },
        }
    }

    /// E0317 when `value`, written at `span`, is outside `range`: a quantity no real
    /// drill has (a negative deadline, a road 0 m wide). The value is kept, so that
    /// nothing depending on it reports a second error.
    pub(super) fn in_range(
        &mut self,
        value: Option<f64>,
        span: Span,
        what: &str,
        range: Range,
    ) -> Option<f64> {
        if let Some(v) = value
            && !range.contains(v)
        {
            self.err(
                Diagnostic::error(
                    "E0317",
                    span,
                    format!("{what} 应{}", range.zh),
                    format!("{what} must be {}", range.en),
                )
                .help("see the table of limits in docs/LANGUAGE.md / 取值范围见 docs/LANGUAGE.md"),
            );
        }
        value
    }

    /// A quantity within `range` (see `in_range`).
    pub(super) fn quantity_in(
        &mut self,
        cur: &mut Cur<'_>,
        dim: Dim,
        what: &str,
        range: Range,
    ) -> Option<f64> {
        let span = cur.here();
        let value = self.quantity(cur, dim);
        self.in_range(value, span, what, range)
    }

    /// A plain number within `range` (see `in_range`).
    pub(super) fn number_in(&mut self, cur: &mut Cur<'_>, what: &str, range: Range) -> Option<f64> {
        let span = cur.here();
        let value = self.number(cur, what);
        self.in_range(value, span, what, range)
    }

    pub(super) fn quantity(&mut self, cur: &mut Cur<'_>, dim: Dim) -> Option<f64> {
        match cur.peek() {
            Some(n) => {
                cur.next();
                self.quantity_of(cur, n, dim)
            }
            None => {
                self.expected(
                    cur,
                    &format!("{}(如 10{})", dim.zh(), dim.example()),
                    &format!("a quantity like 10{}", dim.example()),
                    &format!("units: {}", dim.units()),
                );
                None
            }
        }
    }

    /// A plain number (no unit).
    pub(super) fn number(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<f64> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Quantity {
                value, unit: None, ..
            }) => {
                cur.next();
                Some(*value)
            }
            Some(NodeKind::Quantity {
                unit: Some(u),
                text,
                ..
            }) => {
                let span = cur.here();
                self.err(
                    Diagnostic::error(
                        "E0304",
                        span,
                        format!("{what} 是不带单位的数"),
                        format!("{what} is a plain number; `{text}{u}` has a unit"),
                    )
                    .help(format!("write just {text}")),
                );
                cur.next();
                None
            }
            _ => {
                self.expected(
                    cur,
                    &format!("数字({what})"),
                    &format!("a number ({what})"),
                    "write a number like 12",
                );
                None
            }
        }
    }

    pub(super) fn count(&mut self, cur: &mut Cur<'_>, what: &str) -> Option<u32> {
        let span = cur.here();
        let n = self.number(cur, what)?;
        if n < 0.0 || n.fract() != 0.0 || n > f64::from(u32::MAX) {
            self.err(
                Diagnostic::error(
                    "E0305",
                    span,
                    format!("{what} 应为非负整数"),
                    format!("{what} must be a whole number, 0 or more"),
                )
                .help("write a whole number like 12"),
            );
            return None;
        }
        Some(n as u32)
    }

    pub(super) fn percent(&mut self, cur: &mut Cur<'_>) -> Option<f64> {
        let span = cur.here();
        let p = self.quantity(cur, Dim::Percent)?;
        if !(0.0..=100.0).contains(&p) {
            self.err(
                Diagnostic::error(
                    "E0306",
                    span,
                    "百分比应在 0% 到 100% 之间",
                    "a percentage must be between 0% and 100%",
                )
                .help("write a value like 100%"),
            );
        }
        Some(p)
    }

    /// A point as written → map metres: unchanged on a sketch map, converted from
    /// longitude/latitude (in the map's datum) under `coordinates lonlat`. A pair that
    /// is no longitude/latitude there is E0148.
    pub(super) fn map_point(&mut self, span: Span, x: f64, y: f64) -> Point {
        let Some((frame, datum)) = self.lonlat else {
            return Point { x, y };
        };
        if !crate::geo::plausible_lonlat(x, y) {
            self.err(
                Diagnostic::error(
                    "E0148",
                    span,
                    format!("({x}, {y}) 不是经纬度"),
                    format!("({x}, {y}) is not a longitude/latitude"),
                )
                .help("the map says `coordinates lonlat`: write (longitude, latitude) in degrees, e.g. (119.5312, 30.2451), or remove `coordinates lonlat` to write metres"),
            );
            return Point { x: 0.0, y: 0.0 };
        }
        let (lon, lat) = datum.to_wgs84(x, y);
        frame.to_map(lon, lat)
    }

    pub(super) fn point(&mut self, cur: &mut Cur<'_>) -> Option<Point> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Point { x, y, .. }) => {
                let node = cur.next()?;
                Some(self.map_point(cur.span_of(node), *x, *y))
            }
            _ => {
                self.expected(
                    cur,
                    "坐标点,如 (120, 80)",
                    "a point like (120, 80)",
                    "write metres east and south of the map origin: (x, y)",
                );
                None
            }
        }
    }

    /// A time: a clock time `20:30` (next day when before the start) or `+45min`.
    pub(super) fn time(&mut self, cur: &mut Cur<'_>) -> Option<f64> {
        match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::Time { hour, minute }) => {
                cur.next();
                // The parser already reported a time such as 25:70 (E0115); giving it
                // no value keeps follow-on warnings (W0004 "after the end") quiet.
                if *hour > 23 || *minute > 59 {
                    return None;
                }
                let of_day = f64::from(*hour) * 3600.0 + f64::from(*minute) * 60.0;
                let mut t = of_day - self.start_of_day_s;
                if t < 0.0 {
                    t += 86_400.0;
                }
                Some(t)
            }
            Some(NodeKind::Offset { value, unit, text }) => {
                let n = cur.next()?;
                let q = Node {
                    kind: NodeKind::Quantity {
                        value: *value,
                        text: text.clone(),
                        unit: unit.clone(),
                    },
                    span: n.span,
                };
                self.quantity_of(cur, &q, Dim::Time)
            }
            _ => {
                self.expected(
                    cur,
                    "时刻,如 20:00 或 +45min",
                    "a time like 20:00 or +45min",
                    "write a clock time (20:00) or an offset from the start (+45min)",
                );
                None
            }
        }
    }

    /// `[0h 5, 1h 30]` after an optional unit word: a timeline of one quantity, each
    /// value within `range`.
    pub(super) fn timeline(
        &mut self,
        cur: &mut Cur<'_>,
        dim: Dim,
        what: &str,
        range: Range,
    ) -> Timeline<f64> {
        let unit = match cur.peek_word() {
            Some(w) if unit_info(w).is_some() => {
                cur.next();
                Some(w)
            }
            _ => None,
        };
        self.entries(cur, |v, c| {
            let n = c.next()?;
            let mut q = n.clone();
            if let (NodeKind::Quantity { unit: u @ None, .. }, Some(given)) = (&mut q.kind, unit) {
                *u = Some(Cow::Borrowed(given));
            }
            let value = v.quantity_of(c, &q, dim);
            v.in_range(value, c.span_of(n), what, range)
        })
    }

    /// A list of entries, each starting with a time offset (`0h`, `90min`), separated
    /// by commas or simply by the next offset. Sorted by time.
    pub(super) fn entries<T>(
        &mut self,
        cur: &mut Cur<'_>,
        mut value: impl FnMut(&mut V, &mut Cur<'_>) -> Option<T>,
    ) -> Timeline<T> {
        let span = cur.here();
        let Some(NodeKind::List(items)) = cur.peek().map(|n| &n.kind) else {
            self.err(
                Diagnostic::error(
                    "E0127",
                    span,
                    "应为时间序列 [0h 5, 1h 30]",
                    "expected a timeline like `[0h 5, 1h 30]`",
                )
                .help("pairs of a time offset and a value, in square brackets"),
            );
            return Vec::new();
        };
        cur.next();
        let items: Vec<&Node> = items.iter().filter(|n| !n.is_trivia()).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < items.len() {
            // An entry runs to the next comma (or the end).
            let end = items[i..]
                .iter()
                .position(|n| matches!(n.kind, NodeKind::Comma))
                .map_or(items.len(), |p| i + p);
            let entry: Vec<&Node> = items[i..end].to_vec();
            i = end + 1;
            if entry.is_empty() {
                continue;
            }
            let mut c = Cur::new(cur.file, entry);
            let t = self.quantity(&mut c, Dim::Time);
            let v = value(self, &mut c);
            if let (Some(t), Some(v)) = (t, v) {
                out.push((t, v));
            }
            self.finish(&c);
        }
        if out.windows(2).any(|w| w[1].0 < w[0].0) {
            self.err(
                Diagnostic::warning(
                    "W0003",
                    span,
                    "时间序列没有按时间排序,已自动排序",
                    "the timeline is not in time order; it was sorted",
                )
                .help("write the entries from earliest to latest"),
            );
            out.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{EXAMPLE, errors_of};

    #[test]
    fn wrong_unit_kind_is_named() {
        let (codes, rendered) = errors_of(&EXAMPLE.replace("duration 12h", "duration 12m"));
        assert_eq!(codes, vec!["E0303"], "{rendered}");
    }
}
