//! 调度 — dispatch: plan tasks whose trigger has come (plan-as-written mode), the
//! trainer's due actions, and work queued for a busy team or post, each checked by
//! `validate` and then started: a post (role) acts at once from where it sits, a team
//! is activated and sets off from where it stands.

use super::validate::{could_ever_draw, draw_resources, free_holders, share_of_with, validate};
use super::warning::{Issue, channels_of, order_of, warning_contacts};
use super::{Teams, enters_danger};
use crate::model::*;
use crate::sim::events::*;
use crate::sim::matching;
use crate::sim::world::*;
use bevy_ecs::prelude::*;

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
                // 之后: as a response card reads, right after the other task starts;
                // `done` waits until it has finished.
                Trigger::After(t) => pending.started.get(t.index()).copied().unwrap_or(false),
                Trigger::AfterDone(t) => pending.finished.get(t.index()).copied().unwrap_or(false),
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
                            why: RejectReason::NobodyResponsible,
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
                job.task = matching::task_for(&scenario, &action, &d.pending.started);
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

pub(super) fn team_of(d: &Dispatch, t: TeamIdx) -> Option<Entity> {
    d.index.teams.get(t.index()).copied()
}

/// Whether a role's work is done on foot, house to house (敲门: door-knocking,
/// explicitly or as the default way to evacuate), which keeps its holders busy.
fn on_foot(job: &Job) -> bool {
    channels_of(job).contains(&Channel::DoorKnock)
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
            // House-to-house work takes the free holders it needs: one per house at
            // most (a holder is one person; ten holders given one house each work
            // side by side, issue 18), or as many as carry a megaphone when
            // megaphones are named; the others stay free for other work. Other work
            // is done by one holder in a moment and holds no one afterwards.
            let free = free_holders(&s, d.pending, r, now).max(1);
            let houses: usize = match job.work {
                Work::Warn(t)
                | Work::KnockDoors(t)
                | Work::ShelterInPlace(t)
                | Work::Evacuate { from: t, .. } => d
                    .ctx
                    .places_in(t)
                    .iter()
                    .map(|p| d.ctx.by_place[p.index()].len())
                    .sum(),
                _ => 0,
            };
            let houses = u32::try_from(houses).unwrap_or(u32::MAX).max(1);
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
                    free.min(houses)
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
                    let issue = Issue {
                        log: d.log,
                        work: Some(job.work_ref),
                    };
                    let (finish, of) = warning_contacts(
                        d.ctx,
                        d.clock,
                        d.contacts,
                        d.rngs,
                        issue,
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
                    until: (now + assemble).max(unit.held_until_s),
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
