//! The `teams` block: 队伍 — response teams with their base, size, arrival time and
//! equipment. Owns E0136 (a team without a base).

use super::V;
use super::cursor::Cur;
use super::units::Dim;
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords::which;
use crate::limits;
use crate::model::*;

impl V {
    pub(super) fn team(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the team's name") else {
            return;
        };
        let (mut members, mut base, mut arrives, mut skills, mut equipment) =
            (0, None, 0.0, Vec::new(), Vec::new());
        let mut equipment_spans = Vec::new();
        let mut base_written = false;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["members", "base", "arrives", "skills", "equipment"],
                "a team attribute (members, base, arrives, skills, equipment)",
            ) else {
                break; // still declare the team, so its uses elsewhere don't cascade
            };
            match kw {
                "members" => {
                    let span = cur.here();
                    let n = self.count(cur, "members");
                    self.in_range(n.map(f64::from), span, "`members`", limits::MEMBERS);
                    members = n.unwrap_or(0);
                }
                "base" => {
                    base_written = true;
                    base = self.place_ref(cur);
                }
                "arrives" => {
                    arrives = self
                        .quantity_in(cur, Dim::Time, "`arrives`", limits::ARRIVES)
                        .unwrap_or(0.0)
                }
                "skills" => {
                    for word in self.word_list(cur) {
                        let c = Cur::new(cur.file, vec![word]);
                        match word.word().and_then(|w| {
                            which(
                                w,
                                &[
                                    "water_rescue",
                                    "evacuation",
                                    "door_knock",
                                    "firefighting",
                                    "hazmat",
                                    "medical",
                                    "roadblock",
                                ],
                            )
                        }) {
                            Some(s) => skills.push(match s {
                                "water_rescue" => Skill::WaterRescue,
                                "evacuation" => Skill::Evacuation,
                                "door_knock" => Skill::DoorKnock,
                                "firefighting" => Skill::Firefighting,
                                "hazmat" => Skill::Hazmat,
                                "medical" => Skill::Medical,
                                _ => Skill::Roadblock,
                            }),
                            None => self
                                .unknown_keyword(
                                    &c,
                                    word,
                                    &[
                                        "water_rescue",
                                        "evacuation",
                                        "door_knock",
                                        "firefighting",
                                        "hazmat",
                                        "medical",
                                        "roadblock",
                                    ],
                                    "a skill",
                                )
                                .map_or((), |_| ()),
                        }
                    }
                }
                _ => {
                    let (uses, spans) = self.resource_uses(cur);
                    equipment = uses;
                    equipment_spans = spans;
                }
            }
        }
        if !base_written {
            self.err(
                Diagnostic::error(
                    "E0136",
                    span,
                    format!("队伍 `{name}` 缺少驻地"),
                    format!("team `{name}` has no `base`"),
                )
                .help("add `base PLACE`"),
            );
        }
        // A missing or unknown base is already an error, so no scenario is returned and
        // the placeholder is never simulated; declaring the team avoids follow-on errors.
        let base = base.unwrap_or(PlaceIdx(0));
        self.check_quantities(&equipment, &equipment_spans, &format!("team `{name}`"));
        let idx = self.s.teams.len();
        if self.declare(|n| &mut n.teams, &name, span, idx, "team") {
            self.s.teams.push(Team {
                name,
                members,
                base,
                arrives_s: arrives,
                skills,
                equipment,
                span: whole,
            });
        }
    }
}
