//! The `resources` block (物资 — loudspeakers, boats, pumps and the like, with where
//! they are kept and how many) and the resource lists that teams, tasks and actions
//! use. Owns E0135 (a resource without a place), E0203 (no resource of the named kind)
//! and E0404 (a use of more than there is).

use super::cursor::Cur;
use super::units::Dim;
use super::{UNKNOWN, V};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords::which;
use crate::lang::syntax::{Node, NodeKind};
use crate::limits;
use crate::model::*;

impl V {
    pub(super) const RESOURCE_KINDS: [&'static str; 16] = [
        "loudspeaker",
        "megaphone",
        "satellite_phone",
        "generator",
        "pump",
        "micro_fire_station",
        "boat",
        "vehicle",
        "drone",
        "life_detector",
        "fire_tools",
        "protective_gear",
        "gas_detector",
        "siren",
        "hand_alarm",
        "reservoir_broadcast",
    ];

    fn resource_kind(kw: &str) -> ResourceKind {
        match kw {
            "loudspeaker" => ResourceKind::Loudspeaker,
            "megaphone" => ResourceKind::Megaphone,
            "satellite_phone" => ResourceKind::SatellitePhone,
            "generator" => ResourceKind::Generator,
            "pump" => ResourceKind::Pump,
            "micro_fire_station" => ResourceKind::MicroFireStation,
            "boat" => ResourceKind::Boat,
            "vehicle" => ResourceKind::Vehicle,
            "drone" => ResourceKind::Drone,
            "life_detector" => ResourceKind::LifeDetector,
            "fire_tools" => ResourceKind::FireTools,
            "protective_gear" => ResourceKind::ProtectiveGear,
            "siren" => ResourceKind::Siren,
            "hand_alarm" => ResourceKind::HandAlarm,
            "reservoir_broadcast" => ResourceKind::ReservoirBroadcast,
            _ => ResourceKind::GasDetector,
        }
    }

    pub(super) fn resource(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the resource's name or kind") else {
            return;
        };
        let kind = match which(&name, &Self::RESOURCE_KINDS) {
            Some(k)
                if matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Quantity { .. }))
                    || cur.peek_kw("at") =>
            {
                Self::resource_kind(k)
            }
            _ => {
                if cur.eat_kw("other") {
                    ResourceKind::Other(name.clone())
                } else {
                    match self.choice(
                        cur,
                        &Self::RESOURCE_KINDS,
                        "a resource kind (loudspeaker, megaphone, boat, generator, ... or `other`)",
                    ) {
                        Some(k) => Self::resource_kind(k),
                        None => return,
                    }
                }
            }
        };
        let mut quantity = 1;
        if let Some(NodeKind::Quantity { .. }) = cur.peek().map(|n| &n.kind) {
            quantity = self.count(cur, "quantity").unwrap_or(1);
        }
        let (mut at, mut capacity, mut radius) = (None, None, None);
        let mut backup_power = false;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["at", "capacity", "radius", "backup_power"],
                "a resource attribute (at, capacity, radius, backup_power)",
            ) else {
                return;
            };
            match kw {
                "at" => at = self.place_ref(cur),
                "capacity" => capacity = self.count(cur, "capacity"),
                "backup_power" => backup_power = true,
                _ => radius = self.quantity_in(cur, Dim::Length, "`radius`", limits::RADIUS),
            }
        }
        let Some(at) = at else {
            if !self.diags.iter().any(|d| {
                d.primary.span.start >= whole.start
                    && d.primary.span.end <= whole.end
                    && d.primary.span.file == whole.file
            }) {
                self.err(
                    Diagnostic::error(
                        "E0135",
                        span,
                        format!("物资 `{name}` 缺少存放地点"),
                        format!("resource `{name}` has no place"),
                    )
                    .help("add `at PLACE`, e.g. `at 村委会`"),
                );
            }
            return;
        };
        let idx = self.s.resources.len();
        if self.declare(|n| &mut n.resources, &name, span, idx, "resource") {
            self.s.resources.push(Resource {
                name,
                kind,
                quantity,
                at,
                capacity,
                radius_m: radius,
                backup_power,
                span: whole,
            });
        }
    }

    /// `[冲锋舟 2, 村广播]` or `村广播` or `megaphone 4`: resources with optional
    /// quantities (default 1). A kind name stands for the first resource of that kind.
    pub(super) fn resource_uses(&mut self, cur: &mut Cur<'_>) -> (Vec<ResourceUse>, Vec<Span>) {
        let items: Vec<&Node> = match cur.peek().map(|n| &n.kind) {
            Some(NodeKind::List(items)) => {
                cur.next();
                items
                    .iter()
                    .filter(|n| !n.is_trivia() && !matches!(n.kind, NodeKind::Comma))
                    .collect()
            }
            _ => {
                let mut v = Vec::new();
                if let Some(n) = cur.next() {
                    v.push(n);
                    if let Some(
                        q @ Node {
                            kind: NodeKind::Quantity { .. },
                            ..
                        },
                    ) = cur.peek()
                    {
                        v.push(q);
                        cur.next();
                    }
                }
                v
            }
        };
        let mut uses = Vec::new();
        let mut spans = Vec::new();
        let mut inner = Cur::new(cur.file, items);
        while !inner.done() {
            let Some((name, span)) = self.name(&mut inner, "a resource") else {
                inner.next();
                continue;
            };
            let mut quantity = 1;
            let mut full = span;
            if let Some(
                q @ Node {
                    kind: NodeKind::Quantity { .. },
                    ..
                },
            ) = inner.peek()
            {
                full.end = q.span.end;
                quantity = self.count(&mut inner, "quantity").unwrap_or(1);
            }
            let idx = match self.names.resources.get(&name) {
                Some(&i) => i,
                None => match which(&name, &Self::RESOURCE_KINDS) {
                    Some(k) => {
                        let kind = Self::resource_kind(k);
                        match self.s.resources.iter().position(|r| r.kind == kind) {
                            Some(i) => i as u32,
                            None => {
                                self.err(
                                    Diagnostic::error(
                                        "E0203",
                                        span,
                                        format!("场景中没有 `{name}` 类物资"),
                                        format!("the scenario has no resource of kind `{name}`"),
                                    )
                                    .label("not in `resources`")
                                    .help(format!(
                                        "add it to `resources`, e.g. `{name} 2 at 村委会`"
                                    )),
                                );
                                UNKNOWN
                            }
                        }
                    }
                    None => self.resolve(|n| &n.resources, &name, span, "resource", "物资"),
                },
            };
            if idx != UNKNOWN {
                uses.push(ResourceUse {
                    resource: ResourceIdx(idx),
                    quantity,
                });
                spans.push(full);
            }
        }
        (uses, spans)
    }

    /// A use may not ask for more units than the scenario has.
    pub(super) fn check_quantities(&mut self, uses: &[ResourceUse], spans: &[Span], who: &str) {
        for (u, span) in uses.iter().zip(spans) {
            let r = &self.s.resources[u.resource.index()];
            let available = r.quantity;
            if u.quantity > available {
                let (name, rspan) = (r.name.clone(), r.span);
                self.err(
                    Diagnostic::error("E0404", *span, format!("{who} 需要 {} 个 `{name}`,场景中只有 {available} 个", u.quantity), format!("{who} uses {} × `{name}` but the scenario has only {available}", u.quantity))
                        .label(format!("{} needed", u.quantity))
                        .secondary(rspan, format!("only {available} here"))
                        .help("lower the quantity, or add more to `resources` / 减少数量或在 resources 中增加"),
                );
            }
        }
    }
}
