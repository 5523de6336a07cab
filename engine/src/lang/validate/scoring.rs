//! The `scoring` block: 评分 — the weights of timeliness, completeness, resources and
//! roles, the expected outcomes, the rating thresholds and the pass mark. Owns E0127
//! for a weights or outcomes list that is no block, W0005 (weights not adding up to
//! 100) and E0406 (ratings out of order).

use super::cursor::Cur;
use super::{Block, V};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::{NodeKind, lines};
use crate::limits;
use crate::model::*;

impl V {
    pub(super) fn scoring(&mut self, (file, body, header): &Block<'_>) {
        self.expect_header_end(header, 1);
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            let Some(kw) = self.choice(
                &mut cur,
                &["weights", "outcomes", "ratings", "pass"],
                "a scoring item (weights, outcomes, ratings, pass)",
            ) else {
                continue;
            };
            match kw {
                "weights" => {
                    let span = cur.here();
                    let Some(NodeKind::Block(b)) = cur.next().map(|n| &n.kind) else {
                        self.err(Diagnostic::error("E0127", span, "应为 { timeliness 30 ... }", "expected `{ timeliness 30 completeness 40 resources 15 roles 15 }`").help("write the weights in braces"));
                        continue;
                    };
                    let mut c = Cur::new(*file, b.iter().filter(|n| !n.is_trivia()).collect());
                    while !c.done() {
                        let Some(k) = self.choice(
                            &mut c,
                            &["timeliness", "completeness", "resources", "roles"],
                            "a weight (timeliness, completeness, resources, roles)",
                        ) else {
                            continue;
                        };
                        let v = self.number_in(&mut c, k, limits::SCORE).unwrap_or(0.0);
                        let w = &mut self.s.scoring.weights;
                        match k {
                            "timeliness" => w.timeliness = v,
                            "completeness" => w.completeness = v,
                            "resources" => w.resources = v,
                            _ => w.roles = v,
                        }
                    }
                    let w = self.s.scoring.weights;
                    let total = w.timeliness + w.completeness + w.resources + w.roles;
                    if (total - 100.0).abs() > 1e-9 {
                        self.err(
                            Diagnostic::warning(
                                "W0005",
                                span,
                                format!("权重之和为 {total},不是 100"),
                                format!("the weights add up to {total}, not 100"),
                            )
                            .help("scores are normalised, but 100 is easier to read"),
                        );
                    }
                }
                "outcomes" => {
                    if let Some(NodeKind::Str { value, .. }) = cur.peek().map(|n| &n.kind) {
                        self.s.scoring.outcomes_title = value.to_string();
                        cur.next();
                    }
                    let span = cur.here();
                    let Some(NodeKind::Block(b)) = cur.next().map(|n| &n.kind) else {
                        self.err(
                            Diagnostic::error(
                                "E0127",
                                span,
                                "应为 { at_post 100% ... }",
                                "expected `{ at_post 100% evacuated 100% ... }`",
                            )
                            .help("write the outcome targets in braces"),
                        );
                        continue;
                    };
                    let mut c = Cur::new(*file, b.iter().filter(|n| !n.is_trivia()).collect());
                    while !c.done() {
                        let Some(k) = self.choice(&mut c, &["at_post", "evacuated", "vulnerable_moved", "assessed_before_return", "warned"], "an outcome (at_post, evacuated, vulnerable_moved, assessed_before_return, warned)") else { continue };
                        let p = self.percent(&mut c).unwrap_or(100.0);
                        let metric = match k {
                            "at_post" => Outcome::AtPost,
                            "evacuated" => Outcome::Evacuated,
                            "vulnerable_moved" => Outcome::VulnerableMoved,
                            "assessed_before_return" => Outcome::AssessedBeforeReturn,
                            _ => Outcome::Warned,
                        };
                        // `veto` (否决) after the percent makes a missed target a veto
                        // item (the 四个100% always are: `score::outcomes` adds them).
                        let veto = c
                            .peek()
                            .and_then(|n| n.word())
                            .is_some_and(|w| crate::lang::keywords::is(w, "veto"));
                        if veto {
                            c.next();
                        }
                        self.s.scoring.outcomes.push(OutcomeTarget {
                            metric,
                            percent: p,
                            veto,
                        });
                    }
                }
                "ratings" => {
                    while !cur.done() {
                        let letter = cur.next().and_then(|n| n.word()).unwrap_or("");
                        if !matches!(cur.next().map(|n| &n.kind), Some(NodeKind::Ge)) {
                            self.expected(
                                &cur,
                                "P >= 90 S >= 75 M >= 50",
                                "`P >= 90  S >= 75  M >= 50`",
                                "write the three thresholds with `>=`",
                            );
                            break;
                        }
                        let v = self
                            .number_in(&mut cur, "a threshold", limits::SCORE)
                            .unwrap_or(0.0);
                        let r = &mut self.s.scoring.ratings;
                        match letter {
                            "P" => r.p = v,
                            "S" => r.s = v,
                            "M" => r.m = v,
                            _ => {}
                        }
                    }
                    let r = self.s.scoring.ratings;
                    if !(r.p >= r.s && r.s >= r.m) {
                        self.err(
                            Diagnostic::error(
                                "E0406",
                                cur.whole(),
                                "等级线应满足 P >= S >= M",
                                "ratings must satisfy P >= S >= M",
                            )
                            .help("e.g. `ratings P >= 90  S >= 75  M >= 50`"),
                        );
                    }
                }
                _ => {
                    self.s.scoring.pass_score = self
                        .number_in(&mut cur, "the pass score", limits::SCORE)
                        .unwrap_or(75.0)
                }
            }
            self.finish(&cur);
        }
    }
}
