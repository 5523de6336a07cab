//! The simulation core (推演引擎): a validated [`crate::model::Scenario`] in, a typed
//! event log out. Households are warned by each channel its own way, decide, and walk a
//! capacity-limited road network to shelters; teams mobilise, travel and work; injects
//! and hazard fields change the world. See [`events`] for the log and the API shape.
//!
//! It is a headless Bevy ECS `World` with one `Schedule` of systems `.chain()`ed and run
//! single-threaded, one fixed step (`Header::step_s`) per [`Simulation::step`], driven by
//! the caller (command line, tests, editor) the same way. Same scenario + seed + actions
//! ⇒ the same event log byte for byte: random draws come from per-purpose ChaCha8
//! streams derived from the seed, nothing iterates a hash map, and no wall clock is read.

pub mod build;
pub mod events;
pub mod generate;
pub mod hazard_effects;
pub mod hazard_layer;
pub mod live;
pub mod matching;
pub mod network;
pub mod params;
pub mod scripted;
pub mod setup;
pub mod snapshot;
mod systems;
pub mod timeline;
pub mod world;

use crate::hazard::HazardField;
use crate::model::{Action, ActionLog, Actor, InjectCommand, PlaceIdx, Scenario};
use bevy_app::App;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::ScheduleLabel;
use events::{ActionId, RejectReason, SimEvent, TimedEvent, Totals};
use network::Network;
use params::SimParams;
use snapshot::*;
use std::sync::Arc;
use world::*;

pub use events::log_hash;

/// Why a simulation could not be set up.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SimError {
    #[error("the step must be a positive number of seconds, got {0}")]
    BadStep(f64),
    #[error("link {link} refers to place {place}, but the map has {places} places")]
    BadLink {
        link: usize,
        place: u32,
        places: usize,
    },
}

/// Why a trainer's inject request was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InjectError {
    #[error("the scenario has no inject number {0} / 没有第 {0} 号注入")]
    Unknown(u32),
    #[error("inject {0} has already fired / 第 {0} 号注入已下达")]
    AlreadyFired(u32),
    #[error("inject {0} was already skipped / 第 {0} 号注入已跳过")]
    AlreadySkipped(u32),
    #[error(
        "inject {0} already has a request waiting for the next step / 第 {0} 号注入已有待执行的指令"
    )]
    AlreadyRequested(u32),
}

/// How plan tasks are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Each plan task is performed by its `who` when its trigger fires (no actions).
    PlanAsWritten,
    /// Only submitted actions happen; the plan is the yardstick, not the script.
    Actions,
}

/// One drill run: a headless Bevy `App` stepped by the caller, one fixed step per
/// `app.update()`. An `App` holds a runner that is neither `Send` nor `Sync`, so neither
/// is a `Simulation`: the editor keeps its run as non-send data (`NonSend`), not in a
/// `Resource`.
pub struct Simulation {
    /// A headless Bevy `App` with no plugins: its world holds the drill's entities and
    /// resources, its default schedule is one fixed step ([`SimStep`]); the caller
    /// steps it (`app.update()`), so nothing runs on a timer or another thread.
    app: App,
    /// The last [`Simulation::hazard_layers`] answer: (drill time, resolution, layers).
    layer_cache: Option<(f64, usize, Vec<hazard_layer::HazardLayer>)>,
    /// Whether [`SimStart`] has run (before the first step).
    started: bool,
}

/// What is due at the drill's start (`at +0s`, an inject or action at the start time),
/// done at time 0 before the first step moves the clock, so that it is stamped 0 and
/// not the first step's end (see `systems::start_schedule`).
#[derive(bevy_ecs::schedule::ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SimStart;

/// The schedule of one fixed step: the systems chained in a fixed order on a
/// single-threaded executor (see `systems::step_schedule`).
#[derive(bevy_ecs::schedule::ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SimStep;

impl Simulation {
    /// A plan-as-written run with the scenario's parameters (the defaults with its
    /// `behaviour` block applied). With no hazard fields, the
    /// scenario's scripted zones ([`scripted::ScriptedHazard`]) are used.
    pub fn new(
        scenario: &Scenario,
        seed: u64,
        hazards: Vec<Box<dyn HazardField>>,
    ) -> Result<Simulation, SimError> {
        Simulation::with(
            scenario,
            seed,
            hazards,
            SimParams::for_scenario(scenario),
            Mode::PlanAsWritten,
        )
    }

    pub fn with(
        scenario: &Scenario,
        seed: u64,
        mut hazards: Vec<Box<dyn HazardField>>,
        params: SimParams,
        mode: Mode,
    ) -> Result<Simulation, SimError> {
        let step_s = scenario.header.step_s;
        if !(step_s.is_finite() && step_s > 0.0) {
            return Err(SimError::BadStep(step_s));
        }
        let places = scenario.map.places.len();
        for (i, l) in scenario.map.links.iter().enumerate() {
            for p in [l.from, l.to] {
                if p.index() >= places {
                    return Err(SimError::BadLink {
                        link: i,
                        place: p.0,
                        places,
                    });
                }
            }
        }
        if hazards.is_empty() {
            hazards.push(Box::new(scripted::ScriptedHazard::new(scenario)));
        }
        let mut world = World::new();
        let Population {
            entities: households,
            by_place,
            infos,
            place_zones,
        } = spawn_population(&mut world, scenario, &params, seed);
        let mut teams = Vec::new();
        for (i, team) in scenario.teams.iter().enumerate() {
            let base = team.base.index().min(places.saturating_sub(1));
            let mut has_vehicle = false;
            let mut boat_capacity = 0;
            for u in &team.equipment {
                if let Some(r) = scenario.resources.get(u.resource.index()) {
                    match r.kind {
                        crate::model::ResourceKind::Vehicle => has_vehicle = true,
                        crate::model::ResourceKind::Boat => {
                            boat_capacity += r.capacity.unwrap_or(6) * u.quantity
                        }
                        _ => {}
                    }
                }
            }
            teams.push(
                world
                    .spawn(TeamUnit {
                        idx: crate::model::TeamIdx(i as u32),
                        at: PlaceIdx(base as u32),
                        pos: scenario
                            .map
                            .places
                            .get(base)
                            .map(|p| p.pos)
                            .unwrap_or_default(),
                        phase: Phase::Idle,
                        job: None,
                        busy_s: 0.0,
                        has_vehicle,
                        boat_capacity,
                        mobilised: false,
                        held_until_s: 0.0,
                    })
                    .id(),
            );
        }
        let shelter_places: Vec<PlaceIdx> = (0..places as u32)
            .map(PlaceIdx)
            .filter(|p| scenario.place(*p).shelter.is_some())
            .collect();
        let capacity = scenario
            .map
            .places
            .iter()
            .map(|p| p.shelter.as_ref().map_or(0, |s| s.capacity))
            .collect();
        // A shelter the plan opens (开放避灾点) takes nobody in until it is opened.
        let opened = (0..places)
            .map(|p| {
                !scenario
                    .plan
                    .tasks
                    .iter()
                    .any(|t| t.work == crate::model::Work::OpenShelter(PlaceIdx(p as u32)))
            })
            .collect();
        let mut log = Log::default();
        log.push(
            0.0,
            SimEvent::Started {
                seed,
                step_s,
                hazards: hazards.iter().map(|h| h.name().to_string()).collect(),
                households: infos,
            },
        );
        let net = Network::new(
            &scenario.map,
            params.specific_flow_p_m_s,
            params.storage_density_p_m2,
        );
        let links = scenario.map.links.len();
        let tasks = scenario.plan.tasks.len();
        let zones = scenario.map.zones.len();
        world.insert_resource(Clock {
            now_s: 0.0,
            step_s,
            steps: 0,
            start_s_of_day: scenario.header.start.seconds_of_day(),
            duration_s: scenario.header.duration_s,
        });
        world.insert_resource(Ctx {
            scenario: Arc::new(scenario.clone()),
            params,
            seed,
            place_zones,
            by_place,
            shelters: shelter_places,
            follow_plan: mode == Mode::PlanAsWritten,
            holdings: Holdings::new(scenario),
        });
        world.insert_resource(log);
        world.insert_resource(Net {
            net,
            trees: Vec::new(),
            trees_inside: Vec::new(),
            trees_version: u32::MAX,
            link_danger: vec![false; links],
            next_link_sample_s: 0.0,
        });
        world.insert_resource(Shelters {
            occupancy: vec![0; places],
            capacity,
            closed: vec![false; places],
            full_logged: vec![false; places],
            opened,
        });
        world.insert_resource(Danger {
            zone: vec![false; zones],
            zone_by_inject: vec![false; zones],
            place: vec![false; places],
            place_since_s: vec![None; places],
            trapped_people: vec![0; places],
            rescued_total: 0,
            rescued_anonymous: 0,
            exposed_total: 0,
            aboard_anonymous: 0,
        });
        world.insert_resource(hazard_effects::Breathing::for_scenario(
            scenario,
            households.len(),
        ));
        world.insert_resource(hazard_effects::EffectParams::default());
        world.insert_resource(Hazards(hazards));
        world.insert_resource(Contacts::default());
        world.insert_resource(Rngs {
            teams: rng_for(seed, stream::TEAMS, 0, 0),
            warnings: rng_for(seed, stream::WARNINGS, 0, 0),
        });
        world.insert_resource(Index { households, teams });
        world.insert_resource(Pending {
            triggered: vec![None; tasks],
            started: vec![false; tasks],
            finished: vec![false; tasks],
            inject_done: vec![false; scenario.injects.len()],
            committed: vec![0; scenario.resources.len()],
            committed_own: vec![vec![0; scenario.resources.len()]; scenario.teams.len()],
            skipped: vec![false; tasks],
            role_busy: vec![Vec::new(); scenario.roles.len()],
            inject_status: vec![InjectStatus::Pending { requested: false }; scenario.injects.len()],
            ..Pending::default()
        });
        world.insert_resource(Movers::default());
        world.insert_resource(Landings::default());
        world.add_schedule(systems::step_schedule());
        world.add_schedule(systems::start_schedule());
        let mut app = App::empty();
        *app.world_mut() = world;
        app.main_mut().update_schedule = Some(SimStep.intern());
        Ok(Simulation {
            app,
            layer_cache: None,
            started: false,
        })
    }

    /// Seconds from the drill start (the end of the last step).
    pub fn time_s(&self) -> f64 {
        self.app.world().resource::<Clock>().now_s
    }

    /// Whether the scenario's duration has been reached.
    pub fn finished(&self) -> bool {
        let c = self.app.world().resource::<Clock>();
        c.now_s >= c.duration_s
    }

    /// Runs one fixed step. After the scenario's end, a `Finished` event is logged once.
    pub fn step(&mut self) {
        if !self.started {
            self.started = true;
            self.app.world_mut().run_schedule(SimStart);
        }
        let was_finished = self.finished();
        self.app.update();
        if !was_finished && self.finished() {
            let totals = self.totals();
            let now = self.time_s();
            self.app
                .world_mut()
                .resource_mut::<Log>()
                .push(now, SimEvent::Finished { totals });
        }
    }

    /// Steps while the time is before `t_s` (so the time ends at or just past it).
    pub fn run_until(&mut self, t_s: f64) {
        while self.time_s() < t_s - 1e-9 {
            self.step();
        }
    }

    /// Steps while the next step would still end before `t_s`, leaving the step that
    /// reaches `t_s` unrun. A live drill uses this after each entry, so that a second
    /// entry for the same time joins the same step, exactly as in a replay of the log.
    pub fn run_before(&mut self, t_s: f64) {
        let step_s = self.app.world().resource::<Clock>().step_s;
        while self.time_s() + step_s < t_s - 1e-9 {
            self.step();
        }
    }

    /// Whether an action at `at_s` would be processed by a step that has already run
    /// (the step that reaches `at_s` is behind us), so it can only be replayed.
    pub fn is_past(&self, at_s: f64) -> bool {
        let now = self.time_s();
        now > 1e-9 && at_s <= now + 1e-9
    }

    /// Runs to the scenario's end.
    pub fn run_to_end(&mut self) {
        let end = self.app.world().resource::<Clock>().duration_s;
        self.run_until(end);
    }

    /// Submits a participant's action. It is checked and applied in the step that
    /// reaches its `at_s`; one for a time already past is rejected now. Either way the
    /// outcome is logged.
    pub fn submit(&mut self, action: Action) -> ActionId {
        let now = self.time_s();
        let mut pending = self.app.world_mut().resource_mut::<Pending>();
        let id = ActionId(pending.actions.len() as u32);
        let actor: Actor = action.actor;
        let late = action.at_s < now - 1e-9 || !action.at_s.is_finite();
        let at_s = action.at_s;
        pending.actions.push((action, late));
        if late {
            self.app.world_mut().resource_mut::<Log>().push(
                now,
                SimEvent::ActionRejected {
                    action: id,
                    actor,
                    reason: RejectReason::InThePast { at_s, now_s: now },
                },
            );
        }
        id
    }

    /// Every inject of the scenario with its due time and status, in due-time order
    /// (then number): what the trainer's console lists.
    pub fn injects(&self) -> Vec<InjectView> {
        let ctx = self.app.world().resource::<Ctx>();
        let pending = self.app.world().resource::<Pending>();
        let mut out: Vec<InjectView> = ctx
            .scenario
            .injects
            .iter()
            .zip(&pending.inject_status)
            .map(|(inject, status)| {
                let (due_s, unless_task) = match inject.trigger {
                    crate::model::InjectTrigger::At(t) => (t, None),
                    crate::model::InjectTrigger::IfNot { task, by_s } => (by_s, Some(task)),
                };
                InjectView {
                    number: inject.number,
                    due_s,
                    unless_task,
                    message: inject.message.clone(),
                    status: *status,
                }
            })
            .collect();
        out.sort_by(|a, b| a.due_s.total_cmp(&b.due_s).then(a.number.cmp(&b.number)));
        out
    }

    /// The injects that have not fired nor been skipped yet, in due-time order.
    pub fn upcoming_injects(&self) -> Vec<InjectView> {
        self.injects()
            .into_iter()
            .filter(|i| matches!(i.status, InjectStatus::Pending { .. }))
            .collect()
    }

    /// The trainer fires an inject now (导调: ahead of its time, or a contingency
    /// inject regardless of its task). It fires, with its effects, in the next step.
    pub fn fire_inject(&mut self, number: u32) -> Result<(), InjectError> {
        self.request_inject(number, InjectRequest::Fire)
    }

    /// The trainer drops an inject: it will not fire. Logged in the next step.
    pub fn skip_inject(&mut self, number: u32) -> Result<(), InjectError> {
        self.request_inject(number, InjectRequest::Skip)
    }

    /// A trainer's inject command with its time (`21:30 trainer fire inject 5` in a
    /// log): applied in the step that reaches `at_s`, as an action is, so replaying a
    /// log repeats it in the same step. Refused now, as `fire_inject` is, when the
    /// inject is unknown, has fired or been skipped, or already has a command waiting;
    /// one that this run overtakes before its time (the inject fires on its own) is
    /// dropped when due.
    pub fn schedule_inject(&mut self, command: InjectCommand) -> Result<(), InjectError> {
        let number = command.number;
        self.open_inject(number)?;
        let mut pending = self.app.world_mut().resource_mut::<Pending>();
        let waiting = pending
            .inject_schedule
            .iter()
            .any(|(c, taken)| !taken && c.number == number);
        if waiting {
            return Err(InjectError::AlreadyRequested(number));
        }
        pending.inject_schedule.push((command, false));
        Ok(())
    }

    /// Submits a whole recorder's log: its actions and the trainer's inject commands,
    /// each applied at its time. The log was validated, so a command is refused only
    /// when it repeats an earlier one, which validation reports (E0410).
    pub fn submit_log(&mut self, log: &ActionLog) {
        for a in &log.actions {
            self.submit(a.clone());
        }
        for c in &log.inject_commands {
            let _ = self.schedule_inject(*c);
        }
    }

    /// The drill time at the end of the next step: when a command given now (a live
    /// `fire_inject`, or [`Simulation::schedule_inject`] for this time) takes effect.
    pub fn next_step_s(&self) -> f64 {
        let c = self.app.world().resource::<Clock>();
        // As `tick_clock` computes it, so the two agree to the last bit.
        (c.steps + 1) as f64 * c.step_s
    }

    fn request_inject(&mut self, number: u32, request: InjectRequest) -> Result<(), InjectError> {
        let index = self.open_inject(number)?;
        let mut pending = self.app.world_mut().resource_mut::<Pending>();
        pending.inject_status[index] = InjectStatus::Pending { requested: true };
        pending.inject_requests.push((index, request));
        Ok(())
    }

    /// The index of inject `number` when the trainer may still command it: known, not
    /// fired, not skipped, and no live request waiting for the next step.
    fn open_inject(&self, number: u32) -> Result<usize, InjectError> {
        let world = self.app.world();
        let index = world
            .resource::<Ctx>()
            .scenario
            .injects
            .iter()
            .position(|i| i.number == number)
            .ok_or(InjectError::Unknown(number))?;
        match world.resource::<Pending>().inject_status[index] {
            InjectStatus::Fired { .. } => Err(InjectError::AlreadyFired(number)),
            InjectStatus::Skipped { .. } => Err(InjectError::AlreadySkipped(number)),
            InjectStatus::Pending { requested: true } => Err(InjectError::AlreadyRequested(number)),
            InjectStatus::Pending { requested: false } => Ok(index),
        }
    }

    /// The event log so far.
    /// What each household has breathed of a chemical release (dose, peak, AEGLs).
    pub fn breathing(&self) -> &hazard_effects::Breathing {
        self.app.world().resource::<hazard_effects::Breathing>()
    }

    pub fn events(&self) -> &[TimedEvent] {
        &self.app.world().resource::<Log>().events
    }

    /// Since when each place (by `Map::places` index) has been dangerous without a
    /// break, `None` where it is safe now: the hazard fields and the zones injects made
    /// dangerous, as the last step sampled them (the author's timeline reads it).
    pub fn dangerous_places_since(&self) -> &[Option<f64>] {
        &self.app.world().resource::<Danger>().place_since_s
    }

    /// Headline counts now.
    pub fn totals(&mut self) -> Totals {
        let mut q = self.app.world_mut().query::<&Household>();
        let danger = self.app.world().resource::<Danger>();
        let net = self.app.world().resource::<Net>();
        systems::totals(q.iter(self.app.world()), danger, net)
    }

    /// 灾情图层 — the physical hazards now (water depth, fire, plume) on a grid over the
    /// map, `resolution` cells along its longer side, sampled from the very fields the
    /// simulation steps. Computed only when asked and cached for the current drill time,
    /// so asking again before the next step costs nothing. Scripted zones have no layer.
    pub fn hazard_layers(&mut self, resolution: usize) -> &[hazard_layer::HazardLayer] {
        let now = self.time_s();
        let fresh = self
            .layer_cache
            .as_ref()
            .is_some_and(|(t, r, _)| *t == now && *r == resolution);
        if !fresh {
            let world = self.app.world();
            let extent = hazard_layer::layer_extent(&world.resource::<Ctx>().scenario);
            let layers = extent.map_or_else(Vec::new, |extent| {
                hazard_layer::sample_layers(&world.resource::<Hazards>().0, extent, resolution, now)
            });
            self.layer_cache = Some((now, resolution, layers));
        }
        self.layer_cache
            .as_ref()
            .map_or(&[], |(_, _, l)| l.as_slice())
    }

    /// The per-step picture for the editor and the summary.
    pub fn snapshot(&mut self) -> Snapshot {
        let totals = self.totals();
        let now = self.time_s();
        let mut tq = self.app.world_mut().query::<&TeamUnit>();
        let mut q = self.app.world_mut().query::<&Household>();
        let ctx = self.app.world().resource::<Ctx>();
        let net = self.app.world().resource::<Net>();
        let s = &ctx.scenario;
        let mut households: Vec<HouseholdView> = q
            .iter(self.app.world())
            .map(|hh| {
                let at = s.place(hh.at).pos;
                let pos = match hh.lane {
                    Some(d) => {
                        let lane = &net.net.lanes[d.slot()];
                        let to = s.place(net.net.head(d)).pos;
                        let f = lane
                            .queue
                            .iter()
                            .find(|w| w.household == hh.id.0)
                            .map_or(0.0, |w| w.progress(now));
                        crate::model::Point {
                            x: at.x + (to.x - at.x) * f,
                            y: at.y + (to.y - at.y) * f,
                        }
                    }
                    None => at,
                };
                HouseholdView {
                    id: hh.id,
                    home: hh.home,
                    pos,
                    state: hh.state,
                    people: hh.people(),
                    contacts: hh.contacts,
                    exposed: hh.exposed,
                }
            })
            .collect();
        households.sort_by_key(|h| h.id);
        let links = (0..s.map.links.len())
            .map(|i| LinkView {
                link: crate::model::LinkIdx(i as u32),
                open: net.net.open[i],
                dangerous: net.link_danger[i],
                people: net.net.lanes[2 * i].people + net.net.lanes[2 * i + 1].people,
            })
            .collect();
        let sh = self.app.world().resource::<Shelters>();
        let shelters = ctx
            .shelters
            .iter()
            .map(|&p| ShelterView {
                place: p,
                occupancy: sh.occupancy[p.index()],
                capacity: sh.capacity[p.index()],
                open: sh.opened[p.index()],
                closed: sh.closed[p.index()],
            })
            .collect();
        let mut teams: Vec<TeamView> = tq
            .iter(self.app.world())
            .map(|u| {
                let (state, pos) = match &u.phase {
                    Phase::Idle => (TeamState::Idle, u.pos),
                    Phase::Mobilising { .. } => (TeamState::Mobilising, u.pos),
                    Phase::Working { .. } => (TeamState::Working, u.pos),
                    Phase::Travelling {
                        from,
                        to,
                        depart_s,
                        arrive_s,
                    } => {
                        let dest = s.place(*to).pos;
                        let f =
                            ((now - depart_s) / (arrive_s - depart_s).max(1e-9)).clamp(0.0, 1.0);
                        (
                            TeamState::Travelling,
                            crate::model::Point {
                                x: from.x + (dest.x - from.x) * f,
                                y: from.y + (dest.y - from.y) * f,
                            },
                        )
                    }
                };
                TeamView {
                    team: u.idx,
                    pos,
                    state,
                    utilisation: if now > 0.0 {
                        (u.busy_s / now).min(1.0)
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        teams.sort_by_key(|t| t.team);
        Snapshot {
            t_s: now,
            households,
            teams,
            links,
            shelters,
            totals,
        }
    }
}
