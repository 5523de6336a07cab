//! The systems of one fixed step, run in this order (`.chain()`ed, single-threaded):
//! clock → injects → dispatch (plan triggers, actions, queued work) → hazards →
//! warnings delivered → departures → movement → teams → role work → exposure → end.
//!
//! Each system stamps its events with the step's end time, `Clock::now_s`.

use super::events::*;
use super::network::{DirLink, Walker};
use super::snapshot::InjectStatus;
use super::world::*;
use crate::model::*;
use bevy_ecs::prelude::*;
use rand::RngExt;

type Households<'w, 's> = Query<'w, 's, &'static mut Household>;
type Teams<'w, 's> = Query<'w, 's, &'static mut TeamUnit>;

pub fn tick_clock(mut clock: ResMut<Clock>) {
    clock.steps += 1;
    clock.now_s = clock.steps as f64 * clock.step_s;
}

/// 情景注入 — fire injects whose time has come (or that the trainer fired), skip
/// those the trainer dropped or whose contingency task was started, apply effects.
pub fn fire_injects(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut pending: ResMut<Pending>,
    mut log: ResMut<Log>,
    mut net: ResMut<Net>,
    mut danger: ResMut<Danger>,
    mut shelters: ResMut<Shelters>,
) {
    let now = clock.now_s;
    let mut w = InjectWorld {
        now,
        log: &mut log,
        net: &mut net,
        danger: &mut danger,
        shelters: &mut shelters,
    };
    // The trainer's logged commands that are due become requests, in log order, ahead
    // of any made by hand since the last step (a live drill logs its commands, so a
    // replay of the log takes them up in the same step as the live run did).
    let mut due = Vec::new();
    for (command, taken) in &mut pending.inject_schedule {
        if !*taken && command.at_s <= now + 1e-9 {
            *taken = true;
            due.push(*command);
        }
    }
    let mut requests = Vec::with_capacity(due.len() + pending.inject_requests.len());
    for command in due {
        let Some(i) = ctx
            .scenario
            .injects
            .iter()
            .position(|inject| inject.number == command.number)
        else {
            continue;
        };
        // A command the run has overtaken (the inject fired on its own, or its task
        // was done in time, in this run) has nothing left to do.
        if matches!(
            pending.inject_status[i],
            InjectStatus::Pending { requested: false }
        ) {
            pending.inject_status[i] = InjectStatus::Pending { requested: true };
            requests.push((i, InjectRequest::from(command.kind)));
        }
    }
    requests.append(&mut pending.inject_requests);
    // The trainer's requests first, in the order they were made.
    for (i, request) in requests {
        if pending.inject_done[i] {
            continue;
        }
        let inject = &ctx.scenario.injects[i];
        match request {
            InjectRequest::Fire => {
                w.log.push(
                    now,
                    SimEvent::InjectTriggeredByTrainer {
                        number: inject.number,
                    },
                );
                let contingency = matches!(inject.trigger, InjectTrigger::IfNot { .. });
                fire_inject(&mut w, &mut pending, i, inject, contingency, true);
            }
            InjectRequest::Skip => {
                skip_inject(&mut w, &mut pending, i, inject.number, InjectSkip::Trainer)
            }
        }
    }
    for (i, inject) in ctx.scenario.injects.iter().enumerate() {
        if pending.inject_done[i] {
            continue;
        }
        let contingency = match inject.trigger {
            InjectTrigger::At(t) if t <= now => false,
            InjectTrigger::IfNot { task, by_s } if by_s <= now => {
                if pending.started.get(task.index()).copied().unwrap_or(false) {
                    skip_inject(
                        &mut w,
                        &mut pending,
                        i,
                        inject.number,
                        InjectSkip::TaskDone(task),
                    );
                    continue;
                }
                true
            }
            _ => continue,
        };
        fire_inject(&mut w, &mut pending, i, inject, contingency, false);
    }
}

/// What an inject's effects change.
struct InjectWorld<'a> {
    now: f64,
    log: &'a mut Log,
    net: &'a mut Net,
    danger: &'a mut Danger,
    shelters: &'a mut Shelters,
}

fn skip_inject(w: &mut InjectWorld, pending: &mut Pending, i: usize, number: u32, why: InjectSkip) {
    pending.inject_done[i] = true;
    pending.inject_status[i] = super::snapshot::InjectStatus::Skipped { t_s: w.now, why };
    w.log.push(w.now, SimEvent::InjectSkipped { number, why });
}

fn fire_inject(
    w: &mut InjectWorld,
    pending: &mut Pending,
    i: usize,
    inject: &Inject,
    contingency: bool,
    by_trainer: bool,
) {
    let now = w.now;
    pending.inject_done[i] = true;
    pending.inject_status[i] = super::snapshot::InjectStatus::Fired {
        t_s: now,
        contingency,
        by_trainer,
    };
    pending.injects_fired.push(inject.number);
    w.log.push(
        now,
        SimEvent::InjectFired {
            number: inject.number,
            contingency,
        },
    );
    for effect in &inject.effects {
        match *effect {
            Effect::Warning(level) => {
                pending.levels.push(level);
                w.log.push(
                    now,
                    SimEvent::WarningLevelRaised {
                        level,
                        inject: inject.number,
                    },
                );
            }
            Effect::CloseLink(link) => {
                if link.index() < w.net.net.open.len() && w.net.net.close(link) {
                    w.log.push(
                        now,
                        SimEvent::LinkClosed {
                            link,
                            cause: LinkCloseCause::Inject(inject.number),
                        },
                    );
                }
            }
            Effect::Danger(zone) => {
                if zone.index() < w.danger.zone.len() {
                    w.danger.zone_by_inject[zone.index()] = true;
                    if !w.danger.zone[zone.index()] {
                        w.danger.zone[zone.index()] = true;
                        w.log.push(
                            now,
                            SimEvent::ZoneDangerous {
                                zone,
                                cause: DangerCause::Inject(inject.number),
                            },
                        );
                    }
                }
            }
            Effect::Trapped { place, people } => {
                if place.index() < w.danger.trapped_people.len() {
                    w.danger.trapped_people[place.index()] += people;
                    w.log.push(
                        now,
                        SimEvent::Trapped {
                            place,
                            people,
                            household: None,
                        },
                    );
                }
            }
            Effect::ShelterClosed(place) => {
                if place.index() < w.shelters.closed.len() && !w.shelters.closed[place.index()] {
                    w.shelters.closed[place.index()] = true;
                    w.log.push(now, SimEvent::ShelterClosed { shelter: place });
                }
            }
        }
    }
}

/// Everything `dispatch` needs to start work, bundled so helpers can take it whole.
pub struct Dispatch<'a, 'w, 's> {
    pub now: f64,
    pub ctx: &'a Ctx,
    pub clock: &'a Clock,
    pub log: &'a mut Log,
    pub pending: &'a mut Pending,
    pub contacts: &'a mut Contacts,
    pub rngs: &'a mut Rngs,
    pub net: &'a mut Net,
    pub shelters: &'a mut Shelters,
    pub teams: &'a mut Teams<'w, 's>,
    pub index: &'a Index,
}

/// Plan triggers (plan-as-written mode), due actions, and queued work waiting for a team.
#[allow(clippy::too_many_arguments)]
pub fn dispatch(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut log: ResMut<Log>,
    mut pending: ResMut<Pending>,
    mut contacts: ResMut<Contacts>,
    mut rngs: ResMut<Rngs>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    danger: Res<Danger>,
    index: Res<Index>,
    mut teams: Teams,
) {
    let now = clock.now_s;
    let scenario = ctx.scenario.clone();
    if ctx.follow_plan {
        for (ti, task) in scenario.plan.tasks.iter().enumerate() {
            if pending.triggered[ti].is_some() {
                continue;
            }
            let fire = match task.trigger {
                Trigger::Warning(level) => pending.levels.iter().any(|l| *l <= level),
                Trigger::Inject(n) => pending.injects_fired.contains(&n),
                Trigger::Danger(z) => danger.zone.get(z.index()).copied().unwrap_or(false),
                Trigger::At(t) => t <= now,
                Trigger::After(t) => pending.finished.get(t.index()).copied().unwrap_or(false),
                // A `before` task is due when the task it precedes is, or when an inject
                // that expects it fires ("降雨已停止" prompts the assessment before
                // return): the return itself usually waits `after` the assessment.
                Trigger::Before(t) => {
                    pending
                        .triggered
                        .get(t.index())
                        .is_some_and(|x| x.is_some())
                        || prompted(&scenario, &pending, ti)
                }
                Trigger::BeforeReturn => {
                    scenario.plan.tasks.iter().enumerate().any(|(i, t)| {
                        matches!(t.work, Work::Return(_)) && pending.triggered[i].is_some()
                    }) || prompted(&scenario, &pending, ti)
                }
            };
            if fire {
                pending.triggered[ti] = Some(now);
                if task.who.is_empty() {
                    pending.skipped[ti] = true;
                    log.push(
                        now,
                        SimEvent::TaskSkipped {
                            task: TaskIdx(ti as u32),
                            why: RejectReason::NotApplicable("no one is responsible (谁)".into()),
                        },
                    );
                }
                for &actor in &task.who {
                    pending.queued.push((TaskIdx(ti as u32), actor));
                }
            }
        }
    }
    let mut d = Dispatch {
        now,
        ctx: &ctx,
        clock: &clock,
        log: &mut log,
        pending: &mut pending,
        contacts: &mut contacts,
        rngs: &mut rngs,
        net: &mut net,
        shelters: &mut shelters,
        teams: &mut teams,
        index: &index,
    };
    // Queued plan work, in trigger order; a busy team or post keeps its work queued,
    // and so does a task that a `before` task must precede until that one is done.
    let queued = std::mem::take(&mut d.pending.queued);
    for (task_idx, actor) in queued {
        let task = &scenario.plan.tasks[task_idx.index()];
        if waits_for_before_tasks(&scenario, d.pending, task_idx) {
            d.pending.queued.push((task_idx, actor));
            continue;
        }
        let job = Job {
            work_ref: WorkRef::Task(task_idx),
            actor,
            work: task.work.clone(),
            how: task.how.clone(),
            with: if task.who.len() > 1 {
                share_of_with(&ctx, task, actor)
            } else {
                task.with.clone()
            },
            places: Vec::new(),
            reached: 0,
            of: 0,
            drop_at: None,
            task: Some(task_idx),
            drawn: Vec::new(),
        };
        match validate(&d, &job) {
            Ok(()) => start_job(&mut d, job),
            Err(RejectReason::TeamBusy { .. } | RejectReason::RoleBusy { .. }) => {
                d.pending.queued.push((task_idx, actor))
            }
            Err(RejectReason::ResourceNotHeld { .. }) if could_ever_draw(&ctx, &job) => {
                d.pending.queued.push((task_idx, actor))
            }
            Err(why) => {
                d.pending.skipped[task_idx.index()] = true;
                d.log.push(
                    now,
                    SimEvent::TaskSkipped {
                        task: task_idx,
                        why,
                    },
                )
            }
        }
    }
    start_queued_team_work(&mut d);
    // Submitted actions that are due, in submission order.
    for i in 0..d.pending.actions.len() {
        let (action, done) = &d.pending.actions[i];
        if *done || action.at_s > now {
            continue;
        }
        let action = action.clone();
        d.pending.actions[i].1 = true;
        let id = ActionId(i as u32);
        let mut job = Job {
            work_ref: WorkRef::Action(id),
            actor: action.actor,
            work: action.work.clone(),
            how: action.how.clone(),
            with: action.with.clone(),
            places: Vec::new(),
            reached: 0,
            of: 0,
            drop_at: None,
            task: None,
            drawn: Vec::new(),
        };
        // 排队 — a team still at work takes the order and does it next, as a county or
        // township team's leader does (see `start_queued_team_work`).
        let verdict = match validate(&d, &job) {
            Ok(()) => Ok(None),
            Err(RejectReason::TeamBusy { team, with }) if could_ever_draw(&ctx, &job) => {
                Ok(Some((team, with)))
            }
            Err(reason) => Err(reason),
        };
        match verdict {
            Ok(queue_behind) => {
                d.log.push(
                    now,
                    SimEvent::ActionAccepted {
                        action: id,
                        actor: action.actor,
                    },
                );
                // The plan task it counts as: same kind of work, same or enclosed target.
                job.task = super::matching::task_for(&scenario, &action, &d.pending.started);
                if let Some(task) = job.task {
                    d.pending.started[task.index()] = true;
                    d.log
                        .push(now, SimEvent::ActionMatched { action: id, task });
                }
                match queue_behind {
                    None => start_job(&mut d, job),
                    Some((team, with)) => {
                        d.log.push(
                            now,
                            SimEvent::TaskQueued {
                                work: job.work_ref,
                                team,
                                behind: with,
                            },
                        );
                        if d.pending.team_queue.len() <= team.index() {
                            d.pending
                                .team_queue
                                .resize_with(team.index() + 1, Default::default);
                        }
                        d.pending.team_queue[team.index()].push_back(job);
                    }
                }
            }
            Err(reason) => {
                // A busy team refuses only work it could never do: say what is missing.
                let reason = match reason {
                    RejectReason::TeamBusy { .. } => draw_resources(&ctx, d.pending, &job)
                        .err()
                        .unwrap_or(reason),
                    other => other,
                };
                d.log.push(
                    now,
                    SimEvent::ActionRejected {
                        action: id,
                        actor: action.actor,
                        reason,
                    },
                )
            }
        }
    }
}

/// 任务排队 — a team that has finished its work takes the next accepted order that
/// waited for it, from where it stands (no second mobilisation: it is already out).
///
/// Model assumption (documented in ARCHITECTURE.md): a county or township team
/// (救援队, 派出所警力, 民兵分队) works as one unit under its leader and takes orders in
/// turn; an order given while it is busy is noted and carried out next, not refused.
/// Splitting into crews (小组) is not modelled: the trainer who wants two things done at
/// once orders two teams (or declares the crews as teams). The order waits too while the
/// resources it names are in use (a team's own buses still out on the previous job).
fn start_queued_team_work(d: &mut Dispatch) {
    for t in 0..d.pending.team_queue.len() {
        let idle = team_of(d, TeamIdx(t as u32))
            .and_then(|e| d.teams.get(e).ok())
            .is_some_and(|unit| unit.job.is_none());
        let Some(head) = d.pending.team_queue[t].front() else {
            continue;
        };
        if !idle || draw_resources(d.ctx, d.pending, head).is_err() {
            continue;
        }
        if let Some(job) = d.pending.team_queue[t].pop_front() {
            start_job(d, job);
        }
    }
}

/// Whether a fired inject `expect`s task `ti`.
fn prompted(s: &Scenario, pending: &Pending, ti: usize) -> bool {
    s.injects.iter().any(|i| {
        i.expects.contains(&TaskIdx(ti as u32)) && pending.injects_fired.contains(&i.number)
    })
}

/// `before T` (and `before return`) tasks must be done before T (a return) starts:
/// T waits while one of them is neither finished nor skipped.
fn waits_for_before_tasks(s: &Scenario, pending: &Pending, t: TaskIdx) -> bool {
    let returns = matches!(s.task(t).work, Work::Return(_));
    s.plan.tasks.iter().enumerate().any(|(i, b)| {
        let precedes = match b.trigger {
            Trigger::Before(x) => x == t,
            Trigger::BeforeReturn => returns,
            _ => false,
        };
        precedes && !pending.finished[i] && !pending.skipped[i]
    })
}

fn team_of(d: &Dispatch, t: TeamIdx) -> Option<Entity> {
    d.index.teams.get(t.index()).copied()
}

/// Checks work against the current state; the reason names what is wrong.
pub fn validate(d: &Dispatch, job: &Job) -> Result<(), RejectReason> {
    let s = &d.ctx.scenario;
    match job.actor {
        Actor::Role(r) if r.index() >= s.roles.len() => return Err(RejectReason::UnknownRole(r.0)),
        Actor::Team(t) if t.index() >= s.teams.len() => return Err(RejectReason::UnknownTeam(t.0)),
        _ => {}
    }
    let places = s.map.places.len();
    let bad_target = |t: Target| match t {
        Target::Place(p) => p.index() >= places,
        Target::Zone(z) => z.index() >= s.map.zones.len(),
        Target::All => false,
    };
    let unknown = |what: &str| Err(RejectReason::UnknownTarget(what.into()));
    match &job.work {
        Work::Warn(t)
        | Work::KnockDoors(t)
        | Work::Assess(t)
        | Work::Rescue(t)
        | Work::ShelterInPlace(t)
        | Work::Return(t)
            if bad_target(*t) =>
        {
            return unknown("target");
        }
        Work::Evacuate { from, to, .. }
            if bad_target(*from) || to.is_some_and(|p| p.index() >= places) =>
        {
            return unknown("evacuation place");
        }
        Work::OpenShelter(p) | Work::Roadblock(p) if p.index() >= places => {
            return unknown("place");
        }
        Work::CloseLink(l) if l.index() >= s.map.links.len() => return unknown("link"),
        Work::CloseLink(l) if !d.net.net.open[l.index()] => {
            return Err(RejectReason::NotApplicable(format!(
                "link {} is already closed",
                l.0
            )));
        }
        Work::OpenShelter(p) if s.place(*p).shelter.is_none() => {
            return Err(RejectReason::NotApplicable(format!(
                "{} is not a shelter",
                s.place(*p).name
            )));
        }
        Work::OpenShelter(p) if d.shelters.opened[p.index()] => {
            return Err(RejectReason::NotApplicable(format!(
                "{} is already open",
                s.place(*p).name
            )));
        }
        _ => {}
    }
    if job.how.contains(&Channel::Loudspeaker)
        && !s
            .resources
            .iter()
            .any(|r| r.kind == ResourceKind::Loudspeaker)
    {
        return Err(RejectReason::ChannelUnavailable(Channel::Loudspeaker));
    }
    match job.actor {
        Actor::Team(t) => {
            let team = &s.teams[t.index()];
            let needed: &[Skill] = match job.work {
                Work::Rescue(target) => rescue_skills(s, target),
                Work::FireLine(_) => &[Skill::Firefighting],
                _ => &[],
            };
            // A team with no listed skills is a general-purpose team.
            if let Some(&skill) = needed.first()
                && !team.skills.is_empty()
                && !needed.iter().any(|k| team.skills.contains(k))
            {
                return Err(RejectReason::MissingSkill { team: t, skill });
            }
            // Busy: running work, or work already waiting in the team's queue (a
            // newcomer waits behind it rather than jumping ahead).
            let running = team_of(d, t)
                .and_then(|e| d.teams.get(e).ok())
                .and_then(|unit| unit.job.as_ref().map(|j| j.work_ref));
            let waiting = d
                .pending
                .team_queue
                .get(t.index())
                .and_then(|q| q.back().map(|j| j.work_ref));
            if let Some(with) = running.or(waiting) {
                return Err(RejectReason::TeamBusy { team: t, with });
            }
        }
        Actor::Role(r) => {
            if matches!(job.work, Work::Rescue(_) | Work::FireLine(_)) {
                return Err(RejectReason::NotApplicable(format!(
                    "{} is a post, not a team: rescue and fire lines need a team",
                    s.roles[r.index()].name
                )));
            }
            // Reporting (at the post, or up the line by phone) can be done by someone
            // who is out knocking on doors; anything else needs a free holder.
            if !matches!(job.work, Work::ReportAtPost | Work::Report)
                && free_holders(s, d.pending, r, d.now) == 0
                && let Some(hold) = d.pending.role_busy[r.index()]
                    .iter()
                    .find(|h| h.until > d.now)
            {
                return Err(RejectReason::RoleBusy {
                    role: r,
                    with: hold.work,
                });
            }
        }
    }
    // Resources last: a busy team is refused as busy, not for its own boats in use.
    draw_resources(d.ctx, d.pending, job).map(|_| ())
}

/// Whether the work's resources could be drawn at all when nothing else is running
/// (plan work waits for equipment in use; it is skipped only if there is never enough).
fn could_ever_draw(ctx: &Ctx, job: &Job) -> bool {
    let h = &ctx.holdings;
    job.with.iter().all(|u| {
        let ri = u.resource.index();
        let own = match job.actor {
            Actor::Team(t) => h
                .own
                .get(t.index())
                .map_or(0, |o| o.get(ri).copied().unwrap_or(0)),
            Actor::Role(_) => 0,
        };
        let total: u32 = job
            .with
            .iter()
            .filter(|x| x.resource == u.resource)
            .map(|x| x.quantity)
            .sum();
        total <= own + h.common.get(ri).copied().unwrap_or(0)
    })
}

/// 分工 — a plan task's `with` shared among its `who`: each team takes the units of
/// its own equipment the task names (in `who` order), and what must come from the
/// common stock goes to the first of `who`.
fn share_of_with(ctx: &Ctx, task: &Task, actor: Actor) -> Vec<ResourceUse> {
    let h = &ctx.holdings;
    let own = |a: &Actor, ri: usize| match a {
        Actor::Team(t) => h
            .own
            .get(t.index())
            .map_or(0, |o| o.get(ri).copied().unwrap_or(0)),
        Actor::Role(_) => 0,
    };
    let mut out = Vec::new();
    for u in &task.with {
        let ri = u.resource.index();
        let mut left = u.quantity;
        let mut mine = 0;
        for a in &task.who {
            let take = left.min(own(a, ri));
            if *a == actor {
                mine += take;
            }
            left -= take;
        }
        if task.who.first() == Some(&actor) {
            mine += left;
        }
        if mine > 0 {
            out.push(ResourceUse {
                resource: u.resource,
                quantity: mine,
            });
        }
    }
    out
}

/// 救援 — the skills that can rescue people trapped by the target's hazard (any one
/// will do): boats in a flood (水上救援), protective gear in a chemical cloud (危化处置),
/// and in a fire a firefighting or an evacuation team carrying people out. The
/// hazard is the target zone's, or the scenario's first for a place or everywhere.
fn rescue_skills(s: &Scenario, target: Target) -> &'static [Skill] {
    let kind = match target {
        Target::Zone(z) => s.map.zones.get(z.index()).map(|z| z.hazard),
        _ => None,
    }
    .or_else(|| s.header.hazard_kinds.first().copied());
    match kind {
        Some(HazardKind::Chemical) => &[Skill::Hazmat],
        Some(HazardKind::ForestFire) => &[Skill::Firefighting, Skill::Evacuation],
        _ => &[Skill::WaterRescue],
    }
}

/// Whether households led out by a knocker (强制转移) may cross links the hazard
/// closed: through a toxic cloud, yes, on the shortest way out, their dose counted
/// (people are led out crosswind with masks rather than left in the plume); through
/// flood water or fire, no.
fn escorts_cross(ctx: &Ctx) -> bool {
    ctx.scenario
        .header
        .hazard_kinds
        .contains(&HazardKind::Chemical)
}

/// Whether a team's work takes it into the danger zone, so it may route over links
/// the hazard closed: it has a skill that works in one of the scenario's hazards
/// (火场 firefighting or evacuation, 毒气 hazmat or evacuation, 洪水 water rescue).
/// Households and other teams keep out.
fn enters_danger(s: &Scenario, t: TeamIdx) -> bool {
    let Some(team) = s.teams.get(t.index()) else {
        return false;
    };
    s.header.hazard_kinds.iter().any(|k| {
        let skills: &[Skill] = match k {
            HazardKind::Chemical => &[Skill::Hazmat, Skill::Evacuation],
            HazardKind::ForestFire => &[Skill::Firefighting, Skill::Evacuation],
            _ => &[Skill::WaterRescue],
        };
        skills.iter().any(|k| team.skills.contains(k))
    })
}

/// Holders of a post not taken up by running work at `now`.
fn free_holders(s: &Scenario, pending: &Pending, r: RoleIdx, now: f64) -> u32 {
    let busy: u32 = pending.role_busy[r.index()]
        .iter()
        .filter(|h| h.until > now)
        .map(|h| h.holders)
        .sum();
    s.roles[r.index()].count.max(1).saturating_sub(busy)
}

/// Whether a role's work is done on foot, house to house (敲门: door-knocking,
/// explicitly or as the default way to evacuate), which keeps its holders busy.
fn on_foot(job: &Job) -> bool {
    channels_of(job).contains(&Channel::DoorKnock)
}

/// 资源 — what the work draws from which stock: the acting team's own equipment
/// first, then the common stock. Refuses a resource that is another team's
/// equipment, or more units than are left.
pub fn draw_resources(ctx: &Ctx, pending: &Pending, job: &Job) -> Result<Vec<Draw>, RejectReason> {
    let s = &ctx.scenario;
    let h = &ctx.holdings;
    let mut draws: Vec<Draw> = Vec::new();
    for r in &job.with {
        let ri = r.resource.index();
        if ri >= s.resources.len() {
            return Err(RejectReason::UnknownTarget("resource".into()));
        }
        // The same resource named twice in one `with` adds up.
        let already: u32 = draws
            .iter()
            .filter(|x| x.resource == r.resource)
            .map(|x| x.own + x.common)
            .sum();
        let own_left = match job.actor {
            Actor::Team(t) => h.own.get(t.index()).map_or(0, |o| {
                o[ri].saturating_sub(pending.committed_own[t.index()][ri])
            }),
            Actor::Role(_) => 0,
        };
        let common_left = h.common[ri].saturating_sub(pending.committed[ri]);
        let available = (own_left + common_left).saturating_sub(already);
        if r.quantity > available {
            let mine = matches!(job.actor, Actor::Team(t) if h.own.get(t.index()).is_some_and(|o| o[ri] > 0));
            if h.common[ri] == 0
                && !mine
                && let Some(owner) = h.own.iter().position(|o| o[ri] > 0)
            {
                return Err(RejectReason::ResourceHeldBy {
                    resource: r.resource.0,
                    team: TeamIdx(owner as u32),
                });
            }
            return Err(RejectReason::ResourceNotHeld {
                resource: r.resource.0,
                wanted: r.quantity,
                available,
            });
        }
        let own = r.quantity.min(own_left.saturating_sub(already));
        draws.push(Draw {
            resource: r.resource,
            own,
            common: r.quantity - own,
        });
    }
    Ok(draws)
}

/// What a warning-like work tells people: 就地避险 says stay, everything else go.
fn order_of(work: &Work) -> Order {
    match work {
        Work::ShelterInPlace(_) => Order::StayIndoors,
        Work::Evacuate { .. } => Order::Evacuate,
        _ => Order::Leave,
    }
}

/// The channels a warning-like work uses, with a sensible default when none is given.
fn channels_of(job: &Job) -> Vec<Channel> {
    match job.work {
        Work::KnockDoors(_) | Work::Evacuate { .. } if job.how.is_empty() => {
            vec![Channel::DoorKnock]
        }
        _ if job.how.is_empty() => vec![Channel::Loudspeaker],
        _ => job.how.clone(),
    }
}

/// Starts accepted work: roles act at once from their post; teams are activated.
pub fn start_job(d: &mut Dispatch, mut job: Job) {
    let now = d.now;
    let s = d.ctx.scenario.clone();
    // Validated just before, so the draw succeeds; an error leaves nothing drawn.
    job.drawn = draw_resources(d.ctx, d.pending, &job).unwrap_or_default();
    for draw in &job.drawn {
        let ri = draw.resource.index();
        d.pending.committed[ri] += draw.common;
        if let Actor::Team(t) = job.actor {
            d.pending.committed_own[t.index()][ri] += draw.own;
        }
    }
    if let WorkRef::Task(t) = job.work_ref {
        d.pending.started[t.index()] = true;
    }
    d.log.push(
        now,
        SimEvent::TaskStarted {
            work: job.work_ref,
            actor: job.actor,
        },
    );
    match job.actor {
        Actor::Role(r) => {
            let role = &s.roles[r.index()];
            let origin = role.post.map(|p| s.place(p).pos);
            // House-to-house work takes the free holders (as many as carry a
            // megaphone when megaphones are named); other work is done by one
            // holder in a moment and holds no one afterwards.
            let free = free_holders(&s, d.pending, r, now).max(1);
            let megaphones: u32 = job
                .with
                .iter()
                .filter(|u| {
                    s.resources
                        .get(u.resource.index())
                        .is_some_and(|x| x.kind == ResourceKind::Megaphone)
                })
                .map(|u| u.quantity)
                .sum();
            let walkers = if on_foot(&job) {
                if megaphones > 0 {
                    megaphones.min(free)
                } else {
                    free
                }
            } else {
                role.count.max(1)
            };
            let finish = match job.work.clone() {
                Work::Warn(t)
                | Work::KnockDoors(t)
                | Work::ShelterInPlace(t)
                | Work::Evacuate { from: t, .. } => {
                    let places = d.ctx.places_in(t);
                    let how = channels_of(&job);
                    for &c in &how {
                        d.log.push(
                            now,
                            SimEvent::WarningIssued {
                                by: Some(job.actor),
                                work: Some(job.work_ref),
                                channel: c,
                                target: t,
                                level: d.pending.levels.iter().min().copied(),
                            },
                        );
                    }
                    let (finish, of) = warning_contacts(
                        d.ctx,
                        d.clock,
                        d.contacts,
                        d.rngs,
                        &how,
                        &places,
                        origin,
                        walkers,
                        &job.with,
                        now,
                        order_of(&job.work),
                    );
                    job.of = of;
                    job.reached = of;
                    if on_foot(&job) {
                        d.pending.role_busy[r.index()].retain(|h| h.until > now);
                        d.pending.role_busy[r.index()].push(RoleHold {
                            until: finish,
                            holders: walkers,
                            work: job.work_ref,
                        });
                    }
                    finish
                }
                Work::OpenShelter(p) => {
                    open_shelter(d, p, Some(job.actor));
                    now
                }
                Work::CloseLink(l) => {
                    if d.net.net.close(l) {
                        d.log.push(
                            now,
                            SimEvent::LinkClosed {
                                link: l,
                                cause: LinkCloseCause::Closed(job.work_ref),
                            },
                        );
                    }
                    now
                }
                _ => now + d.ctx.params.on_the_spot_s,
            };
            d.pending.role_jobs.push((finish, job));
        }
        Actor::Team(t) => {
            job.places = match &job.work {
                Work::Warn(x)
                | Work::KnockDoors(x)
                | Work::Assess(x)
                | Work::Rescue(x)
                | Work::ShelterInPlace(x)
                | Work::Return(x) => d.ctx.places_in(*x),
                Work::Evacuate { from, to, .. } => {
                    job.drop_at = *to;
                    d.ctx.places_in(*from)
                }
                Work::OpenShelter(p) | Work::Roadblock(p) => vec![*p],
                Work::CloseLink(l) => vec![near_end(d, t, *l)],
                Work::FireLine(points) => points
                    .first()
                    .and_then(|p0| {
                        (0..s.map.places.len() as u32).map(PlaceIdx).min_by(|a, b| {
                            s.place(*a)
                                .pos
                                .distance(*p0)
                                .total_cmp(&s.place(*b).pos.distance(*p0))
                        })
                    })
                    .into_iter()
                    .collect(),
                Work::ReportAtPost | Work::Report => Vec::new(),
            };
            // Visit the target's places that have people first (rescue: where trapped).
            if let Some(e) = team_of(d, t)
                && let Ok(mut unit) = d.teams.get_mut(e)
            {
                let team = &s.teams[t.index()];
                d.log.push(
                    now,
                    SimEvent::TeamActivated {
                        team: t,
                        work: job.work_ref,
                    },
                );
                let assemble = if unit.mobilised {
                    0.0
                } else {
                    team.arrives_s.max(0.0)
                };
                unit.mobilised = true;
                unit.phase = Phase::Mobilising {
                    until: now + assemble,
                };
                unit.job = Some(job);
            }
        }
    }
}

/// The end of `link` a team closing it (封闭) heads for: the one it reaches soonest
/// from where it stands, by road or else on foot, so it never crosses the hazard the
/// closure is for. `from` when neither end is reachable (the job then fails NoRoute).
fn near_end(d: &Dispatch, t: TeamIdx, link: LinkIdx) -> PlaceIdx {
    let l = d.ctx.scenario.link(link);
    let Some(unit) = team_of(d, t).and_then(|e| d.teams.get(e).ok()) else {
        return l.from;
    };
    let cost = |end: PlaceIdx| {
        if end == unit.at {
            return 0.0;
        }
        let inside = enters_danger(&d.ctx.scenario, t);
        let road = d.net.net.tree_through(end, unit.has_vehicle, inside).dist[unit.at.index()];
        if road.is_finite() {
            road
        } else {
            d.net.net.tree_through(end, false, inside).dist[unit.at.index()]
        }
    };
    let (a, b) = (cost(l.from), cost(l.to));
    if b < a { l.to } else { l.from }
}

fn open_shelter(d: &mut Dispatch, p: PlaceIdx, by: Option<Actor>) {
    if !d.shelters.opened[p.index()] {
        d.shelters.opened[p.index()] = true;
        d.log
            .push(d.now, SimEvent::ShelterOpened { shelter: p, by });
    }
}

/// Rain intensity (mm/h) of the scenario's flood block at `t`, piecewise linear.
fn rain_at(s: &Scenario, t: f64) -> f64 {
    let Some(flood) = s.hazards.iter().find_map(|h| {
        if let Hazard::Flood(f) = h {
            Some(f)
        } else {
            None
        }
    }) else {
        return 0.0;
    };
    let tl = &flood.rain_mm_h;
    match tl.iter().position(|(ts, _)| *ts > t) {
        None => tl.last().map_or(0.0, |x| x.1),
        Some(0) => tl[0].1,
        Some(i) => {
            let (t0, v0) = tl[i - 1];
            let (t1, v1) = tl[i];
            v0 + (v1 - v0) * (t - t0) / (t1 - t0).max(1e-9)
        }
    }
}

/// Schedules the contacts of a warning by each channel, each its own way. Returns when
/// the last contact is made and how many households the work addressed.
#[allow(clippy::too_many_arguments)]
pub fn warning_contacts(
    ctx: &Ctx,
    clock: &Clock,
    contacts: &mut Contacts,
    rngs: &mut Rngs,
    channels: &[Channel],
    places: &[PlaceIdx],
    origin: Option<Point>,
    workers: u32,
    with: &[ResourceUse],
    start: f64,
    order: Order,
) -> (f64, u32) {
    let s = ctx.scenario.clone();
    let p = &ctx.params;
    let mut audible = 1.0;
    if clock.is_night() {
        audible *= p.night_factor;
    }
    if rain_at(&s, start) > p.heavy_rain_mm_h {
        audible *= p.rain_factor;
    }
    let night = if clock.is_night() {
        p.night_factor
    } else {
        1.0
    };
    let households: Vec<(u32, PlaceIdx)> = places
        .iter()
        .flat_map(|&pl| ctx.by_place[pl.index()].iter().map(move |&h| (h, pl)))
        .collect();
    let of = households.len() as u32;
    let mut finish = start;
    let walk = p.walk_adult_m_s;
    for &channel in channels {
        // Only someone at the door can lead a household out (强制转移); the other
        // channels of an evacuation carry an ordinary order to leave.
        let order = match order {
            Order::Evacuate if channel != Channel::DoorKnock => Order::Leave,
            o => o,
        };
        match channel {
            Channel::Loudspeaker => {
                let speakers = s.loudspeakers_for(with);
                for rep in 0..p.loudspeaker_repeats.max(1) {
                    let t = start + f64::from(rep) * p.loudspeaker_repeat_s;
                    for &(h, pl) in &households {
                        let pos = s.place(pl).pos;
                        let heard = speakers.iter().any(|r| {
                            s.map.places.get(r.at.index()).is_some_and(|at| {
                                at.pos.distance(pos) <= r.radius_m.unwrap_or(p.loudspeaker_radius_m)
                            })
                        });
                        if heard {
                            contacts.schedule(
                                t,
                                Contact {
                                    household: h,
                                    order,
                                    channel,
                                    reach: p.loudspeaker_reach * audible,
                                },
                            );
                            finish = finish.max(t);
                        }
                    }
                }
            }
            Channel::Sms | Channel::App => {
                for &(h, _) in &households {
                    let t = start + p.sms_delay_max_s * rngs.warnings.random::<f64>();
                    contacts.schedule(
                        t,
                        Contact {
                            household: h,
                            order,
                            channel,
                            reach: p.sms_seen * night,
                        },
                    );
                    finish = finish.max(t);
                }
            }
            Channel::Broadcast => {
                for &(h, _) in &households {
                    contacts.schedule(
                        start,
                        Contact {
                            household: h,
                            order,
                            channel,
                            reach: p.broadcast_reach,
                        },
                    );
                }
            }
            Channel::Phone => {
                for (k, &(h, _)) in households.iter().enumerate() {
                    let t = start + ((k as u32 / workers.max(1)) + 1) as f64 * p.phone_call_s;
                    contacts.schedule(
                        t,
                        Contact {
                            household: h,
                            order,
                            channel,
                            reach: p.phone_reach,
                        },
                    );
                    finish = finish.max(t);
                }
            }
            Channel::DoorKnock => {
                // 敲门行动: knockers share the households; each walks house to house.
                let k = workers.max(1) as usize;
                for j in 0..k {
                    let mut clock = start;
                    let mut pos = origin;
                    let mut last_place: Option<PlaceIdx> = None;
                    for &(h, pl) in households.iter().skip(j).step_by(k) {
                        let walk_m = match (last_place, pos) {
                            (Some(lp), _) if lp == pl => p.house_spacing_m,
                            (_, Some(from)) => from.distance(s.place(pl).pos),
                            _ => 0.0,
                        };
                        clock += walk_m / walk;
                        contacts.schedule(
                            clock,
                            Contact {
                                household: h,
                                order,
                                channel,
                                // 应转尽转: an evacuation checks every house
                                // until someone is found; a warning knock may
                                // find nobody answering.
                                reach: if order == Order::Evacuate {
                                    1.0
                                } else {
                                    p.knock_reach
                                },
                            },
                        );
                        clock += p.knock_visit_s;
                        pos = Some(s.place(pl).pos);
                        last_place = Some(pl);
                    }
                    finish = finish.max(clock);
                }
            }
            Channel::Megaphone | Channel::Gong => {
                let reach = if channel == Channel::Megaphone {
                    p.megaphone_reach
                } else {
                    p.gong_reach
                } * audible;
                let carriers = (workers.max(1) as usize).min(places.len().max(1));
                for j in 0..carriers {
                    let mut clock = start;
                    let mut pos = origin;
                    for &pl in places.iter().skip(j).step_by(carriers) {
                        let here = s.place(pl).pos;
                        clock += pos.map_or(0.0, |from| from.distance(here)) / walk;
                        for &h in &ctx.by_place[pl.index()] {
                            let t = clock + p.megaphone_dwell_s * rngs.warnings.random::<f64>();
                            contacts.schedule(
                                t,
                                Contact {
                                    household: h,
                                    order,
                                    channel,
                                    reach,
                                },
                            );
                        }
                        clock += p.megaphone_dwell_s;
                        pos = Some(here);
                    }
                    finish = finish.max(clock);
                }
            }
            // 对讲机 links responders, not households.
            Channel::Radio => {}
        }
    }
    (finish, of)
}

/// 危险 — advance hazard fields; mark dangerous zones, places and links.
pub fn sample_hazards(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut hazards: ResMut<Hazards>,
    mut danger: ResMut<Danger>,
    mut net: ResMut<Net>,
    mut log: ResMut<Log>,
) {
    let now = clock.now_s;
    let s = &ctx.scenario;
    for h in hazards.0.iter_mut() {
        h.advance_to(now);
    }
    for (zi, zone) in s.map.zones.iter().enumerate() {
        if !danger.zone[zi] && zone.dangerous_from_s.is_some_and(|t| t <= now) {
            danger.zone[zi] = true;
            log.push(
                now,
                SimEvent::ZoneDangerous {
                    zone: ZoneIdx(zi as u32),
                    cause: DangerCause::Scripted,
                },
            );
        }
    }
    for (pi, place) in s.map.places.iter().enumerate() {
        let by_field = hazards.0.iter().any(|h| h.dangerous(place.pos));
        if by_field {
            for &z in &ctx.place_zones[pi] {
                if !danger.zone[z.index()] {
                    danger.zone[z.index()] = true;
                    log.push(
                        now,
                        SimEvent::ZoneDangerous {
                            zone: z,
                            cause: DangerCause::Model,
                        },
                    );
                }
            }
        }
        let by_zone = ctx.place_zones[pi]
            .iter()
            .any(|z| danger.zone_by_inject[z.index()]);
        let bad = by_field || by_zone;
        danger.place[pi] = bad;
        if !bad {
            danger.place_since_s[pi] = None;
        } else if danger.place_since_s[pi].is_none() {
            danger.place_since_s[pi] = Some(now);
        }
    }
    if now >= net.next_link_sample_s {
        net.next_link_sample_s = now + ctx.params.link_sample_s;
        for (li, link) in s.map.links.iter().enumerate() {
            let (Some(a), Some(b)) = (
                s.map.places.get(link.from.index()),
                s.map.places.get(link.to.index()),
            ) else {
                continue;
            };
            let mid = Point {
                x: (a.pos.x + b.pos.x) / 2.0,
                y: (a.pos.y + b.pos.y) / 2.0,
            };
            let inject_zone = |p: Point| {
                s.map
                    .zones
                    .iter()
                    .enumerate()
                    .any(|(z, zone)| danger.zone_by_inject[z] && zone.contains(p))
            };
            let points: Vec<Point> = if link.via.is_empty() {
                vec![mid]
            } else {
                link.via.clone()
            };
            let bad = points
                .iter()
                .any(|&p| hazards.0.iter().any(|h| h.dangerous(p)) || inject_zone(p));
            net.link_danger[li] = bad;
            if bad && net.net.close_for_hazard(LinkIdx(li as u32)) {
                log.push(
                    now,
                    SimEvent::LinkClosed {
                        link: LinkIdx(li as u32),
                        cause: LinkCloseCause::Hazard,
                    },
                );
            }
        }
    }
}

/// 预警送达 — deliver due contacts; households hear, then decide or refuse.
pub fn deliver_contacts(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut contacts: ResMut<Contacts>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    let p = &ctx.params;
    while let Some(entry) = contacts.due.first_entry() {
        let t = f64::from_bits(entry.key().0);
        if t > now {
            break;
        }
        let c = entry.remove();
        let Some(&e) = index.households.get(c.household as usize) else {
            continue;
        };
        let Ok(mut hh) = households.get_mut(e) else {
            continue;
        };
        if matches!(
            hh.state,
            HhState::Sheltered
                | HhState::Walking
                | HhState::AtNode
                | HhState::AtShelterDoor
                | HhState::Aboard
        ) {
            continue;
        }
        let phone_ok = !matches!(c.channel, Channel::Sms | Channel::App) || hh.phone;
        let draw = hh.rng.random::<f64>();
        if !phone_ok || draw >= c.reach {
            continue;
        }
        hh.contacts += 1;
        let (id, home, contact) = (hh.id, hh.home, hh.contacts);
        log.push(
            now,
            SimEvent::WarningReceived {
                household: id,
                home,
                channel: c.channel,
                contact,
            },
        );
        if c.order == Order::StayIndoors {
            // 就地避险: staying put asks nothing of anyone, so whoever hears it does
            // (a household already decided to leave stays instead).
            if matches!(hh.state, HhState::Home | HhState::Decided) {
                hh.state = HhState::ShelteringInPlace;
                hh.leave_at_s = f64::INFINITY;
                log.push(
                    now,
                    SimEvent::ShelteredInPlace {
                        household: id,
                        home,
                    },
                );
            }
            continue;
        }
        if c.order == Order::Evacuate {
            // 强制转移: led out when the knocker moves on, those who cannot walk
            // carried or wheeled by the knockers; a household that had already
            // decided leaves now rather than later.
            if matches!(
                hh.state,
                HhState::Home
                    | HhState::ShelteringInPlace
                    | HhState::Decided
                    | HhState::WaitingHelp
                    | HhState::Stranded
            ) {
                let leave = t + p.knock_visit_s;
                hh.helped |= hh.members.disabled > 0;
                hh.escorted = true;
                if hh.state == HhState::WaitingHelp {
                    // `depart` sets helped households off at once.
                    continue;
                }
                if hh.state != HhState::Decided || hh.leave_at_s > leave {
                    hh.leave_at_s = leave;
                    hh.state = HhState::Decided;
                    log.push(
                        now,
                        SimEvent::Decided {
                            household: id,
                            home,
                            leave_at_s: leave,
                        },
                    );
                }
            }
            continue;
        }
        if !matches!(hh.state, HhState::Home | HhState::ShelteringInPlace) {
            continue;
        }
        let base = match c.channel {
            Channel::Loudspeaker => p.comply_loudspeaker,
            Channel::Sms | Channel::App => p.comply_sms,
            Channel::DoorKnock => p.comply_knock,
            Channel::Megaphone => p.comply_megaphone,
            Channel::Gong => p.comply_gong,
            Channel::Phone | Channel::Radio => p.comply_phone,
            Channel::Broadcast => p.comply_broadcast,
        };
        let chance = base + f64::from(contact - 1) * p.comply_per_extra_contact;
        if hh.stubbornness < chance {
            let u = hh.rng.random::<f64>();
            hh.leave_at_s = t + p.leave_delay.sample(u).max(0.0);
            hh.state = HhState::Decided;
            log.push(
                now,
                SimEvent::Decided {
                    household: id,
                    home,
                    leave_at_s: hh.leave_at_s,
                },
            );
        } else {
            log.push(
                now,
                SimEvent::Refused {
                    household: id,
                    home,
                    contact,
                },
            );
        }
    }
}

/// The nearest shelter from `at` by open foot routes, skipping closed shelters and
/// those that fail `room`. Ties go to the lower place index.
fn nearest_shelter(
    ctx: &Ctx,
    net: &Net,
    shelters: &Shelters,
    at: PlaceIdx,
    escorted: bool,
    room: impl Fn(PlaceIdx) -> bool,
) -> Option<(usize, PlaceIdx)> {
    let mut best: Option<(f64, usize, PlaceIdx)> = None;
    for (k, &sh) in ctx.shelters.iter().enumerate() {
        if shelters.closed[sh.index()] || !room(sh) {
            continue;
        }
        let dist = net.tree(k, escorted).dist[at.index()];
        if dist.is_finite() && best.is_none_or(|(bd, _, _)| dist < bd) {
            best = Some((dist, k, sh));
        }
    }
    best.map(|(_, k, sh)| (k, sh))
}

/// 出发 — households whose leave time has come set off (or wait for help).
#[allow(clippy::too_many_arguments)]
pub fn depart(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    mut net: ResMut<Net>,
    shelters: Res<Shelters>,
    mut movers: ResMut<Movers>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    net.refresh(&ctx.shelters, escorts_cross(&ctx));
    for mut hh in households.iter_mut() {
        let ready = match hh.state {
            HhState::Decided => hh.leave_at_s <= now,
            HhState::WaitingHelp => hh.helped,
            _ => false,
        };
        if !ready {
            continue;
        }
        let (id, home, people) = (hh.id, hh.home, hh.people());
        if hh.needs_help() {
            hh.state = HhState::WaitingHelp;
            log.push(
                now,
                SimEvent::NeedsHelp {
                    household: id,
                    home,
                    people,
                },
            );
            continue;
        }
        let at = hh.at;
        let escorted = hh.escorted;
        match nearest_shelter(&ctx, &net, &shelters, at, escorted, |sh| {
            !shelters.full_logged[sh.index()]
        }) {
            Some((k, sh)) => {
                hh.target = sh;
                hh.expect_m = net.tree(k, escorted).dist[at.index()];
                hh.state = HhState::AtNode;
                hh.at_since_s = hh.leave_at_s.min(now).max(now - clock.step_s);
                if hh.helped {
                    hh.speed_m_s = hh.assisted_m_s;
                }
                movers.at_node.push(id.0);
                log.push(
                    now,
                    SimEvent::Departed {
                        household: id,
                        home,
                        people,
                        towards: sh,
                    },
                );
            }
            None => {
                hh.state = HhState::Stranded;
                log.push(
                    now,
                    SimEvent::Stranded {
                        household: id,
                        at,
                        why: Blocked::NoShelter,
                    },
                );
            }
        }
    }
}

/// 疏散行进 — the queue model: households enter links while storage allows and leave
/// them in order no faster than the link's flow capacity.
#[allow(clippy::too_many_arguments)]
pub fn move_walkers(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    mut movers: ResMut<Movers>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    net.refresh(&ctx.shelters, escorts_cross(&ctx));
    let movers = &mut *movers;
    for _pass in 0..8 {
        let mut progressed = false;
        // Waiting households, first come first served.
        let mut waiting = std::mem::take(&mut movers.at_node);
        waiting.sort_by(|a, b| {
            let ha = households
                .get(index.households[*a as usize])
                .map(|h| h.at_since_s)
                .unwrap_or(0.0);
            let hb = households
                .get(index.households[*b as usize])
                .map(|h| h.at_since_s)
                .unwrap_or(0.0);
            ha.total_cmp(&hb).then(a.cmp(b))
        });
        for h in waiting {
            let Ok(mut hh) = households.get_mut(index.households[h as usize]) else {
                continue;
            };
            if hh.state != HhState::AtNode {
                continue;
            }
            let at = hh.at;
            let escorted = hh.escorted;
            let mut k = ctx
                .shelters
                .iter()
                .position(|s| *s == hh.target)
                .unwrap_or(0);
            let dist_here = if k < net.trees.len() {
                net.tree(k, escorted).dist[at.index()]
            } else {
                f64::INFINITY
            };
            if !dist_here.is_finite() || hh.expect_m + 1.0 < dist_here {
                // The planned way is cut or longer: choose again.
                let n = hh.people();
                match nearest_shelter(&ctx, &net, &shelters, at, escorted, |sh| {
                    shelters.occupancy[sh.index()] + n <= shelters.capacity[sh.index()]
                        || !shelters.full_logged[sh.index()]
                }) {
                    Some((nk, sh)) => {
                        k = nk;
                        hh.target = sh;
                        hh.expect_m = net.tree(k, escorted).dist[at.index()];
                        log.push(
                            now,
                            SimEvent::Rerouted {
                                household: hh.id,
                                at,
                                towards: sh,
                            },
                        );
                    }
                    None => {
                        hh.state = HhState::Stranded;
                        log.push(
                            now,
                            SimEvent::Stranded {
                                household: hh.id,
                                at,
                                why: Blocked::NoRoute,
                            },
                        );
                        continue;
                    }
                }
            }
            // Local route choice: free walking time plus the queue ahead, so parallel
            // exits share the flow (RiMEA test 9 needs both doors used).
            let tree = net.tree(k, escorted);
            let speed = hh.speed_m_s.max(0.05);
            let mut best: Option<(f64, DirLink)> = None;
            for &(nb, link) in &net.net.adjacency[at.index()] {
                let li = link.index();
                let passable = net.net.open[li]
                    || (escorted && !net.trees_inside.is_empty() && net.net.hazard_closed[li]);
                if !passable || !tree.dist[nb.index()].is_finite() {
                    continue;
                }
                let d = net.net.dir_from(link, at);
                let lane = &net.net.lanes[d.slot()];
                let cost = (net.net.length_m[li] + tree.dist[nb.index()]) / speed
                    + f64::from(lane.people) / net.net.capacity_p_s[li];
                if best.is_none_or(|(bc, bd)| cost < bc || (cost == bc && d < bd)) {
                    best = Some((cost, d));
                }
            }
            let Some((_, d)) = best else {
                movers.at_node.push(h);
                continue;
            };
            let expect_next = tree.dist[net.net.head(d).index()];
            let li = d.link.index();
            let n = hh.people();
            let (storage, length) = (net.net.storage_p[li], net.net.length_m[li]);
            let lane = &mut net.net.lanes[d.slot()];
            if lane.people > 0 && lane.people + n > storage {
                movers.at_node.push(h);
                continue;
            }
            let entered = hh.at_since_s.max(now - clock.step_s);
            lane.queue.push_back(Walker {
                household: h,
                people: n,
                entered_s: entered,
                ready_s: entered + length / speed,
            });
            lane.people += n;
            hh.expect_m = expect_next;
            hh.state = HhState::Walking;
            hh.lane = Some(d);
            movers.active_lanes.insert(d.slot());
            progressed = true;
        }
        // Lanes, in slot order.
        let active: Vec<usize> = movers.active_lanes.iter().copied().collect();
        for slot in active {
            loop {
                let lane = &net.net.lanes[slot];
                let Some(&head) = lane.queue.front() else {
                    break;
                };
                let li = slot / 2;
                let exit = head.ready_s.max(lane.next_exit_s);
                if exit > now {
                    break;
                }
                let cap = net.net.capacity_p_s[li];
                let lane = &mut net.net.lanes[slot];
                lane.queue.pop_front();
                lane.next_exit_s = exit + f64::from(head.people) / cap;
                lane.people -= head.people;
                let d = DirLink {
                    link: LinkIdx(li as u32),
                    reverse: slot % 2 == 1,
                };
                let node = net.net.head(d);
                progressed = true;
                let Ok(mut hh) = households.get_mut(index.households[head.household as usize])
                else {
                    continue;
                };
                hh.at = node;
                hh.at_since_s = exit;
                hh.lane = None;
                if node == hh.target {
                    arrive(&ctx, &net, &mut shelters, &mut log, &mut hh, now);
                    if hh.state == HhState::AtShelterDoor {
                        movers.at_door.push(head.household);
                    }
                }
                if hh.state == HhState::Walking {
                    hh.state = HhState::AtNode;
                }
                if hh.state == HhState::AtNode {
                    movers.at_node.push(head.household);
                }
            }
            if net.net.lanes[slot].queue.is_empty() {
                movers.active_lanes.remove(&slot);
            }
        }
        if !progressed {
            break;
        }
    }
}

/// 开放避灾点 — households waiting at a shelter's gate go in once it is opened (or
/// are sent on if it closed or filled meanwhile), in the order they arrived.
#[allow(clippy::too_many_arguments)]
pub fn admit_at_opened_shelters(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    mut movers: ResMut<Movers>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    if movers.at_door.is_empty() {
        return;
    }
    let now = clock.now_s;
    net.refresh(&ctx.shelters, escorts_cross(&ctx));
    for h in std::mem::take(&mut movers.at_door) {
        let Ok(mut hh) = households.get_mut(index.households[h as usize]) else {
            continue;
        };
        let sh = hh.target.index();
        if !shelters.opened[sh] && !shelters.closed[sh] {
            movers.at_door.push(h);
            continue;
        }
        arrive(&ctx, &net, &mut shelters, &mut log, &mut hh, now);
        if hh.state == HhState::AtNode {
            movers.at_node.push(h);
        }
    }
}

/// A household reaches its target shelter: taken in, or sent on when it is full.
fn arrive(
    ctx: &Ctx,
    net: &Net,
    shelters: &mut Shelters,
    log: &mut Log,
    hh: &mut Household,
    now: f64,
) {
    let sh = hh.target;
    let n = hh.people();
    let i = sh.index();
    if !shelters.closed[i] && !shelters.opened[i] {
        // Not opened yet: wait at the gate (admit_at_opened_shelters lets them in).
        if hh.state != HhState::AtShelterDoor {
            hh.state = HhState::AtShelterDoor;
            log.push(
                now,
                SimEvent::WaitingAtShelter {
                    household: hh.id,
                    shelter: sh,
                },
            );
        }
        return;
    }
    if !shelters.closed[i] && shelters.occupancy[i] + n <= shelters.capacity[i] {
        shelters.occupancy[i] += n;
        hh.state = HhState::Sheltered;
        log.push(
            now,
            SimEvent::Arrived {
                household: hh.id,
                home: hh.home,
                shelter: sh,
                people: n,
            },
        );
        if shelters.occupancy[i] == shelters.capacity[i] && !shelters.full_logged[i] {
            shelters.full_logged[i] = true;
            log.push(
                now,
                SimEvent::ShelterFull {
                    shelter: sh,
                    occupancy: shelters.occupancy[i],
                },
            );
        }
        return;
    }
    if !shelters.full_logged[i] && !shelters.closed[i] {
        shelters.full_logged[i] = true;
        log.push(
            now,
            SimEvent::ShelterFull {
                shelter: sh,
                occupancy: shelters.occupancy[i],
            },
        );
    }
    let next = nearest_shelter(ctx, net, shelters, sh, hh.escorted, |s| {
        s != sh && shelters.occupancy[s.index()] + n <= shelters.capacity[s.index()]
    });
    match next {
        Some((k, to)) => {
            hh.target = to;
            hh.expect_m = net.tree(k, hh.escorted).dist[sh.index()];
            hh.state = HhState::AtNode;
            log.push(
                now,
                SimEvent::Redirected {
                    household: hh.id,
                    from: sh,
                    to,
                },
            );
        }
        None => {
            hh.state = HhState::Stranded;
            log.push(
                now,
                SimEvent::Stranded {
                    household: hh.id,
                    at: sh,
                    why: Blocked::NoShelter,
                },
            );
        }
    }
}

/// 队伍行动 — teams mobilise, travel, work at each place of their job, and finish.
#[allow(clippy::too_many_arguments)]
pub fn run_teams(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    index: Res<Index>,
    mut log: ResMut<Log>,
    mut pending: ResMut<Pending>,
    mut contacts: ResMut<Contacts>,
    mut rngs: ResMut<Rngs>,
    mut net: ResMut<Net>,
    mut shelters: ResMut<Shelters>,
    mut danger: ResMut<Danger>,
    mut landings: ResMut<Landings>,
    mut households: Households,
    mut teams: Teams,
) {
    let now = clock.now_s;
    let s = ctx.scenario.clone();
    let p = &ctx.params;
    for ti in 0..index.teams.len() {
        let Ok(mut unit) = teams.get_mut(index.teams[ti]) else {
            continue;
        };
        if unit.job.is_some() {
            unit.busy_s += clock.step_s;
        }
        let team = &s.teams[ti];
        for _ in 0..64 {
            let Some(mut job) = unit.job.take() else {
                break;
            };
            let mut finish: Option<TaskOutcome> = None;
            match unit.phase.clone() {
                Phase::Idle => finish = Some(TaskOutcome::Done),
                Phase::Mobilising { until } | Phase::Working { until } if until > now => {
                    unit.job = Some(job);
                    break;
                }
                Phase::Travelling { arrive_s, .. } if arrive_s > now => {
                    unit.job = Some(job);
                    break;
                }
                Phase::Mobilising { until } | Phase::Working { until } => {
                    // Next place of the job, or done.
                    if job.places.is_empty() {
                        finish = Some(if job.of > 0 && job.reached < job.of {
                            TaskOutcome::Partial {
                                reached: job.reached,
                                of: job.of,
                            }
                        } else {
                            TaskOutcome::Done
                        });
                    } else {
                        let to = job.places[0];
                        let boat = unit.boat_capacity > 0 && matches!(job.work, Work::Rescue(_));
                        let from = unit.pos;
                        let dest = s.place(to).pos;
                        let travel_s = if unit.at == to {
                            Some(0.0)
                        } else if boat {
                            Some(from.distance(dest) / p.boat_m_s)
                        } else {
                            let inside = enters_danger(&s, TeamIdx(ti as u32));
                            let tree = net.net.tree_through(to, unit.has_vehicle, inside);
                            let dist = tree.dist[unit.at.index()];
                            if dist.is_finite() {
                                Some(
                                    dist / if unit.has_vehicle {
                                        p.team_vehicle_m_s
                                    } else {
                                        p.walk_adult_m_s
                                    },
                                )
                            } else {
                                let foot =
                                    net.net.tree_through(to, false, inside).dist[unit.at.index()];
                                foot.is_finite().then(|| foot / p.walk_adult_m_s)
                            }
                        };
                        match travel_s {
                            Some(dt) => {
                                let depart = until.max(now - clock.step_s);
                                log.push(
                                    now,
                                    SimEvent::TeamDeparted {
                                        team: TeamIdx(ti as u32),
                                        from: unit.at,
                                        to,
                                    },
                                );
                                unit.phase = Phase::Travelling {
                                    from,
                                    to,
                                    depart_s: depart,
                                    arrive_s: depart + dt,
                                };
                            }
                            None => {
                                job.places.remove(0);
                                job.of += 1;
                                if job.places.is_empty() {
                                    finish = Some(TaskOutcome::Failed(Blocked::NoRoute));
                                }
                            }
                        }
                    }
                }
                Phase::Travelling { to, arrive_s, .. } => {
                    unit.at = to;
                    unit.pos = s.place(to).pos;
                    log.push(
                        now,
                        SimEvent::TeamArrived {
                            team: TeamIdx(ti as u32),
                            at: to,
                        },
                    );
                    job.places.remove(0);
                    let here = arrive_s;
                    let until = work_at(
                        &ctx,
                        &clock,
                        &mut log,
                        &mut contacts,
                        &mut rngs,
                        &mut net,
                        &mut shelters,
                        &mut danger,
                        &index,
                        &mut households,
                        &mut landings,
                        &mut unit,
                        &mut job,
                        to,
                        here,
                        team,
                    );
                    unit.phase = Phase::Working { until };
                }
            }
            if let Some(outcome) = finish {
                end_job(&mut log, &mut pending, &job, now, outcome);
                unit.phase = Phase::Idle;
                unit.job = None;
                break;
            }
            unit.job = Some(job);
        }
    }
}

/// 获救 — rescued loads reach safety: households are taken in, counts move from
/// aboard to rescued, and `Rescued` is logged at the landing.
pub fn land_rescued(
    clock: Res<Clock>,
    index: Res<Index>,
    mut landings: ResMut<Landings>,
    mut danger: ResMut<Danger>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    while let Some(entry) = landings.due.first_entry() {
        if f64::from_bits(entry.key().0) > now {
            break;
        }
        let l = entry.remove();
        for &h in &l.households {
            if let Ok(mut hh) = households.get_mut(index.households[h as usize]) {
                hh.state = HhState::Sheltered;
                hh.at = l.to;
            }
        }
        danger.aboard_anonymous = danger.aboard_anonymous.saturating_sub(l.anonymous);
        danger.rescued_anonymous += l.anonymous;
        danger.rescued_total += l.people;
        log.push(
            now,
            SimEvent::Rescued {
                place: l.place,
                people: l.people,
                team: l.team,
                to: l.to,
            },
        );
    }
}

fn end_job(log: &mut Log, pending: &mut Pending, job: &Job, now: f64, outcome: TaskOutcome) {
    for draw in &job.drawn {
        let ri = draw.resource.index();
        pending.committed[ri] = pending.committed[ri].saturating_sub(draw.common);
        if let Actor::Team(t) = job.actor {
            let c = &mut pending.committed_own[t.index()][ri];
            *c = c.saturating_sub(draw.own);
        }
    }
    if let Some(t) = job.task {
        pending.finished[t.index()] = true;
    }
    log.push(
        now,
        SimEvent::TaskFinished {
            work: job.work_ref,
            actor: job.actor,
            outcome,
        },
    );
}

/// What a team does on reaching one place of its job; returns when it is done there.
#[allow(clippy::too_many_arguments)]
fn work_at(
    ctx: &Ctx,
    clock: &Clock,
    log: &mut Log,
    contacts: &mut Contacts,
    rngs: &mut Rngs,
    net: &mut Net,
    shelters: &mut Shelters,
    danger: &mut Danger,
    index: &Index,
    households: &mut Households,
    landings: &mut Landings,
    unit: &mut TeamUnit,
    job: &mut Job,
    place: PlaceIdx,
    t: f64,
    team: &Team,
) -> f64 {
    let s = ctx.scenario.clone();
    let p = &ctx.params;
    let team_idx = unit.idx;
    let now = clock.now_s;
    match job.work.clone() {
        Work::Warn(_) | Work::KnockDoors(_) | Work::ShelterInPlace(_) | Work::Evacuate { .. } => {
            let how = channels_of(job);
            // 转移: a team also helps those who cannot walk.
            if matches!(job.work, Work::Evacuate { .. }) {
                for &h in &ctx.by_place[place.index()] {
                    if let Ok(mut hh) = households.get_mut(index.households[h as usize])
                        && hh.members.disabled > 0
                        && !hh.helped
                    {
                        hh.helped = true;
                        log.push(
                            now,
                            SimEvent::Helped {
                                household: hh.id,
                                team: team_idx,
                            },
                        );
                    }
                }
            }
            let origin = Some(s.place(place).pos);
            let (finish, of) = warning_contacts(
                ctx,
                clock,
                contacts,
                rngs,
                &how,
                &[place],
                origin,
                team.members.max(1),
                &job.with,
                t,
                order_of(&job.work),
            );
            job.of += of;
            job.reached += of;
            finish.max(t)
        }
        Work::Rescue(_) => {
            // Boat or carry trips until nobody is left trapped here. Each load goes to
            // the nearest open shelter with room for it, or, when every shelter is
            // full, back to the team's base (safe, but not a shelter).
            let per_trip = if unit.boat_capacity > 0 {
                unit.boat_capacity
            } else {
                (team.members / 2).max(1)
            };
            let here = s.place(place).pos;
            let speed = if unit.boat_capacity > 0 {
                p.boat_m_s
            } else {
                p.assisted_m_s
            };
            let mut trapped: Vec<(u32, u32)> = Vec::new();
            for &h in &ctx.by_place[place.index()] {
                if let Ok(hh) = households.get(index.households[h as usize])
                    && hh.state == HhState::Trapped
                {
                    trapped.push((h, hh.people()));
                }
            }
            job.of +=
                trapped.iter().map(|x| x.1).sum::<u32>() + danger.trapped_people[place.index()];
            let mut clock_t = t;
            loop {
                // Trapped households first (a household is never split), then people
                // trapped by injects.
                let mut load_hh = Vec::new();
                let mut load = 0;
                while let Some(&(h, n)) = trapped.first() {
                    if load > 0 && load + n > per_trip {
                        break;
                    }
                    load += n;
                    load_hh.push(h);
                    trapped.remove(0);
                }
                let mut anonymous = 0;
                if trapped.is_empty() && load < per_trip {
                    anonymous = (per_trip - load).min(danger.trapped_people[place.index()]);
                    danger.trapped_people[place.index()] -= anonymous;
                    load += anonymous;
                }
                if load == 0 {
                    break;
                }
                let usable = |sh: PlaceIdx| {
                    !shelters.closed[sh.index()]
                        && shelters.opened[sh.index()]
                        && shelters.occupancy[sh.index()] + load <= shelters.capacity[sh.index()]
                };
                let drop = job.drop_at.filter(|d| usable(*d)).or_else(|| {
                    ctx.shelters
                        .iter()
                        .copied()
                        .filter(|sh| usable(*sh))
                        .min_by(|a, b| {
                            s.place(*a)
                                .pos
                                .distance(here)
                                .total_cmp(&s.place(*b).pos.distance(here))
                                .then(a.cmp(b))
                        })
                });
                let to = drop.unwrap_or(team.base);
                if drop.is_some() {
                    // Seats are held from loading so walkers cannot take them.
                    shelters.occupancy[to.index()] += load;
                }
                for &h in &load_hh {
                    if let Ok(mut hh) = households.get_mut(index.households[h as usize]) {
                        hh.state = HhState::Aboard;
                    }
                }
                danger.aboard_anonymous += anonymous;
                job.reached += load;
                // Load, cross, unload: safe then (Rescued is stamped there); back empty.
                let leg = here.distance(s.place(to).pos) / speed;
                let landed = clock_t + leg + 2.0 * p.load_s;
                landings.schedule(
                    landed,
                    Landing {
                        place,
                        team: team_idx,
                        to,
                        households: load_hh,
                        anonymous,
                        people: load,
                        shelter: drop.is_some(),
                    },
                );
                clock_t = landed + leg;
            }
            clock_t
        }
        Work::OpenShelter(sh) => {
            if !shelters.opened[sh.index()] {
                shelters.opened[sh.index()] = true;
                log.push(
                    now,
                    SimEvent::ShelterOpened {
                        shelter: sh,
                        by: Some(job.actor),
                    },
                );
            }
            t
        }
        Work::CloseLink(l) => {
            if net.net.close(l) {
                log.push(
                    now,
                    SimEvent::LinkClosed {
                        link: l,
                        cause: LinkCloseCause::Closed(job.work_ref),
                    },
                );
            }
            t
        }
        Work::FireLine(points) => {
            let len: f64 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
            t + len / (p.fireline_m_s_per_member * f64::from(team.members.max(1)))
        }
        _ => t + p.on_the_spot_s,
    }
}

/// Role work (warnings from a post, on-the-spot tasks) finishes when its last contact
/// is made.
pub fn finish_role_jobs(clock: Res<Clock>, mut pending: ResMut<Pending>, mut log: ResMut<Log>) {
    let now = clock.now_s;
    let jobs = std::mem::take(&mut pending.role_jobs);
    for (finish, job) in jobs {
        if finish <= now {
            let outcome = if job.of > 0 && job.reached < job.of {
                TaskOutcome::Partial {
                    reached: job.reached,
                    of: job.of,
                }
            } else {
                TaskOutcome::Done
            };
            end_job(&mut log, &mut pending, &job, now, outcome);
        } else {
            pending.role_jobs.push((finish, job));
        }
    }
}

/// 受困/暴露 — people at a dangerous place are exposed; those still at home are trapped.
pub fn check_exposure(
    clock: Res<Clock>,
    ctx: Res<Ctx>,
    net: Res<Net>,
    mut danger: ResMut<Danger>,
    mut log: ResMut<Log>,
    mut households: Households,
) {
    let now = clock.now_s;
    for mut hh in households.iter_mut() {
        let here_bad = match hh.state {
            HhState::Sheltered | HhState::Aboard => false,
            HhState::Walking => hh.lane.is_some_and(|d| net.link_danger[d.link.index()]),
            _ => danger.place[hh.at.index()],
        };
        if !here_bad {
            continue;
        }
        let n = hh.people();
        if !hh.exposed {
            hh.exposed = true;
            danger.exposed_total += n;
            log.push(
                now,
                SimEvent::Exposed {
                    household: hh.id,
                    home: hh.home,
                    at: hh.at,
                    people: n,
                },
            );
        }
        // Trapped only once the grace has run out: until then they may still leave.
        // Water and fire cut people off (受困); a toxic cloud alone does not: people
        // indoors breathe what seeps in (see `hazard_effects::breathe`) and can still
        // leave, or be led out by a team (强制转移), so they are never trapped by it.
        let cut_off = ctx
            .scenario
            .header
            .hazard_kinds
            .iter()
            .any(|k| *k != HazardKind::Chemical);
        let past_grace = cut_off
            && danger
                .place_since_s
                .get(hh.at.index())
                .copied()
                .flatten()
                .is_some_and(|t| now - t >= ctx.params.trap_grace_s);
        if past_grace
            && matches!(
                hh.state,
                HhState::Home | HhState::Decided | HhState::WaitingHelp | HhState::Stranded
            )
        {
            hh.state = HhState::Trapped;
            log.push(
                now,
                SimEvent::Trapped {
                    place: hh.at,
                    people: n,
                    household: Some(hh.id),
                },
            );
        }
    }
}

/// Totals over all households now.
pub fn totals<'a>(
    world_households: impl Iterator<Item = &'a Household>,
    danger: &Danger,
    net: &Net,
) -> Totals {
    let mut t = Totals {
        exposed: danger.exposed_total,
        rescued: danger.rescued_total,
        ..Totals::default()
    };
    t.trapped = danger.trapped_people.iter().sum();
    t.evacuated = danger.rescued_anonymous;
    t.moving = danger.aboard_anonymous;
    for hh in world_households {
        let n = hh.people();
        if hh.contacts > 0 {
            t.warned += n;
        }
        match hh.state {
            HhState::Sheltered => t.evacuated += n,
            HhState::Walking | HhState::AtNode | HhState::AtShelterDoor | HhState::Aboard => {
                t.moving += n
            }
            HhState::Trapped => t.trapped += n,
            _ => {}
        }
        let bad = match hh.state {
            HhState::Sheltered | HhState::Aboard => false,
            HhState::Walking => hh.lane.is_some_and(|d| net.link_danger[d.link.index()]),
            _ => danger.place[hh.at.index()],
        };
        if bad {
            t.in_danger += n;
        }
    }
    // People trapped by injects are in danger by definition.
    t.in_danger += danger.trapped_people.iter().sum::<u32>();
    t
}
