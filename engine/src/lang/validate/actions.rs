//! 行动记录 — `actions` logs, read against a scenario by [`validate_actions`]: what
//! participants did and when (recorder lines) and the trainer's commands to fire or
//! skip an inject. Owns E0130/E0131 (a log for another scenario, a log with no
//! `actions` block), E0122 for an `actions` line without its block, E0202 for a
//! command naming no inject, W0008 (a command for an inject already fired on its own)
//! and E0410 (an inject commanded twice).

use super::cursor::Cur;
use super::reach::logged_out_of_loudspeaker_reach;
use super::{Names, V};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords::{self, is};
use crate::lang::syntax::{NodeKind, SyntaxFile, lines};
use crate::model::*;
use std::collections::BTreeMap;

/// Validates an `actions` log against a scenario.
pub fn validate_actions(
    scenario: &Scenario,
    file: u32,
    tree: &SyntaxFile,
) -> (Option<ActionLog>, Vec<Diagnostic>) {
    let mut v = V {
        diags: Vec::new(),
        names: Names::from_scenario(scenario),
        s: scenario.clone(),
        start_of_day_s: scenario.header.start.seconds_of_day(),
        inject_refs: Vec::new(),
        edges: Vec::new(),
        task_spans: Vec::new(),
        responsibles: Vec::new(),
        // A log's points are map metres whatever the scenario's `coordinates`: the
        // exercise writes them so (`lang::print`), and the map shows metres.
        lonlat: None,
    };
    let mut log = ActionLog::default();
    let mut seen = false;
    for line in lines(&tree.nodes) {
        let mut cur = Cur::new(file, line);
        let Some(first) = cur.next() else { continue };
        if !first.word().is_some_and(|w| is(w, "actions")) {
            v.unknown_keyword(&cur, first, &["actions"], "`actions`");
            continue;
        }
        if seen {
            v.duplicate_block(&cur, "actions");
        }
        seen = true;
        if let Some((id, span)) = v.name(&mut cur, "the scenario id") {
            if id != scenario.header.id {
                v.diags.push(
                    Diagnostic::error(
                        "E0130",
                        span,
                        format!("记录属于场景 `{id}`,不是 `{}`", scenario.header.id),
                        format!(
                            "this log is for scenario `{id}`, not `{}`",
                            scenario.header.id
                        ),
                    )
                    .help("check that the log and the scenario belong together"),
                );
            }
            log.scenario_id = id;
        }
        let Some(NodeKind::Block(body)) = cur.next().map(|n| &n.kind) else {
            v.diags.push(
                Diagnostic::error(
                    "E0122",
                    cur.here(),
                    "`actions` 后面缺少 { ... }",
                    "`actions ID` needs a block `{ ... }`",
                )
                .help("write `actions ID {` and one action per line"),
            );
            continue;
        };
        for line in lines(body) {
            let mut c = Cur::new(file, line);
            if v.is_trainer_line(&c) {
                if let Some(command) = v.inject_command(&mut c) {
                    log.inject_commands.push(command);
                }
            } else if let Some(a) = v.action(&mut c) {
                log.actions.push(a);
            }
        }
    }
    v.inject_commands_once(&log.inject_commands);
    v.diags
        .extend(logged_out_of_loudspeaker_reach(scenario, &log));
    if !seen {
        v.diags.push(
            Diagnostic::error(
                "E0131",
                Span {
                    file,
                    start: 0,
                    end: 0,
                },
                "缺少 actions 块",
                "the log has no `actions` block",
            )
            .help("write `actions SCENARIO-ID { 20:07 ROLE VERB ... }`"),
        );
    }
    let has_error = v.diags.iter().any(|d| d.is_error());
    (if has_error { None } else { Some(log) }, v.diags)
}

impl V {
    fn action(&mut self, cur: &mut Cur<'_>) -> Option<Action> {
        let whole = cur.whole();
        let at_s = self.time(cur)?;
        let (name, span) = self.name(cur, "who acted (a role or team)")?;
        let actor = self.actor(&name, span)?;
        let work = self.work(cur)?;
        let mut action = Action {
            at_s,
            actor,
            work,
            how: Vec::new(),
            with: Vec::new(),
            span: whole,
        };
        while !cur.done() {
            let Some(kw) = self.choice(cur, &["via", "how", "with"], "`via` or `with`") else {
                break;
            };
            match kw {
                "with" => {
                    let (uses, spans) = self.resource_uses(cur);
                    self.check_quantities(&uses, &spans, "this action");
                    action.with = uses;
                }
                _ => action.how = self.channels(cur),
            }
        }
        self.finish(cur);
        Some(action)
    }

    /// Whether a log line is the trainer's (`21:30 trainer fire inject 5`): its second
    /// word spells `trainer` (导调) and is not the name of a role or team, or it is such
    /// a name but the verb after it is `fire` or `skip` (no participant verb is).
    fn is_trainer_line(&self, cur: &Cur<'_>) -> bool {
        let word = |i: usize| cur.nodes.get(i).and_then(|n| n.word());
        let Some(who) = word(1).filter(|w| is(w, "trainer")) else {
            return false;
        };
        let a_participant =
            self.names.roles.contains_key(who) || self.names.teams.contains_key(who);
        !a_participant || word(2).and_then(keywords::trainer_verb).is_some()
    }

    /// `TIME trainer fire|skip inject N` (导调 下达|跳过 注入 N): the trainer's hand on
    /// an inject, recorded so that a replay repeats it.
    fn inject_command(&mut self, cur: &mut Cur<'_>) -> Option<InjectCommand> {
        let whole = cur.whole();
        let at_s = self.time(cur)?;
        cur.next(); // `trainer`, see `is_trainer_line`
        let kind = match cur.peek_word().and_then(keywords::trainer_verb) {
            Some("fire") => InjectCommandKind::Fire,
            Some(_) => InjectCommandKind::Skip,
            None => {
                self.expected(
                    cur,
                    "`fire`(下达)或 `skip`(跳过)",
                    "`fire` or `skip` (下达 / 跳过)",
                    "write `21:30 trainer fire inject 5` or `21:35 导调 跳过 注入 7`",
                );
                return None;
            }
        };
        cur.next();
        if !cur.eat_kw("inject") {
            self.expected(
                cur,
                "`inject`(注入)",
                "`inject` (注入)",
                "write `trainer fire inject 5`: the word inject, then the inject's number",
            );
            return None;
        }
        let span = cur.here();
        let number = self.count(cur, "the inject number")?;
        self.finish(cur);
        let Some(inject) = self.s.injects.iter().find(|i| i.number == number) else {
            let numbers: Vec<String> = self
                .s
                .injects
                .iter()
                .map(|i| i.number.to_string())
                .collect();
            self.err(
                Diagnostic::error(
                    "E0202",
                    span,
                    format!("场景中没有编号为 {number} 的注入"),
                    format!("the scenario has no inject number {number}"),
                )
                .label("no inject with this number")
                .help(if numbers.is_empty() {
                    "the scenario has no injects / 场景没有情景注入".to_string()
                } else {
                    format!(
                        "use the number of an inject in the `injects` block: {} / 请使用 injects 中的编号",
                        numbers.join(", ")
                    )
                }),
            );
            return None;
        };
        // Firing or skipping an inject in a step after its own has no effect: it has
        // fired already (the live drill refuses such a command, so only a hand-written
        // log can have one).
        if let InjectTrigger::At(due_s) = inject.trigger {
            let step_s = self.s.header.step_s.max(1e-9);
            let step_of = |t: f64| (t / step_s - 1e-9).ceil();
            if step_of(at_s) > step_of(due_s) {
                let clock = |t: f64| self.s.header.start.clock_at(t);
                self.diags.push(
                    Diagnostic::warning(
                        "W0008",
                        whole,
                        format!(
                            "第 {number} 号注入在 {} 已自动下达,{} 的命令不起作用",
                            clock(due_s),
                            clock(at_s)
                        ),
                        format!(
                            "inject {number} fires on its own at {}; this command at {} comes too late to change it",
                            clock(due_s),
                            clock(at_s)
                        ),
                    )
                    .help("give the command a time before the inject's, or delete it"),
                );
            }
        }
        Some(InjectCommand {
            at_s,
            number,
            kind,
            span: whole,
        })
    }

    /// An inject is fired or skipped by hand at most once: after the first command it
    /// has fired or been dropped, so a second one (the live drill refuses it) would be
    /// a recorder's mistake.
    fn inject_commands_once(&mut self, commands: &[InjectCommand]) {
        let mut first: BTreeMap<u32, &InjectCommand> = BTreeMap::new();
        for c in commands {
            let Some(earlier) = first.get(&c.number) else {
                first.insert(c.number, c);
                continue;
            };
            let verb = |k: InjectCommandKind| match k {
                InjectCommandKind::Fire => ("fired", "下达"),
                InjectCommandKind::Skip => ("skipped", "跳过"),
            };
            let (en, zh) = verb(earlier.kind);
            self.err(
                Diagnostic::error(
                    "E0410",
                    c.span,
                    format!("第 {} 号注入已由导调{zh},不能再次下达或跳过", c.number),
                    format!(
                        "inject {} was already {en} by the trainer; it cannot be fired or skipped again",
                        c.number
                    ),
                )
                .label("second command for this inject")
                .secondary(earlier.span, format!("first {en} here"))
                .help("keep one command per inject: delete this line or the earlier one / 每条注入只保留一条导调命令"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::EXAMPLE;
    use crate::lang::{check_text, render};

    #[test]
    fn actions_log_resolves_against_the_scenario() {
        let (_, result) = check_text("doc-example.drill", EXAMPLE);
        let scenario = result.scenario.unwrap();
        let mut sources = crate::lang::SourceMap::new();
        let f = sources.add(
            "log.drill",
            "actions zhuyuan-flood-2026 {\n  20:07 村应急管理员 warn zone 下村低洼区 via [loudspeaker sms] with 村广播\n  20:12 镇现场指挥官 report_at_post\n  20:31 网格员 knock_doors zone 下村低洼区 with megaphone 4\n  21:55 村民兵小分队 evacuate [elderly disabled] from 下村 to 竹源小学\n}\n",
        );
        let (log, diags) = crate::lang::check_actions(&scenario, &sources, f);
        let log = log.unwrap_or_else(|| panic!("{}", render(&diags, &sources)));
        assert_eq!(log.actions.len(), 4);
        assert_eq!(log.actions[0].at_s, 7.0 * 60.0);
        assert_eq!(log.actions[2].with[0].quantity, 4);
        let bad = sources.add(
            "bad.drill",
            "actions zhuyuan-flood-2026 {\n  20:07 村应急管里员 warn zone 下村低洼区\n}\n",
        );
        let (log, diags) = crate::lang::check_actions(&scenario, &sources, bad);
        assert!(log.is_none());
        assert!(render(&diags, &sources).contains("did you mean `村应急管理员`"));
    }
}
