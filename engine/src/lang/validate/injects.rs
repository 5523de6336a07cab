//! The `injects` block: 注入 — events the trainer sends into the drill, at a time or
//! when a task is not done by then, and their effects. Owns E0201 for a duplicate
//! inject number, W0004 (an inject after the drill has ended), E0202 for a plan
//! task's `when inject N` naming no inject, and E0420 for an effect that drives a
//! hazard model (来水, 起火) the scenario does not have.

use super::cursor::Cur;
use super::units::Dim;
use super::{UNKNOWN, V};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords::which;
use crate::lang::syntax::{Node, NodeKind, lines};
use crate::limits;
use crate::model::*;
use std::collections::BTreeMap;

impl V {
    pub(super) fn injects(&mut self, file: u32, body: &[Node]) {
        // An inject starts with its number at the start of a line; following lines
        // that do not start with a number continue it.
        let mut groups: Vec<Vec<&Node>> = Vec::new();
        for line in lines(body) {
            let starts_new = matches!(
                line.first().map(|n| &n.kind),
                Some(NodeKind::Quantity { unit: None, .. })
            );
            if starts_new || groups.is_empty() {
                groups.push(line);
            } else if let Some(g) = groups.last_mut() {
                g.extend(line);
            }
        }
        let mut numbers: BTreeMap<u32, Span> = BTreeMap::new();
        for g in groups {
            let mut cur = Cur::new(file, g);
            let whole = cur.whole();
            let span = cur.here();
            let Some(number) = self.count(&mut cur, "the inject number") else {
                continue;
            };
            if numbers.insert(number, span).is_some() {
                self.err(
                    Diagnostic::error(
                        "E0201",
                        span,
                        format!("注入编号 {number} 重复"),
                        format!("duplicate inject number {number}"),
                    )
                    .help("number the injects 1, 2, 3, ... once each"),
                );
            }
            let trigger = if cur.eat_kw("at") {
                self.time(&mut cur).map(InjectTrigger::At)
            } else if cur.eat_kw("if") {
                // 如未 already means "if not"; the English needs both words.
                let zh = cur.nodes.get(cur.pos - 1).and_then(|n| n.word()) == Some("如未");
                if !zh && !cur.eat_kw("not") {
                    self.expected(
                        &cur,
                        "not",
                        "`not` (if not T3 by 22:00)",
                        "write `if not T3 by 22:00`",
                    );
                }
                let t = self
                    .name(&mut cur, "a task id")
                    .map(|(n, s)| self.resolve(|x| &x.tasks, &n, s, "task", "任务"));
                let by = if cur.eat_kw("by") {
                    self.time(&mut cur)
                } else {
                    self.expected(
                        &cur,
                        "by 时刻",
                        "`by` and a time",
                        "write `if not T3 by 22:00`",
                    );
                    None
                };
                match (t, by) {
                    (Some(t), Some(by_s)) if t != UNKNOWN => Some(InjectTrigger::IfNot {
                        task: TaskIdx(t),
                        by_s,
                    }),
                    _ => None,
                }
            } else {
                self.expected(
                    &cur,
                    "at 时刻 或 if not",
                    "`at TIME` or `if not TASK by TIME`",
                    "write `3 at 20:00 ...`",
                );
                None
            };
            let mut inject = Inject {
                number,
                trigger: InjectTrigger::At(0.0),
                from: None,
                to: Vec::new(),
                via: None,
                message: String::new(),
                expects: Vec::new(),
                effects: Vec::new(),
                span: whole,
            };
            while let Some(n) = cur.peek() {
                if let NodeKind::Str { value, .. } = &n.kind {
                    inject.message = value.to_string();
                    cur.next();
                    continue;
                }
                let Some(kw) = self.choice(
                    &mut cur,
                    &["from", "to", "via", "expect", "effect"],
                    "an inject part (from, to, via, \"message\", expect, effect)",
                ) else {
                    break;
                };
                match kw {
                    "from" => inject.from = self.name(&mut cur, "the sender").map(|x| x.0),
                    "to" => inject.to = self.actors(&mut cur),
                    "via" => {
                        if let Some(c) = self.choice(&mut cur, &Self::CHANNELS, "a channel") {
                            inject.via = Some(Self::channel_of(c));
                        }
                    }
                    "expect" => {
                        for n in self.word_list(&mut cur) {
                            let c = Cur::new(file, vec![n]);
                            let (name, span) = match &n.kind {
                                NodeKind::Word(w) => (w.clone(), c.span_of(n)),
                                NodeKind::Str { value, .. } => (value.clone(), c.span_of(n)),
                                _ => continue,
                            };
                            let t = self.resolve(|x| &x.tasks, &name, span, "task", "任务");
                            if t != UNKNOWN {
                                inject.expects.push(TaskIdx(t));
                            }
                        }
                    }
                    _ => {
                        if let Some(e) = self.effect(&mut cur) {
                            inject.effects.push(e);
                        }
                    }
                }
            }
            if let Some(t) = trigger {
                inject.trigger = t;
                let at = match t {
                    InjectTrigger::At(s) => s,
                    InjectTrigger::IfNot { by_s, .. } => by_s,
                };
                if self.s.header.duration_s > 0.0 && at > self.s.header.duration_s {
                    let start = self.s.header.start;
                    self.err(
                        Diagnostic::warning(
                            "W0004",
                            span,
                            format!("注入 {number} 在演练结束之后 ({})", start.clock_at(at)),
                            format!(
                                "inject {number} comes after the drill has ended ({})",
                                start.clock_at(at)
                            ),
                        )
                        .help("move it earlier or lengthen `duration`"),
                    );
                }
            }
            self.s.injects.push(inject);
        }
        for (n, span) in std::mem::take(&mut self.inject_refs) {
            if !numbers.contains_key(&n) {
                self.err(
                    Diagnostic::error(
                        "E0202",
                        span,
                        format!("没有编号为 {n} 的注入"),
                        format!("there is no inject number {n}"),
                    )
                    .help("use the number of an inject in the `injects` block"),
                );
            }
        }
    }

    const EFFECTS: [&'static str; 12] = [
        "warning",
        "close",
        "danger",
        "trapped",
        "shelter_closed",
        "power_cut",
        "out_of_service",
        "phones_down",
        "restore",
        "delay",
        "inflow",
        "ignition",
    ];

    fn effect(&mut self, cur: &mut Cur<'_>) -> Option<Effect> {
        let at = cur.here();
        let kw = self.choice(
            cur,
            &Self::EFFECTS,
            "an effect (warning, close, danger, trapped, shelter_closed, power_cut, \
             out_of_service, phones_down, restore, delay, inflow, ignition)",
        )?;
        Some(match kw {
            "warning" => Effect::Warning(self.level(cur)?),
            "close" => Effect::CloseLink(self.link_ref(cur)?),
            "danger" => {
                let (name, span) = self.name(cur, "a zone")?;
                let z = self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
                if z == UNKNOWN {
                    return None;
                }
                Effect::Danger(ZoneIdx(z))
            }
            "trapped" => {
                let place = self.place_ref(cur)?;
                let people = self.count(cur, "people trapped")?;
                Effect::Trapped { place, people }
            }
            "shelter_closed" => Effect::ShelterClosed(self.shelter_ref(cur)?),
            "power_cut" => Effect::PowerCut(self.target(cur, true)?),
            "out_of_service" => Effect::OutOfService(self.service(cur)?),
            "phones_down" => Effect::PhonesDown,
            "restore" => {
                if cur.eat_kw("power") {
                    Effect::PowerRestored(self.target(cur, true)?)
                } else if cur.eat_kw("phones") {
                    Effect::PhonesRestored
                } else {
                    Effect::Restored(self.service(cur)?)
                }
            }
            "delay" => {
                let (name, span) = self.name(cur, "a team")?;
                let t = self.resolve(|n| &n.teams, &name, span, "team", "队伍");
                let delay_s = self.quantity_in(cur, Dim::Time, "`delay`", limits::ARRIVES)?;
                if t == UNKNOWN {
                    return None;
                }
                Effect::TeamDelayed {
                    team: TeamIdx(t),
                    delay_s,
                }
            }
            "inflow" => {
                let (name, span) = self.name(cur, "a river")?;
                let r = self.resolve(|n| &n.rivers, &name, span, "river", "河流");
                let m3_s = self.quantity_in(cur, Dim::Discharge, "an inflow", limits::INFLOW)?;
                let ramp_s = if cur.eat_kw("over") {
                    self.quantity_in(cur, Dim::Time, "`over`", limits::WITHIN)?
                } else {
                    0.0
                };
                self.needs_model(at, HazardKind::Flood);
                if r == UNKNOWN {
                    return None;
                }
                Effect::Inflow {
                    river: RiverIdx(r),
                    m3_s,
                    ramp_s,
                }
            }
            _ => {
                let point = if matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Point { .. })) {
                    self.point(cur)?
                } else {
                    let p = self.place_ref(cur)?;
                    self.s.place(p).pos
                };
                self.needs_model(at, HazardKind::ForestFire);
                Effect::Ignition(point)
            }
        })
    }

    /// What `out_of_service` and `restore` name: a channel (`loudspeaker`, `sms`...) or
    /// a resource by its name.
    fn service(&mut self, cur: &mut Cur<'_>) -> Option<Service> {
        if let Some(c) = cur.peek_word().and_then(|w| which(w, &Self::CHANNELS)) {
            cur.next();
            return Some(Service::Channel(Self::channel_of(c)));
        }
        let (name, span) = self.name(cur, "a resource or a channel")?;
        let r = self.resolve(|n| &n.resources, &name, span, "resource", "物资");
        (r != UNKNOWN).then_some(Service::Resource(ResourceIdx(r)))
    }

    /// E0420: an inject that drives a hazard model (来水, 起火) in a scenario without
    /// that model's `hazard` block, where nothing would happen.
    fn needs_model(&mut self, at: Span, kind: HazardKind) {
        let has = self.s.hazards.iter().any(|h| {
            matches!(
                (h, kind),
                (Hazard::Flood(_), HazardKind::Flood) | (Hazard::Fire(_), HazardKind::ForestFire)
            )
        });
        if has {
            return;
        }
        let (block, effect_zh, effect_en, needs) = match kind {
            HazardKind::Flood => (
                "hazard flood",
                "来水",
                "an inflow",
                " (and the map's `terrain`)",
            ),
            _ => ("hazard fire", "起火", "an ignition", ""),
        };
        self.err(
            Diagnostic::error(
                "E0420",
                at,
                format!("注入效果「{effect_zh}」需要 `{block}` 块,场景中没有"),
                format!(
                    "{effect_en} drives the `{block}` model, which this scenario does not have"
                ),
            )
            .label("nothing would happen in the run")
            .help(format!(
                "add a `{block} {{ ... }}` block{needs}, or remove the effect"
            )),
        );
    }
}
