//! The ECS data of the simulation: household and team components, and the resources
//! (clock, network, shelters, hazards, random streams, the event log) the systems share.
//!
//! Determinism rests on three rules kept here: every random draw comes from a
//! `ChaCha8Rng` stream derived from `(seed, purpose, ids)` (so adding a household does
//! not reshuffle anyone else's draws); every collection that is iterated is a `Vec` or a
//! `BTreeMap`; entities never change archetype, so query order is spawn order.

use super::events::{HouseholdId, HouseholdInfo, Members, SimEvent, TimedEvent, WorkRef};
use super::network::{DirLink, Network, RouteTree};
use super::params::SimParams;
use crate::hazard::HazardField;
use crate::model::{
    Action, Actor, Channel, PlaceIdx, PlaceKind, Point, ResourceUse, Scenario, TaskIdx, TeamIdx,
    Work, ZoneIdx,
};
use bevy_ecs::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Purposes of random streams; part of each stream's seed.
pub mod stream {
    pub const HOUSEHOLD: u64 = 1;
    pub const PLACE: u64 = 2;
    pub const TEAMS: u64 = 3;
    pub const WARNINGS: u64 = 4;
}

/// A random stream for one purpose and owner, independent of every other stream.
pub fn rng_for(seed: u64, purpose: u64, a: u64, b: u64) -> ChaCha8Rng {
    let mut x = splitmix(seed ^ splitmix(purpose));
    x = splitmix(x ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    x = splitmix(x ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
    ChaCha8Rng::seed_from_u64(x)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Where a household is in its evacuation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum HhState {
    /// At home, not (yet) persuaded.
    Home,
    /// Decided to leave at `leave_at_s`.
    Decided,
    /// Wants to leave but waits for help (disabled members).
    WaitingHelp,
    /// At a place, waiting to enter the next link.
    AtNode,
    /// On a link.
    Walking,
    /// Taken in at a shelter.
    Sheltered,
    /// Cannot reach any shelter; waits where it is.
    Stranded,
    /// Caught at home by the hazard; needs rescue.
    Trapped,
    /// 就地避险 — told to stay indoors; does not set off unless ordered to evacuate.
    ShelteringInPlace,
    /// At the gate of a shelter that has not been opened yet.
    AtShelterDoor,
    /// Rescued and on a boat (or carried) towards safety.
    Aboard,
}

/// 户 — one household entity.
#[derive(Component, Debug, Clone)]
pub struct Household {
    pub id: HouseholdId,
    pub home: PlaceIdx,
    pub members: Members,
    /// Walking speed of the household: its slowest member's (m/s).
    pub speed_m_s: f64,
    /// Speed once disabled members are helped.
    pub assisted_m_s: f64,
    /// Whether someone in it receives SMS/app pushes.
    pub phone: bool,
    /// Drawn once; the household leaves at the first contact whose compliance beats it.
    pub stubbornness: f64,
    pub rng: ChaCha8Rng,
    pub state: HhState,
    pub contacts: u32,
    pub leave_at_s: f64,
    /// Current or last place.
    pub at: PlaceIdx,
    /// Since when it has been available at `at` (for FIFO order at nodes).
    pub at_since_s: f64,
    pub target: PlaceIdx,
    pub lane: Option<DirLink>,
    /// Distance to the target the household expects from the place it is heading to.
    pub expect_m: f64,
    pub exposed: bool,
    pub helped: bool,
    /// 强制转移 — led out by a knocker: in a toxic release it may cross the plume
    /// (its dose counted) where households on their own keep out.
    pub escorted: bool,
    /// 单位 — the whole of an institution (a school, a nursing home, a factory, a
    /// construction site), one group under its responsible person and staff: any
    /// order that reaches it is followed, and everyone leaves together once mustered
    /// (`SimParams::institution_muster_s`).
    pub institution: bool,
}

impl Household {
    pub fn needs_help(&self) -> bool {
        self.members.disabled > 0 && !self.helped
    }
    pub fn people(&self) -> u32 {
        self.members.total()
    }
}

/// What a team is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    /// Called out; can leave base at `until`.
    Mobilising {
        until: f64,
    },
    /// On the way from `from` to `to`, arriving at `arrive_s`.
    Travelling {
        from: Point,
        to: PlaceIdx,
        depart_s: f64,
        arrive_s: f64,
    },
    /// Busy at a place until `until`.
    Working {
        until: f64,
    },
}

/// A piece of work a team or role carries out.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub work_ref: WorkRef,
    pub actor: Actor,
    pub work: Work,
    pub how: Vec<Channel>,
    pub with: Vec<ResourceUse>,
    /// Places still to visit, in order.
    pub places: Vec<PlaceIdx>,
    /// Units done / asked for, for the outcome.
    pub reached: u32,
    pub of: u32,
    /// The shelter rescued people are taken to.
    pub drop_at: Option<PlaceIdx>,
    /// The plan task this work counts as (its own task, or the one an action matched).
    pub task: Option<TaskIdx>,
    /// What was drawn from which stock for `with`, returned when the work ends.
    pub drawn: Vec<Draw>,
}

/// Units of one resource drawn for a job: from the acting team's own equipment and
/// from the common stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draw {
    pub resource: crate::model::ResourceIdx,
    pub own: u32,
    pub common: u32,
}

/// 队伍 — one team entity.
#[derive(Component, Debug, Clone)]
pub struct TeamUnit {
    pub idx: TeamIdx,
    pub at: PlaceIdx,
    pub pos: Point,
    pub phase: Phase,
    pub job: Option<Job>,
    /// Seconds spent busy (for utilisation).
    pub busy_s: f64,
    pub has_vehicle: bool,
    /// Persons per boat trip (0: no boats).
    pub boat_capacity: u32,
    /// 出动 — already called out: a team in the field takes its next job without
    /// assembling again (its `arrives` time counts once).
    pub mobilised: bool,
    /// 延误 — held up by an inject until then: work given while it is idle does not
    /// start moving before this time.
    pub held_until_s: f64,
}

#[derive(Resource)]
pub struct Clock {
    pub now_s: f64,
    pub step_s: f64,
    pub steps: u64,
    pub start_s_of_day: f64,
    pub duration_s: f64,
}

impl Clock {
    /// Night: 22:00–06:00 local time.
    pub fn is_night(&self) -> bool {
        let h = ((self.start_s_of_day + self.now_s) % 86_400.0) / 3600.0;
        !(6.0..22.0).contains(&h)
    }
}

#[derive(Resource)]
pub struct Ctx {
    pub scenario: Arc<Scenario>,
    pub params: SimParams,
    pub seed: u64,
    /// Zones each place lies in.
    pub place_zones: Vec<Vec<ZoneIdx>>,
    /// Households by home place.
    pub by_place: Vec<Vec<u32>>,
    /// Shelters (places with a `ShelterSpec`), ascending.
    pub shelters: Vec<PlaceIdx>,
    /// Whether plan tasks are performed as written.
    pub follow_plan: bool,
    /// Who may draw on which resource.
    pub holdings: Holdings,
}

impl Ctx {
    pub fn places_in(&self, target: crate::model::Target) -> Vec<PlaceIdx> {
        use crate::model::Target;
        let n = self.scenario.map.places.len();
        (0..n as u32)
            .map(PlaceIdx)
            .filter(|p| match target {
                Target::All => true,
                Target::Place(q) => *p == q,
                Target::Zone(z) => self.place_zones[p.index()].contains(&z),
            })
            .collect()
    }
}

#[derive(Resource, Default)]
pub struct Log {
    pub events: Vec<TimedEvent>,
}

impl Log {
    pub fn push(&mut self, t_s: f64, event: SimEvent) {
        self.events.push(TimedEvent { t_s, event });
    }
}

#[derive(Resource)]
pub struct Net {
    pub net: Network,
    /// Foot route trees to each shelter, rebuilt when the network version changes.
    pub trees: Vec<RouteTree>,
    /// The same trees through links closed by a toxic cloud, for escorted households
    /// (empty unless the scenario has a chemical hazard).
    pub trees_inside: Vec<RouteTree>,
    pub trees_version: u32,
    /// Whether each link is dangerous by the last sample.
    pub link_danger: Vec<bool>,
    pub next_link_sample_s: f64,
}

impl Net {
    /// Rebuilds the foot route trees after the network changed; `escorts_cross`:
    /// also those through hazard-closed links for escorted households.
    pub fn refresh(&mut self, shelters: &[PlaceIdx], escorts_cross: bool) {
        if self.trees.len() != shelters.len() || self.trees_version != self.net.version {
            self.trees = shelters
                .iter()
                .map(|&s| self.net.tree_to(s, false))
                .collect();
            self.trees_inside = if escorts_cross {
                shelters
                    .iter()
                    .map(|&s| self.net.tree_through(s, false, true))
                    .collect()
            } else {
                Vec::new()
            };
            self.trees_version = self.net.version;
        }
    }

    /// The foot route tree to the `k`th shelter a household follows.
    pub fn tree(&self, k: usize, escorted: bool) -> &RouteTree {
        match self.trees_inside.get(k) {
            Some(t) if escorted => t,
            _ => &self.trees[k],
        }
    }
}

#[derive(Resource)]
pub struct Shelters {
    pub occupancy: Vec<u32>,
    pub capacity: Vec<u32>,
    pub closed: Vec<bool>,
    pub full_logged: Vec<bool>,
    /// Open and taking people in. A shelter that some plan task opens (`open X`)
    /// starts closed to arrivals; the others stand open from the start.
    pub opened: Vec<bool>,
}

#[derive(Resource)]
pub struct Danger {
    pub zone: Vec<bool>,
    /// Zones made dangerous by injects (hazard fields cannot know them).
    pub zone_by_inject: Vec<bool>,
    pub place: Vec<bool>,
    /// Since when each place has been dangerous without a break (None: safe now).
    pub place_since_s: Vec<Option<f64>>,
    /// People trapped per place, not belonging to a simulated household (injects).
    pub trapped_people: Vec<u32>,
    pub rescued_total: u32,
    /// Inject-trapped people rescued (they have no household to count them).
    pub rescued_anonymous: u32,
    pub exposed_total: u32,
    /// Inject-trapped people on a boat, not yet landed.
    pub aboard_anonymous: u32,
}

#[derive(Resource)]
pub struct Hazards(pub Vec<Box<dyn HazardField>>);

/// 停电 / 停用 / 通信中断 — what injects have taken out of service, and so what a
/// warning cannot sound from.
#[derive(Debug, Clone, Default)]
pub struct Outages {
    /// Mains power off, per place.
    pub power_off: Vec<bool>,
    /// Equipment out of service, per resource.
    pub resource_off: Vec<bool>,
    /// Whole channels out of service.
    pub channel_off: Vec<Channel>,
    /// 通信中断 — the mobile network is down.
    pub phones_down: bool,
}

impl Outages {
    /// Mains power at a place goes off or comes back.
    pub fn set_power(&mut self, place: crate::model::PlaceIdx, off: bool) {
        if self.power_off.len() <= place.index() {
            self.power_off.resize(place.index() + 1, false);
        }
        self.power_off[place.index()] = off;
    }

    /// Equipment or a channel goes out of service or comes back.
    pub fn set_service(&mut self, what: crate::model::Service, off: bool) {
        match what {
            crate::model::Service::Resource(r) => {
                if self.resource_off.len() <= r.index() {
                    self.resource_off.resize(r.index() + 1, false);
                }
                self.resource_off[r.index()] = off;
            }
            crate::model::Service::Channel(c) => {
                self.channel_off.retain(|x| *x != c);
                if off {
                    self.channel_off.push(c);
                }
            }
        }
    }

    /// Why `channel` cannot be used at all now (`None`: it can).
    pub fn channel_silence(&self, channel: Channel) -> Option<crate::sim::events::Silence> {
        use crate::sim::events::Silence;
        if self.channel_off.contains(&channel) {
            Some(Silence::ChannelOutOfService)
        } else if self.phones_down && channel.needs_network() {
            Some(Silence::PhonesDown)
        } else {
            None
        }
    }

    /// Why a piece of equipment cannot sound now (`None`: it can): out of service, or
    /// without power where it stands and without backup power of its own.
    pub fn resource_silence(
        &self,
        s: &crate::model::Scenario,
        r: crate::model::ResourceIdx,
    ) -> Option<crate::sim::events::Silence> {
        use crate::sim::events::Silence;
        let res = s.resources.get(r.index())?;
        if self.resource_off.get(r.index()).copied().unwrap_or(false) {
            Some(Silence::OutOfService)
        } else if res.kind.needs_power()
            && !res.backup_power
            && self.power_off.get(res.at.index()).copied().unwrap_or(false)
        {
            Some(Silence::PowerCut)
        } else {
            None
        }
    }
}

/// A warning contact due to reach a household.
#[derive(Debug, Clone, Copy)]
pub struct Contact {
    pub household: u32,
    pub channel: Channel,
    /// The equipment it sounds from (大喇叭, 警报器...), checked again when it is due:
    /// a power cut in between silences the repeats.
    pub source: Option<crate::model::ResourceIdx>,
    /// The work that made it, for the event that says it was cut off.
    pub work: Option<crate::sim::events::WorkRef>,
    /// Chance it gets through.
    pub reach: f64,
    /// What the message tells people to do.
    pub order: Order,
}

/// The instruction a contact carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// 转移 — a warning or evacuation order: leave for a shelter.
    Leave,
    /// 就地避险 — stay indoors, shut doors and windows (chemical releases).
    StayIndoors,
    /// 组织转移 / 强制转移 — an evacuation carried out door to door ("应转尽转"): the
    /// knocker does not leave a warning but leads the household out, carrying those
    /// who cannot walk, so nobody reached this way stays behind.
    Evacuate,
}

/// Contacts scheduled in the future, ordered by (time, scheduling order).
#[derive(Resource, Default)]
pub struct Contacts {
    pub due: BTreeMap<(u64, u64), Contact>,
    pub seq: u64,
    /// What injects have taken out of service: what a warning cannot sound from.
    pub outages: Outages,
    /// Work, channel and equipment whose contacts were cut off on their way, each
    /// logged once (`ChannelSilent`).
    pub silenced: Vec<(
        Option<crate::sim::events::WorkRef>,
        Channel,
        Option<crate::model::ResourceIdx>,
    )>,
}

impl Contacts {
    pub fn schedule(&mut self, t_s: f64, c: Contact) {
        self.seq += 1;
        self.due.insert((t_s.max(0.0).to_bits(), self.seq), c);
    }
}

#[derive(Resource)]
pub struct Rngs {
    pub teams: ChaCha8Rng,
    pub warnings: ChaCha8Rng,
}

#[derive(Resource, Default)]
pub struct Index {
    pub households: Vec<Entity>,
    pub teams: Vec<Entity>,
}

/// Work that is waiting: plan tasks triggered but not yet taken up, submitted actions
/// not yet due, role jobs in progress.
#[derive(Resource, Default)]
pub struct Pending {
    /// Submitted actions by id, applied when `at_s` is reached.
    pub actions: Vec<(Action, bool)>,
    /// Plan tasks: triggered at, started, finished.
    pub triggered: Vec<Option<f64>>,
    pub started: Vec<bool>,
    pub finished: Vec<bool>,
    /// Triggered plan work waiting for a free team.
    pub queued: Vec<(TaskIdx, Actor)>,
    /// Role work in progress: finishes at the time given.
    pub role_jobs: Vec<(f64, Job)>,
    /// Warning levels raised so far (most severe first order is `RiskLevel`'s).
    pub levels: Vec<crate::model::RiskLevel>,
    /// Inject numbers fired (contingency injects whose task was done are only marked
    /// in `inject_done`).
    pub injects_fired: Vec<u32>,
    /// Per inject (by index): already fired or dismissed.
    pub inject_done: Vec<bool>,
    /// Common-stock units committed to running work, by resource index.
    pub committed: Vec<u32>,
    /// A team's own equipment committed to its running work, `[team][resource]`.
    pub committed_own: Vec<Vec<u32>>,
    /// Plan tasks skipped (nobody can do them): `before` holds no longer wait on them.
    pub skipped: Vec<bool>,
    /// Trainer requests (`fire_inject` / `skip_inject`), applied in the next step.
    pub inject_requests: Vec<(usize, InjectRequest)>,
    /// Trainer commands from a log (`schedule_inject`), each with whether it has been
    /// taken up: applied in the step that reaches its `at_s`, like an action.
    pub inject_schedule: Vec<(crate::model::InjectCommand, bool)>,
    /// Per role: holders busy until a time, with which work.
    pub role_busy: Vec<Vec<RoleHold>>,
    /// Per inject (by index): pending, fired or skipped.
    pub inject_status: Vec<super::snapshot::InjectStatus>,
    /// 任务排队 — per team (by index): accepted work waiting for the team to finish
    /// its current job, first come first served (see `start_queued_team_work` in
    /// `systems/dispatch.rs`).
    pub team_queue: Vec<std::collections::VecDeque<Job>>,
}

/// A trainer's request about one inject (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectRequest {
    Fire,
    Skip,
}

impl From<crate::model::InjectCommandKind> for InjectRequest {
    fn from(kind: crate::model::InjectCommandKind) -> Self {
        match kind {
            crate::model::InjectCommandKind::Fire => InjectRequest::Fire,
            crate::model::InjectCommandKind::Skip => InjectRequest::Skip,
        }
    }
}

/// Holders of a post taken up by a piece of work until `until`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleHold {
    pub until: f64,
    pub holders: u32,
    pub work: WorkRef,
}

/// 资源归属 — who may draw on each resource. A team's `equipment` is its own; what is
/// left of a stock beyond every team's equipment is common to all roles and teams.
#[derive(Debug, Clone, Default)]
pub struct Holdings {
    /// `[team][resource]`: units of the resource that are the team's equipment.
    pub own: Vec<Vec<u32>>,
    /// `[resource]`: units in the common stock.
    pub common: Vec<u32>,
}

impl Holdings {
    pub fn new(s: &Scenario) -> Holdings {
        let n = s.resources.len();
        let mut own = vec![vec![0u32; n]; s.teams.len()];
        let mut assigned = vec![0u32; n];
        for (t, team) in s.teams.iter().enumerate() {
            for u in &team.equipment {
                if let Some(r) = s.resources.get(u.resource.index()) {
                    // Never more than the stock: the checker warns, the sim caps.
                    let q = u
                        .quantity
                        .min(r.quantity.saturating_sub(assigned[u.resource.index()]));
                    own[t][u.resource.index()] += q;
                    assigned[u.resource.index()] += q;
                }
            }
        }
        let common = s
            .resources
            .iter()
            .zip(&assigned)
            .map(|(r, a)| r.quantity.saturating_sub(*a))
            .collect();
        Holdings { own, common }
    }
}

/// Rescued people on their way to safety, landed at `t_s` (see `SimEvent::Rescued`).
#[derive(Debug, Clone)]
pub struct Landing {
    pub place: PlaceIdx,
    pub team: TeamIdx,
    pub to: PlaceIdx,
    pub households: Vec<u32>,
    pub anonymous: u32,
    pub people: u32,
    /// Landed at a shelter (seats were held at loading), not at the team's base.
    pub shelter: bool,
}

/// Boat and carry loads under way, ordered by (landing time, loading order).
#[derive(Resource, Default)]
pub struct Landings {
    pub due: BTreeMap<(u64, u64), Landing>,
    pub seq: u64,
}

impl Landings {
    pub fn schedule(&mut self, t_s: f64, l: Landing) {
        self.seq += 1;
        self.due.insert((t_s.max(0.0).to_bits(), self.seq), l);
    }
}

/// The households spawned, and the indexes built while spawning them.
pub struct Population {
    pub entities: Vec<Entity>,
    pub by_place: Vec<Vec<u32>>,
    pub infos: Vec<HouseholdInfo>,
    pub place_zones: Vec<Vec<ZoneIdx>>,
}

/// Spawns households place by place, each with its own random stream.
pub fn spawn_population(
    world: &mut World,
    scenario: &Scenario,
    params: &SimParams,
    seed: u64,
) -> Population {
    let mut entities = Vec::new();
    let mut by_place = vec![Vec::new(); scenario.map.places.len()];
    let mut infos = Vec::new();
    let place_zones: Vec<Vec<ZoneIdx>> = scenario
        .map
        .places
        .iter()
        .map(|p| {
            (0..scenario.map.zones.len() as u32)
                .map(ZoneIdx)
                .filter(|z| scenario.zone(*z).contains(p.pos))
                .collect()
        })
        .collect();
    for (pi, place) in scenario.map.places.iter().enumerate() {
        if place.people == 0 || place.kind == PlaceKind::Shelter {
            continue;
        }
        let home = PlaceIdx(pi as u32);
        let mut place_rng = rng_for(seed, stream::PLACE, pi as u64, 0);
        let institution = place.institution.as_ref();
        let split = match institution {
            Some(inst) => vec![institution_members(place, inst, &mut place_rng)],
            None => split_members(place, &mut place_rng),
        };
        for members in split {
            let id = HouseholdId(entities.len() as u32);
            let n = by_place[pi].len() as u64;
            let mut rng = rng_for(seed, stream::HOUSEHOLD, pi as u64, n);
            let mut speed = params.walk_adult_m_s;
            if members.children > 0 {
                speed = speed.min(params.walk_adult_m_s * params.walk_child_factor);
            }
            for _ in 0..members.elderly {
                let (a, b) = params.walk_elderly_m_s;
                speed = speed.min(a + (b - a) * rng.random::<f64>());
            }
            let (a, b) = params.walk_limited_m_s;
            let limited = a + (b - a) * rng.random::<f64>();
            // Helped members move at the pace of whoever carries or wheels them.
            let assisted = speed.min(limited).min(params.assisted_m_s);
            let young =
                members.adults + members.outdoor_workers + members.dilapidated + members.disabled
                    > 0;
            let p_phone = if young {
                params.phone_owner_young
            } else {
                params.phone_owner_elderly_only
            };
            // An institution has a duty phone and follows the order it is given.
            let phone = rng.random::<f64>() < p_phone || institution.is_some();
            let stubbornness = rng.random::<f64>();
            let e = world
                .spawn(Household {
                    id,
                    home,
                    members,
                    speed_m_s: speed,
                    assisted_m_s: assisted,
                    phone,
                    stubbornness,
                    rng,
                    state: HhState::Home,
                    contacts: 0,
                    leave_at_s: f64::INFINITY,
                    at: home,
                    at_since_s: 0.0,
                    target: home,
                    lane: None,
                    expect_m: 0.0,
                    exposed: false,
                    // The staff wheel or carry those who cannot walk, one each; with
                    // more of them than staff, the group waits for a team's help. A
                    // group with nobody to carry walks at its own pace.
                    helped: members.disabled > 0
                        && institution.is_some_and(|i| members.disabled <= i.staff),
                    escorted: false,
                    institution: institution.is_some(),
                })
                .id();
            infos.push(HouseholdInfo {
                id,
                home,
                members,
                zones: place_zones[pi].clone(),
            });
            by_place[pi].push(id.0);
            entities.push(e);
        }
    }
    Population {
        entities,
        by_place,
        infos,
        place_zones,
    }
}

/// Splits a place's people into households. Group counts may overlap in the scenario
/// (an elderly person in a dilapidated house); here each person gets the most
/// demanding group, the people are shuffled with the place's own stream and dealt out
/// in household sizes as equal as possible.
pub fn split_members(place: &crate::model::Place, rng: &mut ChaCha8Rng) -> Vec<Members> {
    let people = place.people;
    let households = if place.households == 0 {
        people.div_ceil(3)
    } else {
        place.households.min(people)
    };
    if households == 0 {
        return Vec::new();
    }
    let g = place.groups;
    let mut left = people;
    let mut take = |n: u32| {
        let t = n.min(left);
        left -= t;
        t
    };
    let counts = [
        take(g.disabled),
        take(g.elderly),
        take(g.children),
        take(g.outdoor_workers),
        take(g.dilapidated),
    ];
    let mut persons: Vec<u8> = Vec::with_capacity(people as usize);
    for (kind, &c) in counts.iter().enumerate() {
        persons.extend(std::iter::repeat_n(kind as u8, c as usize));
    }
    persons.extend(std::iter::repeat_n(5u8, left as usize));
    // Fisher–Yates with the place's stream.
    for i in (1..persons.len()).rev() {
        let j = rng.random_range(0..=i);
        persons.swap(i, j);
    }
    let base = people / households;
    let extra = people % households;
    let mut out = Vec::with_capacity(households as usize);
    let mut it = persons.into_iter();
    for h in 0..households {
        let size = base + u32::from(h < extra);
        let mut m = Members::default();
        for kind in it.by_ref().take(size as usize) {
            match kind {
                0 => m.disabled += 1,
                1 => m.elderly += 1,
                2 => m.children += 1,
                3 => m.outdoor_workers += 1,
                4 => m.dilapidated += 1,
                _ => m.adults += 1,
            }
        }
        out.push(m);
    }
    out
}

/// An institution's people as one group: its groups as for any place (each person in
/// the most demanding one), the rest adults (the staff among them); on a construction
/// site (工地) or a work site (作业点) everyone not in a group works outdoors
/// (户外作业), as the 四个100% count them.
fn institution_members(
    place: &crate::model::Place,
    inst: &crate::model::Institution,
    rng: &mut ChaCha8Rng,
) -> Members {
    let one = crate::model::Place {
        households: 1,
        ..place.clone()
    };
    let mut m = split_members(&one, rng).pop().unwrap_or_default();
    if inst.kind.works_outdoors() {
        let workers = m.adults.saturating_sub(inst.staff);
        m.adults -= workers;
        m.outdoor_workers += workers;
    }
    m
}

/// Households waiting at places and the link directions with walkers on them.
#[derive(Resource, Default)]
pub struct Movers {
    pub at_node: Vec<u32>,
    /// Households waiting at the gate of an unopened shelter, in arrival order.
    pub at_door: Vec<u32>,
    pub active_lanes: std::collections::BTreeSet<usize>,
}
