//! The `institution` statement of the `map` block: 单位 — a boarding school (寄宿学校),
//! a nursing home (敬老院/养老院), a factory (工厂), a construction site (工地) or a
//! work site in the open (作业点: a tea garden's or farm's field workers), whose
//! people are warned and move as one group under their responsible person (负责人)
//! and staff, not as households each deciding on its own.
//!
//! ```text
//! institution 石门敬老院 at (1000, 1050) kind nursing_home people 36 staff 4 responsible 敬老院院长 { elderly 32 disabled 11 }
//! ```
//!
//! `people` counts everyone, staff included; `staff` and each group may not exceed it
//! (E0401), groups may overlap. `responsible` is a role (resolved once the roles are
//! read: a bare name that is no role is E0202) or a person written in quotes. Owns
//! E0412 (an institution without `kind` or `responsible`).

use super::V;
use super::cursor::Cur;
use crate::lang::diagnostic::Diagnostic;
use crate::lang::syntax::{Node, NodeKind};
use crate::model::*;

/// The institution kinds as written, with their meaning.
const KINDS: [&str; 5] = [
    "school",
    "nursing_home",
    "factory",
    "construction_site",
    "worksite",
];

impl V {
    pub(super) fn institution(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the institution's name") else {
            return;
        };
        let mut place = Place {
            name: name.clone(),
            span: whole,
            households: 1,
            ..Place::default()
        };
        let (mut has_pos, mut kind, mut staff, mut responsible) = (false, None, 0, None);
        let mut staff_span = span;
        let mut groups: Option<&[Node]> = None;
        while let Some(n) = cur.peek() {
            if let NodeKind::Block(items) = &n.kind {
                cur.next();
                groups = Some(items);
                continue;
            }
            let Some(kw) = self.choice(
                cur,
                &["at", "kind", "people", "staff", "responsible"],
                "an institution attribute (at, kind, people, staff, responsible)",
            ) else {
                break; // still declare it, so its uses elsewhere don't cascade
            };
            match kw {
                "at" => {
                    if let Some(p) = self.point(cur) {
                        place.pos = p;
                        has_pos = true;
                    }
                }
                "kind" => kind = self
                    .choice(
                        cur,
                        &KINDS,
                        "an institution kind (school, nursing_home, factory, construction_site, \
                         worksite)",
                    )
                    .map(|k| match k {
                        "school" => InstitutionKind::School,
                        "nursing_home" => InstitutionKind::NursingHome,
                        "factory" => InstitutionKind::Factory,
                        "construction_site" => InstitutionKind::ConstructionSite,
                        _ => InstitutionKind::Worksite,
                    }),
                "people" => place.people = self.count(cur, "people").unwrap_or(0),
                "staff" => {
                    staff_span = cur.here();
                    staff = self.count(cur, "staff").unwrap_or(0);
                }
                _ => {
                    let quoted = matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Str { .. }));
                    if let Some((who, at)) = self.name(cur, "a role or a \"named person\"") {
                        responsible = Some((who, at, quoted));
                    }
                }
            }
        }
        // Groups after `people`, wherever the block was written.
        if let Some(items) = groups {
            self.groups(cur.file, items, &mut place);
        }
        self.over_people(&place, "staff", staff, staff_span);
        if !has_pos {
            self.err(
                Diagnostic::error(
                    "E0143",
                    span,
                    format!("单位 `{name}` 缺少位置"),
                    format!("`{name}` has no position"),
                )
                .help(format!(
                    "add `at (x, y)`, e.g. `institution {name} at (120, 80)`"
                )),
            );
        }
        let missing: Vec<&str> = [
            (kind.is_none(), "kind"),
            (responsible.is_none(), "responsible"),
        ]
        .into_iter()
        .filter_map(|(m, w)| m.then_some(w))
        .collect();
        if !missing.is_empty() {
            self.err(
                Diagnostic::error(
                    "E0412",
                    span,
                    format!("单位 `{name}` 缺少 {}", missing.join("、")),
                    format!("institution `{name}` has no {}", missing.join(" or ")),
                )
                .help(
                    "write its kind (school, nursing_home, factory, construction_site, worksite) and \
                     its responsible person: a role, or a name in quotes, e.g. \
                     `kind nursing_home responsible 敬老院院长` / 写明类型和负责人(角色名, 或加引号的人名)",
                ),
            );
        }
        let idx = self.s.map.places.len();
        if let Some((who, at, quoted)) = responsible.clone() {
            self.responsibles.push((idx, who, at, quoted));
        }
        place.institution = Some(Institution {
            kind: kind.unwrap_or(InstitutionKind::School),
            staff,
            responsible: Responsible::Named(responsible.map(|(who, _, _)| who).unwrap_or_default()),
        });
        if self.declare(|n| &mut n.places, &name, span, idx, "place") {
            self.s.map.places.push(place);
        }
    }

    /// Institutions' responsible persons: a role when one has the name, a person when
    /// the name is quoted, else an unknown role (E0202, with the nearest role).
    pub(super) fn resolve_responsibles(&mut self) {
        for (idx, name, span, quoted) in std::mem::take(&mut self.responsibles) {
            let who = match self.names.roles.get(&name) {
                Some(&r) => Responsible::Role(RoleIdx(r)),
                None if quoted => Responsible::Named(name),
                None => {
                    self.resolve(|n| &n.roles, &name, span, "role", "角色");
                    continue;
                }
            };
            if let Some(inst) = self
                .s
                .map
                .places
                .get_mut(idx)
                .and_then(|p| p.institution.as_mut())
            {
                inst.responsible = who;
            }
        }
    }
}
