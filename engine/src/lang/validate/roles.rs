//! The `roles` block: 角色 — the people of the command chain, with their level and
//! count. Owns E0134 (a role without a level).

use super::V;
use super::cursor::Cur;
use crate::lang::diagnostic::Diagnostic;
use crate::model::*;

impl V {
    pub(super) fn role(&mut self, cur: &mut Cur<'_>) {
        let whole = cur.whole();
        let Some((name, span)) = self.name(cur, "the role's name") else {
            return;
        };
        let mut role = Role {
            name: name.clone(),
            level: AdminLevel::Village,
            commander: false,
            count: 1,
            post: None,
            span: whole,
        };
        let mut has_level = false;
        while !cur.done() {
            let Some(kw) = self.choice(
                cur,
                &["level", "commander", "count", "post"],
                "a role attribute (level, commander, count, post)",
            ) else {
                return;
            };
            match kw {
                "level" => {
                    if let Some(l) = self.choice(
                        cur,
                        &["county", "township", "village", "group"],
                        "a level (county, township, village, group / 县 乡镇 村 组)",
                    ) {
                        has_level = true;
                        role.level = match l {
                            "county" => AdminLevel::County,
                            "township" => AdminLevel::Township,
                            "village" => AdminLevel::Village,
                            _ => AdminLevel::Group,
                        };
                    }
                }
                "commander" => role.commander = true,
                "count" => role.count = self.count(cur, "count").unwrap_or(1),
                _ => role.post = self.place_ref(cur),
            }
        }
        if !has_level {
            self.err(
                Diagnostic::error(
                    "E0134",
                    span,
                    format!("角色 `{name}` 缺少等级"),
                    format!("role `{name}` has no `level`"),
                )
                .help("add `level county`, `township`, `village` or `group`"),
            );
        }
        let idx = self.s.roles.len();
        if self.declare(|n| &mut n.roles, &name, span, idx, "role") {
            self.s.roles.push(role);
        }
    }
}
