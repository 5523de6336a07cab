//! Printing validated actions back as scenario-language text: the inverse of
//! `validate_actions` for one line of an `actions` log. `drill exercise` appends these
//! lines to its live log, so whatever a recorder typed (or the editor submitted) is
//! written in one canonical form that `check_actions` reads back to the same
//! [`Action`], and a trainer's fire or skip to the same [`InjectCommand`]
//! (property-tested in `engine/tests/action_print.rs`).
//!
//! Names are written bare when the grammar reads them back as one word, and quoted
//! otherwise; keywords are English; times are clock times (`21:12`) when the action
//! falls on a whole minute within the first day, and `+Ns` offsets otherwise.

use super::keywords::KEYWORDS;
use crate::model::{
    Action, Channel, Group, InjectCommand, InjectCommandKind, LinkKind, Point, Scenario, Target,
    Work,
};
use std::fmt::Write;

/// The first line of a log for this scenario: `actions <id> {`.
pub fn action_log_header(s: &Scenario) -> String {
    format!("actions {} {{", name(&s.header.id))
}

/// One action as a log line, without indentation or line break:
/// `21:12 村应急管理员 warn zone 下村低洼区 via [loudspeaker] with [村广播 1]`.
pub fn action_line(s: &Scenario, a: &Action) -> String {
    let mut out = time(s, a.at_s);
    out.push(' ');
    out.push_str(&word(s.actor_name(a.actor)));
    out.push(' ');
    out.push_str(&work(s, &a.work));
    if !a.how.is_empty() {
        let channels: Vec<&str> = a.how.iter().map(|c| channel(*c)).collect();
        let _ = write!(out, " via [{}]", channels.join(" "));
    }
    if !a.with.is_empty() {
        let uses: Vec<String> = a
            .with
            .iter()
            .map(|u| {
                let n = s
                    .resources
                    .get(u.resource.index())
                    .map_or("?", |r| r.name.as_str());
                format!("{} {}", word(n), u.quantity)
            })
            .collect();
        let _ = write!(out, " with [{}]", uses.join(" "));
    }
    out
}

/// A trainer's inject command as a log line: `21:30 trainer fire inject 5`.
pub fn inject_command_line(s: &Scenario, c: &InjectCommand) -> String {
    let verb = match c.kind {
        InjectCommandKind::Fire => "fire",
        InjectCommandKind::Skip => "skip",
    };
    format!("{} trainer {verb} inject {}", time(s, c.at_s), c.number)
}

/// `HH:MM` of the day when the time is a whole minute in the first 24 h (what the
/// checker reads back relative to the scenario's start), else `+Ns`.
fn time(s: &Scenario, at_s: f64) -> String {
    if (0.0..86_400.0).contains(&at_s) && at_s % 60.0 == 0.0 {
        let of_day = (s.header.start.seconds_of_day() + at_s) % 86_400.0;
        let minutes = (of_day / 60.0).round() as u32;
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    } else {
        format!("+{}s", number(at_s))
    }
}

/// A number as the grammar reads it: digits, optional fraction, no exponent
/// (`Display` for `f64` never uses one, and prints the shortest exact form).
fn number(x: f64) -> String {
    format!("{x}")
}

/// A name, quoted unless it reads back as one plain word that is not a keyword
/// (a place called `all` or `zone` would be read as the keyword).
pub fn name(text: &str) -> String {
    let keyword = KEYWORDS
        .iter()
        .any(|(kw, aliases)| *kw == text || aliases.contains(&text));
    if keyword { quoted(text) } else { word(text) }
}

/// A name where the checker reads any single word as a name (who acts, a resource
/// in `with [...]`): quoted only unless it is one plain word.
pub fn word(text: &str) -> String {
    let plain_char = |c: char| {
        c.is_ascii_alphanumeric()
            || c == '_'
            || ('\u{4e00}'..='\u{9fff}').contains(&c)
            || ('\u{3400}'..='\u{4dbf}').contains(&c)
    };
    let mut chars = text.chars();
    let plain = chars
        .next()
        .is_some_and(|c| plain_char(c) && !c.is_ascii_digit())
        && text.chars().all(|c| plain_char(c) || c == '-')
        && !text.ends_with('-');
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn target(s: &Scenario, t: Target) -> String {
    match t {
        Target::All => "all".into(),
        Target::Zone(z) => format!(
            "zone {}",
            name(s.map.zones.get(z.index()).map_or("?", |z| z.name.as_str()))
        ),
        Target::Place(p) => place(s, p),
    }
}

fn place(s: &Scenario, p: crate::model::PlaceIdx) -> String {
    name(s.map.places.get(p.index()).map_or("?", |p| p.name.as_str()))
}

fn point(p: Point) -> String {
    format!("({}, {})", number(p.x), number(p.y))
}

fn work(s: &Scenario, w: &Work) -> String {
    match w {
        Work::Warn(t) => format!("warn {}", target(s, *t)),
        Work::KnockDoors(t) => format!("knock_doors {}", target(s, *t)),
        Work::Assess(t) => format!("assess {}", target(s, *t)),
        Work::Rescue(t) => format!("rescue {}", target(s, *t)),
        Work::ShelterInPlace(t) => format!("shelter_in_place {}", target(s, *t)),
        Work::Return(t) => format!("return {}", target(s, *t)),
        Work::ReportAtPost => "report_at_post".into(),
        Work::Report => "report".into(),
        Work::OpenShelter(p) => format!("open {}", place(s, *p)),
        Work::Roadblock(p) => format!("roadblock {}", place(s, *p)),
        Work::FireLine(points) => {
            let pts: Vec<String> = points.iter().map(|p| point(*p)).collect();
            format!("fire_line {}", pts.join(" "))
        }
        Work::CloseLink(l) => match s.map.links.get(l.index()) {
            Some(link) => format!(
                "close {} {} -> {}",
                match link.kind {
                    LinkKind::Road => "road",
                    LinkKind::Path => "path",
                    LinkKind::Bridge => "bridge",
                },
                place(s, link.from),
                place(s, link.to)
            ),
            None => "close road ? -> ?".into(),
        },
        Work::Evacuate { groups, from, to } => {
            let mut out = String::from("evacuate ");
            if !groups.is_empty() {
                let g: Vec<&str> = groups.iter().map(|g| group(*g)).collect();
                let _ = write!(out, "[{}] ", g.join(" "));
            }
            let _ = write!(out, "from {}", target(s, *from));
            if let Some(to) = to {
                let _ = write!(out, " to {}", place(s, *to));
            }
            out
        }
    }
}

fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Loudspeaker => "loudspeaker",
        Channel::Sms => "sms",
        Channel::App => "app",
        Channel::DoorKnock => "door_knock",
        Channel::Megaphone => "megaphone",
        Channel::Gong => "gong",
        Channel::Phone => "phone",
        Channel::Radio => "radio",
        Channel::Broadcast => "broadcast",
        Channel::Siren => "siren",
        Channel::HandAlarm => "hand_alarm",
        Channel::ReservoirBroadcast => "reservoir_broadcast",
        Channel::WeChat => "wechat",
    }
}

fn group(g: Group) -> &'static str {
    match g {
        Group::Adults => "adults",
        Group::Elderly => "elderly",
        Group::Disabled => "disabled",
        Group::Children => "children",
        Group::Dilapidated => "dilapidated",
        Group::OutdoorWorkers => "outdoor_workers",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_only_when_they_would_not_read_back() {
        assert_eq!(name("下村低洼区"), "下村低洼区");
        assert_eq!(name("zhuyuan-flash-flood-2026"), "zhuyuan-flash-flood-2026");
        assert_eq!(name("3号桥"), "\"3号桥\"");
        assert_eq!(name("zone"), "\"zone\"");
        assert_eq!(name("危险区"), "\"危险区\"", "a Chinese keyword alias");
        assert_eq!(name("a b"), "\"a b\"");
        assert_eq!(
            word("megaphone"),
            "megaphone",
            "a resource named like its kind"
        );
        assert_eq!(name("say \"hi\""), "\"say \\\"hi\\\"\"");
    }
}
