//! Short human-readable text for plan tasks and injects, for the checklist table and
//! the inject timeline. Names come from the scenario; structure words follow the
//! scenario language's own keywords so the table reads like the file.

use drill_engine::model::{
    Actor, Channel, Deadline, Effect, Inject, InjectTrigger, RequireOf, ResourceUse, RiskLevel,
    Scenario, Service, Target, Task, Trigger, Work,
};

pub fn level(l: RiskLevel) -> &'static str {
    match l {
        RiskLevel::Red => "红",
        RiskLevel::Orange => "橙",
        RiskLevel::Yellow => "黄",
        RiskLevel::Blue => "蓝",
    }
}

pub fn target(sc: &Scenario, t: &Target) -> String {
    match t {
        Target::Zone(z) => sc
            .map
            .zones
            .get(z.index())
            .map_or("?".into(), |z| z.name.clone()),
        Target::Place(p) => place(sc, p.index()),
        Target::All => "全部".into(),
    }
}

pub fn place(sc: &Scenario, i: usize) -> String {
    sc.map.places.get(i).map_or("?".into(), |p| p.name.clone())
}

fn task_id(sc: &Scenario, i: usize) -> String {
    sc.plan.tasks.get(i).map_or("?".into(), |t| t.id.clone())
}

pub fn actor(sc: &Scenario, a: Actor) -> String {
    match a {
        Actor::Role(r) => sc.roles.get(r.index()).map(|r| r.name.clone()),
        Actor::Team(t) => sc.teams.get(t.index()).map(|t| t.name.clone()),
    }
    .unwrap_or_else(|| "?".into())
}

/// Seconds from the start as a clock time on the drill's start day.
pub fn clock(sc: &Scenario, offset_s: f64) -> String {
    sc.header.start.clock_at(offset_s)
}

pub fn trigger(sc: &Scenario, t: &Trigger) -> String {
    match t {
        Trigger::Warning(l) => format!("{}色预警", level(*l)),
        Trigger::Inject(n) => format!("注入 {n}"),
        Trigger::Danger(z) => format!("危险 {}", target(sc, &Target::Zone(*z))),
        Trigger::At(s) => clock(sc, *s),
        Trigger::After(i) => format!("{} 之后", task_id(sc, i.index())),
        Trigger::AfterDone(i) => format!("{} 完成之后", task_id(sc, i.index())),
        Trigger::Before(i) => format!("{} 之前", task_id(sc, i.index())),
        Trigger::BeforeReturn => "返回之前".into(),
    }
}

pub fn who(sc: &Scenario, task: &Task) -> String {
    task.who
        .iter()
        .map(|&a| actor(sc, a))
        .collect::<Vec<_>>()
        .join("、")
}

pub fn work(sc: &Scenario, w: &Work) -> String {
    match w {
        Work::Warn(t) => format!("预警 {}", target(sc, t)),
        Work::KnockDoors(t) => format!("敲门 {}", target(sc, t)),
        Work::Evacuate { from, to, .. } => {
            format!(
                "转移 {} → {}",
                target(sc, from),
                to.map_or("?".into(), |p| place(sc, p.index()))
            )
        }
        Work::OpenShelter(p) => format!("开放 {}", place(sc, p.index())),
        Work::ReportAtPost => "到岗".into(),
        Work::Assess(t) => format!("评估 {}", target(sc, t)),
        Work::CloseLink(l) => sc.map.links.get(l.index()).map_or("封闭 ?".into(), |l| {
            format!(
                "封闭 {} → {}",
                place(sc, l.from.index()),
                place(sc, l.to.index())
            )
        }),
        Work::Roadblock(p) => format!("设卡 {}", place(sc, p.index())),
        Work::Rescue(t) => format!("救援 {}", target(sc, t)),
        Work::FireLine(pts) => format!("隔离带 ({} 点)", pts.len()),
        Work::ShelterInPlace(t) => format!("就地避险 {}", target(sc, t)),
        Work::Report => "上报".into(),
        Work::Return(t) => format!("返回 {}", target(sc, t)),
    }
}

pub fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Loudspeaker => "大喇叭",
        Channel::Sms => "短信",
        Channel::App => "推送",
        Channel::DoorKnock => "上门",
        Channel::Megaphone => "扩音器",
        Channel::Gong => "锣",
        Channel::Phone => "电话",
        Channel::Radio => "对讲机",
        Channel::Broadcast => "广播",
        Channel::Siren => "警报器",
        Channel::HandAlarm => "手摇报警器",
        Channel::ReservoirBroadcast => "水库广播",
        Channel::WeChat => "微信群",
    }
}

pub fn how(task: &Task) -> String {
    task.how
        .iter()
        .map(|&c| channel(c))
        .collect::<Vec<_>>()
        .join("、")
}

pub fn resources(sc: &Scenario, uses: &[ResourceUse]) -> String {
    uses.iter()
        .map(|u| {
            let name = sc
                .resources
                .get(u.resource.index())
                .map_or("?", |r| r.name.as_str());
            format!("{name}×{}", u.quantity)
        })
        .collect::<Vec<_>>()
        .join("、")
}

pub fn deadline(sc: &Scenario, task: &Task) -> String {
    let mut s = match task.deadline {
        Some(Deadline::Within(d)) => format!("{} 分钟内", (d / 60.0).round()),
        Some(Deadline::By(t)) => format!("{} 前", clock(sc, t)),
        None => String::new(),
    };
    if let Some(r) = task.require {
        let of = match r.of {
            RequireOf::Households => "户",
            RequireOf::People => "人",
        };
        s.push_str(&format!(" 要求{}%{of}", r.percent));
    }
    s.trim().to_owned()
}

/// When an inject fires, seconds from the start (a contingency inject at its check time).
pub fn inject_time_s(inject: &Inject) -> f64 {
    match inject.trigger {
        InjectTrigger::At(s) => s,
        InjectTrigger::IfNot { by_s, .. } => by_s,
    }
}

pub fn inject_when(sc: &Scenario, inject: &Inject) -> String {
    match inject.trigger {
        InjectTrigger::At(s) => clock(sc, s),
        InjectTrigger::IfNot { task, by_s } => {
            format!("如未 {} {}", task_id(sc, task.index()), clock(sc, by_s))
        }
    }
}

pub fn effect(sc: &Scenario, e: &Effect) -> String {
    match e {
        Effect::Warning(l) => format!("{}色预警", level(*l)),
        Effect::CloseLink(l) => work(sc, &Work::CloseLink(*l)),
        Effect::Danger(z) => format!("危险 {}", target(sc, &Target::Zone(*z))),
        Effect::Trapped { place: p, people } => format!("被困 {} {people}人", place(sc, p.index())),
        Effect::ShelterClosed(p) => format!("关闭 {}", place(sc, p.index())),
        Effect::PowerCut(t) => format!("停电 {}", target(sc, t)),
        Effect::PowerRestored(t) => format!("恢复供电 {}", target(sc, t)),
        Effect::OutOfService(x) => format!("停用 {}", service(sc, x)),
        Effect::Restored(x) => format!("恢复 {}", service(sc, x)),
        Effect::PhonesDown => "通信中断".into(),
        Effect::PhonesRestored => "恢复通信".into(),
        Effect::TeamDelayed { team, delay_s } => format!(
            "{} 延误 {} 分钟",
            sc.teams.get(team.index()).map_or("?", |t| t.name.as_str()),
            (delay_s / 60.0).round()
        ),
        Effect::Inflow { river, m3_s, .. } => format!(
            "{} 来水 {m3_s} m³/s",
            sc.map
                .rivers
                .get(river.index())
                .map_or("?", |r| r.name.as_str())
        ),
        Effect::Ignition(p) => format!("起火 ({:.0}, {:.0})", p.x, p.y),
    }
}

/// What an `out_of_service` / `restore` effect names, in words.
fn service(sc: &Scenario, s: &Service) -> String {
    match s {
        Service::Resource(r) => sc
            .resources
            .get(r.index())
            .map_or("?".into(), |r| r.name.clone()),
        Service::Channel(c) => channel(*c).into(),
    }
}

/// The engine's reason for refusing an action, in words (Chinese names from the
/// scenario): the engine's own wording, so the editor and the reports agree.
pub fn reject_reason(sc: &Scenario, r: &drill_engine::sim::events::RejectReason) -> String {
    r.describe(sc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::model::*;

    fn scenario() -> Scenario {
        let mut sc = Scenario::default();
        sc.header.start = DateTime {
            year: 2026,
            month: 6,
            day: 18,
            hour: 20,
            minute: 0,
        };
        sc.map.places = vec![
            Place {
                name: "下村".into(),
                ..Default::default()
            },
            Place {
                name: "竹源小学".into(),
                kind: PlaceKind::Shelter,
                ..Default::default()
            },
        ];
        sc.roles.push(Role {
            name: "村应急管理员".into(),
            level: AdminLevel::Village,
            commander: false,
            count: 1,
            post: None,
            span: Span::default(),
        });
        sc.plan.tasks.push(Task {
            id: "T1".into(),
            title: "转移".into(),
            trigger: Trigger::Warning(RiskLevel::Red),
            who: vec![Actor::Role(RoleIdx(0))],
            work: Work::Evacuate {
                groups: vec![],
                from: Target::Place(PlaceIdx(0)),
                to: Some(PlaceIdx(1)),
            },
            how: vec![Channel::Loudspeaker, Channel::Gong],
            with: vec![],
            deadline: Some(Deadline::Within(1800.0)),
            require: Some(Requirement {
                percent: 100.0,
                of: RequireOf::Households,
            }),
            span: Span::default(),
        });
        sc
    }

    #[test]
    fn a_task_reads_like_the_response_card() {
        let sc = scenario();
        let t = &sc.plan.tasks[0];
        assert_eq!(trigger(&sc, &t.trigger), "红色预警");
        assert_eq!(who(&sc, t), "村应急管理员");
        assert_eq!(work(&sc, &t.work), "转移 下村 → 竹源小学");
        assert_eq!(how(t), "大喇叭、锣");
        assert_eq!(deadline(&sc, t), "30 分钟内 要求100%户");
        assert_eq!(trigger(&sc, &Trigger::At(5400.0)), "21:30");
    }

    #[test]
    fn dangling_indices_show_a_question_mark_instead_of_panicking() {
        let sc = scenario();
        assert_eq!(work(&sc, &Work::OpenShelter(PlaceIdx(99))), "开放 ?");
        assert_eq!(trigger(&sc, &Trigger::After(TaskIdx(7))), "? 之后");
    }
}
