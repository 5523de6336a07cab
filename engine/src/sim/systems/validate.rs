//! 校验 — whether work may start now: known actor and target, the skill it needs, a
//! free team or post holder, and the resources it names (资源: the acting team's own
//! equipment first, then the common stock). The reason for a refusal names what is
//! wrong; plan work that is only waiting (busy team, equipment in use) stays queued.

use super::dispatch::{Dispatch, team_of};
use crate::model::*;
use crate::sim::events::*;
use crate::sim::world::*;

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
            return Err(RejectReason::LinkAlreadyClosed(*l));
        }
        Work::OpenShelter(p) if s.place(*p).shelter.is_none() => {
            return Err(RejectReason::NotAShelter(*p));
        }
        Work::OpenShelter(p) if d.shelters.opened[p.index()] => {
            return Err(RejectReason::ShelterAlreadyOpen(*p));
        }
        _ => {}
    }
    // A channel that sounds from equipment (大喇叭, 警报器, 手摇报警器, 水库广播)
    // needs some of it in the scenario.
    for &c in &job.how {
        if let Some(kind) = ResourceKind::sounding(c)
            && !s.resources.iter().any(|r| r.kind == kind)
        {
            return Err(RejectReason::ChannelUnavailable(c));
        }
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
                return Err(RejectReason::PostIsNoTeam(r));
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
pub(super) fn could_ever_draw(ctx: &Ctx, job: &Job) -> bool {
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
pub(super) fn share_of_with(ctx: &Ctx, task: &Task, actor: Actor) -> Vec<ResourceUse> {
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

/// Holders of a post not taken up by running work at `now`.
pub(super) fn free_holders(s: &Scenario, pending: &Pending, r: RoleIdx, now: f64) -> u32 {
    let busy: u32 = pending.role_busy[r.index()]
        .iter()
        .filter(|h| h.until > now)
        .map(|h| h.holders)
        .sum();
    s.roles[r.index()].count.max(1).saturating_sub(busy)
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
