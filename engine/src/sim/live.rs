//! 现场推演 — a live drill's run kept in step with its growing action log: the
//! scenario, the actions and the trainer's inject commands so far (in log order) and
//! the simulation built from them by `setup::build_run`. `drill exercise` (a terminal)
//! and `drill serve` (phones over HTTP) both drive one, so that a drill played either
//! way equals the replay `drill run FILE --actions LOG`: an entry for a time the
//! simulation has already run re-runs the drill from the start with the whole log, an
//! entry for a later time waits in the simulation for the step that reaches it.
//!
//! A `LiveDrill` owns a [`Simulation`], so it is neither `Send` nor `Sync`: one thread
//! drives it.

use super::events::{ActionId, SimEvent, TimedEvent, WorkRef};
use super::setup::build_run;
use super::{Mode, Simulation};
use crate::hazard::raster::Raster;
use crate::model::{Action, ActionLog, InjectCommand, Scenario, TaskIdx};
use std::sync::Arc;

/// The live drill: the scenario, the log's actions and trainer commands in order, and
/// the run they drive.
pub struct LiveDrill {
    pub scenario: Scenario,
    /// The map's terrain as `drill run` reads it, kept for re-runs from the start.
    pub terrain: Option<Arc<Raster>>,
    pub seed: u64,
    /// How the run treats the plan: the participants' actions (a live drill), or the
    /// plan as written (the editor's demonstration run).
    mode: Mode,
    pub actions: Vec<Action>,
    pub commands: Vec<InjectCommand>,
    pub sim: Simulation,
    /// Events already shown (by whoever drives the drill).
    pub shown: usize,
}

/// How an entry joined the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Submitted for the step that reaches its time.
    Submitted,
    /// Its time was already simulated: the drill was re-run from the start with the
    /// whole log up to the clock it had reached (补录).
    ReRun,
}

/// What the simulation made of an action so far (`None` from
/// [`LiveDrill::outcome`] while it waits for its time).
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// 已执行 — accepted and started.
    Accepted,
    /// 已接受, 排队 — accepted; the team does it after its current job.
    Queued,
    /// 驳回 — refused, with the reason in the scenario's words.
    Rejected(String),
}

/// One event's bearing on an action's verdict: `(action, verdict or matched task)`.
pub fn verdict_event(s: &Scenario, e: &TimedEvent) -> Option<(ActionId, Result<Verdict, TaskIdx>)> {
    Some(match &e.event {
        SimEvent::ActionAccepted { action, .. } => (*action, Ok(Verdict::Accepted)),
        SimEvent::ActionRejected { action, reason, .. } => {
            (*action, Ok(Verdict::Rejected(reason.describe(s))))
        }
        SimEvent::ActionMatched { action, task } => (*action, Err(*task)),
        SimEvent::TaskQueued {
            work: WorkRef::Action(action),
            ..
        } => (*action, Ok(Verdict::Queued)),
        _ => return None,
    })
}

impl LiveDrill {
    /// The run of `scenario` on `terrain` with `seed` and the log so far, at time 0.
    pub fn new(
        scenario: Scenario,
        terrain: Option<Arc<Raster>>,
        seed: u64,
        log: ActionLog,
    ) -> Result<LiveDrill, String> {
        LiveDrill::with_mode(scenario, terrain, seed, Mode::Actions, log)
    }

    /// As [`LiveDrill::new`], in `mode` (the editor's exercise also runs the plan as
    /// written).
    pub fn with_mode(
        scenario: Scenario,
        terrain: Option<Arc<Raster>>,
        seed: u64,
        mode: Mode,
        log: ActionLog,
    ) -> Result<LiveDrill, String> {
        // Built as `drill run --actions` builds its run (and the replay at the end), so
        // the hashes agree.
        let (sim, _) = build_run(&scenario, terrain.as_deref(), seed, mode, Some(&log))?;
        Ok(LiveDrill {
            scenario,
            terrain,
            seed,
            mode,
            actions: log.actions,
            commands: log.inject_commands,
            sim,
            shown: 0,
        })
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The log so far, as `drill run --actions` reads it.
    pub fn log(&self) -> ActionLog {
        ActionLog {
            scenario_id: self.scenario.header.id.clone(),
            actions: self.actions.clone(),
            inject_commands: self.commands.clone(),
        }
    }

    /// The time of the log's last entry, if any (a resumed drill runs up to it).
    pub fn last_entry_s(&self) -> Option<f64> {
        let times = self.actions.iter().map(|a| a.at_s);
        times
            .chain(self.commands.iter().map(|c| c.at_s))
            .reduce(f64::max)
    }

    /// The trainer's command for the simulation to check: accepted (then it must be
    /// logged) or refused with the reason (and not logged). A command for a time
    /// already simulated is refused: the trainer acts now, not in the past.
    pub fn command(&mut self, command: InjectCommand) -> Result<(), String> {
        if self.sim.is_past(command.at_s) {
            return Err(format!(
                "{} is before the drill clock {}: a trainer's command cannot be back-dated; type `fire N` or `skip N` to act now / 导调命令不能补录",
                self.scenario.header.start.clock_at(command.at_s),
                self.clock()
            ));
        }
        if command.at_s > self.end_s() + 1e-9 {
            return Err(format!(
                "the drill ends at {}: nothing is left to fire or skip / 演练已结束",
                self.scenario.header.start.clock_at(self.end_s())
            ));
        }
        self.sim
            .schedule_inject(command)
            .map_err(|e| e.to_string())?;
        self.commands.push(command);
        Ok(())
    }

    /// The drill clock, `HH:MM`.
    pub fn clock(&self) -> String {
        self.scenario.header.start.clock_at(self.sim.time_s())
    }

    pub fn end_s(&self) -> f64 {
        self.scenario.header.duration_s
    }

    /// Adds an action (already on disk): submitted for the step that reaches its time,
    /// or, when that step has run, by re-running the drill from the start with every
    /// action so far up to the clock it had reached. The clock does not move on
    /// otherwise; the caller runs it.
    pub fn add(&mut self, action: Action) -> Result<Added, String> {
        self.actions.push(action.clone());
        if self.sim.is_past(action.at_s) {
            let now = self.sim.time_s();
            *self = LiveDrill::with_mode(
                self.scenario.clone(),
                self.terrain.clone(),
                self.seed,
                self.mode,
                self.log(),
            )?;
            self.sim.run_until(now);
            // The new run's events up to `now` stand in for what was shown.
            self.shown = self.sim.events().len();
            Ok(Added::ReRun)
        } else {
            self.sim.submit(action);
            Ok(Added::Submitted)
        }
    }

    /// What became of the action with this id, and the plan task it counts as, once
    /// it has been dealt with.
    pub fn outcome(&self, id: ActionId) -> Option<(Verdict, Option<TaskIdx>)> {
        let mut matched = None;
        let mut verdict = None;
        for e in self.sim.events() {
            match verdict_event(&self.scenario, e) {
                Some((a, Ok(v))) if a == id => verdict = Some(v),
                Some((a, Err(t))) if a == id => matched = Some(t),
                _ => {}
            }
        }
        verdict.map(|v| (v, matched))
    }
}
