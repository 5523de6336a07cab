//! 推演线程 — the one thread that owns the live drill (`sim::live::LiveDrill`, which
//! is neither `Send` nor `Sync`) and the logs. HTTP handlers send it [`Cmd`]s over a
//! channel and await the answer; it handles them one at a time, in arrival order, so
//! the action log's order is the order the simulation saw and a replay of the log
//! (`drill run FILE --actions LOG`) gives the live run's event log. Between commands
//! it runs the clock when the trainer has pressed play, and publishes what happened
//! (`feed`) and the clock and map (ticks) to the phones.
//!
//! Every accepted line is appended to the action log and synced before the simulation
//! sees it and before the answer goes back; a record (评估组 observation, 参演人员
//! self-assessment) likewise to the record log.

use super::auth::Grant;
use super::feed::{Audience, Hub};
use super::view;
use crate::cli::exercise::{Entry, entry};
use crate::hazard::raster::Raster;
use crate::io::{ActionLogFile, RecordLogFile};
use crate::lang::print;
use crate::model::{ActionLog, InjectCommand, InjectCommandKind, Scenario, TaskIdx};
use crate::score::meta::{Lang, ReportMeta};
use crate::sim::events::{ActionId, SimEvent, log_hash};
use crate::sim::live::{Added, LiveDrill, Verdict, verdict_event};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// An answer to a handler: JSON, or an HTTP status with a message.
pub type Answer = Result<Value, (u16, String)>;

/// What a handler asks of the drill thread.
pub enum Cmd {
    /// One line of the `actions` syntax (or the trainer's `fire 5` / `skip 7`).
    Submit {
        grant: Grant,
        line: String,
        reply: oneshot::Sender<Answer>,
    },
    /// The trainer's clock: play, pause, speed, run to the end.
    Control {
        op: Control,
        reply: oneshot::Sender<Answer>,
    },
    /// An evaluator's observation or a participant's self-assessment, checked.
    Record {
        grant: Grant,
        record: Value,
        reply: oneshot::Sender<Answer>,
    },
    /// The drill's state for the trainer (clock, entries, the event log's hash).
    State { reply: oneshot::Sender<Answer> },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    Play,
    Pause,
    Speed(f64),
    ToEnd,
}

/// What the drill thread starts from.
pub struct Start {
    pub scenario: Scenario,
    pub terrain: Option<Arc<Raster>>,
    pub seed: u64,
    pub log: ActionLog,
    pub log_file: ActionLogFile,
    pub records: RecordLogFile,
    /// The records already in the record log (a resumed drill).
    pub record_lines: Vec<String>,
    /// Where to write the evaluation report when the server stops.
    pub report: Option<Report>,
}

/// The evaluation report written when the server stops: the drill run to its end,
/// scored, with the evaluators' records beside the engine's ratings.
pub struct Report {
    pub dir: PathBuf,
    pub meta: ReportMeta,
    pub lang: Lang,
}

/// An action's verdict and the plan task it counts as, as far as known.
type Slot = (Option<Verdict>, Option<TaskIdx>);

/// The drill's desk: the live drill, its logs, and what the phones have been told.
/// The drill thread of `drill serve` owns one ([`run`]); the editor's exercise owns
/// one while it serves its drill ([`Live::host`], [`Live::pump`]), stepping the drill
/// itself, so that the projector and the phones see one drill.
pub struct Live {
    drill: LiveDrill,
    log_file: ActionLogFile,
    records: RecordLogFile,
    header: String,
    hub: Arc<Hub>,
    playing: bool,
    speed: f64,
    /// Wall time and drill time when the clock was last set going.
    anchor: (Instant, f64),
    /// Who runs the clock: this desk (`drill serve`), or its host (the editor), which
    /// steps the drill and takes the trainer's play/pause/speed from [`Live::pump`].
    hosted: bool,
    /// The trainer's clock commands not yet taken by the host.
    controls: Vec<Control>,
    /// Times the drill was re-run from the start for a late entry (its host redraws).
    pub reruns: u64,
    /// Events of the current run already published.
    scanned: usize,
    /// Each action's verdict as last published, and its plan task.
    verdicts: Vec<Slot>,
    /// The run was rebuilt (a late entry): its events are read again from the start.
    rescan: bool,
    fired: BTreeSet<u32>,
    last_tick: Option<Instant>,
    /// The drill time of the last tick.
    ticked_s: f64,
    last_score: Option<(Instant, usize)>,
    score: Value,
    /// Every record filed, as stored.
    record_texts: Vec<String>,
}

/// Runs the drill until every sender is gone. `ready` gets `Ok` once the run is built
/// (or why it could not be).
pub fn run(
    start: Start,
    hub: Arc<Hub>,
    rx: Receiver<Cmd>,
    ready: std::sync::mpsc::Sender<Result<(), String>>,
) {
    let mut drill = match LiveDrill::new(start.scenario, start.terrain, start.seed, start.log) {
        Ok(d) => d,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    if let Some(last) = drill.last_entry_s() {
        drill.sim.run_before(last.min(drill.end_s()));
    }
    let mut live = Live::host(
        drill,
        start.log_file,
        start.records,
        start.record_lines,
        hub,
    );
    live.hosted = false;
    let _ = ready.send(Ok(()));
    loop {
        let wait = if live.playing && !live.drill.sim.finished() {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(500)
        };
        match rx.recv_timeout(wait) {
            Ok(cmd) => live.handle(cmd),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        live.run_clock();
        live.publish_events();
        live.tick(false);
    }
    if let Some(report) = start.report {
        live.write_report(report);
    }
}

fn bad(code: u16, message: impl Into<String>) -> Answer {
    Err((code, message.into()))
}

impl Live {
    /// A desk for `drill`, already at the clock its host wants, with its action log
    /// (the drill's entries are in it), the record log and the records already in
    /// it. What the drill holds is published at once (a resumed drill). The host runs
    /// the clock and calls [`Live::pump`] often (the editor: every frame).
    pub fn host(
        drill: LiveDrill,
        log_file: ActionLogFile,
        records: RecordLogFile,
        record_lines: Vec<String>,
        hub: Arc<Hub>,
    ) -> Live {
        let n = drill.actions.len();
        let mut live = Live {
            header: print::action_log_header(&drill.scenario),
            anchor: (Instant::now(), drill.sim.time_s()),
            drill,
            log_file,
            records,
            hub,
            playing: false,
            speed: 1.0,
            hosted: true,
            controls: Vec::new(),
            reruns: 0,
            scanned: 0,
            verdicts: vec![Slot::default(); n],
            rescan: false,
            fired: BTreeSet::new(),
            last_tick: None,
            ticked_s: f64::NAN,
            last_score: None,
            score: Value::Null,
            record_texts: Vec::new(),
        };
        // A resumed drill: its decisions, commands and records first, then what the
        // simulation made of them.
        for i in 0..n {
            live.publish_decision(i);
        }
        for c in live.drill.commands.clone() {
            live.publish_command(&c);
        }
        for line in record_lines {
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                live.hub.push(Audience::Staff, "record", v.to_string());
                live.record_texts.push(line);
            }
        }
        live.publish_events();
        live.tick(true);
        live
    }

    pub fn drill(&self) -> &LiveDrill {
        &self.drill
    }

    /// The drill, for its host to step (never to add entries: those go through
    /// [`Live::enter`], so that they are logged and published).
    pub fn drill_mut(&mut self) -> &mut LiveDrill {
        &mut self.drill
    }

    /// The drill and its action log back, when the host stops serving.
    pub fn into_parts(self) -> (LiveDrill, ActionLogFile) {
        (self.drill, self.log_file)
    }

    /// The host's own entry, as the trainer's (导调) line of the `actions` syntax:
    /// checked, logged, given to the drill and published as a phone's would be.
    pub fn enter(&mut self, line: &str) -> Answer {
        self.submit(&Grant::Trainer, line)
    }

    /// For the host: answers every waiting request, publishes what happened and the
    /// clock (at most four times a second), and returns the trainer's clock commands
    /// (play, pause, speed, to the end) for the host to carry out. `playing` and
    /// `speed` are the host's clock as it stands.
    pub fn pump(&mut self, rx: &Receiver<Cmd>, playing: bool, speed: f64) -> Vec<Control> {
        if (playing, speed) != (self.playing, self.speed) {
            self.playing = playing;
            self.speed = speed;
            self.last_tick = None;
        }
        while let Ok(cmd) = rx.try_recv() {
            self.handle(cmd);
        }
        self.publish_events();
        let moved = self.last_tick.is_none();
        self.tick(moved);
        std::mem::take(&mut self.controls)
    }

    fn scenario(&self) -> &Scenario {
        &self.drill.scenario
    }

    fn clock_at(&self, t_s: f64) -> String {
        self.scenario().header.start.clock_at(t_s)
    }

    fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Submit { grant, line, reply } => {
                let answer = self.submit(&grant, &line);
                let _ = reply.send(answer);
            }
            Cmd::Control { op, reply } => {
                let answer = self.control(op);
                let _ = reply.send(answer);
            }
            Cmd::Record {
                grant,
                record,
                reply,
            } => {
                let answer = self.record(&grant, record);
                let _ = reply.send(answer);
            }
            Cmd::State { reply } => {
                let _ = reply.send(Ok(self.state()));
            }
        }
    }

    /// Runs the clock on by the wall clock while playing, at most ~50 ms of work at a
    /// time so that commands are not kept waiting.
    fn run_clock(&mut self) {
        if !self.playing {
            return;
        }
        let target = (self.anchor.1 + self.anchor.0.elapsed().as_secs_f64() * self.speed)
            .min(self.drill.end_s());
        let budget = Instant::now();
        while self.drill.sim.time_s() < target - 1e-9
            && budget.elapsed() < Duration::from_millis(50)
        {
            self.drill.sim.step();
        }
        if self.drill.sim.finished() {
            self.playing = false;
        }
    }

    fn state(&self) -> Value {
        let sim = &self.drill.sim;
        json!({
            "clock": self.drill.clock(),
            "t_s": sim.time_s(),
            "finished": sim.finished(),
            "playing": self.playing,
            "speed": self.speed,
            "actions": self.drill.actions.len(),
            "commands": self.drill.commands.len(),
            "events": sim.events().len(),
            "log_hash": format!("{:016x}", log_hash(sim.events())),
        })
    }

    fn control(&mut self, op: Control) -> Answer {
        if self.hosted {
            // The host runs the clock: it carries the command out at its next frame;
            // the answer already shows the clock as asked.
            match op {
                Control::Play => self.playing = !self.drill.sim.finished(),
                Control::Pause => self.playing = false,
                Control::Speed(s) if !(s.is_finite() && s > 0.0 && s <= 3600.0) => {
                    return bad(400, "倍速应在 0 与 3600 之间 / speed must be in (0, 3600]");
                }
                Control::Speed(s) => self.speed = s,
                Control::ToEnd => self.playing = false,
            }
            self.controls.push(op);
            return Ok(self.state());
        }
        match op {
            Control::Play => self.playing = !self.drill.sim.finished(),
            Control::Pause => self.playing = false,
            Control::Speed(s) => {
                if !(s.is_finite() && s > 0.0 && s <= 3600.0) {
                    return bad(400, "倍速应在 0 与 3600 之间 / speed must be in (0, 3600]");
                }
                self.speed = s;
            }
            Control::ToEnd => {
                self.drill.sim.run_to_end();
                self.playing = false;
            }
        }
        self.anchor = (Instant::now(), self.drill.sim.time_s());
        self.publish_events();
        self.tick(true);
        Ok(self.state())
    }

    fn submit(&mut self, grant: &Grant, line: &str) -> Answer {
        if line.contains('\n') {
            return bad(400, "每次提交一条行动 / one line per request");
        }
        match entry(self.scenario(), &self.header, line, 1) {
            Entry::Nothing | Entry::Upcoming => bad(
                400,
                "不是一条行动 / not an action: write one line of the `actions` syntax",
            ),
            Entry::Refused(errors) => bad(400, errors.join("\n")),
            Entry::Shorthand(Err(why)) => bad(400, why),
            Entry::Shorthand(Ok((kind, number))) => {
                let at_s = self.drill.sim.next_step_s();
                self.command(
                    grant,
                    InjectCommand {
                        at_s,
                        number,
                        kind,
                        span: Default::default(),
                    },
                )
            }
            Entry::Command(c) => self.command(grant, c),
            Entry::Action(action, warnings) => {
                match grant {
                    Grant::Trainer => {}
                    Grant::Participant { actor, .. } if *actor == action.actor => {}
                    Grant::Participant { name, .. } => {
                        return bad(
                            403,
                            format!(
                                "只能以本角色 {name} 的身份提交 / this token acts only as {name}"
                            ),
                        );
                    }
                    Grant::Evaluator { .. } => {
                        return bad(403, "评估组不提交行动 / evaluators do not act");
                    }
                }
                if action.at_s > self.drill.end_s() + 1e-9 {
                    return bad(
                        400,
                        format!(
                            "演练在 {} 结束 / the drill ends then",
                            self.clock_at(self.drill.end_s())
                        ),
                    );
                }
                let text = print::action_line(self.scenario(), &action);
                // Durable first: the line is on disk before the simulation sees it and
                // before anyone is told it was taken.
                if let Err(e) = self.log_file.append(&text) {
                    eprintln!("error: {e}");
                    return bad(
                        500,
                        "行动记录写入失败, 未记录 / the action log could not be written; not logged",
                    );
                }
                let id = self.drill.actions.len();
                let added = match self.drill.add(*action) {
                    Ok(a) => a,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return bad(500, "推演重算失败 / the drill could not be re-run");
                    }
                };
                self.verdicts.push(Slot::default());
                if added == Added::ReRun {
                    self.reruns += 1;
                    self.scanned = 0;
                    self.rescan = true;
                }
                self.publish_decision(id);
                self.publish_events();
                let mut answer = self.verdict_json(id);
                answer["warnings"] = json!(warnings);
                answer["rerun"] = json!(added == Added::ReRun);
                Ok(answer)
            }
        }
    }

    fn command(&mut self, grant: &Grant, command: InjectCommand) -> Answer {
        if *grant != Grant::Trainer {
            return bad(
                403,
                "只有导调可以下达或跳过注入 / only the trainer fires or skips injects",
            );
        }
        if let Err(why) = self.drill.command(command) {
            return bad(400, why);
        }
        let line = print::inject_command_line(self.scenario(), &command);
        if let Err(e) = self.log_file.append(&line) {
            // The simulation holds the command; the log must too, or a replay differs.
            eprintln!("error: {e}; the drill cannot go on without its log");
            std::process::exit(1);
        }
        self.publish_command(&command);
        Ok(json!({
            "command": match command.kind { InjectCommandKind::Fire => "fire", InjectCommandKind::Skip => "skip" },
            "inject": command.number,
            "at": self.clock_at(command.at_s),
            "line": line,
        }))
    }

    fn record(&mut self, grant: &Grant, record: Value) -> Answer {
        let mut line = view::check_record(self.scenario(), grant, &record)?;
        line["by"] = json!(grant.label());
        line["at"] = json!(self.drill.clock());
        let text = line.to_string();
        if let Err(e) = self.records.append(&text) {
            eprintln!("error: {e}");
            return bad(
                500,
                "评估记录写入失败, 未记录 / the record could not be written",
            );
        }
        self.hub.push(Audience::Staff, "record", text.clone());
        self.record_texts.push(text);
        Ok(line)
    }

    /// The server has stopped: the drill runs to its end and is scored from its log,
    /// as `drill run FILE --actions LOG --records REC --report DIR` would.
    fn write_report(&mut self, mut report: Report) {
        self.drill.sim.run_to_end();
        let log = self.drill.log();
        let scored = crate::score::score(self.scenario(), Some(&log), self.drill.sim.events());
        let text = self.record_texts.join("\n");
        match crate::cli::report::parse_records("records", &text) {
            Ok(records) => report.meta.records = records,
            Err(e) => eprintln!("{e}"),
        }
        match crate::cli::report::write_report(&report.dir, &scored, &report.meta, report.lang) {
            Ok(paths) => {
                for p in paths {
                    println!("wrote {}", p.display());
                }
            }
            Err(e) => eprintln!("error: {e}"),
        }
    }

    /// The action's entry as everyone allowed sees it: number, time, actor, line, and
    /// its verdict when the simulation has reached it.
    fn verdict_json(&self, id: usize) -> Value {
        let s = self.scenario();
        let a = &self.drill.actions[id];
        let mut v = json!({
            "number": id + 1,
            "at": self.clock_at(a.at_s),
            "actor": s.actor_name(a.actor),
            "line": print::action_line(s, a),
            "status": "pending",
            "status_zh": "待执行",
        });
        let (verdict, task) = &self.verdicts[id];
        if let Some(verdict) = verdict {
            let (status, zh) = match verdict {
                Verdict::Accepted => ("accepted", "已执行"),
                Verdict::Queued => ("queued", "已接受, 排队"),
                Verdict::Rejected(_) => ("rejected", "驳回"),
            };
            v["status"] = json!(status);
            v["status_zh"] = json!(zh);
            if let Verdict::Rejected(reason) = verdict {
                v["reason"] = json!(reason);
            }
        }
        if let Some(t) = task {
            let t = s.task(*t);
            v["task"] = json!(format!("{} {}", t.id, t.title));
        }
        v
    }

    fn publish_decision(&self, id: usize) {
        let actor = self.drill.actions[id].actor;
        self.hub.push(
            Audience::Actors(vec![actor]),
            "decision",
            self.verdict_json(id).to_string(),
        );
    }

    fn publish_command(&self, c: &InjectCommand) {
        let (verb, zh) = match c.kind {
            InjectCommandKind::Fire => ("fire", "下达"),
            InjectCommandKind::Skip => ("skip", "跳过"),
        };
        self.hub.push(
            Audience::Staff,
            "command",
            json!({"command": verb, "zh": zh, "inject": c.number, "at": self.clock_at(c.at_s)})
                .to_string(),
        );
    }

    /// Publishes the events since the last call: injects fired, verdicts reached or
    /// changed (a late entry re-runs the drill), and the trainer's notable events.
    fn publish_events(&mut self) {
        let events = self.drill.sim.events();
        if self.scanned > events.len() {
            self.scanned = 0;
        }
        let new: Vec<_> = events[self.scanned..].to_vec();
        let replaying = std::mem::take(&mut self.rescan);
        self.scanned = events.len();
        let mut changed = BTreeSet::new();
        let mut verdicts = if replaying {
            vec![Slot::default(); self.verdicts.len()]
        } else {
            self.verdicts.clone()
        };
        for e in &new {
            if let Some((ActionId(a), v)) = verdict_event(self.scenario(), e) {
                let Some(slot) = verdicts.get_mut(a as usize) else {
                    continue;
                };
                match v {
                    Ok(v) => slot.0 = Some(v),
                    Err(t) => slot.1 = Some(t),
                }
                changed.insert(a as usize);
                continue;
            }
            match &e.event {
                SimEvent::InjectFired {
                    number,
                    contingency,
                } if !self.fired.contains(number) => {
                    self.fired.insert(*number);
                    let (audience, data) =
                        view::inject_json(self.scenario(), *number, e.t_s, *contingency);
                    self.hub.push(audience, "inject", data);
                }
                _ => {
                    if !replaying
                        && let Some(text) = crate::cli::exercise::describe(self.scenario(), e)
                    {
                        let data = json!({"at": self.clock_at(e.t_s), "text": text}).to_string();
                        self.hub.push(Audience::Trainer, "event", data);
                    }
                }
            }
        }
        for a in changed {
            if verdicts[a] != self.verdicts[a] {
                self.verdicts[a] = verdicts[a].clone();
                let data = self.verdict_json(a).to_string();
                let actor = self.drill.actions[a].actor;
                self.hub
                    .push(Audience::Actors(vec![actor]), "verdict", data);
            }
        }
    }

    /// Sends the clock and the map at most four times a second (and at once when
    /// `now`); the trainer's tick also carries the scoreboard, scored at most every
    /// two seconds when the event log grew.
    fn tick(&mut self, now: bool) {
        if !now
            && self
                .last_tick
                .is_some_and(|t| t.elapsed() < Duration::from_millis(250))
        {
            return;
        }
        // Paused, a tick goes out only when the clock moved (the editor steps or jumps).
        if !now
            && !self.playing
            && self.last_tick.is_some()
            && self.drill.sim.time_s() == self.ticked_s
        {
            return;
        }
        self.last_tick = Some(Instant::now());
        self.ticked_s = self.drill.sim.time_s();
        let events = self.drill.sim.events().len();
        let stale = match self.last_score {
            None => true,
            Some((at, n)) => n != events && (now || at.elapsed() > Duration::from_secs(2)),
        };
        if stale {
            let log = self.drill.log();
            let report = crate::score::score(self.scenario(), Some(&log), self.drill.sim.events());
            self.score = view::scoreboard(&report);
            self.last_score = Some((Instant::now(), events));
        }
        let snapshot = self.drill.sim.snapshot();
        let mut public = view::tick_json(self.scenario(), &snapshot, self.playing, self.speed);
        let next = ((snapshot.t_s / 60.0).floor() + 1.0) * 60.0;
        public["next_at"] = json!(self.clock_at(next.min(self.drill.end_s())));
        public["finished"] = json!(self.drill.sim.finished());
        let mut trainer = public.clone();
        trainer["score"] = self.score.clone();
        trainer["totals"] = serde_json::to_value(snapshot.totals).unwrap_or(Value::Null);
        trainer["state"] = self.state();
        trainer["upcoming"] =
            view::upcoming_json(self.scenario(), &self.drill.sim.upcoming_injects());
        self.hub.tick(public.to_string(), trainer.to_string());
    }
}
