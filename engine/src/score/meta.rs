//! 演练概况 — what the signed report says about the drill besides its scores: title,
//! purpose (演练目的), organiser (组织单位), date and place held (演练时间、地点), tabletop
//! or field (桌面推演 / 实战演练), participating units and their roles (参演单位及职责),
//! and the evaluators (评估组长, 评估人员); and the language the report is written in.
//!
//! A plain struct the caller fills (the command line from `drill run`'s flags, the
//! editor from its run) and hands to the renderers; the scenario supplies what it
//! knows (title, date, posts and teams), nothing here reads a file. It travels in
//! `report.json` under the key `meta`, so `drill compare` can label a drill by the date
//! it was held.

use super::{ScoreReport, Text};
use crate::model::{AdminLevel, Scenario, Skill};
use serde::{Deserialize, Serialize};

/// The language a report is written in: Chinese only (the default: what a county
/// files), English only, or both (`中文 / English`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
    Both,
}

impl Lang {
    /// `zh`, `en` or `both` (the `--lang` flag's values).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            "both" => Some(Lang::Both),
            _ => None,
        }
    }

    /// One label or short phrase in this language (`中文 / English` for both).
    pub fn pick(self, zh: &str, en: &str) -> String {
        match self {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both if zh == en => zh.to_string(),
            Lang::Both => format!("{zh} / {en}"),
        }
    }

    /// A table column's heading: for both languages, Chinese above English (a
    /// narrow column would break `时效 / Time` anywhere).
    pub fn head(self, zh: &str, en: &str) -> String {
        match self {
            Lang::Both => format!("{zh}\n{en}"),
            one => one.pick(zh, en),
        }
    }

    pub fn text(self, t: &Text) -> String {
        self.pick(&t.zh, &t.en)
    }

    /// Whole sentences: for both languages, the Chinese paragraph then the English
    /// one (a `/` inside prose reads badly).
    pub fn paragraphs(self, zh: String, en: String) -> Vec<String> {
        match self {
            Lang::Zh => vec![zh],
            Lang::En => vec![en],
            Lang::Both => vec![zh, en],
        }
    }

    /// The `lang` attribute of the HTML page.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh | Lang::Both => "zh-CN",
        }
    }
}

/// 桌面推演 or 实战演练.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DrillKind {
    /// 桌面推演 — a tabletop drill (`drill exercise`).
    Tabletop,
    /// 实战演练 — a field drill, people and teams on the ground.
    Field,
}

impl DrillKind {
    /// `tabletop` or `field` (the `--kind` flag's values; the Chinese words too).
    pub fn parse(s: &str) -> Option<DrillKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tabletop" | "桌面推演" | "桌面" => Some(DrillKind::Tabletop),
            "field" | "实战演练" | "实战" => Some(DrillKind::Field),
            _ => None,
        }
    }

    pub fn label(self) -> Text {
        match self {
            DrillKind::Tabletop => Text::new("桌面推演", "tabletop drill"),
            DrillKind::Field => Text::new("实战演练", "field drill"),
        }
    }
}

/// One participating unit or post (参演单位) and what it does in the drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    /// 岗位 (a post of the command structure) or 队伍 (a team).
    pub kind: Text,
    /// Its role: level and command for a post, members and skills for a team.
    pub role: Text,
}

/// 演练概况 and the evaluators. Empty strings are left blank in the report, as a line
/// to fill in by hand before signing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReportMeta {
    /// 演练名称 (default: the scenario's title).
    pub title: String,
    /// 演练目的.
    pub purpose: String,
    /// 组织单位.
    pub organiser: String,
    /// 演练日期 `YYYY-MM-DD` (default: the scenario's start date).
    pub held_on: String,
    /// 演练地点.
    pub held_at: String,
    /// 演练形式; `None` leaves it to be filled in.
    pub kind: Option<DrillKind>,
    /// 参演单位及职责 (default: the scenario's posts and teams).
    #[serde(default)]
    pub units: Vec<Unit>,
    /// 评估组长.
    pub lead_evaluator: String,
    /// 评估人员.
    #[serde(default)]
    pub evaluators: Vec<String>,
    /// 评估组现场记录与参演人员自评 — what the evaluators and participants filed on
    /// `drill serve`, shown beside the engine's ratings.
    #[serde(default)]
    pub records: Vec<FieldRecord>,
}

/// One record filed on `drill serve` (its `.records.jsonl` line): an evaluator's
/// observation of a plan task (评估组, AQ/T 9009 §7.3: observed times, notes, a
/// proposed P/S/M/U) or a participant's self-assessment (参演人员自评, §7.2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldRecord {
    /// `observation` or `self`.
    pub kind: String,
    /// Who filed it: the evaluator, or the participant's role.
    #[serde(default)]
    pub by: String,
    /// The drill clock when it was filed.
    #[serde(default)]
    pub at: String,
    /// The plan task observed (its id).
    #[serde(default)]
    pub task: String,
    #[serde(default)]
    pub started: String,
    #[serde(default)]
    pub finished: String,
    #[serde(default)]
    pub note: String,
    /// The proposed rating, `P`, `S`, `M` or `U`.
    #[serde(default)]
    pub rating: Option<String>,
    /// A self-assessment's 做得好的 and 需改进的.
    #[serde(default)]
    pub well: String,
    #[serde(default)]
    pub improve: String,
}

fn level(l: AdminLevel) -> (&'static str, &'static str) {
    match l {
        AdminLevel::County => ("县级", "county"),
        AdminLevel::Township => ("乡镇级", "township"),
        AdminLevel::Village => ("村级", "village"),
        AdminLevel::Group => ("村民小组", "village group"),
    }
}

fn skill(s: Skill) -> (&'static str, &'static str) {
    match s {
        Skill::WaterRescue => ("水上救援", "water rescue"),
        Skill::Evacuation => ("转移群众", "evacuation"),
        Skill::DoorKnock => ("入户通知", "door-knocking"),
        Skill::Firefighting => ("扑火", "firefighting"),
        Skill::Hazmat => ("危化品处置", "hazmat"),
        Skill::Medical => ("医疗救护", "medical care"),
        Skill::Roadblock => ("交通管制", "road closures"),
    }
}

impl ReportMeta {
    /// What the report knows without anyone's help: the report's title and start
    /// date, no units (a stored `report.json` has no scenario).
    pub fn from_report(r: &ScoreReport) -> ReportMeta {
        ReportMeta {
            title: r.title.clone(),
            held_on: format!(
                "{:04}-{:02}-{:02}",
                r.start.year, r.start.month, r.start.day
            ),
            ..ReportMeta::default()
        }
    }

    /// What the scenario says: its title and start date, its posts (角色) and teams
    /// (队伍) as the participating units, and a purpose read from its plan.
    pub fn from_scenario(s: &Scenario) -> ReportMeta {
        let mut units = Vec::new();
        for r in &s.roles {
            let (lz, le) = level(r.level);
            let mut zh = format!("{lz}岗位");
            let mut en = format!("{le} post");
            if r.commander {
                zh.push_str("，现场指挥");
                en.push_str(", on-scene command");
            }
            if r.count > 1 {
                zh.push_str(&format!("，{}人", r.count));
                en.push_str(&format!(", {} people", r.count));
            }
            units.push(Unit {
                name: r.name.clone(),
                kind: Text::new("岗位", "post"),
                role: Text::new(zh, en),
            });
        }
        for t in &s.teams {
            let skills: Vec<(String, String)> = t
                .skills
                .iter()
                .map(|k| {
                    let (z, e) = skill(*k);
                    (z.to_string(), e.to_string())
                })
                .collect();
            let (sz, se) = super::text::list(&skills);
            let mut zh = format!("{}人", t.members);
            let mut en = format!("{} members", t.members);
            if !skills.is_empty() {
                zh.push_str(&format!("，{sz}"));
                en.push_str(&format!(", {se}"));
            }
            units.push(Unit {
                name: t.name.clone(),
                kind: Text::new("队伍", "team"),
                role: Text::new(zh, en),
            });
        }
        let plan = if s.plan.title.is_empty() {
            "应急预案".to_string()
        } else {
            s.plan.title.clone()
        };
        let start = s.header.start;
        ReportMeta {
            title: s.header.title.clone(),
            purpose: format!(
                "检验《{plan}》及应急处置卡的可操作性，检验预警、转移、救援各环节衔接与各岗位职责落实，发现问题并加以整改"
            ),
            held_on: format!("{:04}-{:02}-{:02}", start.year, start.month, start.day),
            units,
            ..ReportMeta::default()
        }
    }
}

/// A date as the report's reader writes it: `2026年6月18日` / `2026-06-18`. Anything
/// that is not `YYYY-MM-DD` is shown as given.
pub fn date_words(iso: &str, lang: Lang) -> String {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] if iso.len() == 10 => lang.pick(&format!("{y}年{m}月{d}日"), iso),
        _ => iso.to_string(),
    }
}

/// Checks a `--held-on` date: `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`), a real
/// calendar day; returns it as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<String, String> {
    let norm = s.trim().replace(['/', '.'], "-");
    let parts: Vec<&str> = norm.split('-').collect();
    let bad = || format!("`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-07-08 / 日期格式");
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(1900..=2999).contains(&y) || d == 0 || d > days {
        return Err(bad());
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_and_normalised() {
        assert_eq!(parse_date("2026/7/8").unwrap(), "2026-07-08");
        assert_eq!(parse_date("2028-02-29").unwrap(), "2028-02-29");
        assert!(parse_date("2027-02-29").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("July 8").is_err());
        assert_eq!(date_words("2026-07-08", Lang::Zh), "2026年7月8日");
        assert_eq!(date_words("2026-07-08", Lang::En), "2026-07-08");
    }

    #[test]
    fn languages_pick_one_or_both() {
        assert_eq!(Lang::Zh.pick("评定", "rating"), "评定");
        assert_eq!(Lang::En.pick("评定", "rating"), "rating");
        assert_eq!(Lang::Both.pick("评定", "rating"), "评定 / rating");
        assert_eq!(Lang::parse("BOTH"), Some(Lang::Both));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(DrillKind::parse("实战演练"), Some(DrillKind::Field));
    }
}
