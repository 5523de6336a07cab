//! Bilingual wording: the Chinese and English names of channels, groups, ratings and
//! the small phrases every reason is built from. Chinese first, English second.

use crate::model::{Actor, Channel, Group, HazardKind, LinkIdx, LinkKind, Scenario, Skill, Target};
use crate::sim::events::Blocked;
use serde::{Deserialize, Serialize};

/// A sentence in Chinese with its English translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// `中文 / English`, for one-line displays.
    pub fn both(&self) -> String {
        format!("{} / {}", self.zh, self.en)
    }
}

pub fn channel(c: Channel) -> (&'static str, &'static str) {
    match c {
        Channel::Loudspeaker => ("大喇叭", "loudspeaker"),
        Channel::Sms => ("短信", "SMS"),
        Channel::App => ("应用推送", "app push"),
        Channel::DoorKnock => ("敲门", "door-knocking"),
        Channel::Megaphone => ("扩音器", "megaphone"),
        Channel::Gong => ("铜锣", "gong"),
        Channel::Phone => ("电话", "phone"),
        Channel::Radio => ("对讲机", "radio"),
        Channel::Broadcast => ("电视广播", "TV/radio broadcast"),
        Channel::Siren => ("警报器", "siren"),
        Channel::HandAlarm => ("手摇报警器", "hand-cranked alarm"),
        Channel::ReservoirBroadcast => ("水库广播", "reservoir broadcast"),
        Channel::WeChat => ("微信群", "WeChat group"),
    }
}

pub fn group(g: Group) -> (&'static str, &'static str) {
    match g {
        Group::Adults => ("成年人", "adults"),
        Group::Elderly => ("老人", "elderly"),
        Group::Disabled => ("残疾人", "disabled"),
        Group::Children => ("儿童", "children"),
        Group::Dilapidated => ("危房户", "dilapidated-house residents"),
        Group::OutdoorWorkers => ("户外作业人员", "outdoor workers"),
    }
}

pub fn skill(k: Skill) -> (&'static str, &'static str) {
    match k {
        Skill::WaterRescue => ("水上救援", "water rescue"),
        Skill::Evacuation => ("转移疏散", "evacuation"),
        Skill::DoorKnock => ("敲门入户", "door-knocking"),
        Skill::Firefighting => ("扑火", "firefighting"),
        Skill::Hazmat => ("危化品处置", "hazardous materials"),
        Skill::Medical => ("医疗救护", "medical care"),
        Skill::Roadblock => ("交通管制", "road closure"),
    }
}

/// A road, path or bridge by its two ends: "溪口至溪口桥北的桥".
pub fn link(s: &Scenario, l: LinkIdx) -> (String, String) {
    let Some(link) = s.map.links.get(l.index()) else {
        return ("?".into(), "?".into());
    };
    let end = |p: crate::model::PlaceIdx| {
        s.map
            .places
            .get(p.index())
            .map_or("?".to_string(), |x| x.name.clone())
    };
    let (a, b) = (end(link.from), end(link.to));
    let (kz, ke) = match link.kind {
        LinkKind::Road => ("道路", "road"),
        LinkKind::Path => ("小路", "path"),
        LinkKind::Bridge => ("桥", "bridge"),
    };
    (
        format!("{a}至{b}的{kz}"),
        format!("the {ke} from {a} to {b}"),
    )
}

/// What the scenario's hazard does to a road: "被洪水冲断" / "cut by the flood".
pub fn hazard_cut(s: &Scenario) -> (&'static str, &'static str) {
    match s.header.hazard_kinds.first() {
        Some(HazardKind::ForestFire) => ("因火情封闭", "closed by the fire"),
        Some(HazardKind::Chemical) => ("因毒气封闭", "closed by the toxic cloud"),
        _ => ("被洪水冲断", "cut by the flood"),
    }
}

/// Why a team or household got nowhere.
pub fn blocked(b: Blocked) -> (&'static str, &'static str) {
    match b {
        Blocked::NoRoute => (
            "所有路线均已中断或处于危险中",
            "every route was closed or dangerous",
        ),
        Blocked::NoShelter => (
            "没有可到达且有空位的避灾点",
            "no shelter with room could be reached",
        ),
        Blocked::OutOfTime => ("演练结束前未完成", "the drill ended first"),
    }
}

pub fn actor(s: &Scenario, a: Actor) -> String {
    match a {
        Actor::Role(r) => s.roles.get(r.index()).map(|x| x.name.clone()),
        Actor::Team(t) => s.teams.get(t.index()).map(|x| x.name.clone()),
    }
    .unwrap_or_else(|| "?".into())
}

pub fn target(s: &Scenario, t: Target) -> String {
    match t {
        Target::Zone(z) => s.map.zones.get(z.index()).map(|z| z.name.clone()),
        Target::Place(p) => s.map.places.get(p.index()).map(|p| p.name.clone()),
        Target::All => Some("全域".into()),
    }
    .unwrap_or_else(|| "?".into())
}

/// A piece of work in a few words: "从下村转移", "营救溪口".
pub fn work(s: &Scenario, w: &crate::model::Work) -> (String, String) {
    use crate::model::Work::*;
    let place = |p: crate::model::PlaceIdx| {
        s.map
            .places
            .get(p.index())
            .map_or("?".to_string(), |x| x.name.clone())
    };
    match w {
        Warn(t) => (
            format!("向{}发布预警", target(s, *t)),
            format!("warning {}", target(s, *t)),
        ),
        KnockDoors(t) => (
            format!("在{}敲门入户", target(s, *t)),
            format!("knocking on doors in {}", target(s, *t)),
        ),
        Evacuate { from, .. } => (
            format!("从{}转移", target(s, *from)),
            format!("evacuating {}", target(s, *from)),
        ),
        OpenShelter(p) => (
            format!("开放{}", place(*p)),
            format!("opening {}", place(*p)),
        ),
        ReportAtPost => ("到岗".into(), "reporting at the post".into()),
        Assess(t) => (
            format!("评估{}", target(s, *t)),
            format!("assessing {}", target(s, *t)),
        ),
        CloseLink(l) => {
            let (z, e) = link(s, *l);
            (format!("封闭{z}"), format!("closing {e}"))
        }
        Roadblock(p) => (
            format!("在{}设卡", place(*p)),
            format!("a roadblock at {}", place(*p)),
        ),
        Rescue(t) => (
            format!("营救{}", target(s, *t)),
            format!("rescuing at {}", target(s, *t)),
        ),
        FireLine(_) => ("开设防火隔离带".into(), "building a fire line".into()),
        ShelterInPlace(t) => (
            format!("通知{}就地避险", target(s, *t)),
            format!("telling {} to shelter in place", target(s, *t)),
        ),
        Report => ("上报".into(), "reporting up the line".into()),
        Return(t) => (
            format!("组织{}群众返回", target(s, *t)),
            format!("letting people return to {}", target(s, *t)),
        ),
    }
}

/// Whole minutes, rounded half up (a 12.5 min delay reads "13 min").
pub fn minutes(s: f64) -> i64 {
    (s / 60.0).round() as i64
}

/// `A、B和C` / `A, B and C`.
pub fn list(items: &[(String, String)]) -> (String, String) {
    let zh: Vec<&str> = items.iter().map(|x| x.0.as_str()).collect();
    let en: Vec<&str> = items.iter().map(|x| x.1.as_str()).collect();
    let join_en = match en.len() {
        0 => String::new(),
        1 => en[0].to_string(),
        n => format!("{} and {}", en[..n - 1].join(", "), en[n - 1]),
    };
    (zh.join("、"), join_en)
}
