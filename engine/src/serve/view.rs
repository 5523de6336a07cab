//! 视图 — what each holder of a token may see, as JSON: the static view of the
//! scenario for a grant (a participant's response card and decision templates, the
//! map; the trainer's and evaluators' whole plan), injects with their audience, the
//! tick (clock and live map), the scoreboard, and the checks on an evaluator's or a
//! participant's record. No file path and no other role's private inject appears in
//! a participant's view.

use super::auth::Grant;
use super::drill::Answer;
use super::feed::Audience;
use crate::lang::print;
use crate::model::{
    Action, Actor, Deadline, InjectTrigger, RiskLevel, RoleIdx, Scenario, TeamIdx, Trigger,
};
use crate::score::ScoreReport;
use crate::sim::snapshot::{InjectView, Snapshot, TeamState};
use crate::sim::world::HhState;
use serde_json::{Value, json};

/// Participants' choices at `/join`: every role (`r0`, `r1`...) and team (`t0`...).
pub fn roles_json(s: &Scenario) -> Value {
    let roles = s.roles.iter().enumerate().map(|(i, r)| {
        json!({"id": format!("r{i}"), "name": r.name, "kind": "role", "commander": r.commander})
    });
    let teams = s
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| json!({"id": format!("t{i}"), "name": t.name, "kind": "team"}));
    json!({"title": s.header.title, "roles": roles.chain(teams).collect::<Vec<_>>()})
}

/// The role or team a `/join` id names.
pub fn actor_of(s: &Scenario, id: &str) -> Option<(Actor, String)> {
    let n: usize = id.get(1..)?.parse().ok()?;
    match id.as_bytes().first()? {
        b'r' if n < s.roles.len() => {
            Some((Actor::Role(RoleIdx(n as u32)), s.roles[n].name.clone()))
        }
        b't' if n < s.teams.len() => {
            Some((Actor::Team(TeamIdx(n as u32)), s.teams[n].name.clone()))
        }
        _ => None,
    }
}

fn trigger_text(s: &Scenario, t: &Trigger) -> String {
    let clock = |t_s: f64| s.header.start.clock_at(t_s);
    match t {
        Trigger::Warning(level) => {
            let (zh, en) = match level {
                RiskLevel::Red => ("红色", "red"),
                RiskLevel::Orange => ("橙色", "orange"),
                RiskLevel::Yellow => ("黄色", "yellow"),
                RiskLevel::Blue => ("蓝色", "blue"),
            };
            format!("收到{zh}预警后 / on a {en} warning")
        }
        Trigger::Inject(n) => format!("注入 {n} 后 / after inject {n}"),
        Trigger::Danger(z) => {
            let z = &s.zone(*z).name;
            format!("{z} 危险时 / when {z} is dangerous")
        }
        Trigger::At(t_s) => format!("{} 起 / at {}", clock(*t_s), clock(*t_s)),
        Trigger::After(t) => {
            let id = &s.task(*t).id;
            format!("{id} 开始后 / after {id} starts")
        }
        Trigger::AfterDone(t) => {
            let id = &s.task(*t).id;
            format!("{id} 完成后 / after {id} is done")
        }
        Trigger::Before(t) => {
            let id = &s.task(*t).id;
            format!("{id} 之前 / before {id}")
        }
        Trigger::BeforeReturn => "群众返回前 / before people return".to_string(),
    }
}

fn deadline_text(s: &Scenario, d: &Deadline) -> String {
    match d {
        Deadline::Within(sec) => format!("{} 分钟内 / within {} min", sec / 60.0, sec / 60.0),
        Deadline::By(t) => format!(
            "{} 前 / by {}",
            s.header.start.clock_at(*t),
            s.header.start.clock_at(*t)
        ),
    }
}

/// One plan task for a card or the evaluators' form; the deadline left out when the
/// trainer hides it from participants.
fn task_json(s: &Scenario, i: usize, deadline: bool) -> Value {
    let t = &s.plan.tasks[i];
    let who: Vec<&str> = t.who.iter().map(|a| s.actor_name(*a)).collect();
    let mut v = json!({
        "id": t.id,
        "title": t.title,
        "who": who,
        "when": trigger_text(s, &t.trigger),
    });
    if deadline && let Some(d) = &t.deadline {
        v["deadline"] = json!(deadline_text(s, d));
    }
    v
}

/// The map's static part: places, roads and zones in map metres (y grows down).
fn map_json(s: &Scenario) -> Value {
    let places: Vec<Value> = s
        .map
        .places
        .iter()
        .map(|p| json!({"name": p.name, "x": p.pos.x, "y": p.pos.y, "shelter": p.shelter.is_some(), "kind": format!("{:?}", p.kind)}))
        .collect();
    let links: Vec<Value> = s
        .map
        .links
        .iter()
        .map(|l| {
            let mut pts = vec![s.place(l.from).pos];
            pts.extend(l.via.iter().copied());
            pts.push(s.place(l.to).pos);
            json!(pts.iter().flat_map(|p| [p.x, p.y]).collect::<Vec<f64>>())
        })
        .collect();
    let zones: Vec<Value> = s
        .map
        .zones
        .iter()
        .map(|z| json!({"name": z.name, "pts": z.polygon.iter().flat_map(|p| [p.x, p.y]).collect::<Vec<f64>>()}))
        .collect();
    json!({"places": places, "links": links, "zones": zones})
}

/// The static view for a token: who it is, the scenario's title and start, the map,
/// and what its holder needs — a participant its response card (应急处置卡 tasks for
/// its role) and a decision template per task; the trainer and evaluators the whole
/// plan and the inject list.
pub fn view_json(s: &Scenario, grant: &Grant, hide_deadlines: bool) -> Value {
    let mut v = json!({
        "title": s.header.title,
        "start": s.header.start.clock_at(0.0),
        "end": s.header.start.clock_at(s.header.duration_s),
        "map": map_json(s),
    });
    match grant {
        Grant::Participant { actor, name } => {
            let card: Vec<usize> = (0..s.plan.tasks.len())
                .filter(|&i| s.plan.tasks[i].who.contains(actor))
                .collect();
            // Each card task as the action that would do it, less its time: the form
            // puts the drill clock's next minute before it.
            let templates: Vec<Value> = card
                .iter()
                .map(|&i| {
                    let t = &s.plan.tasks[i];
                    let a = Action {
                        at_s: 0.0,
                        actor: *actor,
                        work: t.work.clone(),
                        how: t.how.clone(),
                        with: t.with.clone(),
                        span: Default::default(),
                    };
                    let line = print::action_line(s, &a);
                    let rest = line.split_once(' ').map_or(line.as_str(), |(_, r)| r);
                    json!({"task": format!("{} {}", t.id, t.title), "line": rest})
                })
                .collect();
            v["grant"] = json!({"kind": "participant", "name": name});
            v["card"] = json!(
                card.iter()
                    .map(|&i| task_json(s, i, !hide_deadlines))
                    .collect::<Vec<_>>()
            );
            v["templates"] = json!(templates);
        }
        Grant::Evaluator { name } => {
            v["grant"] = json!({"kind": "evaluator", "name": name});
            v["tasks"] = json!(
                (0..s.plan.tasks.len())
                    .map(|i| task_json(s, i, true))
                    .collect::<Vec<_>>()
            );
        }
        Grant::Trainer => {
            v["grant"] = json!({"kind": "trainer", "name": "导调"});
            v["tasks"] = json!(
                (0..s.plan.tasks.len())
                    .map(|i| task_json(s, i, true))
                    .collect::<Vec<_>>()
            );
            v["roles"] = roles_json(s)["roles"].clone();
        }
    }
    v
}

/// An inject that fired, and who may read it: its addressees (and the staff), or
/// everyone when it names none.
pub fn inject_json(s: &Scenario, number: u32, t_s: f64, contingency: bool) -> (Audience, String) {
    let Some(i) = s.injects.iter().find(|i| i.number == number) else {
        return (Audience::Staff, json!({"number": number}).to_string());
    };
    let to: Vec<&str> = i.to.iter().map(|a| s.actor_name(*a)).collect();
    let audience = if i.to.is_empty() {
        Audience::All
    } else {
        Audience::Actors(i.to.clone())
    };
    let data = json!({
        "number": number,
        "at": s.header.start.clock_at(t_s),
        "from": i.from,
        "to": to,
        "via": i.via.map(|c| format!("{c:?}")),
        "message": i.message,
        "contingency": contingency,
    });
    (audience, data.to_string())
}

/// The trainer's list of injects still to come (the next ten).
pub fn upcoming_json(s: &Scenario, upcoming: &[InjectView]) -> Value {
    json!(upcoming.iter().take(10).map(|i| {
        let to: Vec<&str> = s.injects.iter().find(|x| x.number == i.number)
            .map(|x| x.to.iter().map(|a| s.actor_name(*a)).collect()).unwrap_or_default();
        let contingent = s.injects.iter().any(|x| x.number == i.number && matches!(x.trigger, InjectTrigger::IfNot { .. }));
        json!({"number": i.number, "due": s.header.start.clock_at(i.due_s), "to": to, "message": i.message, "contingency": contingent})
    }).collect::<Vec<_>>())
}

/// The live map: teams, households (at most 1,500, spread evenly) by state, roads
/// closed, shelters' occupancy. State codes: 0 at home, 1 on the move, 2 sheltered,
/// 3 stranded or trapped, 4 sheltering in place.
pub fn tick_json(s: &Scenario, snap: &Snapshot, playing: bool, speed: f64) -> Value {
    let every = snap.households.len().div_ceil(1500).max(1);
    let hh: Vec<[f64; 3]> = snap
        .households
        .iter()
        .step_by(every)
        .map(|h| {
            let code = match h.state {
                HhState::Home => 0,
                HhState::Sheltered => 2,
                HhState::Stranded | HhState::Trapped => 3,
                HhState::ShelteringInPlace => 4,
                _ => 1,
            };
            [h.pos.x.round(), h.pos.y.round(), code as f64]
        })
        .collect();
    let teams: Vec<Value> = snap
        .teams
        .iter()
        .map(|t| {
            let state = match t.state {
                TeamState::Idle => "待命",
                TeamState::Mobilising => "集结",
                TeamState::Travelling => "行进",
                TeamState::Working => "作业",
            };
            json!({"name": s.teams.get(t.team.index()).map_or("?", |x| x.name.as_str()), "x": t.pos.x, "y": t.pos.y, "state": state})
        })
        .collect();
    let closed: Vec<usize> = snap
        .links
        .iter()
        .filter(|l| !l.open)
        .map(|l| l.link.index())
        .collect();
    let shelters: Vec<Value> = snap
        .shelters
        .iter()
        .map(|x| json!({"name": s.place(x.place).name, "occupancy": x.occupancy, "capacity": x.capacity}))
        .collect();
    json!({
        "clock": s.header.start.clock_at(snap.t_s),
        "t_s": snap.t_s,
        "end_s": s.header.duration_s,
        "playing": playing,
        "speed": speed,
        "hh": hh,
        "teams": teams,
        "closed": closed,
        "shelters": shelters,
    })
}

/// The live scoreboard: each plan task's engine rating and score, the total and the
/// verdict.
pub fn scoreboard(r: &ScoreReport) -> Value {
    json!({
        "total": (r.total * 10.0).round() / 10.0,
        "conclusion": r.conclusion.zh,
        "tasks": r.tasks.iter().map(|t| json!({
            "id": t.id,
            "title": t.title,
            "rating": t.rating.map(|x| format!("{x:?}")),
        })).collect::<Vec<_>>(),
    })
}

const MAX_NOTE_CHARS: usize = 2_000;

fn text_field(v: &Value, key: &str) -> Result<String, (u16, String)> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(t)) if t.chars().count() <= MAX_NOTE_CHARS => Ok(t.trim().to_string()),
        Some(Value::String(_)) => Err((
            400,
            format!("{key}: 最多 {MAX_NOTE_CHARS} 字 / at most {MAX_NOTE_CHARS} characters"),
        )),
        Some(_) => Err((400, format!("{key}: 应为文字 / must be text"))),
    }
}

fn rating_field(v: &Value) -> Result<Option<String>, (u16, String)> {
    match text_field(v, "rating")?.as_str() {
        "" => Ok(None),
        r @ ("P" | "S" | "M" | "U") => Ok(Some(r.to_string())),
        _ => Err((
            400,
            "rating: 应为 P, S, M 或 U / must be P, S, M or U".into(),
        )),
    }
}

fn time_field(v: &Value, key: &str) -> Result<String, (u16, String)> {
    let t = text_field(v, key)?;
    let ok = t.is_empty()
        || t.split_once(':').is_some_and(|(h, m)| {
            h.len() <= 2
                && m.len() == 2
                && h.parse::<u8>().is_ok_and(|h| h < 24)
                && m.parse::<u8>().is_ok_and(|m| m < 60)
        });
    if ok {
        Ok(t)
    } else {
        Err((400, format!("{key}: 时间应为 HH:MM / a time is HH:MM")))
    }
}

/// Checks a record and returns it as stored: an evaluator's observation of a plan
/// task (评估组: `{"kind": "observation", "task": "T3", "started": "21:05",
/// "finished": "21:40", "note": "...", "rating": "S"}`), or a participant's
/// self-assessment (参演人员自评: `{"kind": "self", "rating": "S", "well": "...",
/// "improve": "..."}`). The trainer may enter either.
pub fn check_record(s: &Scenario, grant: &Grant, v: &Value) -> Answer {
    let kind = text_field(v, "kind")?;
    match (kind.as_str(), grant) {
        ("observation", Grant::Evaluator { .. } | Grant::Trainer) => {
            let task = text_field(v, "task")?;
            if !s.plan.tasks.iter().any(|t| t.id == task) {
                return Err((400, "task: 预案中没有此任务 / no such plan task".into()));
            }
            Ok(json!({
                "kind": "observation",
                "task": task,
                "started": time_field(v, "started")?,
                "finished": time_field(v, "finished")?,
                "note": text_field(v, "note")?,
                "rating": rating_field(v)?,
            }))
        }
        ("self", Grant::Participant { .. } | Grant::Trainer) => Ok(json!({
            "kind": "self",
            "rating": rating_field(v)?,
            "well": text_field(v, "well")?,
            "improve": text_field(v, "improve")?,
        })),
        ("observation" | "self", _) => Err((
            403,
            "此身份不能提交这类记录 / this token cannot file this kind of record".into(),
        )),
        _ => Err((
            400,
            "kind: 应为 observation 或 self / must be observation or self".into(),
        )),
    }
}
