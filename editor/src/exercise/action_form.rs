//! 决策录入 — the participants' panel: a decision in a few clicks (who, do, target,
//! how, with what), every dropdown filled from the scenario, built into a
//! `model::Action` for `Simulation::submit`. The engine validates it; this form only
//! makes sure the action is complete, and shows what the engine's check warns of it
//! as it is filled in ([`warnings`]: W0009, a loudspeaker that reaches nobody there).
//!
//! The form state and [`ActionForm::build`] are plain data and tested; [`form_ui`]
//! draws it with egui.

use crate::ui::describe;
use crate::ui::i18n::{Key, Lang, tr};
use drill_engine::lang::validate::logged_out_of_loudspeaker_reach;
use drill_engine::model::{
    Action, ActionLog, Actor, Channel, Group, LinkIdx, PlaceIdx, Point, ResourceIdx, ResourceUse,
    RoleIdx, Scenario, Span, Target, TeamIdx, Work, ZoneIdx,
};

/// The verbs offered (做).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    ReportAtPost,
    Warn,
    KnockDoors,
    Evacuate,
    OpenShelter,
    CloseLink,
    Roadblock,
    Rescue,
    ShelterInPlace,
    Assess,
    Report,
    Return,
    /// 开设防火隔离带 — a fire line along typed map points or a line of the plan.
    FireLine,
}

impl Verb {
    pub const ALL: [Verb; 13] = [
        Verb::ReportAtPost,
        Verb::Warn,
        Verb::KnockDoors,
        Verb::Evacuate,
        Verb::OpenShelter,
        Verb::CloseLink,
        Verb::Roadblock,
        Verb::Rescue,
        Verb::ShelterInPlace,
        Verb::Assess,
        Verb::Report,
        Verb::Return,
        Verb::FireLine,
    ];

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Verb::ReportAtPost => ("到岗", "report at post"),
            Verb::Warn => ("发布预警", "warn"),
            Verb::KnockDoors => ("敲门", "knock doors"),
            Verb::Evacuate => ("转移", "evacuate"),
            Verb::OpenShelter => ("开放避灾点", "open shelter"),
            Verb::CloseLink => ("封路", "close road"),
            Verb::Roadblock => ("设卡", "roadblock"),
            Verb::Rescue => ("救援", "rescue"),
            Verb::ShelterInPlace => ("就地避险", "shelter in place"),
            Verb::Assess => ("评估", "assess"),
            Verb::Report => ("上报", "report"),
            Verb::Return => ("返回", "return"),
            Verb::FireLine => ("开设隔离带", "fire line"),
        };
        if lang == Lang::Zh { zh } else { en }
    }

    /// What the verb acts on.
    pub fn object(self) -> Object {
        match self {
            Verb::ReportAtPost | Verb::Report => Object::Nothing,
            Verb::Warn
            | Verb::KnockDoors
            | Verb::Rescue
            | Verb::ShelterInPlace
            | Verb::Assess
            | Verb::Return => Object::Target,
            Verb::Evacuate => Object::TargetToShelter,
            Verb::OpenShelter => Object::Shelter,
            Verb::CloseLink => Object::Link,
            Verb::Roadblock => Object::Place,
            Verb::FireLine => Object::Line,
        }
    }
}

/// The kind of object a verb takes, i.e. which dropdowns the form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Nothing,
    Target,
    TargetToShelter,
    Shelter,
    Link,
    Place,
    /// A polyline of map points (a fire line).
    Line,
}

/// The trainer's current choices.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionForm {
    pub actor: Option<Actor>,
    pub verb: Verb,
    pub target: Option<Target>,
    /// Destination shelter of an evacuation (None: the nearest, the engine decides).
    pub to: Option<PlaceIdx>,
    pub place: Option<PlaceIdx>,
    pub link: Option<LinkIdx>,
    /// Groups to evacuate; empty means everyone.
    pub groups: Vec<Group>,
    pub channels: Vec<Channel>,
    /// Resources and quantities; a quantity of 0 is left out.
    pub with: Vec<(ResourceIdx, u32)>,
    /// A fire line's points as typed, `(x, y) (x, y) ...` in map metres (or filled in
    /// from a fire line of the plan).
    pub line: String,
}

impl Default for ActionForm {
    fn default() -> Self {
        ActionForm {
            actor: None,
            verb: Verb::Warn,
            target: None,
            to: None,
            place: None,
            link: None,
            groups: Vec::new(),
            channels: Vec::new(),
            with: Vec::new(),
            line: String::new(),
        }
    }
}

/// Why the form cannot make an action yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Actor,
    Target,
    Shelter,
    Place,
    Link,
    Line,
}

impl Missing {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Missing::Actor => ("请选择角色或队伍", "choose a role or team"),
            Missing::Target => ("请选择对象", "choose a target"),
            Missing::Shelter => ("请选择避灾点", "choose a shelter"),
            Missing::Place => ("请选择地点", "choose a place"),
            Missing::Link => ("请选择道路", "choose a road"),
            Missing::Line => (
                "请输入隔离带坐标, 至少两点: (x, y) (x, y)",
                "enter the fire line's points, at least two: (x, y) (x, y)",
            ),
        };
        if lang == Lang::Zh { zh } else { en }
    }
}

pub const CHANNELS: [Channel; 13] = [
    Channel::Loudspeaker,
    Channel::Sms,
    Channel::App,
    Channel::DoorKnock,
    Channel::Megaphone,
    Channel::Gong,
    Channel::Phone,
    Channel::Radio,
    Channel::Broadcast,
    Channel::Siren,
    Channel::HandAlarm,
    Channel::ReservoirBroadcast,
    Channel::WeChat,
];

pub const GROUPS: [(Group, &str); 5] = [
    (Group::Elderly, "老人"),
    (Group::Disabled, "残疾人"),
    (Group::Children, "儿童"),
    (Group::Dilapidated, "危房户"),
    (Group::OutdoorWorkers, "户外作业"),
];

impl ActionForm {
    /// The action these choices describe, at `at_s`; or what is still missing.
    pub fn build(&self, at_s: f64) -> Result<Action, Missing> {
        let actor = self.actor.ok_or(Missing::Actor)?;
        let target = || self.target.ok_or(Missing::Target);
        let work = match self.verb {
            Verb::ReportAtPost => Work::ReportAtPost,
            Verb::Report => Work::Report,
            Verb::Warn => Work::Warn(target()?),
            Verb::KnockDoors => Work::KnockDoors(target()?),
            Verb::Rescue => Work::Rescue(target()?),
            Verb::ShelterInPlace => Work::ShelterInPlace(target()?),
            Verb::Assess => Work::Assess(target()?),
            Verb::Return => Work::Return(target()?),
            Verb::Evacuate => Work::Evacuate {
                groups: self.groups.clone(),
                from: target()?,
                to: self.to,
            },
            Verb::OpenShelter => Work::OpenShelter(self.place.ok_or(Missing::Shelter)?),
            Verb::Roadblock => Work::Roadblock(self.place.ok_or(Missing::Place)?),
            Verb::CloseLink => Work::CloseLink(self.link.ok_or(Missing::Link)?),
            Verb::FireLine => Work::FireLine(
                parse_points(&self.line)
                    .filter(|p| p.len() >= 2)
                    .ok_or(Missing::Line)?,
            ),
        };
        Ok(Action {
            at_s,
            actor,
            work,
            how: self.channels.clone(),
            with: self
                .with
                .iter()
                .filter(|(_, q)| *q > 0)
                .map(|&(resource, quantity)| ResourceUse { resource, quantity })
                .collect(),
            span: Span::default(),
        })
    }

    /// Clears the choices that do not survive a change of scenario (indices).
    pub fn forget_indices(&mut self) {
        *self = ActionForm {
            verb: self.verb,
            channels: self.channels.clone(),
            ..Default::default()
        };
    }
}

/// Map points typed as `(x, y) (x, y) ...` (brackets and commas optional, full-width
/// ones accepted), in metres; `None` when a number is malformed or one is left over.
pub fn parse_points(text: &str) -> Option<Vec<Point>> {
    let numbers: Vec<f64> = text
        .split(|c: char| c.is_whitespace() || "(),（），".contains(c))
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<_>>()?;
    if !numbers.len().is_multiple_of(2) {
        return None;
    }
    Some(
        numbers
            .chunks(2)
            .map(|xy| Point { x: xy[0], y: xy[1] })
            .collect(),
    )
}

/// Points written back as the form shows them.
pub fn format_points(points: &[Point]) -> String {
    points
        .iter()
        .map(|p| format!("({}, {})", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The plan's fire lines, by task: what a trainer picks "along" instead of typing.
pub fn plan_fire_lines(sc: &Scenario) -> Vec<(String, Vec<Point>)> {
    sc.plan
        .tasks
        .iter()
        .filter_map(|t| match &t.work {
            Work::FireLine(points) => Some((format!("{} {}", t.id, t.title), points.clone())),
            _ => None,
        })
        .collect()
}

/// Every actor of the scenario: roles, then teams.
pub fn actors(sc: &Scenario) -> Vec<Actor> {
    (0..sc.roles.len() as u32)
        .map(|i| Actor::Role(RoleIdx(i)))
        .chain((0..sc.teams.len() as u32).map(|i| Actor::Team(TeamIdx(i))))
        .collect()
}

/// Every target: zones, then places, then everywhere.
pub fn targets(sc: &Scenario) -> Vec<Target> {
    (0..sc.map.zones.len() as u32)
        .map(|i| Target::Zone(ZoneIdx(i)))
        .chain((0..sc.map.places.len() as u32).map(|i| Target::Place(PlaceIdx(i))))
        .chain(std::iter::once(Target::All))
        .collect()
}

pub fn shelters(sc: &Scenario) -> Vec<PlaceIdx> {
    (0..sc.map.places.len() as u32)
        .map(PlaceIdx)
        .filter(|p| sc.map.places[p.index()].shelter.is_some())
        .collect()
}

pub fn link_name(sc: &Scenario, l: LinkIdx) -> String {
    sc.map.links.get(l.index()).map_or("?".into(), |l| {
        format!(
            "{} → {}",
            describe::place(sc, l.from.index()),
            describe::place(sc, l.to.index())
        )
    })
}

/// A dropdown of toggles for choosing several values (channels, groups).
fn multi_combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    chosen: &mut Vec<T>,
    options: &[T],
    name: impl Fn(T) -> String,
) {
    let text = if chosen.is_empty() {
        "—".to_owned()
    } else {
        chosen
            .iter()
            .map(|&c| name(c))
            .collect::<Vec<_>>()
            .join("、")
    };
    ui.vertical(|ui| {
        ui.weak(label);
        egui::ComboBox::from_id_salt(id)
            .selected_text(text)
            .height(480.0)
            .show_ui(ui, |ui| {
                for &o in options {
                    let mut on = chosen.contains(&o);
                    if ui.checkbox(&mut on, name(o)).changed() {
                        chosen.retain(|x| *x != o);
                        if on {
                            chosen.push(o);
                        }
                    }
                }
            });
    });
}

fn combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut Option<T>,
    options: &[T],
    none: Option<&str>,
    name: impl Fn(T) -> String,
) {
    let text = value.map_or_else(|| none.unwrap_or("—").to_owned(), &name);
    ui.vertical(|ui| {
        ui.weak(label);
        egui::ComboBox::from_id_salt(id)
            .selected_text(text)
            .height(480.0)
            .show_ui(ui, |ui| {
                if let Some(none) = none {
                    ui.selectable_value(value, None, none);
                }
                for &o in options {
                    ui.selectable_value(value, Some(o), name(o));
                }
            });
    });
}

/// Draws the form; returns the action when the trainer presses submit (or Enter is
/// passed in `submit_key`) and the form is complete. `message` shows what is missing.
/// What the engine's check of a recorder's log would warn of the action the form
/// makes now (nothing while it is incomplete), in the display language: W0009 where it
/// warns by loudspeaker a place none of its loudspeakers reaches, so the recorder sees
/// that nobody there will hear it before submitting.
pub fn warnings(form: &ActionForm, sc: &Scenario, lang: Lang) -> Vec<String> {
    let Ok(action) = form.build(0.0) else {
        return Vec::new();
    };
    let log = ActionLog {
        actions: vec![action],
        ..ActionLog::default()
    };
    logged_out_of_loudspeaker_reach(sc, &log)
        .into_iter()
        .map(|d| match lang {
            Lang::Zh => d.message_zh,
            Lang::En => d.message_en,
        })
        .collect()
}

pub fn form_ui(
    ui: &mut egui::Ui,
    form: &mut ActionForm,
    sc: &Scenario,
    lang: Lang,
    at_s: f64,
    submit_key: bool,
) -> Option<Result<Action, Missing>> {
    let mut submit = submit_key;
    ui.horizontal_wrapped(|ui| {
        let actors = actors(sc);
        combo(
            ui,
            "form_actor",
            tr(lang, Key::Who),
            &mut form.actor,
            &actors,
            None,
            |a| describe::actor(sc, a),
        );
        let mut verb = Some(form.verb);
        combo(
            ui,
            "form_verb",
            tr(lang, Key::What),
            &mut verb,
            &Verb::ALL,
            None,
            |v| v.name(lang).to_owned(),
        );
        if let Some(v) = verb {
            form.verb = v;
        }
        let object = tr(lang, Key::Target);
        match form.verb.object() {
            Object::Nothing => {}
            Object::Target | Object::TargetToShelter => {
                let targets = targets(sc);
                combo(
                    ui,
                    "form_target",
                    object,
                    &mut form.target,
                    &targets,
                    None,
                    |t| describe::target(sc, &t),
                );
                if form.verb.object() == Object::TargetToShelter {
                    let shelters = shelters(sc);
                    combo(
                        ui,
                        "form_to",
                        tr(lang, Key::ToShelter),
                        &mut form.to,
                        &shelters,
                        Some(tr(lang, Key::Nearest)),
                        |p| describe::place(sc, p.index()),
                    );
                    multi_combo(
                        ui,
                        "form_groups",
                        tr(lang, Key::Groups),
                        &mut form.groups,
                        &GROUPS.map(|(g, _)| g),
                        |g| {
                            GROUPS
                                .iter()
                                .find(|(x, _)| *x == g)
                                .map_or("?", |(_, n)| n)
                                .to_owned()
                        },
                    );
                }
            }
            Object::Shelter => {
                let shelters = shelters(sc);
                combo(
                    ui,
                    "form_shelter",
                    object,
                    &mut form.place,
                    &shelters,
                    None,
                    |p| describe::place(sc, p.index()),
                );
            }
            Object::Place => {
                let places: Vec<PlaceIdx> = (0..sc.map.places.len() as u32).map(PlaceIdx).collect();
                combo(
                    ui,
                    "form_place",
                    object,
                    &mut form.place,
                    &places,
                    None,
                    |p| describe::place(sc, p.index()),
                );
            }
            Object::Link => {
                let links: Vec<LinkIdx> = (0..sc.map.links.len() as u32).map(LinkIdx).collect();
                combo(ui, "form_link", object, &mut form.link, &links, None, |l| {
                    link_name(sc, l)
                });
            }
            Object::Line => {
                let zh = lang == Lang::Zh;
                ui.vertical(|ui| {
                    ui.weak(if zh {
                        "沿预案隔离带"
                    } else {
                        "along a plan line"
                    });
                    egui::ComboBox::from_id_salt("form_line_plan")
                        .selected_text("—")
                        .show_ui(ui, |ui| {
                            for (name, points) in plan_fire_lines(sc) {
                                if ui.selectable_label(false, name).clicked() {
                                    form.line = format_points(&points);
                                }
                            }
                        });
                });
                ui.vertical(|ui| {
                    ui.weak(if zh {
                        "坐标 (x, y) 米"
                    } else {
                        "points (x, y) m"
                    });
                    ui.add(
                        egui::TextEdit::singleline(&mut form.line)
                            .id_salt("form_line")
                            .desired_width(260.0)
                            .hint_text("(650, 450) (900, 600)"),
                    );
                });
            }
        }

        multi_combo(
            ui,
            "form_how",
            tr(lang, Key::How),
            &mut form.channels,
            &CHANNELS,
            |c| describe::channel(c).to_owned(),
        );
        ui.vertical(|ui| {
            ui.weak(tr(lang, Key::Resources));
            let with_text = if form.with.iter().any(|(_, q)| *q > 0) {
                form.with
                    .iter()
                    .filter(|(_, q)| *q > 0)
                    .map(|(r, q)| {
                        let name = sc.resources.get(r.index()).map_or("?", |r| r.name.as_str());
                        format!("{name}×{q}")
                    })
                    .collect::<Vec<_>>()
                    .join("、")
            } else {
                "—".to_owned()
            };
            egui::ComboBox::from_id_salt("form_with")
                .selected_text(with_text)
                .height(480.0)
                .show_ui(ui, |ui| {
                    for (i, r) in sc.resources.iter().enumerate() {
                        let idx = ResourceIdx(i as u32);
                        let pos = form.with.iter().position(|(x, _)| *x == idx);
                        let mut q = pos.map_or(0, |p| form.with[p].1);
                        ui.horizontal(|ui| {
                            ui.add(egui::DragValue::new(&mut q).range(0..=r.quantity.max(1)));
                            ui.label(format!(
                                "{} ({} {})",
                                r.name,
                                describe::place(sc, r.at.index()),
                                r.quantity
                            ));
                        });
                        match pos {
                            Some(p) => form.with[p].1 = q,
                            None if q > 0 => form.with.push((idx, q)),
                            None => {}
                        }
                    }
                });
        });
        ui.vertical(|ui| {
            ui.weak(" ");
            if ui
                .button(egui::RichText::new(tr(lang, Key::Submit)).strong())
                .clicked()
            {
                submit = true;
            }
        });
    });
    for warning in warnings(form, sc, lang) {
        ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {warning}"));
    }
    submit.then(|| form.build(at_s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::model::*;

    fn scenario() -> Scenario {
        let mut sc = Scenario::default();
        for name in ["下村", "竹源小学"] {
            sc.map.places.push(Place {
                name: name.into(),
                ..Default::default()
            });
        }
        sc.map.places[1].shelter = Some(ShelterSpec {
            capacity: 300,
            facilities: vec![],
        });
        sc.map.zones.push(Zone {
            name: "下村低洼区".into(),
            level: RiskLevel::Red,
            hazard: HazardKind::Flood,
            polygon: vec![],
            dangerous_from_s: None,
            span: Span::default(),
        });
        sc.roles.push(Role {
            name: "村应急管理员".into(),
            level: AdminLevel::Village,
            commander: false,
            count: 1,
            post: None,
            span: Span::default(),
        });
        sc.teams.push(Team {
            name: "民兵应急分队".into(),
            members: 12,
            base: PlaceIdx(0),
            arrives_s: 600.0,
            skills: vec![Skill::Evacuation],
            equipment: vec![],
            span: Span::default(),
        });
        sc.resources.push(Resource {
            name: "村广播".into(),
            kind: ResourceKind::Loudspeaker,
            quantity: 1,
            at: PlaceIdx(0),
            capacity: None,
            radius_m: Some(800.0),
            backup_power: false,
            span: Span::default(),
        });
        sc
    }

    #[test]
    fn choices_come_from_the_scenario() {
        let sc = scenario();
        assert_eq!(
            actors(&sc),
            vec![Actor::Role(RoleIdx(0)), Actor::Team(TeamIdx(0))]
        );
        assert_eq!(
            targets(&sc),
            vec![
                Target::Zone(ZoneIdx(0)),
                Target::Place(PlaceIdx(0)),
                Target::Place(PlaceIdx(1)),
                Target::All
            ]
        );
        assert_eq!(shelters(&sc), vec![PlaceIdx(1)]);
    }

    #[test]
    fn a_warning_by_loudspeaker_builds_the_matching_action() {
        let form = ActionForm {
            actor: Some(Actor::Role(RoleIdx(0))),
            verb: Verb::Warn,
            target: Some(Target::Zone(ZoneIdx(0))),
            channels: vec![Channel::Loudspeaker, Channel::Sms],
            with: vec![(ResourceIdx(0), 1), (ResourceIdx(3), 0)],
            ..Default::default()
        };
        let a = form.build(4320.0).unwrap();
        assert_eq!(a.at_s, 4320.0);
        assert_eq!(a.actor, Actor::Role(RoleIdx(0)));
        assert_eq!(a.work, Work::Warn(Target::Zone(ZoneIdx(0))));
        assert_eq!(a.how, vec![Channel::Loudspeaker, Channel::Sms]);
        assert_eq!(
            a.with,
            vec![ResourceUse {
                resource: ResourceIdx(0),
                quantity: 1
            }],
            "zero quantities are left out"
        );
    }

    /// The engine's W0009 shows under the form while a warning by loudspeaker would
    /// reach nobody at its target, and goes when another channel is chosen instead.
    #[test]
    fn a_loudspeaker_out_of_reach_is_pointed_out_before_submitting() {
        let mut sc = scenario();
        sc.map.places[0].households = 20;
        sc.map.places[1].pos = Point { x: 2000.0, y: 0.0 };
        sc.resources[0].at = PlaceIdx(1);
        let mut form = ActionForm {
            actor: Some(Actor::Role(RoleIdx(0))),
            verb: Verb::Warn,
            target: Some(Target::Place(PlaceIdx(0))),
            channels: vec![Channel::Loudspeaker],
            ..Default::default()
        };
        let said = warnings(&form, &sc, Lang::En);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].contains("no loudspeaker reaches 下村") && said[0].contains("2000 m away"),
            "{said:?}"
        );
        assert!(warnings(&form, &sc, Lang::Zh)[0].contains("不在任何大喇叭的范围内"));
        form.channels = vec![Channel::Sms];
        assert!(warnings(&form, &sc, Lang::En).is_empty());
        form.actor = None;
        form.channels = vec![Channel::Loudspeaker];
        assert!(
            warnings(&form, &sc, Lang::En).is_empty(),
            "incomplete: nothing yet"
        );
    }

    #[test]
    fn an_evacuation_carries_groups_and_destination() {
        let form = ActionForm {
            actor: Some(Actor::Team(TeamIdx(0))),
            verb: Verb::Evacuate,
            target: Some(Target::Place(PlaceIdx(0))),
            to: Some(PlaceIdx(1)),
            groups: vec![Group::Elderly, Group::Disabled],
            ..Default::default()
        };
        assert_eq!(
            form.build(0.0).unwrap().work,
            Work::Evacuate {
                groups: vec![Group::Elderly, Group::Disabled],
                from: Target::Place(PlaceIdx(0)),
                to: Some(PlaceIdx(1)),
            }
        );
    }

    #[test]
    fn incomplete_choices_say_what_is_missing() {
        let mut form = ActionForm::default();
        assert_eq!(form.build(0.0), Err(Missing::Actor));
        form.actor = Some(Actor::Role(RoleIdx(0)));
        assert_eq!(form.build(0.0), Err(Missing::Target));
        form.verb = Verb::OpenShelter;
        assert_eq!(form.build(0.0), Err(Missing::Shelter));
        form.verb = Verb::CloseLink;
        assert_eq!(form.build(0.0), Err(Missing::Link));
        form.verb = Verb::ReportAtPost;
        assert_eq!(form.build(0.0).unwrap().work, Work::ReportAtPost);
    }

    /// The panel lays out under egui with the scenario's names in its dropdowns, and
    /// the submit button (pressed via Enter) yields the built action.
    #[test]
    fn the_form_panel_draws_its_choices_and_submits() {
        let sc = scenario();
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::ui::fonts::font_definitions());
        let mut form = ActionForm {
            actor: Some(Actor::Team(TeamIdx(0))),
            verb: Verb::Evacuate,
            target: Some(Target::Zone(ZoneIdx(0))),
            ..Default::default()
        };
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 900.0),
            )),
            ..Default::default()
        };
        let mut result = None;
        let mut run = |submit: bool, result: &mut Option<_>| {
            let mut out = ctx.run_ui(input(), |ui| {
                egui::CentralPanel::default().show(ui, |ui| {
                    *result = form_ui(ui, &mut form, &sc, Lang::Zh, 600.0, submit);
                });
            });
            out.textures_delta.clear();
            out.shapes
                .iter()
                .filter_map(|c| match &c.shape {
                    egui::Shape::Text(t) => Some(t.galley.text().to_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        run(false, &mut result);
        let texts = run(false, &mut result);
        for want in ["民兵应急分队", "转移", "下村低洼区", "安置到", "怎么做"] {
            assert!(texts.iter().any(|t| t == want), "{want} missing: {texts:?}");
        }
        assert!(result.is_none());
        run(true, &mut result);
        let action = result.unwrap().unwrap();
        assert_eq!(action.at_s, 600.0);
        assert!(matches!(action.work, Work::Evacuate { to: None, .. }));
    }

    #[test]
    fn fire_line_points_parse_from_typed_text() {
        let p = |x, y| Point { x, y };
        assert_eq!(
            parse_points("(650, 450) (900, 600)（950，850）"),
            Some(vec![p(650.0, 450.0), p(900.0, 600.0), p(950.0, 850.0)])
        );
        assert_eq!(parse_points("1 2 3"), None);
        assert_eq!(parse_points("(1, x)"), None);
        assert_eq!(parse_points("(1, inf) (2, 3)"), None);
        let points = vec![p(1180.0, 480.5), p(1230.0, 750.0)];
        assert_eq!(parse_points(&format_points(&points)), Some(points));
    }

    #[test]
    fn a_fire_line_needs_two_points_and_builds_the_engines_work() {
        let sc = scenario();
        let mut form = ActionForm {
            actor: Some(Actor::Team(TeamIdx(0))),
            verb: Verb::FireLine,
            line: "(650, 450)".into(),
            with: vec![(ResourceIdx(0), 2)],
            ..Default::default()
        };
        assert_eq!(form.build(60.0), Err(Missing::Line));
        form.line.push_str(" (900, 600)");
        let a = form.build(60.0).unwrap();
        assert_eq!(
            a.work,
            Work::FireLine(vec![
                Point { x: 650.0, y: 450.0 },
                Point { x: 900.0, y: 600.0 }
            ])
        );
        assert_eq!(a.with.len(), 1);
        assert_eq!(plan_fire_lines(&sc), vec![]);
    }

    /// Along the forest fire example's plan line T15, by the team the plan names, the
    /// engine accepts the form's fire line; by a role it refuses it (fire lines are team
    /// work) — the engine validates, the form only builds.
    #[test]
    fn the_engine_validates_a_fire_line_from_the_form() {
        use crate::session::drill::{ActionStatus, LiveRun, RunKind};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../scenarios/forest-edge-fire.drill");
        let text = drill_engine::io::read_text(&path).unwrap();
        let sc = crate::session::check::check_source(&text, Some(&path))
            .scenario
            .unwrap();
        let lines = plan_fire_lines(&sc);
        let (name, points) = lines.iter().find(|(n, _)| n.starts_with("T15")).unwrap();
        assert!(name.contains("隔离带"));
        let team = sc
            .teams
            .iter()
            .position(|t| t.name == "县森林消防大队")
            .unwrap();
        let tools = sc
            .resources
            .iter()
            .position(|r| r.name == "扑火工具")
            .unwrap();
        let mut form = ActionForm {
            actor: Some(Actor::Team(TeamIdx(team as u32))),
            verb: Verb::FireLine,
            line: format_points(points),
            with: vec![(ResourceIdx(tools as u32), 10)],
            ..Default::default()
        };
        let mut run = LiveRun::new(&sc, None, 1, RunKind::Participants, Vec::new()).unwrap();
        run.jump_to(600.0).unwrap();
        while run.chase_target(std::time::Duration::from_secs(60)) {}
        let id = run.submit_now(form.build(0.0).unwrap()).unwrap();
        run.advance(3, std::time::Duration::from_secs(60));
        let status = run.digest.actions[id.0 as usize].clone();
        assert!(
            matches!(status, ActionStatus::Accepted | ActionStatus::Finished(_)),
            "{status:?}"
        );
        form.actor = Some(Actor::Role(RoleIdx(0)));
        let id = run.submit_now(form.build(0.0).unwrap()).unwrap();
        run.advance(3, std::time::Duration::from_secs(60));
        assert!(
            matches!(run.digest.actions[id.0 as usize], ActionStatus::Rejected(_)),
            "{:?}",
            run.digest.actions[id.0 as usize]
        );
    }
}
