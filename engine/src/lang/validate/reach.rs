//! 大喇叭 — loudspeaker reach: W0009 for a plan task or a logged action that warns or
//! orders people by loudspeaker where no loudspeaker reaches them.

use crate::lang::diagnostic::Diagnostic;
use crate::model::*;

/// W0009: a plan task that warns or orders people by loudspeaker (大喇叭) where no
/// loudspeaker reaches. The simulation lets a loudspeaker warn only the households
/// within its `radius` of it (the ones the task names under `with`, or else every
/// loudspeaker in the scenario), so a populated place of the task's target beyond all
/// of them hears nothing by that channel: a gap in the plan a trainer wants to see
/// before the drill, not in its report. Loudspeakers without a `radius` get the
/// simulation's default, which the scenario language does not know, so a task that may
/// use one is not checked.
pub fn out_of_loudspeaker_reach(s: &Scenario) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for task in &s.plan.tasks {
        let order = LoudspeakerOrder {
            how: &task.how,
            work: &task.work,
            with: &task.with,
        };
        for gap in loudspeaker_gaps(s, order) {
            let place = gap.place;
            let subject = (format!("任务 {}", task.id), format!("task {}", task.id));
            diags.push(
                gap.warning(task.span, subject, ("", ""))
                    .secondary(gap.nearest.span, "nearest loudspeaker")
                    .help(format!(
                        "add a loudspeaker that reaches {place} (e.g. `{place}广播 大喇叭 位于 {place} 半径 600m` / `… loudspeaker at {place} radius 600m`){with}, or warn {place} by another channel / 在{place}增设大喇叭,或改用其他渠道",
                        with = if gap.named_any { " and list it under the task's `with`" } else { "" },
                    )),
            );
        }
    }
    diags
}

/// W0009 for a logged action: what a participant did by loudspeaker where none
/// reaches. The log is a record, not a plan to mend, so the warning says what follows
/// from it: the simulation warns nobody there by that channel, and the report counts
/// them unwarned unless another channel reached them. The loudspeaker is named, not
/// marked: its line is in the scenario, not in the log the diagnostic is shown with.
pub fn logged_out_of_loudspeaker_reach(s: &Scenario, log: &ActionLog) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for action in &log.actions {
        let order = LoudspeakerOrder {
            how: &action.how,
            work: &action.work,
            with: &action.with,
        };
        for gap in loudspeaker_gaps(s, order) {
            let place = gap.place;
            let subject = ("该行动".to_string(), "this action".to_string());
            let consequence = (
                format!(":推演中 {place} 无人由此听到"),
                ": in the run nobody there hears it".to_string(),
            );
            diags.push(gap.warning(action.span, subject, consequence).help(format!(
                "the report counts {place} unwarned unless another channel (SMS, door knocking) reached it; raise this in the debrief / 复盘时指出:除非其他渠道送达,{place} 计为未预警"
            )));
        }
    }
    diags
}

/// A populated place that an order by loudspeaker does not reach.
struct LoudspeakerGap<'a> {
    place: &'a str,
    /// The order's loudspeaker nearest to the place, its distance and radius, metres.
    nearest: &'a Resource,
    distance_m: f64,
    radius_m: f64,
    /// Whether the order names a loudspeaker under `with`.
    named_any: bool,
}

impl LoudspeakerGap<'_> {
    /// W0009 at `span`: `subject` (Chinese, English) warns by loudspeaker, but none
    /// reaches the place, and then `consequence`.
    fn warning(
        &self,
        span: Span,
        (subject_zh, subject_en): (String, String),
        (then_zh, then_en): (impl AsRef<str>, impl AsRef<str>),
    ) -> Diagnostic {
        let (place, nearest) = (self.place, &self.nearest.name);
        let (distance, radius) = (self.distance_m, self.radius_m);
        let (then_zh, then_en) = (then_zh.as_ref(), then_en.as_ref());
        Diagnostic::warning(
            "W0009",
            span,
            format!(
                "{subject_zh} 用大喇叭,但 {place} 不在任何大喇叭的范围内 (最近的 {nearest} 距 {distance} 米,半径 {radius} 米){then_zh}"
            ),
            format!(
                "{subject_en} warns by loudspeaker, but no loudspeaker reaches {place} (the nearest, {nearest}, is {distance} m away with a {radius} m radius){then_en}"
            ),
        )
        .label("no loudspeaker reaches every place it warns")
    }
}

/// A plan task's or a logged action's warning or order, as far as loudspeakers go.
#[derive(Clone, Copy)]
struct LoudspeakerOrder<'a> {
    how: &'a [Channel],
    work: &'a Work,
    with: &'a [ResourceUse],
}

/// The populated places of the order's target that none of its loudspeakers reaches.
fn loudspeaker_gaps<'a>(s: &'a Scenario, order: LoudspeakerOrder) -> Vec<LoudspeakerGap<'a>> {
    let mut gaps = Vec::new();
    if !order.how.contains(&Channel::Loudspeaker) {
        return gaps;
    }
    let target = match order.work {
        Work::Warn(t) | Work::ShelterInPlace(t) | Work::KnockDoors(t) => *t,
        Work::Evacuate { from, .. } => *from,
        _ => return gaps,
    };
    let speakers = s.loudspeakers_for(order.with);
    let named_any = order.with.iter().any(|u| {
        s.resources
            .get(u.resource.index())
            .is_some_and(|r| r.kind == ResourceKind::Loudspeaker)
    });
    // No loudspeaker at all is refused by the simulation with its own message.
    let Some(reach) = speakers
        .iter()
        .map(|r| {
            let at = s.map.places.get(r.at.index())?;
            Some((*r, at.pos, r.radius_m?))
        })
        .collect::<Option<Vec<_>>>()
        .filter(|v| !v.is_empty())
    else {
        return gaps;
    };
    for place in places_of(s, target) {
        let populated = place.households > 0 || place.people > 0;
        if !populated || place.shelter.is_some() {
            continue;
        }
        if reach
            .iter()
            .any(|(_, at, radius)| at.distance(place.pos) <= *radius)
        {
            continue;
        }
        let (nearest, at, radius) = reach
            .iter()
            .min_by(|a, b| a.1.distance(place.pos).total_cmp(&b.1.distance(place.pos)))
            .copied()
            .expect("reach is not empty");
        let distance = at.distance(place.pos).round();
        gaps.push(LoudspeakerGap {
            place: &place.name,
            nearest,
            distance_m: distance,
            radius_m: radius,
            named_any,
        });
    }
    gaps
}

/// The places a task's target covers: the place itself, or the places inside the zone
/// or on the whole map other than shelters (whose people are not the ones warned or
/// moved).
pub(super) fn places_of(s: &Scenario, target: Target) -> Vec<&Place> {
    match target {
        Target::Place(p) => vec![s.place(p)],
        Target::Zone(z) => {
            let zone = s.zone(z);
            s.map
                .places
                .iter()
                .filter(|p| p.shelter.is_none() && zone.contains(p.pos))
                .collect()
        }
        Target::All => s
            .map
            .places
            .iter()
            .filter(|p| p.shelter.is_none())
            .collect(),
    }
}
