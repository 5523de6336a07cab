//! The typed event log: everything the simulation did, in order, with time stamps.
//!
//! The log is the simulation's only output that matters downstream: scoring is a pure
//! function of `(Scenario, Vec<TimedEvent>)`, replays re-read it, and the determinism
//! invariant is stated over it (same scenario + seed + actions ⇒ the same log, byte
//! for byte once serialised; see [`log_hash`]). So the log is self-contained: the first
//! event, [`SimEvent::Started`], lists every household with its home and members, and
//! household events repeat the home place so a scorer never needs the live world.
//!
//! Conventions: `t_s` is seconds from the drill start, always a multiple of the fixed
//! step (`Header::step_s`) because events are stamped with the step in which they
//! happen; within a step events appear in system order (injects, actions, hazards,
//! warnings, decisions, movement, teams), and within a system in entity order (household
//! id, team index, link index), never in hash-map order.
//!
//! The public driver, [`super::Simulation`], has this shape:
//! ```text
//! Simulation::new(&Scenario, seed, hazards: Vec<Box<dyn HazardField>>) -> Result<Simulation, SimError>
//! sim.step()                        // one fixed step
//! sim.run_until(t_s)                // steps while time < t_s
//! sim.submit(Action) -> ActionId    // validated at its `at_s`; accepted or rejected, both logged
//! sim.injects() / sim.upcoming_injects() -> Vec<InjectView>   // due time and status
//! sim.fire_inject(number) / sim.skip_inject(number)           // the trainer's hand, next step
//! sim.schedule_inject(InjectCommand)  // the same, logged with a time (`trainer fire inject 5`)
//! sim.submit_log(&ActionLog)        // a recorder's log: its actions and inject commands
//! sim.snapshot() -> Snapshot        // plain per-step state for the editor
//! sim.events() -> &[TimedEvent]     // the log so far
//! sim.time_s()
//! ```

use crate::model::{
    Actor, Channel, Group, LinkIdx, PlaceIdx, Point, ResourceIdx, RiskLevel, RiverIdx, RoleIdx,
    Service, Skill, Target, TaskIdx, TeamIdx, ZoneIdx,
};
use serde::{Deserialize, Serialize};

/// A household (户): the unit that is warned, decides and moves together.
///
/// Ids are dense and stable for a given scenario: households are numbered place by
/// place in `Map::places` order, then within a place. Adding a household to one place
/// renumbers only the households of later places; their random draws do not change,
/// because each household's random stream is derived from `(seed, place, n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdId(pub u32);

impl HouseholdId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The index of a submitted action, in submission order (0 for the first `submit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionId(pub u32);

/// A piece of work being done: a plan task performed as written, or a participant's
/// submitted action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkRef {
    /// A task of the plan (`Plan::tasks`), performed by its `who` (plan-as-written mode).
    Task(TaskIdx),
    /// A participant's action, by submission order.
    Action(ActionId),
}

/// One event with its time stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimedEvent {
    /// Seconds from the drill start (the end of the step in which it happened).
    pub t_s: f64,
    pub event: SimEvent,
}

/// Members of a household by group. Groups do not overlap here (unlike `model::Groups`,
/// whose groups are subsets of `people` that may overlap): each person is counted once,
/// in the most demanding group, in the order disabled > elderly > children >
/// outdoor workers > dilapidated > adults, so `total()` is the household's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Members {
    pub adults: u32,
    pub elderly: u32,
    /// 残疾人 — cannot leave without a helper (a team member or a vehicle).
    pub disabled: u32,
    pub children: u32,
    /// 危房户 — living in a dilapidated house.
    pub dilapidated: u32,
    /// 户外作业人员 — working outdoors when the warning comes.
    pub outdoor_workers: u32,
}

impl Members {
    pub fn total(&self) -> u32 {
        self.adults
            + self.elderly
            + self.disabled
            + self.children
            + self.dilapidated
            + self.outdoor_workers
    }

    pub fn get(&self, group: Group) -> u32 {
        match group {
            Group::Adults => self.adults,
            Group::Elderly => self.elderly,
            Group::Disabled => self.disabled,
            Group::Children => self.children,
            Group::Dilapidated => self.dilapidated,
            Group::OutdoorWorkers => self.outdoor_workers,
        }
    }
}

/// A household as listed in [`SimEvent::Started`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdInfo {
    pub id: HouseholdId,
    pub home: PlaceIdx,
    pub members: Members,
    /// Danger zones the home lies in (by the place's position), ascending.
    pub zones: Vec<ZoneIdx>,
}

/// Why a link stopped carrying traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkCloseCause {
    /// An inject's `Effect::CloseLink` (a bridge washed away, a landslide).
    Inject(u32),
    /// The hazard field made a point along the link dangerous.
    Hazard,
    /// A team closed it (封路) as part of a task or action.
    Closed(WorkRef),
}

/// Why a zone became dangerous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DangerCause {
    /// `Zone::dangerous_from_s` was reached (scripted hazard).
    Scripted,
    /// An inject's `Effect::Danger`.
    Inject(u32),
    /// A hazard model's field (its `name()` is in the `Started` event's `hazards`).
    Model,
}

/// How a piece of work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskOutcome {
    /// Done as asked.
    Done,
    /// Done in part: `reached` of `of` units (households warned, people moved...).
    Partial { reached: u32, of: u32 },
    /// Could not be done (no route, target unreachable); the reason is in `Blocked`.
    Failed(Blocked),
}

/// What kept a team or a household from getting somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blocked {
    /// Every route is closed or dangerous.
    NoRoute,
    /// No shelter with room is reachable.
    NoShelter,
    /// The drill ended first.
    OutOfTime,
}

/// Why an inject did not fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InjectSkip {
    /// The trainer skipped it (`Simulation::skip_inject`).
    Trainer,
    /// A contingency inject (`if not T by ...`) whose task was started in time.
    TaskDone(TaskIdx),
}

/// 失效原因 — why a warning channel, or the equipment it sounds from, made no contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Silence {
    /// 停电 — mains power is off where the equipment stands and it has no backup power.
    PowerCut,
    /// 停用 — the equipment was put out of service by an inject.
    OutOfService,
    /// The whole channel was put out of service by an inject.
    ChannelOutOfService,
    /// 通信中断 — the mobile network is down (SMS, app push, WeChat, phone calls).
    PhonesDown,
}

/// What an inject took out of service or gave back (`SimEvent::ServiceChanged`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ServiceChange {
    /// Mains power at the target's places.
    Power(Target),
    /// A piece of equipment or a whole channel.
    Service(Service),
    /// The mobile network.
    Phones,
}

/// Why an action (or a plan task performed as written) was refused. Nothing is dropped
/// silently: every refusal is logged with one of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RejectReason {
    /// The actor's index is not in `Scenario::roles`.
    UnknownRole(u32),
    /// The actor's index is not in `Scenario::teams`.
    UnknownTeam(u32),
    /// A place, link, zone, resource or task index is out of range.
    UnknownTarget(String),
    /// The actor does not hold (or has already committed) enough of a resource.
    ResourceNotHeld {
        resource: u32,
        wanted: u32,
        available: u32,
    },
    /// The team is busy with other work until it finishes. Work for a busy team waits
    /// (an action is queued, `SimEvent::TaskQueued`; plan work stays pending), so this
    /// is the validator's signal to wait rather than a final refusal; older event logs
    /// may still carry it as one.
    TeamBusy { team: TeamIdx, with: WorkRef },
    /// Every holder of the post is busy (door-knocking, calling, carrying a
    /// megaphone round, or the few minutes an announcement or an order takes).
    RoleBusy { role: RoleIdx, with: WorkRef },
    /// The resource is another team's equipment (`equipment [...]`), not the common
    /// stock, and none of it is left for this actor.
    ResourceHeldBy { resource: u32, team: TeamIdx },
    /// The team lacks the skill the work needs (a rescue in a flood needs `WaterRescue`,
    /// in a chemical release `Hazmat`; a fire line `Firefighting`); `skill` is the first
    /// of those that would do.
    MissingSkill { team: TeamIdx, skill: Skill },
    /// A warning by a channel nobody can use here (a loudspeaker task with no
    /// loudspeaker in the target, door-knocking by a role with nobody in post).
    ChannelUnavailable(Channel),
    /// The action's time is before the current simulation time.
    InThePast { at_s: f64, now_s: f64 },
    /// The work makes no sense in the current state (older logs; new refusals use the
    /// named variants below).
    NotApplicable(String),
    /// The road, path or bridge is already closed.
    LinkAlreadyClosed(LinkIdx),
    /// The place is not a shelter.
    NotAShelter(PlaceIdx),
    /// The shelter is already open.
    ShelterAlreadyOpen(PlaceIdx),
    /// A post (role) was given work only a team can do (a rescue, a fire line).
    PostIsNoTeam(RoleIdx),
    /// A plan task names nobody who can act (no `who`).
    NobodyResponsible,
}

impl RejectReason {
    /// The reason in words, with the scenario's names (中文 / English), for the
    /// trainer's console and reports.
    pub fn describe(&self, s: &crate::model::Scenario) -> String {
        let (zh, en) = self.describe_zh_en(s);
        format!("{zh} / {en}")
    }

    /// The reason in Chinese and in English, separately (reports print each language
    /// in its own column or sentence).
    pub fn describe_zh_en(&self, s: &crate::model::Scenario) -> (String, String) {
        let resource = |r: u32| {
            s.resources
                .get(r as usize)
                .map_or_else(|| format!("#{r}"), |x| x.name.clone())
        };
        let team = |t: TeamIdx| {
            s.teams
                .get(t.index())
                .map_or_else(|| format!("#{}", t.0), |x| x.name.clone())
        };
        let work = |w: &WorkRef| match w {
            WorkRef::Task(t) => s
                .plan
                .tasks
                .get(t.index())
                .map_or_else(|| format!("task #{}", t.0), |x| format!("task {}", x.id)),
            WorkRef::Action(a) => format!("action #{}", a.0 + 1),
        };
        let work_zh = |w: &WorkRef| match w {
            WorkRef::Task(t) => s
                .plan
                .tasks
                .get(t.index())
                .map_or_else(|| format!("任务#{}", t.0), |x| format!("任务{}", x.id)),
            WorkRef::Action(a) => format!("第{}条行动", a.0 + 1),
        };
        match self {
            RejectReason::UnknownRole(r) => ("无此角色".into(), format!("unknown role #{r}")),
            RejectReason::UnknownTeam(t) => ("无此队伍".into(), format!("unknown team #{t}")),
            RejectReason::UnknownTarget(what) => {
                (format!("目标不存在 ({what})"), format!("unknown {what}"))
            }
            RejectReason::ResourceNotHeld {
                resource: r,
                wanted,
                available,
            } => (
                format!("{}不足 (要{wanted}, 只剩{available})", resource(*r)),
                format!(
                    "not enough {} (wanted {wanted}, {available} left)",
                    resource(*r)
                ),
            ),
            RejectReason::ResourceHeldBy {
                resource: r,
                team: t,
            } => (
                format!("{}是{}的装备", resource(*r), team(*t)),
                format!("{} is {}'s equipment", resource(*r), team(*t)),
            ),
            RejectReason::TeamBusy { team: t, with } => (
                format!("{}正忙于{}", team(*t), work_zh(with)),
                format!("{} is busy with {}", team(*t), work(with)),
            ),
            RejectReason::RoleBusy { role, with } => {
                let name = s
                    .roles
                    .get(role.index())
                    .map_or_else(|| format!("#{}", role.0), |x| x.name.clone());
                (
                    format!("{name}人手都在忙于{}", work_zh(with)),
                    format!("every {name} is busy with {}", work(with)),
                )
            }
            RejectReason::MissingSkill { team: t, skill } => {
                let (kz, ke) = crate::score::text::skill(*skill);
                (
                    format!("{}不具备{kz}能力", team(*t)),
                    format!("{} is not trained for {ke}", team(*t)),
                )
            }
            RejectReason::ChannelUnavailable(c) => {
                let (zh, en) = crate::score::text::channel(*c);
                (
                    format!("没有可用的{zh}"),
                    format!("no {en} can be used here"),
                )
            }
            RejectReason::InThePast { at_s, now_s } => (
                "记录时间早于当前推演时间".into(),
                format!(
                    "{} is before the drill clock {}",
                    s.header.start.clock_at(*at_s),
                    s.header.start.clock_at(*now_s)
                ),
            ),
            RejectReason::NotApplicable(why) => ("不适用".into(), why.clone()),
            RejectReason::LinkAlreadyClosed(l) => {
                let (zh, en) = crate::score::text::link(s, *l);
                (format!("{zh}已封闭"), format!("{en} is already closed"))
            }
            RejectReason::NotAShelter(p) => {
                let name = s.map.places.get(p.index()).map_or("?", |x| x.name.as_str());
                (
                    format!("{name}不是避灾安置点"),
                    format!("{name} is not a shelter"),
                )
            }
            RejectReason::ShelterAlreadyOpen(p) => {
                let name = s.map.places.get(p.index()).map_or("?", |x| x.name.as_str());
                (format!("{name}已开放"), format!("{name} is already open"))
            }
            RejectReason::PostIsNoTeam(r) => {
                let name = s.roles.get(r.index()).map_or("?", |x| x.name.as_str());
                (
                    format!("{name}是岗位不是队伍, 救援和防火线须由队伍执行"),
                    format!("{name} is a post, not a team: rescues and fire lines need a team"),
                )
            }
            RejectReason::NobodyResponsible => (
                "处置卡未写明由谁负责".into(),
                "the response card names nobody responsible".into(),
            ),
        }
    }
}

/// Everything that can happen in a drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SimEvent {
    /// The first event: the run's inputs that a scorer or replay needs.
    Started {
        seed: u64,
        step_s: f64,
        /// Names of the hazard fields sampled (e.g. `["scripted"]`).
        hazards: Vec<String>,
        households: Vec<HouseholdInfo>,
    },

    // --- Injects (情景注入) -----------------------------------------------------------
    /// An inject of the MSEL fired; its effects follow as their own events.
    InjectFired { number: u32, contingency: bool },
    /// The trainer fired an inject by hand (`Simulation::fire_inject`), before or
    /// instead of its trigger; an `InjectFired` follows in the same step.
    InjectTriggeredByTrainer { number: u32 },
    /// An inject will not fire: the trainer skipped it, or the task a contingency
    /// inject watches was started in time.
    InjectSkipped { number: u32, why: InjectSkip },

    // --- Warnings (预警) --------------------------------------------------------------
    /// A warning was issued to a target by a channel (one event per channel).
    /// `level` is the warning's colour when known (from an inject or plan trigger).
    WarningIssued {
        by: Option<Actor>,
        work: Option<WorkRef>,
        channel: Channel,
        target: Target,
        level: Option<RiskLevel>,
    },
    /// An official warning of a colour was raised (an inject's `Effect::Warning`): it
    /// triggers the plan's `when warning ...` tasks.
    WarningLevelRaised { level: RiskLevel, inject: u32 },
    /// A warning by `channel` made no contact through `resource` (or at all, when
    /// `None`), and why: a loudspeaker without backup power in a power cut, equipment
    /// or a channel out of service, the phones down. Logged when the warning is issued
    /// and, for a contact cut off on its way, when it was due.
    ChannelSilent {
        work: Option<WorkRef>,
        channel: Channel,
        resource: Option<ResourceIdx>,
        why: Silence,
    },
    /// An inject took something out of service (`working: false`) or gave it back.
    ServiceChanged {
        what: ServiceChange,
        working: bool,
        inject: u32,
    },
    /// 延误 — an inject held a team up by `delay_s`.
    TeamDelayed {
        team: TeamIdx,
        delay_s: f64,
        inject: u32,
    },
    /// 来水 — an inject set a river's inflow (the flood model's hydrograph from now on).
    InflowSet {
        river: RiverIdx,
        m3_s: f64,
        ramp_s: f64,
        inject: u32,
    },
    /// 起火 — an inject lit a fire at a point (the fire model's ignition).
    Ignited { at: Point, inject: u32 },
    /// A household heard the warning. `contact` counts contacts so far (1 = first).
    WarningReceived {
        household: HouseholdId,
        home: PlaceIdx,
        channel: Channel,
        contact: u32,
    },

    // --- Household decisions and movement (转移) ---------------------------------------
    /// The household decided to leave and will set off at `leave_at_s`.
    Decided {
        household: HouseholdId,
        home: PlaceIdx,
        leave_at_s: f64,
    },
    /// The household was told to shelter in place (就地避险): it stays indoors, doors
    /// and windows shut, and does not set off (a later evacuation order may move it).
    ShelteredInPlace {
        household: HouseholdId,
        home: PlaceIdx,
    },
    /// The household heard the warning and chose to stay (they may leave on a later
    /// contact: a knock on the door persuades more than a loudspeaker).
    Refused {
        household: HouseholdId,
        home: PlaceIdx,
        contact: u32,
    },
    /// The household wants to leave but has disabled members and waits for a helper.
    NeedsHelp {
        household: HouseholdId,
        home: PlaceIdx,
        people: u32,
    },
    /// A team reached a waiting household and helps it move.
    Helped {
        household: HouseholdId,
        team: TeamIdx,
    },
    /// The household set off on foot towards a shelter.
    Departed {
        household: HouseholdId,
        home: PlaceIdx,
        people: u32,
        towards: PlaceIdx,
    },
    /// The household's route was blocked and it took another one.
    Rerouted {
        household: HouseholdId,
        at: PlaceIdx,
        towards: PlaceIdx,
    },
    /// The household cannot get anywhere useful and waits where it is.
    Stranded {
        household: HouseholdId,
        at: PlaceIdx,
        why: Blocked,
    },
    /// The household reached a shelter and was taken in.
    Arrived {
        household: HouseholdId,
        home: PlaceIdx,
        shelter: PlaceIdx,
        people: u32,
    },

    // --- Shelters (避灾安置点) ----------------------------------------------------------
    /// A shelter was opened (by a task or action).
    ShelterOpened {
        shelter: PlaceIdx,
        by: Option<Actor>,
    },
    /// A shelter reached capacity.
    ShelterFull { shelter: PlaceIdx, occupancy: u32 },
    /// A household reached a shelter that has not been opened yet (开放避灾点 is a
    /// plan task) and waits at its gate; `Arrived` follows when it opens.
    WaitingAtShelter {
        household: HouseholdId,
        shelter: PlaceIdx,
    },
    /// A household arrived at a full (or closed) shelter and was sent on.
    Redirected {
        household: HouseholdId,
        from: PlaceIdx,
        to: PlaceIdx,
    },
    /// A shelter stopped taking people (inject `Effect::ShelterClosed`).
    ShelterClosed { shelter: PlaceIdx },

    // --- Network and hazard -----------------------------------------------------------
    /// A road, path or bridge closed.
    LinkClosed {
        link: LinkIdx,
        cause: LinkCloseCause,
    },
    /// A zone became dangerous.
    ZoneDangerous { zone: ZoneIdx, cause: DangerCause },
    /// People were caught by the hazard: at home or on the road in a dangerous spot.
    /// Counted once per household per episode.
    Exposed {
        household: HouseholdId,
        home: PlaceIdx,
        at: PlaceIdx,
        people: u32,
    },
    /// 吸入 — the concentration a household breathes (indoors through the one-box air
    /// exchange, or outdoors) first exceeded the released substance's 60-minute AEGL of
    /// `level` (1-3); `dose_ppm_min` is its ∫C dt so far. Logged once per level.
    AeglReached {
        household: HouseholdId,
        at: PlaceIdx,
        level: u8,
        ppm: f64,
        dose_ppm_min: f64,
    },
    /// People are trapped and need rescue (an inject's `Effect::Trapped`, or a
    /// household still at home when its place turned dangerous).
    Trapped {
        place: PlaceIdx,
        people: u32,
        household: Option<HouseholdId>,
    },
    /// Trapped people reached safety (one event per boat or carry trip, stamped when
    /// the load is landed at `to`, a shelter or the team's base; the team stays busy
    /// for the round trips).
    Rescued {
        place: PlaceIdx,
        people: u32,
        team: TeamIdx,
        to: PlaceIdx,
    },

    // --- Teams (队伍) and work --------------------------------------------------------
    /// A team was called out; it can leave its base `arrives_s` later.
    TeamActivated { team: TeamIdx, work: WorkRef },
    /// A team set off for a place.
    TeamDeparted {
        team: TeamIdx,
        from: PlaceIdx,
        to: PlaceIdx,
    },
    /// A team reached a place.
    TeamArrived { team: TeamIdx, at: PlaceIdx },
    /// Work started (a task by its `who`, or an accepted action).
    TaskStarted { work: WorkRef, actor: Actor },
    /// 排队 — an accepted action for a team that is still busy: it waits behind the
    /// team's running work (`behind`) and starts, with a `TaskStarted`, when the team
    /// is free, from wherever the team then stands.
    TaskQueued {
        work: WorkRef,
        team: TeamIdx,
        behind: WorkRef,
    },
    /// Work finished.
    TaskFinished {
        work: WorkRef,
        actor: Actor,
        outcome: TaskOutcome,
    },
    /// A plan task whose trigger fired but that nobody performs (no `who` that can act).
    TaskSkipped { task: TaskIdx, why: RejectReason },

    // --- Participants' actions --------------------------------------------------------
    /// An action was accepted and its work begins (a `TaskStarted` follows).
    ActionAccepted { action: ActionId, actor: Actor },
    /// An accepted action counts as this plan task (same kind of work on the same or
    /// an enclosing target; see `sim::matching`). Contingency injects watch this.
    ActionMatched { action: ActionId, task: TaskIdx },
    /// An action was refused, with the reason.
    ActionRejected {
        action: ActionId,
        actor: Actor,
        reason: RejectReason,
    },

    /// The last event of a run that reached the scenario's end (`Header::duration_s`).
    Finished { totals: Totals },
}

/// Headline counts, in people (not households), at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// People in households that received at least one warning.
    pub warned: u32,
    /// People taken in at a shelter (walked there or rescued).
    pub evacuated: u32,
    /// People on the move between home and a shelter.
    pub moving: u32,
    /// People not at a shelter whose current place is in a dangerous zone.
    pub in_danger: u32,
    /// People who have been exposed to danger at some point (cumulative).
    pub exposed: u32,
    /// People trapped and not yet rescued.
    pub trapped: u32,
    /// People rescued by teams (cumulative).
    pub rescued: u32,
}

/// Hash of a serialised event log (64-bit FNV-1a over its compact JSON): a short,
/// stable fingerprint for determinism tests and for the CLI's summary line. JSON is
/// used rather than RON because its float formatting (ryu's shortest round-trip
/// form) is fixed by `serde_json`'s own tests.
pub fn log_hash(events: &[TimedEvent]) -> u64 {
    let bytes = serde_json::to_vec(events).unwrap_or_default();
    fnv1a(&bytes)
}

/// 64-bit FNV-1a: tiny, dependency-free, and identical on every platform.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_published_vectors() {
        // Test vectors from the FNV reference (Fowler/Noll/Vo, draft-eastlake-fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn an_unavailable_channel_is_named_in_chinese_and_english() {
        let s = crate::model::Scenario::default();
        let (zh, en) = RejectReason::ChannelUnavailable(Channel::Sms).describe_zh_en(&s);
        assert_eq!(zh, "没有可用的短信");
        assert_eq!(en, "no SMS can be used here");
    }

    #[test]
    fn events_round_trip_through_ron_and_json() {
        let log = vec![
            TimedEvent {
                t_s: 10.0,
                event: SimEvent::WarningReceived {
                    household: HouseholdId(3),
                    home: PlaceIdx(1),
                    channel: Channel::Loudspeaker,
                    contact: 1,
                },
            },
            TimedEvent {
                t_s: 20.0,
                event: SimEvent::ActionRejected {
                    action: ActionId(0),
                    actor: Actor::Team(TeamIdx(9)),
                    reason: RejectReason::UnknownTeam(9),
                },
            },
        ];
        let ron_text = ron::to_string(&log).unwrap();
        let back: Vec<TimedEvent> = ron::from_str(&ron_text).unwrap();
        assert_eq!(back, log);
        let json = serde_json::to_string(&log).unwrap();
        let back: Vec<TimedEvent> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, log);
        assert_ne!(log_hash(&log), log_hash(&log[..1]));
    }
}
