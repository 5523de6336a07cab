//! Bilingual wording: the Chinese and English names of channels, groups, ratings and
//! the small phrases every reason is built from. Chinese first, English second.

use crate::model::{Actor, Channel, Group, Scenario, Target};
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
