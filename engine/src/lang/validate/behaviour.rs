//! The `behaviour` block: 行为 — the scenario's own values for the simulation's
//! behavioural parameters (walking speeds by group, premovement, compliance and reach
//! by channel, the door knock's visit, the specific flow through doors). What the
//! block leaves out keeps the default of `sim::params::SimParams`, where each
//! default's source is given; `docs/LANGUAGE.md` lists them. A verification case
//! (RiMEA, IMO) states its own speeds and reaction times here. Owns E0411 (a range
//! whose lower bound is above its upper bound) and E0413 (a range of speeds for
//! adults or children, who walk at one speed).

use super::cursor::Cur;
use super::units::Dim;
use super::{Block, V};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::lines;
use crate::limits::{self, Range};
use crate::model::*;

/// The statements of a `behaviour` block.
const ITEMS: [&str; 6] = [
    "walk",
    "premovement",
    "comply",
    "reach",
    "knock_visit",
    "door_flow",
];

/// Population groups with a walking speed of their own; the others (outdoor workers,
/// people in dilapidated houses) walk as adults.
const WALKERS: [&str; 4] = ["adults", "children", "elderly", "disabled"];

impl V {
    pub(super) fn behaviour(&mut self, (file, body, header): &Block<'_>) {
        self.expect_header_end(header, 1);
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            let Some(kw) = self.choice(
                &mut cur,
                &ITEMS,
                "a behaviour item (walk, premovement, comply, reach, knock_visit, door_flow)",
            ) else {
                continue;
            };
            match kw {
                "walk" => self.walk(&mut cur),
                "premovement" => {
                    let first = cur.here();
                    let Some(a) = self.quantity_in(
                        &mut cur,
                        Dim::Time,
                        "`premovement`",
                        limits::BEHAVIOUR_TIME,
                    ) else {
                        continue;
                    };
                    let p = if cur.eat_kw("to") {
                        let b =
                            self.range_top(&mut cur, Dim::Time, a, first, limits::BEHAVIOUR_TIME);
                        Premovement::Uniform(a, b.unwrap_or(a))
                    } else if cur.eat_kw("tail") {
                        let mean = self
                            .quantity_in(
                                &mut cur,
                                Dim::Time,
                                "the tail's mean",
                                limits::BEHAVIOUR_TIME,
                            )
                            .unwrap_or(0.0);
                        Premovement::Tail { min: a, mean }
                    } else {
                        Premovement::Fixed(a)
                    };
                    self.s.behaviour.premovement = Some(p);
                }
                "comply" | "reach" => {
                    let Some(ch) = self.choice(&mut cur, &Self::CHANNELS, "a channel") else {
                        continue;
                    };
                    let Some(p) = self.percent(&mut cur) else {
                        continue;
                    };
                    let list = if kw == "comply" {
                        &mut self.s.behaviour.comply
                    } else {
                        &mut self.s.behaviour.reach
                    };
                    let channel = Self::channel_of(ch);
                    list.retain(|(c, _)| *c != channel);
                    list.push((channel, p / 100.0));
                }
                "knock_visit" => {
                    self.s.behaviour.knock_visit_s = self.quantity_in(
                        &mut cur,
                        Dim::Time,
                        "`knock_visit`",
                        limits::BEHAVIOUR_TIME,
                    );
                }
                _ => {
                    self.s.behaviour.door_flow_p_m_s = self.number_in(
                        &mut cur,
                        "`door_flow` (persons per metre per second)",
                        limits::DOOR_FLOW,
                    );
                }
            }
            self.finish(&cur);
        }
    }

    /// `walk GROUP SPEED` or `walk GROUP SPEED to SPEED` (drawn uniformly).
    fn walk(&mut self, cur: &mut Cur<'_>) {
        let group_span = cur.here();
        let Some(group) = self.choice(
            cur,
            &WALKERS,
            "a group with a speed of its own (adults, children, elderly, disabled); the others walk as adults",
        ) else {
            // The speeds after an unknown group are not a second error.
            while cur.next().is_some() {}
            return;
        };
        let first = cur.here();
        let Some(a) = self.quantity_in(cur, Dim::Speed, "a walking speed", limits::WALK_SPEED)
        else {
            return;
        };
        let range = if cur.eat_kw("to") {
            let b = self.range_top(cur, Dim::Speed, a, first, limits::WALK_SPEED);
            (a, b.unwrap_or(a))
        } else {
            (a, a)
        };
        let b = &mut self.s.behaviour;
        match group {
            "adults" => b.walk_adults_m_s = Some(range.1),
            "children" => b.walk_children_m_s = Some(range.1),
            "elderly" => b.walk_elderly_m_s = Some(range),
            _ => b.walk_disabled_m_s = Some(range),
        }
        if range.0 != range.1 && matches!(group, "adults" | "children") {
            self.err(
                Diagnostic::error(
                    "E0413",
                    group_span,
                    format!("`{group}` 的步行速度是一个值,不是范围"),
                    format!("`{group}` walk at one speed, not a range"),
                )
                .help("write one speed, e.g. `walk adults 1.34m/s`; ranges are for elderly and disabled"),
            );
        }
    }

    /// The upper bound of `A to B`: E0411 when it lies below `low`.
    fn range_top(
        &mut self,
        cur: &mut Cur<'_>,
        dim: Dim,
        low: f64,
        low_span: Span,
        range: Range,
    ) -> Option<f64> {
        let span = cur.here();
        let high = self.quantity_in(cur, dim, "the upper bound", range)?;
        if high < low {
            self.err(
                Diagnostic::error(
                    "E0411",
                    Span {
                        file: low_span.file,
                        start: low_span.start,
                        end: span.end,
                    },
                    "范围的下限大于上限",
                    "the range's lower bound is above its upper bound",
                )
                .help("write the smaller value first: `0.68m/s to 1.41m/s`"),
            );
            return None;
        }
        Some(high)
    }
}
