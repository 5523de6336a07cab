//! One drill run as the editor drives it: the engine's [`Simulation`] stepped in fixed
//! slices under a per-frame time budget, the participants' actions submitted to it, and
//! a digest of its event log (fired injects, dangerous zones, action outcomes, task
//! progress) kept up to date incrementally.
//!
//! Nothing here simulates or scores: every number shown comes from a `Snapshot` or a
//! `SimEvent`. Going back in time re-runs the simulation from the start with the same
//! seed and actions, which the engine guarantees gives the same log.

use drill_engine::hazard::raster::Raster;
use drill_engine::io::ActionLogFile;
use drill_engine::model::ActionLog;
/// The trainer fired or skipped an inject by hand, with the drill time it takes effect
/// (the end of the step after the click): logged as `21:30 trainer fire inject 5`, and
/// repeated by a re-run (a jump back, the debrief, a resumed drill) in the same step.
pub use drill_engine::model::InjectCommand;
use drill_engine::model::{Action, InjectCommandKind, Scenario, TaskIdx};
use drill_engine::serve::drill::{Cmd, Control, Live};
use drill_engine::sim::Mode;
use drill_engine::sim::events::{
    ActionId, RejectReason, SimEvent, TaskOutcome, TimedEvent, WorkRef,
};
use drill_engine::sim::hazard_layer::HazardLayer;
use drill_engine::sim::live::LiveDrill;
use drill_engine::sim::snapshot::Snapshot;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// What became of a submitted action.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionStatus {
    /// Submitted; the engine checks it in the step that reaches its time.
    Pending,
    Accepted,
    Rejected(RejectReason),
    /// Accepted and finished, with the engine's outcome.
    Finished(TaskOutcome),
}

/// Progress of one plan task as the event log reports it (plan-as-written runs log
/// `TaskStarted`/`TaskFinished` with `WorkRef::Task`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum TaskProgress {
    #[default]
    NotStarted,
    Started(f64),
    Finished(f64, TaskOutcome),
    Skipped(f64),
}

/// What the event log says so far, folded event by event.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    /// Events folded in so far.
    pub seen: usize,
    /// `(number, time)` of each fired inject, in firing order.
    pub fired_injects: Vec<(u32, f64)>,
    /// Time each zone turned dangerous, by zone index.
    pub zone_danger_s: Vec<Option<f64>>,
    /// Per submitted action, by `ActionId`.
    pub actions: Vec<ActionStatus>,
    /// Per plan task, by `TaskIdx`.
    pub tasks: Vec<TaskProgress>,
}

impl Digest {
    pub fn new(sc: &Scenario) -> Self {
        Digest {
            zone_danger_s: vec![None; sc.map.zones.len()],
            tasks: vec![TaskProgress::NotStarted; sc.plan.tasks.len()],
            ..Default::default()
        }
    }

    /// Folds in the events after the ones already seen.
    pub fn absorb(&mut self, events: &[TimedEvent]) {
        for e in events.iter().skip(self.seen) {
            self.fold(e);
        }
        self.seen = self.seen.max(events.len());
    }

    fn action(&mut self, id: ActionId) -> Option<&mut ActionStatus> {
        let i = id.0 as usize;
        if self.actions.len() <= i {
            self.actions.resize(i + 1, ActionStatus::Pending);
        }
        self.actions.get_mut(i)
    }

    fn task(&mut self, t: TaskIdx) -> Option<&mut TaskProgress> {
        self.tasks.get_mut(t.index())
    }

    fn fold(&mut self, e: &TimedEvent) {
        let t = e.t_s;
        match &e.event {
            SimEvent::InjectFired { number, .. } => self.fired_injects.push((*number, t)),
            SimEvent::ZoneDangerous { zone, .. } => {
                if let Some(z) = self.zone_danger_s.get_mut(zone.index()) {
                    z.get_or_insert(t);
                }
            }
            SimEvent::ActionAccepted { action, .. } => {
                if let Some(a) = self.action(*action) {
                    *a = ActionStatus::Accepted;
                }
            }
            SimEvent::ActionRejected { action, reason, .. } => {
                if let Some(a) = self.action(*action) {
                    *a = ActionStatus::Rejected(reason.clone());
                }
            }
            SimEvent::TaskStarted { work, .. } => {
                if let WorkRef::Task(ti) = work
                    && let Some(p) = self.task(*ti)
                    && *p == TaskProgress::NotStarted
                {
                    *p = TaskProgress::Started(t);
                }
            }
            SimEvent::TaskFinished { work, outcome, .. } => match work {
                WorkRef::Task(ti) => {
                    if let Some(p) = self.task(*ti) {
                        *p = TaskProgress::Finished(t, *outcome);
                    }
                }
                WorkRef::Action(id) => {
                    if let Some(a) = self.action(*id) {
                        *a = ActionStatus::Finished(*outcome);
                    }
                }
            },
            SimEvent::TaskSkipped { task, .. } => {
                if let Some(p) = self.task(*task) {
                    *p = TaskProgress::Skipped(t);
                }
            }
            _ => {}
        }
    }

    /// Whether zone `z` is dangerous at time `t_s`.
    pub fn zone_dangerous_at(&self, z: usize, t_s: f64) -> bool {
        self.zone_danger_s
            .get(z)
            .copied()
            .flatten()
            .is_some_and(|from| from <= t_s + 1e-9)
    }
}

/// One point of the run's time series, for the charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub t_s: f64,
    pub totals: drill_engine::sim::events::Totals,
    /// Shelter occupancy, in the snapshot's shelter order.
    pub occupancy: Vec<u32>,
}

/// How a run treats the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// The plan is performed as written (a demonstration, or a baseline).
    PlanAsWritten,
    /// Only the participants' decisions happen; the plan is the yardstick.
    Participants,
}

impl RunKind {
    fn mode(self) -> Mode {
        match self {
            RunKind::PlanAsWritten => Mode::PlanAsWritten,
            RunKind::Participants => Mode::Actions,
        }
    }
}

/// A live run of the scenario: the engine's [`LiveDrill`] (scenario, terrain, seed,
/// the actions and inject commands in order, the simulation) and what the editor keeps
/// of it for drawing. The drill's fields read through `Deref` (`run.actions`,
/// `run.scenario`, `run.sim`).
pub struct LiveRun {
    core: Core,
    pub kind: RunKind,
    pub digest: Digest,
    /// The latest snapshot (taken after each frame's steps).
    pub snapshot: Snapshot,
    /// Totals and occupancy every `sample_every_s`.
    pub history: Vec<Sample>,
    pub sample_every_s: f64,
    /// Where a jump is heading; `advance` steps towards it.
    pub target_s: Option<f64>,
    /// Wall time of the last frame's steps, for the status line.
    pub last_slice: Duration,
    /// The hazard layers last drawn and the drill time they are for.
    layers: Option<(f64, Vec<HazardLayer>)>,
    /// The served desk's re-run count last seen (a late entry from a phone re-runs the
    /// drill from the start: the digest is folded again).
    reruns_seen: u64,
}

/// Who holds the drill: the run itself, or, while it is served to phones, the
/// engine's desk (`serve::drill::Live`), which logs and publishes every entry.
// One per run, moved only when serving starts or stops: not worth a box.
#[allow(clippy::large_enum_variant)]
enum Core {
    Own(LiveDrill),
    Served(Box<Live>),
    /// Only inside [`LiveRun::start_serving`] / [`LiveRun::stop_serving`].
    Moving,
}

impl Core {
    fn get(&self) -> &LiveDrill {
        match self {
            Core::Own(d) => d,
            Core::Served(live) => live.drill(),
            Core::Moving => unreachable!("the drill is between owners only inside one call"),
        }
    }

    fn get_mut(&mut self) -> &mut LiveDrill {
        match self {
            Core::Own(d) => d,
            Core::Served(live) => live.drill_mut(),
            Core::Moving => unreachable!("the drill is between owners only inside one call"),
        }
    }
}

impl std::ops::Deref for LiveRun {
    type Target = LiveDrill;
    fn deref(&self) -> &LiveDrill {
        self.core.get()
    }
}

impl std::ops::DerefMut for LiveRun {
    fn deref_mut(&mut self) -> &mut LiveDrill {
        self.core.get_mut()
    }
}

/// Cells along the longer side of the map's hazard layers: coarse enough to sample
/// and draw in a few milliseconds, fine enough to show a valley or a plume.
pub const HAZARD_LAYER_CELLS: usize = 128;

/// Drill seconds between two refreshes of the hazard layers.
pub const HAZARD_LAYER_EVERY_S: f64 = 60.0;

impl LiveRun {
    /// Starts a run at time 0 with `actions` already submitted (a recorder's log).
    pub fn new(
        scenario: &Scenario,
        terrain: Option<Arc<Raster>>,
        seed: u64,
        kind: RunKind,
        actions: Vec<Action>,
    ) -> Result<LiveRun, String> {
        // Built as `drill run` builds its run (flood, fire, plume on the map's terrain),
        // so the editor's run and the command line's give the same event log. `terrain`
        // is the heightmap file as the engine's `io::load_terrain` read it
        // ([`crate::check::Checked::terrain`]); an inline grid is built from the
        // scenario itself, and a heightmap file that was not read is an error, as it is
        // for `drill run`, rather than a silently flat map.
        let log = ActionLog {
            scenario_id: scenario.header.id.clone(),
            actions,
            inject_commands: Vec::new(),
        };
        let mut drill = LiveDrill::with_mode(scenario.clone(), terrain, seed, kind.mode(), log)?;
        let snapshot = drill.sim.snapshot();
        let mut run = LiveRun {
            core: Core::Own(drill),
            kind,
            digest: Digest::new(scenario),
            history: Vec::new(),
            sample_every_s: 60.0,
            snapshot,
            target_s: None,
            last_slice: Duration::ZERO,
            layers: None,
            reruns_seen: 0,
        };
        run.digest.absorb(run.core.get().sim.events());
        run.record_sample();
        Ok(run)
    }

    pub fn time_s(&self) -> f64 {
        self.sim.time_s()
    }

    /// The engine's hazard layers for the map (water, fire, plume), refreshed at most
    /// once per [`HAZARD_LAYER_EVERY_S`] of drill time (and after a jump back), so a
    /// fast playback does not resample every frame; the engine caches per drill time.
    pub fn hazard_layers(&mut self) -> &[HazardLayer] {
        let now = self.time_s();
        let stale = self.layers.as_ref().is_none_or(|(t, _)| {
            now < *t || now - *t >= HAZARD_LAYER_EVERY_S || (self.finished() && now != *t)
        });
        if stale {
            let layers = self.sim.hazard_layers(HAZARD_LAYER_CELLS).to_vec();
            self.layers = Some((now, layers));
        }
        self.layers.as_ref().map_or(&[], |(_, l)| l.as_slice())
    }

    pub fn duration_s(&self) -> f64 {
        self.scenario.header.duration_s
    }

    pub fn finished(&self) -> bool {
        self.sim.finished()
    }

    pub fn events(&self) -> &[TimedEvent] {
        self.sim.events()
    }

    fn record_sample(&mut self) {
        let totals = self.sim.totals();
        let occupancy = self.snapshot_occupancy();
        self.history.push(Sample {
            t_s: self.sim.time_s(),
            totals,
            occupancy,
        });
    }

    fn snapshot_occupancy(&self) -> Vec<u32> {
        self.snapshot.shelters.iter().map(|s| s.occupancy).collect()
    }

    /// Runs up to `steps` fixed steps, stopping early once `budget` of wall time is
    /// spent (at least one step runs when any is asked for, so the clock always moves).
    /// Then refreshes the snapshot and the digest. Returns the steps run.
    pub fn advance(&mut self, steps: u32, budget: Duration) -> u32 {
        let start = Instant::now();
        let mut done = 0;
        while done < steps && !self.sim.finished() {
            self.sim.step();
            done += 1;
            let t = self.sim.time_s();
            let last = self.history.last().map_or(f64::NEG_INFINITY, |s| s.t_s);
            if t - last >= self.sample_every_s - 1e-9 {
                // Occupancy is refreshed from the snapshot taken below; the sample
                // keeps the last one seen, which is at most one frame old.
                let totals = self.sim.totals();
                let occupancy = self.snapshot_occupancy();
                self.history.push(Sample {
                    t_s: t,
                    totals,
                    occupancy,
                });
            }
            if start.elapsed() >= budget {
                break;
            }
        }
        if done > 0 {
            self.snapshot = self.sim.snapshot();
            if let Some(s) = self.history.last_mut()
                && (s.t_s - self.snapshot.t_s).abs() < 1e-9
            {
                s.occupancy = self.snapshot.shelters.iter().map(|s| s.occupancy).collect();
            }
            self.digest.absorb(self.core.get().sim.events());
        }
        self.last_slice = start.elapsed();
        done
    }

    /// Steps towards a pending jump target within `budget`; true while still on the way.
    pub fn chase_target(&mut self, budget: Duration) -> bool {
        let Some(target) = self.target_s else {
            return false;
        };
        let step = self.scenario.header.step_s.max(1e-6);
        let left = ((target - self.time_s()) / step).ceil().max(0.0);
        if left < 1.0 || self.finished() {
            self.target_s = None;
            return false;
        }
        self.advance(left.min(f64::from(u32::MAX)) as u32, budget);
        let arrived = self.time_s() >= target - 1e-9 || self.finished();
        if arrived {
            self.target_s = None;
        }
        !arrived
    }

    /// Gives recorded inject commands (a resumed log, a re-run) to the engine, each
    /// for its time. Ones the engine refuses (a repeat; the log checker reports those)
    /// are left out.
    pub fn schedule_commands(&mut self, commands: Vec<InjectCommand>) {
        let drill = self.core.get_mut();
        for c in commands {
            if drill.sim.schedule_inject(c).is_ok() {
                drill.commands.push(c);
            }
        }
    }

    /// The trainer fires (or skips) inject `number` now; it takes effect in the next
    /// step. Returns the command, for the log; the engine's refusal (already fired,
    /// unknown, already commanded) comes back as text.
    pub fn command_inject(&mut self, number: u32, fire: bool) -> Result<InjectCommand, String> {
        let command = InjectCommand {
            at_s: self.sim.next_step_s(),
            number,
            kind: if fire {
                InjectCommandKind::Fire
            } else {
                InjectCommandKind::Skip
            },
            span: Default::default(),
        };
        if let Core::Served(live) = &mut self.core {
            // Logged and published by the desk, as the trainer's page would do it.
            let verb = if fire { "fire" } else { "skip" };
            live.enter(&format!("{verb} {number}"))
                .map_err(|(_, why)| why)?;
            return Ok(command);
        }
        let drill = self.core.get_mut();
        drill
            .sim
            .schedule_inject(command)
            .map_err(|e| e.to_string())?;
        drill.commands.push(command);
        Ok(command)
    }

    /// Whether a command for inject `number` waits for a step still to come.
    pub fn inject_commanded(&self, number: u32) -> bool {
        self.commands
            .iter()
            .any(|c| c.number == number && c.at_s > self.time_s() + 1e-9)
    }

    /// The engine's view of every inject: due time and status.
    pub fn injects(&self) -> Vec<drill_engine::sim::snapshot::InjectView> {
        self.sim.injects()
    }

    /// Submits a decision now and returns its id. Its `at_s` is the end of the next
    /// step, where the engine takes it up: logged with that time, a replay (a resumed
    /// drill, a jump back, the debrief) takes it up in the same step. (Stamped with
    /// the current time, a replay would take it up one step earlier than the live run.)
    ///
    /// While the drill is served, the decision goes through the desk as the trainer's
    /// line: logged, given to the drill and published to the phones; refused there
    /// (the log cannot be written), it comes back as text.
    pub fn submit_now(&mut self, mut action: Action) -> Result<ActionId, String> {
        action.at_s = self.sim.next_step_s();
        let id = ActionId(self.actions.len() as u32);
        if let Core::Served(live) = &mut self.core {
            let line = drill_engine::lang::print::action_line(&live.drill().scenario, &action);
            live.enter(&line).map_err(|(_, why)| why)?;
        } else {
            let drill = self.core.get_mut();
            drill.sim.submit(action.clone());
            drill.actions.push(action);
        }
        self.fold_new_actions();
        Ok(id)
    }

    /// Pending slots for actions the digest has not seen yet, and the new events.
    fn fold_new_actions(&mut self) {
        let drill = self.core.get();
        if self.digest.actions.len() < drill.actions.len() {
            self.digest
                .actions
                .resize(drill.actions.len(), ActionStatus::Pending);
        }
        self.digest.absorb(drill.sim.events());
    }

    /// Jumps to `t_s`. Forward: steps there over the next frames. Backward: rebuilds
    /// the run from the start (same seed; the actions submitted before `t_s` are kept,
    /// later ones are dropped, as the drill is being replayed from that moment) and
    /// steps there. Returns how many actions were dropped.
    ///
    /// A served drill goes forward only: the phones' entries are on their log.
    pub fn jump_to(&mut self, t_s: f64) -> Result<usize, String> {
        let t_s = t_s.clamp(0.0, self.duration_s());
        if t_s + 1e-9 >= self.time_s() {
            self.target_s = Some(t_s);
            return Ok(0);
        }
        if self.serving() {
            return Err(
                "served to phones: stop serving to go back in time / 手机参演中不能回到较早时间, 请先停止服务"
                    .into(),
            );
        }
        // What was entered by `t_s` (each decision and command takes effect one step
        // after it was entered).
        let step_s = self.scenario.header.step_s;
        let keep: Vec<Action> = self
            .actions
            .iter()
            .filter(|a| a.at_s - step_s < t_s + 1e-9)
            .cloned()
            .collect();
        let dropped = self.actions.len() - keep.len();
        let mut fresh = LiveRun::new(
            &self.scenario,
            self.terrain.clone(),
            self.seed,
            self.kind,
            keep,
        )?;
        fresh.schedule_commands(
            self.commands
                .iter()
                .filter(|c| c.at_s - step_s < t_s + 1e-9)
                .copied()
                .collect(),
        );
        fresh.sample_every_s = self.sample_every_s;
        fresh.target_s = Some(t_s);
        *self = fresh;
        Ok(dropped)
    }
}

/// Serving the run to participants' phones (`drill serve` from the editor): the
/// engine's desk takes the drill and its action log, and hands them back at the end.
impl LiveRun {
    pub fn serving(&self) -> bool {
        matches!(self.core, Core::Served(_))
    }

    /// Hands the drill to a desk made by `desk` (given the drill; see
    /// `serve::drill::Live::host`). Entries from then on are the desk's to log.
    pub fn start_serving(&mut self, desk: impl FnOnce(LiveDrill) -> Live) {
        self.core = match std::mem::replace(&mut self.core, Core::Moving) {
            Core::Own(drill) => Core::Served(Box::new(desk(drill))),
            served => served,
        };
        self.reruns_seen = 0;
    }

    /// Takes the drill back from the desk; returns the action log it kept.
    pub fn stop_serving(&mut self) -> Option<ActionLogFile> {
        let (core, log) = match std::mem::replace(&mut self.core, Core::Moving) {
            Core::Served(live) => {
                let (drill, log) = live.into_parts();
                (Core::Own(drill), Some(log))
            }
            own => (own, None),
        };
        self.core = core;
        log
    }

    /// Answers the phones' waiting requests (the editor calls it every frame while
    /// serving) with the editor's clock as it stands; returns the trainer page's
    /// clock commands for the editor to carry out. Their entries join the run as the
    /// editor's own do.
    pub fn pump(&mut self, rx: &Receiver<Cmd>, playing: bool, speed: f64) -> Vec<Control> {
        let Core::Served(live) = &mut self.core else {
            return Vec::new();
        };
        let controls = live.pump(rx, playing, speed);
        if live.reruns != self.reruns_seen {
            // A late entry re-ran the drill from the start: fold its log afresh.
            self.reruns_seen = live.reruns;
            self.digest = Digest::new(&live.drill().scenario);
            self.snapshot = live.drill_mut().sim.snapshot();
            self.layers = None;
        }
        self.fold_new_actions();
        controls
    }
}

/// The scenario for `--generate`: `county` (50,000 people on 2,000 road links, the
/// engine's county benchmark), `county:PEOPLE`, or `village`.
pub fn generated_scenario(spec: &str) -> Result<Scenario, String> {
    use drill_engine::sim::generate;
    let (kind, arg) = spec.split_once(':').unwrap_or((spec, ""));
    match kind.trim() {
        "county" => {
            let people = if arg.is_empty() {
                50_000
            } else {
                arg.trim()
                    .parse()
                    .map_err(|_| format!("`{arg}` is not a number of people"))?
            };
            Ok(generate::county(people, 2_000, 1))
        }
        "village" => Ok(generate::village(1)),
        other => Err(format!(
            "unknown generated scenario `{other}`; use county, county:PEOPLE or village"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::sim::generate;

    const BUDGET: Duration = Duration::from_secs(60);

    /// The flood example with its inline terrain grid moved to a heightmap file in a
    /// scratch folder: the editor reads the file through the engine's loader (as
    /// `drill run` does) and the run is the one the inline grid gives, not a flat map's;
    /// without the file, the editor reports the engine's E0153 and refuses to run it flat.
    #[test]
    fn a_heightmap_file_runs_like_the_same_inline_grid() {
        use crate::session::check::{Severity, check_source};
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let inline_path = examples.join("zhuyuan-flash-flood.drill");
        let text = drill_engine::io::read_text(&inline_path).unwrap();
        let open = "terrain grid 100m [";
        let start = text.find(open).unwrap();
        let end = start + text[start..].find(']').unwrap();
        let rows: Vec<&str> = text[start + open.len()..end]
            .split(';')
            .map(str::trim)
            .collect();
        let asc = format!(
            "ncols 20\nnrows {}\ncellsize 100\nNODATA_value -9999\n{}\n",
            rows.len(),
            rows.join("\n")
        );
        let with_file = format!("{}terrain \"dem.asc\"{}", &text[..start], &text[end + 1..]);
        let dir = std::env::temp_dir().join(format!("drill-editor-dem-{}", std::process::id()));
        let file_path = dir.join("zhuyuan-dem.drill");
        std::fs::create_dir_all(dir.join("shared")).unwrap();
        drill_engine::io::write_atomic(&dir.join("dem.asc"), asc.as_bytes()).unwrap();
        drill_engine::io::write_atomic(
            &dir.join("shared/county-resources.drill"),
            drill_engine::io::read_text(&examples.join("shared/county-resources.drill"))
                .unwrap()
                .as_bytes(),
        )
        .unwrap();

        let inline = check_source(&text, Some(&inline_path));
        let from_file = check_source(&with_file, Some(&file_path));
        assert!(inline.terrain.is_none());
        assert!(
            from_file
                .diagnostics
                .iter()
                .all(|d| d.severity != Severity::Error),
            "{:?}",
            from_file.diagnostics
        );
        let raster = from_file.terrain.clone().expect("heightmap loaded");
        assert_eq!((raster.cols, raster.rows), (20, rows.len()));

        let run = |sc: &Scenario, terrain: Option<Arc<Raster>>| {
            let mut r = LiveRun::new(sc, terrain, 2, RunKind::PlanAsWritten, Vec::new()).unwrap();
            r.jump_to(3.0 * 3600.0).unwrap();
            r.chase_target(BUDGET);
            drill_engine::sim::events::log_hash(r.sim.events())
        };
        let from_file_sc = from_file.scenario.as_ref().unwrap();
        assert_eq!(
            run(from_file_sc, from_file.terrain.clone()),
            run(inline.scenario.as_ref().unwrap(), None)
        );
        // The same scenario on a flat map floods differently: the file mattered.
        let flat = Raster::flat(raster.cols, raster.rows, raster.cell_m, 300.0);
        assert_ne!(
            run(from_file_sc, Some(Arc::new(flat))),
            run(inline.scenario.as_ref().unwrap(), None)
        );

        std::fs::remove_file(dir.join("dem.asc")).unwrap();
        let missing = check_source(&with_file, Some(&file_path));
        assert!(missing.terrain.is_none());
        assert!(
            missing
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error && d.message.contains("E0153"))
        );
        // The check holds no scenario to run; and a run asked for without the file
        // (the scenario as it checked before) is refused, not run flat.
        assert!(missing.scenario.is_none());
        assert!(LiveRun::new(from_file_sc, None, 2, RunKind::PlanAsWritten, Vec::new()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_run_advances_and_folds_the_plan_tasks_and_injects() {
        let sc = generate::village(7);
        let mut run = LiveRun::new(&sc, None, 7, RunKind::PlanAsWritten, Vec::new()).unwrap();
        assert_eq!(run.time_s(), 0.0);
        let steps = (4.0 * 3600.0 / sc.header.step_s) as u32;
        assert_eq!(run.advance(steps, BUDGET), steps);
        assert!((run.time_s() - 4.0 * 3600.0).abs() < 1e-6);
        assert_eq!(run.snapshot.t_s, run.time_s());
        assert!(!run.digest.fired_injects.is_empty());
        assert!(
            run.digest
                .tasks
                .iter()
                .any(|t| matches!(t, TaskProgress::Finished(..))),
            "{:?}",
            run.digest.tasks
        );
        // One sample a minute plus the start.
        assert_eq!(run.history.len(), 4 * 60 + 1);
        assert!(run.history.windows(2).all(|w| w[0].t_s < w[1].t_s));
    }

    #[test]
    fn jumping_back_replays_the_same_log_up_to_that_time() {
        let sc = generate::village(3);
        let mut run = LiveRun::new(&sc, None, 3, RunKind::PlanAsWritten, Vec::new()).unwrap();
        run.jump_to(5.0 * 3600.0).unwrap();
        while run.chase_target(BUDGET) {}
        let cut = |run: &LiveRun, t: f64| -> Vec<TimedEvent> {
            run.events()
                .iter()
                .filter(|e| e.t_s <= t + 1e-9)
                .cloned()
                .collect()
        };
        let before = cut(&run, 2.0 * 3600.0);
        assert_eq!(run.jump_to(2.0 * 3600.0).unwrap(), 0);
        while run.chase_target(BUDGET) {}
        assert!((run.time_s() - 2.0 * 3600.0).abs() < 1e-6);
        assert_eq!(cut(&run, 2.0 * 3600.0), before);
    }

    #[test]
    fn a_hand_fired_inject_is_repeated_by_a_re_run() {
        let sc = generate::village(9);
        let mut run = LiveRun::new(&sc, None, 9, RunKind::PlanAsWritten, Vec::new()).unwrap();
        run.jump_to(600.0).unwrap();
        while run.chase_target(BUDGET) {}
        let later = run
            .injects()
            .into_iter()
            .filter(|i| i.due_s > 3600.0)
            .map(|i| i.number)
            .next()
            .expect("an inject due after an hour");
        run.command_inject(later, true).unwrap();
        assert!(run.command_inject(later, true).is_err(), "requested twice");
        run.advance(1, BUDGET);
        let fired_at = |run: &LiveRun| {
            run.digest
                .fired_injects
                .iter()
                .find(|(n, _)| *n == later)
                .map(|(_, t)| *t)
        };
        assert_eq!(fired_at(&run), Some(610.0));
        // Back to 10 min (the command's time, kept) and forward again: the re-run
        // issues it at 10 min again.
        run.jump_to(600.0).unwrap();
        while run.chase_target(BUDGET) {}
        assert_eq!(fired_at(&run), None);
        run.jump_to(1200.0).unwrap();
        while run.chase_target(BUDGET) {}
        assert_eq!(fired_at(&run), Some(610.0));
        // Going back before the command drops it.
        run.jump_to(100.0).unwrap();
        assert!(run.commands.is_empty());
    }

    #[test]
    fn a_step_budget_of_zero_still_moves_one_step() {
        let sc = generate::village(1);
        let mut run = LiveRun::new(&sc, None, 1, RunKind::PlanAsWritten, Vec::new()).unwrap();
        assert_eq!(run.advance(100, Duration::ZERO), 1);
        assert_eq!(run.time_s(), sc.header.step_s);
    }
}
