//! The `plan` block: 预案 — tasks with their trigger (`at`, `after`, `before`, `when`),
//! deadline, who does them, what they do (warn, evacuate, close a road, ...), by which
//! channels and with which resources. `after T` is due once T has started, `after T
//! done` once it has finished. Owns E0139/E0140 (two triggers, or none), E0149 (a
//! word after `after T` that is not `done`),
//! E0141/E0142 (no `do`, no `who`), E0405 (due before it starts), E0202 for an actor
//! that is no role or team, E0204 (a place that is no shelter) and E0205 (a link not
//! on the map).

use super::cursor::Cur;
use super::units::Dim;
use super::{Block, UNKNOWN, V, link_key, sorted_names};
use crate::lang::diagnostic::Diagnostic;
use crate::lang::keywords::{self, which};
use crate::lang::syntax::{Node, NodeKind, lines};
use crate::limits;
use crate::model::*;

impl V {
    pub(super) fn plan(&mut self, (file, body, header): &Block<'_>) {
        let mut h = Cur::new(header.file, header.nodes.clone());
        h.next();
        if let Some(NodeKind::Str { value, .. }) = h.peek().map(|n| &n.kind) {
            self.s.plan.title = value.to_string();
            h.next();
        }
        self.finish(&h);
        // First the ids, so `after T5` may refer to a later task.
        let mut tasks = Vec::new();
        for line in lines(body) {
            let mut cur = Cur::new(*file, line);
            if self.choice(&mut cur, &["task"], "`task`").is_none() {
                continue;
            }
            let Some((id, span)) = self.name(&mut cur, "the task id, like T1") else {
                continue;
            };
            let title = match cur.peek().map(|n| &n.kind) {
                Some(NodeKind::Str { value, .. }) => {
                    cur.next();
                    value.to_string()
                }
                _ => String::new(),
            };
            let Some(NodeKind::Block(b)) = cur.peek().map(|n| &n.kind) else {
                self.expected(
                    &cur,
                    "任务内容 { ... }",
                    "the task's clauses in `{ ... }`",
                    "write `task T1 \"标题\" { when ... who ... do ... }`",
                );
                continue;
            };
            cur.next();
            self.finish(&cur);
            let idx = tasks.len();
            if self.declare(|n| &mut n.tasks, &id, span, idx, "task id") {
                tasks.push((id, title, b.as_slice(), cur.whole(), span));
            }
        }
        for (i, (id, title, b, whole, _)) in tasks.into_iter().enumerate() {
            let task = self.task(*file, i as u32, id, title, b, whole);
            self.task_spans.push(whole);
            self.s.plan.tasks.push(task);
        }
    }

    const CLAUSES: [&'static str; 11] = [
        "when", "at", "after", "before", "who", "do", "how", "with", "within", "by", "require",
    ];

    fn task(
        &mut self,
        file: u32,
        index: u32,
        id: String,
        title: String,
        body: &[Node],
        whole: Span,
    ) -> Task {
        let nodes: Vec<&Node> = body.iter().filter(|n| !n.is_trivia()).collect();
        // Split at clause keywords: a task may be written on one line or many. A
        // trigger written task first (`T3 完成后`) is a clause of its own too, kept with
        // what it was found to be (its words, whether it means done).
        let mut clauses: Vec<(Option<TaskFirst>, Vec<&Node>)> = Vec::new();
        let mut inside_trigger = 0;
        for (i, &n) in nodes.iter().enumerate() {
            let mut task_first = None;
            let starts = if inside_trigger > 0 {
                inside_trigger -= 1;
                false
            } else if let Some((words, done)) = self.task_first_trigger(&nodes[i..]) {
                inside_trigger = words - 1;
                task_first = Some((words, done));
                true
            } else {
                n.word().is_some_and(|w| which(w, &Self::CLAUSES).is_some())
            };
            if starts || clauses.is_empty() {
                clauses.push((task_first, Vec::new()));
            }
            if let Some((_, c)) = clauses.last_mut() {
                c.push(n);
            }
        }
        let mut task = Task {
            id: id.clone(),
            title,
            trigger: Trigger::BeforeReturn,
            who: Vec::new(),
            work: Work::Report,
            how: Vec::new(),
            with: Vec::new(),
            deadline: None,
            require: None,
            span: whole,
        };
        let (mut trigger, mut work) = (None, None);
        let mut with_spans = Vec::new();
        let mut has_who = false;
        for (task_first, clause) in clauses {
            let mut cur = Cur::new(file, clause);
            if let Some((words, done)) = task_first {
                let clause_span = cur.whole();
                let t = self.task_first(&mut cur, words, done, index);
                if trigger.is_some() {
                    self.second_trigger(&id, clause_span);
                } else {
                    trigger = Some((t.unwrap_or(Trigger::BeforeReturn), clause_span));
                }
                self.finish(&cur);
                continue;
            }
            let Some(kw) = self.choice(
                &mut cur,
                &Self::CLAUSES,
                "a task clause (when, at, after, before, who, do, how, with, within, by, require)",
            ) else {
                continue;
            };
            let clause_span = cur.whole();
            match kw {
                "when" | "at" | "after" | "before" => {
                    let t = match kw {
                        "when" => match self.choice(
                            &mut cur,
                            &["warning", "inject", "danger"],
                            "`warning`, `inject` or `danger`",
                        ) {
                            Some("warning") => self.level(&mut cur).map(Trigger::Warning),
                            Some("inject") => {
                                let span = cur.here();
                                self.count(&mut cur, "an inject number").map(|n| {
                                    self.inject_refs.push((n, span));
                                    Trigger::Inject(n)
                                })
                            }
                            Some(_) => self.name(&mut cur, "a zone").and_then(|(name, span)| {
                                let z = self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
                                (z != UNKNOWN).then_some(Trigger::Danger(ZoneIdx(z)))
                            }),
                            None => None,
                        },
                        "at" => self.time(&mut cur).map(Trigger::At),
                        _ => {
                            if kw == "before" && cur.eat_kw("return") {
                                Some(Trigger::BeforeReturn)
                            } else {
                                self.name_ref(&mut cur, "a task id")
                                    .and_then(|(name, span)| {
                                        let t =
                                            self.resolve(|n| &n.tasks, name, span, "task", "任务");
                                        if t == UNKNOWN {
                                            return None;
                                        }
                                        if kw == "after" {
                                            self.edges.push((t, index));
                                            Some(if cur.eat_kw("done") {
                                                Trigger::AfterDone(TaskIdx(t))
                                            } else {
                                                self.after_word(&mut cur, name);
                                                Trigger::After(TaskIdx(t))
                                            })
                                        } else {
                                            self.edges.push((index, t));
                                            Some(Trigger::Before(TaskIdx(t)))
                                        }
                                    })
                            }
                        }
                    };
                    if trigger.is_some() {
                        self.second_trigger(&id, clause_span);
                    } else if t.is_some() {
                        trigger = t.map(|t| (t, clause_span));
                    } else {
                        trigger = Some((Trigger::BeforeReturn, clause_span)); // already reported
                    }
                }
                "who" => {
                    has_who = true;
                    task.who = self.actors(&mut cur);
                }
                "do" => work = self.work(&mut cur),
                "how" => task.how = self.channels(&mut cur),
                "with" => {
                    let (uses, spans) = self.resource_uses(&mut cur);
                    task.with = uses;
                    with_spans = spans;
                }
                "within" => {
                    task.deadline = self
                        .quantity_in(&mut cur, Dim::Time, "`within`", limits::WITHIN)
                        .map(Deadline::Within)
                }
                "by" => {
                    if let Some(t) = self.time(&mut cur) {
                        task.deadline = Some(Deadline::By(t));
                    }
                }
                _ => {
                    let p = self.percent(&mut cur);
                    let of = match cur.peek_word() {
                        Some(_) => match self.choice(
                            &mut cur,
                            &["households", "people"],
                            "`households` or `people`",
                        ) {
                            Some("households") => RequireOf::Households,
                            _ => RequireOf::People,
                        },
                        None => RequireOf::People,
                    };
                    task.require = p.map(|percent| Requirement { percent, of });
                }
            }
            self.finish(&cur);
        }
        match trigger {
            Some((t, span)) => {
                if let (Trigger::At(at), Some(Deadline::By(by))) = (&t, task.deadline)
                    && by < *at
                {
                    let at = *at;
                    let start = self.s.header.start;
                    self.err(
                        Diagnostic::error(
                            "E0405",
                            whole,
                            format!(
                                "任务 {id} 的截止时间 {} 早于开始时间 {}",
                                start.clock_at(by),
                                start.clock_at(at)
                            ),
                            format!(
                                "task {id} is due by {} but only starts at {}",
                                start.clock_at(by),
                                start.clock_at(at)
                            ),
                        )
                        .secondary(span, "starts here")
                        .help("move `by` later, or `at` earlier / 调整截止或开始时间"),
                    );
                }
                task.trigger = t;
            }
            None => self.err(
                Diagnostic::error(
                    "E0140",
                    whole,
                    format!("任务 {id} 没有触发条件"),
                    format!("task {id} has no trigger"),
                )
                .help("add `when warning red`, `at 20:30`, `after T1` or `before T3`"),
            ),
        }
        match work {
            Some(w) => task.work = w,
            None if !self.diags.iter().any(|d| {
                d.primary.span.file == whole.file
                    && d.primary.span.start >= whole.start
                    && d.primary.span.end <= whole.end
            }) =>
            {
                self.err(
                    Diagnostic::error(
                        "E0141",
                        whole,
                        format!("任务 {id} 没有写做什么 (do)"),
                        format!("task {id} has no `do`"),
                    )
                    .help("add `do VERB OBJECT`, e.g. `do warn zone 下村低洼区`"),
                );
            }
            None => {}
        }
        if !has_who {
            self.err(
                Diagnostic::error(
                    "E0142",
                    whole,
                    format!("任务 {id} 没有责任人 (who)"),
                    format!("task {id} has no `who`"),
                )
                .help("add `who ROLE` or `who [A B]`"),
            );
        }
        self.check_quantities(&task.with.clone(), &with_spans, &format!("task {id}"));
        task
    }

    /// E0139: a task with two triggers.
    fn second_trigger(&mut self, id: &str, clause_span: Span) {
        self.err(
            Diagnostic::error(
                "E0139",
                clause_span,
                format!("任务 {id} 有两个触发条件"),
                format!("task {id} has a second trigger"),
            )
            .help("keep one of when / at / after / before"),
        );
    }

    /// `T3 完成后`, `T3 开始后`, `T3完成后` — a trigger written task first, the way a
    /// Chinese response card puts it: how many words it takes (task id and
    /// postposition, or one word with both) and whether it waits for the task to be
    /// done. A word glued to its postposition counts only when the rest is a declared
    /// task id (so a place called 完成后村 stays a place).
    fn task_first_trigger(&self, nodes: &[&Node]) -> Option<TaskFirst> {
        let first = nodes.first()?;
        // Every spelling ends in 后: most words are passed over on that alone (this
        // runs for each word of every task).
        let ends_in_hou = |k: usize| {
            nodes
                .get(k)
                .and_then(|n| n.word())
                .is_some_and(|w| w.ends_with('后'))
        };
        if !ends_in_hou(0) && !ends_in_hou(1) && !ends_in_hou(2) {
            return None;
        }
        let named = matches!(first.kind, NodeKind::Word(_) | NodeKind::Str { .. });
        if !named
            || first
                .word()
                .is_some_and(|w| which(w, &Self::CLAUSES).is_some())
        {
            return None;
        }
        let next = |k: usize| nodes.get(k).and_then(|n| n.word());
        if let Some(done) = next(1).and_then(postposition) {
            return Some((2, done));
        }
        if let (Some(a), Some(b)) = (next(1), next(2))
            && let Some(done) = postposition_pair(a, b)
        {
            return Some((3, done));
        }
        first
            .word()
            .and_then(glued_postposition)
            .filter(|(task, _)| self.names.tasks.contains_key(*task))
            .map(|(_, done)| (1, done))
    }

    /// Reads a task-first trigger of `words` words (see [`Self::task_first_trigger`]).
    fn task_first(
        &mut self,
        cur: &mut Cur<'_>,
        words: usize,
        done: bool,
        index: u32,
    ) -> Option<Trigger> {
        let (name, span) = if words == 1 {
            let n = cur.next()?;
            let (task, _) = glued_postposition(n.word()?)?;
            let span = cur.span_of(n);
            (task.to_string(), span)
        } else {
            let (name, span) = self.name(cur, "a task id")?;
            for _ in 1..words {
                cur.next();
            }
            (name, span)
        };
        let t = self.resolve(|n| &n.tasks, &name, span, "task", "任务");
        if t == UNKNOWN {
            return None;
        }
        self.edges.push((t, index));
        Some(if done {
            Trigger::AfterDone(TaskIdx(t))
        } else {
            Trigger::After(TaskIdx(t))
        })
    }

    /// E0149: a word after `after T3` other than `done` (`after T3 finished`): the
    /// trigger is either the task's start or, with `done`, its finish.
    fn after_word(&mut self, cur: &mut Cur<'_>, task: &str) {
        let Some(n) = cur.peek() else { return };
        let Some(word) = n.word() else { return };
        let span = cur.span_of(n);
        cur.next();
        self.err(
            Diagnostic::error(
                "E0149",
                span,
                format!("`之后 {task}` 后面只能写 `完成`,不能写 `{word}`"),
                format!("only `done` may follow `after {task}`, not `{word}`"),
            )
            .label("not a trigger word")
            .help(format!(
                "`after {task}` starts right after {task} starts (how a response card reads); \
                 `after {task} done` waits until {task} has finished / \
                 `之后 {task}` 或 `{task} 开始后` 在 {task} 开始后即开始, \
                 `之后 {task} 完成` 或 `{task} 完成后` 等 {task} 完成后才开始"
            )),
        );
    }

    pub(super) fn actors(&mut self, cur: &mut Cur<'_>) -> Vec<Actor> {
        let mut out = Vec::new();
        for n in self.word_list(cur) {
            let name = match &n.kind {
                NodeKind::Word(w) => w,
                NodeKind::Str { value, .. } => value,
                _ => continue,
            };
            if let Some(a) = self.actor(name, cur.span_of(n)) {
                out.push(a);
            }
        }
        out
    }

    pub(super) fn actor(&mut self, name: &str, span: Span) -> Option<Actor> {
        if let Some(&r) = self.names.roles.get(name) {
            return Some(Actor::Role(RoleIdx(r)));
        }
        if let Some(&t) = self.names.teams.get(name) {
            return Some(Actor::Team(TeamIdx(t)));
        }
        let all = sorted_names(&self.names.roles)
            .into_iter()
            .chain(sorted_names(&self.names.teams));
        let suggestion = keywords::nearest(name, all).map(str::to_string);
        let d = Diagnostic::error(
            "E0202",
            span,
            format!("未知角色或队伍 `{name}`"),
            format!("unknown role or team `{name}`"),
        )
        .label("not in `roles` or `teams`");
        self.err(match suggestion {
            Some(s) => d.help(format!("did you mean `{s}`? / 是否应为 `{s}`?")),
            None => d.help("declare it in `roles` or `teams` / 请在 roles 或 teams 中声明"),
        });
        None
    }

    pub(super) const CHANNELS: [&'static str; 13] = [
        "loudspeaker",
        "sms",
        "app",
        "door_knock",
        "megaphone",
        "gong",
        "phone",
        "radio",
        "broadcast",
        "siren",
        "hand_alarm",
        "reservoir_broadcast",
        "wechat",
    ];

    pub(super) fn channel_of(kw: &str) -> Channel {
        match kw {
            "loudspeaker" => Channel::Loudspeaker,
            "sms" => Channel::Sms,
            "app" => Channel::App,
            "door_knock" => Channel::DoorKnock,
            "megaphone" => Channel::Megaphone,
            "gong" => Channel::Gong,
            "phone" => Channel::Phone,
            "radio" => Channel::Radio,
            "siren" => Channel::Siren,
            "hand_alarm" => Channel::HandAlarm,
            "reservoir_broadcast" => Channel::ReservoirBroadcast,
            "wechat" => Channel::WeChat,
            _ => Channel::Broadcast,
        }
    }

    pub(super) fn channels(&mut self, cur: &mut Cur<'_>) -> Vec<Channel> {
        let mut out = Vec::new();
        for n in self.word_list(cur) {
            let c = Cur::new(cur.file, vec![n]);
            match n.word().and_then(|w| which(w, &Self::CHANNELS)) {
                Some(k) => out.push(Self::channel_of(k)),
                None => {
                    self.unknown_keyword(&c, n, &Self::CHANNELS, "a channel");
                }
            }
        }
        out
    }

    pub(super) fn target(&mut self, cur: &mut Cur<'_>, allow_all: bool) -> Option<Target> {
        if cur.eat_kw("zone") {
            let (name, span) = self.name(cur, "a zone")?;
            let z = self.resolve(|n| &n.zones, &name, span, "zone", "危险区");
            return (z != UNKNOWN).then_some(Target::Zone(ZoneIdx(z)));
        }
        if allow_all && cur.eat_kw("all") {
            return Some(Target::All);
        }
        let (name, span) = self.name(cur, "`zone NAME` or a place")?;
        if let Some(&z) = self.names.zones.get(&name)
            && !self.names.places.contains_key(&name)
        {
            return Some(Target::Zone(ZoneIdx(z)));
        }
        let p = self.resolve(|n| &n.places, &name, span, "place", "地点");
        (p != UNKNOWN).then_some(Target::Place(PlaceIdx(p)))
    }

    const VERBS: [&'static str; 13] = [
        "warn",
        "knock_doors",
        "evacuate",
        "open",
        "report_at_post",
        "assess",
        "close",
        "roadblock",
        "rescue",
        "fire_line",
        "shelter_in_place",
        "report",
        "return",
    ];

    pub(super) fn work(&mut self, cur: &mut Cur<'_>) -> Option<Work> {
        let verb = self.choice(cur, &Self::VERBS, "a verb (warn, knock_doors, evacuate, open, report_at_post, assess, close, roadblock, rescue, fire_line, shelter_in_place, report, return)")?;
        Some(match verb {
            "warn" => Work::Warn(self.target(cur, true)?),
            "knock_doors" => Work::KnockDoors(self.target(cur, false)?),
            "assess" => Work::Assess(self.target(cur, true)?),
            "rescue" => Work::Rescue(self.target(cur, false)?),
            "shelter_in_place" => Work::ShelterInPlace(self.target(cur, true)?),
            "return" => Work::Return(self.target(cur, true)?),
            "report_at_post" => Work::ReportAtPost,
            "report" => Work::Report,
            "open" => Work::OpenShelter(self.shelter_ref(cur)?),
            "roadblock" => Work::Roadblock(self.place_ref(cur)?),
            "fire_line" => {
                let pts = self.points_after(cur);
                if pts.len() < 2 {
                    self.expected(
                        cur,
                        "至少两个坐标点",
                        "at least two points `(x,y) (x,y)`",
                        "a fire line runs along two or more points",
                    );
                    return None;
                }
                Work::FireLine(pts)
            }
            "close" => Work::CloseLink(self.link_ref(cur)?),
            _ => {
                let mut groups = Vec::new();
                if let Some(NodeKind::List(_)) = cur.peek().map(|n| &n.kind) {
                    for n in self.word_list(cur) {
                        let c = Cur::new(cur.file, vec![n]);
                        const G: [&str; 6] = [
                            "adults",
                            "elderly",
                            "disabled",
                            "children",
                            "dilapidated",
                            "outdoor_workers",
                        ];
                        match n.word().and_then(|w| which(w, &G)) {
                            Some(g) => groups.push(match g {
                                "adults" => Group::Adults,
                                "elderly" => Group::Elderly,
                                "disabled" => Group::Disabled,
                                "children" => Group::Children,
                                "dilapidated" => Group::Dilapidated,
                                _ => Group::OutdoorWorkers,
                            }),
                            None => {
                                self.unknown_keyword(&c, n, &G, "a group");
                            }
                        }
                    }
                }
                if !cur.eat_kw("from") {
                    self.expected(
                        cur,
                        "from",
                        "`from` and where people are moved from",
                        "write `evacuate [elderly] from 下村 to 竹源小学`",
                    );
                    return None;
                }
                // Read `to` even when `from` is wrong, so both get reported.
                let from = self.target(cur, false);
                let to = if cur.eat_kw("to") {
                    Some(self.shelter_ref(cur))
                } else {
                    None
                };
                Work::Evacuate {
                    groups,
                    from: from?,
                    to: to.map_or(Some(None), |t| t.map(Some))?,
                }
            }
        })
    }

    pub(super) fn shelter_ref(&mut self, cur: &mut Cur<'_>) -> Option<PlaceIdx> {
        let span = cur.here();
        let p = self.place_ref(cur)?;
        if self.s.place(p).shelter.is_none() {
            let name = self.s.place(p).name.clone();
            self.err(
                Diagnostic::error(
                    "E0204",
                    span,
                    format!("`{name}` 不是避灾点"),
                    format!("`{name}` is not a shelter"),
                )
                .help("declare it with `shelter NAME at (x, y) capacity N`"),
            );
            return None;
        }
        Some(p)
    }

    pub(super) fn link_ref(&mut self, cur: &mut Cur<'_>) -> Option<LinkIdx> {
        let kind = match self.choice(
            cur,
            &["road", "path", "bridge"],
            "`road`, `path` or `bridge`",
        )? {
            "road" => LinkKind::Road,
            "path" => LinkKind::Path,
            _ => LinkKind::Bridge,
        };
        let start = cur.here();
        let a = self.place_ref(cur);
        if !matches!(cur.peek().map(|n| &n.kind), Some(NodeKind::Arrow)) {
            self.expected(
                cur,
                "`->`",
                "`->` between the two places",
                "write `close bridge A -> B`",
            );
            return None;
        }
        cur.next();
        let b = self.place_ref(cur);
        let (a, b) = (a?, b?);
        let mut span = start;
        span.end = cur.here().start.max(start.end);
        match self.names.links.get(&link_key(kind, a, b)) {
            Some(&l) => Some(LinkIdx(l)),
            None => {
                let (an, bn) = (self.s.place(a).name.clone(), self.s.place(b).name.clone());
                self.err(
                    Diagnostic::error(
                        "E0205",
                        span,
                        format!("地图上没有 {an} -> {bn} 的这条路"),
                        format!(
                            "the map has no {} between `{an}` and `{bn}`",
                            format!("{kind:?}").to_lowercase()
                        ),
                    )
                    .help("check the map's road/path/bridge lines"),
                );
                None
            }
        }
    }
}

/// A trigger written task first (`T3 完成后`): how many words it takes and whether it
/// waits for the task to be done.
type TaskFirst = (usize, bool);

/// The one-word postpositions after a task id: 完成后 (after it is done) and 开始后
/// (after it started), with their 之后/以后 and 结束 spellings.
fn postposition(word: &str) -> Option<bool> {
    match word {
        "完成后" | "完成之后" | "完成以后" | "结束后" | "结束之后" | "结束以后" => {
            Some(true)
        }
        "开始后" | "开始之后" | "开始以后" => Some(false),
        _ => None,
    }
}

/// The same written as two words: `完成 后`, `开始 之后`.
fn postposition_pair(a: &str, b: &str) -> Option<bool> {
    if !matches!(b, "后" | "之后" | "以后") {
        return None;
    }
    match a {
        "完成" | "结束" => Some(true),
        "开始" => Some(false),
        _ => None,
    }
}

/// A task id glued to its postposition, `T3完成后`: the id and whether it means done.
fn glued_postposition(word: &str) -> Option<(&str, bool)> {
    [
        "完成后",
        "完成之后",
        "完成以后",
        "结束后",
        "结束之后",
        "结束以后",
        "开始后",
        "开始之后",
        "开始以后",
    ]
    .iter()
    .find_map(|p| {
        let task = word.strip_suffix(p)?;
        (!task.is_empty()).then(|| (task, postposition(p) == Some(true)))
    })
}
