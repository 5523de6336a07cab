//! 情景注入 for the trainer: the injects already fired (from the event log, newest
//! first, the latest one large to read out), and the upcoming ones as the engine lists
//! them (`Simulation::upcoming_injects`), each with fire/skip buttons that give the
//! engine the trainer's command for the next step through [`LiveRun::command_inject`];
//! the exercise appends the command to its `--actions` log (`21:30 trainer fire
//! inject 5`), so a resumed drill repeats it.

use crate::session::drill::{InjectCommand, LiveRun};
use crate::ui::describe;
use crate::ui::i18n::Lang;
use drill_engine::io::ActionLogFile;
use drill_engine::lang::print;
use drill_engine::model::{Inject, InjectCommandKind, Scenario};
use drill_engine::sim::snapshot::InjectStatus;
use egui::{Color32, RichText};

/// The injects still to come, in the engine's order (due time, then number), with
/// whether a fire/skip request is already waiting for the next step.
pub fn upcoming(run: &LiveRun) -> Vec<(u32, bool)> {
    run.injects()
        .into_iter()
        .filter_map(|v| match v.status {
            InjectStatus::Pending { requested } => {
                Some((v.number, requested || run.inject_commanded(v.number)))
            }
            _ => None,
        })
        .collect()
}

/// Fires (or skips) the next upcoming inject that has no request yet: keys N and K.
/// Returns the command given, for the log.
pub fn command_next(run: &mut LiveRun, fire: bool) -> Result<Option<InjectCommand>, String> {
    match upcoming(run).into_iter().find(|(_, requested)| !requested) {
        Some((n, _)) => run.command_inject(n, fire).map(Some),
        None => Ok(None),
    }
}

/// Makes the trainer's command durable: appended to the exercise's `--actions` log
/// (`21:30 trainer fire inject 5`, flushed and synced before the step that applies it,
/// as a decision is) when there is one. Returns the message for the trainer and
/// whether all went well.
pub fn record_command(
    log: Option<&mut ActionLogFile>,
    sc: &Scenario,
    command: &InjectCommand,
    lang: Lang,
) -> (String, bool) {
    let verb = match (lang, command.kind) {
        (Lang::Zh, InjectCommandKind::Fire) => "触发注入",
        (Lang::Zh, InjectCommandKind::Skip) => "跳过注入",
        (Lang::En, InjectCommandKind::Fire) => "fired inject",
        (Lang::En, InjectCommandKind::Skip) => "skipped inject",
    };
    match log.map(|l| l.append(&print::inject_command_line(sc, command))) {
        Some(Err(e)) => (e, false),
        _ => (format!("{verb} #{}", command.number), true),
    }
}

/// One inject's number, sender, message and effects; `ink` forces a text colour (the
/// current inject sits on a pale card in both themes).
fn inject_card(
    ui: &mut egui::Ui,
    sc: &Scenario,
    inject: &Inject,
    size: f32,
    strong: bool,
    ink: Option<Color32>,
) {
    let from = inject.from.as_deref().unwrap_or("");
    let paint = |t: RichText| match ink {
        Some(c) => t.color(c),
        None => t,
    };
    ui.label(paint(
        RichText::new(format!("#{} {from}", inject.number))
            .size(size * 0.85)
            .strong(),
    ));
    let msg = paint(RichText::new(&inject.message).size(if strong { size } else { size * 0.8 }));
    ui.label(if strong { msg.strong() } else { msg });
    if !inject.effects.is_empty() {
        let effects: Vec<String> = inject
            .effects
            .iter()
            .map(|e| describe::effect(sc, e))
            .collect();
        ui.label(
            RichText::new(format!("→ {}", effects.join("、")))
                .size(size * 0.75)
                .color(Color32::from_rgb(0x8a, 0x00, 0x00)),
        );
    }
}

/// Draws the panel; returns a message when a fire/skip was refused.
/// The panel; a click on fire or skip comes back as the command given (or the
/// engine's refusal).
pub fn injects_ui(
    ui: &mut egui::Ui,
    run: &mut LiveRun,
    lang: Lang,
    size: f32,
) -> Option<Result<InjectCommand, String>> {
    let zh = lang == Lang::Zh;
    let sc = run.scenario.clone();
    let sc = &sc;
    let fired = run.digest.fired_injects.clone();
    let upcoming = upcoming(run);
    let mut command = None;
    egui::ScrollArea::vertical()
        .id_salt("exercise_inject_list")
        .show(ui, |ui| {
            ui.label(
                RichText::new(if zh { "当前注入" } else { "Current inject" })
                    .size(size)
                    .strong(),
            );
            match fired.last() {
                Some(&(n, t)) => {
                    if let Some(inject) = sc.injects.iter().find(|i| i.number == n) {
                        egui::Frame::new()
                            .fill(Color32::from_rgb(0xff, 0xf3, 0xc4))
                            .stroke(egui::Stroke::new(2.0, Color32::from_rgb(0xe6, 0x8a, 0x00)))
                            .inner_margin(6.0)
                            .corner_radius(4.0)
                            .show(ui, |ui| {
                                ui.label(
                                    RichText::new(describe::clock(sc, t))
                                        .size(size)
                                        .monospace()
                                        .strong()
                                        .color(Color32::BLACK),
                                );
                                inject_card(ui, sc, inject, size, true, Some(Color32::BLACK));
                            });
                    }
                }
                None => {
                    ui.label(RichText::new("—").size(size));
                }
            }
            ui.separator();
            ui.label(
                RichText::new(if zh { "即将发生" } else { "Upcoming" })
                    .size(size)
                    .strong(),
            );
            for (k, (number, requested)) in upcoming.iter().copied().enumerate() {
                let Some(inject) = sc.injects.iter().find(|i| i.number == number) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(describe::inject_when(sc, inject))
                            .size(size * 0.9)
                            .monospace()
                            .strong(),
                    );
                    if requested {
                        ui.label(
                            RichText::new(if zh { "下一步执行" } else { "next step" })
                                .size(size * 0.8)
                                .color(Color32::from_rgb(0x15, 0x65, 0xc0)),
                        );
                        return;
                    }
                    if ui
                        .button(RichText::new(if zh { "触发" } else { "Fire" }).size(size * 0.8))
                        .on_hover_text("N")
                        .clicked()
                    {
                        command = Some((number, true));
                    }
                    if ui
                        .button(RichText::new(if zh { "跳过" } else { "Skip" }).size(size * 0.8))
                        .on_hover_text("K")
                        .clicked()
                    {
                        command = Some((number, false));
                    }
                });
                inject_card(ui, sc, inject, size, k == 0, None);
                ui.separator();
            }
            if fired.len() > 1 {
                ui.label(
                    RichText::new(if zh { "已发生" } else { "Fired" })
                        .size(size)
                        .strong(),
                );
                for &(n, t) in fired.iter().rev().skip(1) {
                    if let Some(inject) = sc.injects.iter().find(|i| i.number == n) {
                        ui.label(
                            RichText::new(format!(
                                "{} #{n} {}",
                                describe::clock(sc, t),
                                inject.message
                            ))
                            .size(size * 0.75)
                            .color(Color32::from_gray(90)),
                        );
                    }
                }
            }
        });
    let (number, fire) = command?;
    Some(run.command_inject(number, fire))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::drill::RunKind;
    use drill_engine::sim::events::{SimEvent, log_hash};

    /// The exercise's fire and skip go to the `--actions` log as the trainer's
    /// statements, at the step they take effect (as a decision entered with them
    /// does); a drill resumed from that log (the editor reopened on it) repeats them
    /// all in the same steps, to the same event log.
    #[test]
    fn fire_and_skip_are_appended_to_the_log_and_a_resumed_drill_repeats_them() {
        let (_, sc) = crate::session::check::flood_example();
        let dir = std::env::temp_dir().join(format!("drill-editor-inject-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log_path = dir.join("live.actions.drill");
        let _ = std::fs::remove_file(&log_path);

        let (mut log, before) = crate::session::check::open_action_log(&sc, &log_path).unwrap();
        assert!(before.inject_commands.is_empty());
        let mut live = LiveRun::new(&sc, None, 3, RunKind::Participants, Vec::new()).unwrap();
        // The drill clock at 21:29:50: a click now takes effect at 21:30.
        let step = sc.header.step_s;
        live.advance(
            ((5400.0 - step) / step).round() as u32,
            std::time::Duration::MAX,
        );
        // A decision entered at the same moment, logged as the exercise logs it.
        let decision = drill_engine::model::Action {
            at_s: 0.0,
            actor: drill_engine::model::Actor::Role(drill_engine::model::RoleIdx(0)),
            work: drill_engine::model::Work::ReportAtPost,
            how: Vec::new(),
            with: Vec::new(),
            span: Default::default(),
        };
        live.submit_now(decision).unwrap();
        let entered = live.actions.last().unwrap();
        assert_eq!(entered.at_s, 5400.0, "taken up in the next step");
        log.append(&print::action_line(&sc, entered)).unwrap();
        let fire = live.command_inject(6, true).unwrap();
        assert_eq!(
            record_command(Some(&mut log), &sc, &fire, Lang::En),
            ("fired inject #6".to_string(), true)
        );
        assert!(
            live.command_inject(6, false).is_err(),
            "one command per inject"
        );
        assert!(upcoming(&live).contains(&(6, true)), "shown as waiting");
        let skip = command_next(&mut live, false).unwrap().unwrap();
        record_command(Some(&mut log), &sc, &skip, Lang::Zh);
        // Not closed: the lines are on disk as soon as `append` returns.
        let text = std::fs::read_to_string(&log_path).unwrap();
        assert!(
            text.ends_with(&format!(
                "  21:30 trainer fire inject 6\n  21:30 trainer skip inject {}\n}}\n",
                skip.number
            )),
            "{text}"
        );
        live.jump_to(3.0 * 3600.0).unwrap();
        while live.chase_target(std::time::Duration::MAX) {}
        let fired_6: Vec<f64> = live
            .events()
            .iter()
            .filter(|e| matches!(e.event, SimEvent::InjectFired { number: 6, .. }))
            .map(|e| e.t_s)
            .collect();
        assert_eq!(fired_6, vec![5400.0]);
        drop(log);

        let (_log, resumed) = crate::session::check::open_action_log(&sc, &log_path).unwrap();
        assert_eq!(resumed.inject_commands.len(), 2);
        assert_eq!(resumed.actions.len(), 1);
        let mut again = LiveRun::new(&sc, None, 3, RunKind::Participants, resumed.actions).unwrap();
        again.schedule_commands(resumed.inject_commands);
        again.jump_to(3.0 * 3600.0).unwrap();
        while again.chase_target(std::time::Duration::MAX) {}
        assert_eq!(log_hash(again.events()), log_hash(live.events()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
