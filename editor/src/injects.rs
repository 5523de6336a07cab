//! 情景注入 for the trainer: the injects already fired (from the event log, newest
//! first, the latest one large to read out), and the upcoming ones as the engine lists
//! them (`Simulation::upcoming_injects`), each with fire/skip buttons that call the
//! engine's `fire_inject`/`skip_inject` through [`LiveRun::command_inject`].

use crate::describe;
use crate::drill::LiveRun;
use crate::i18n::Lang;
use drill_engine::model::{Inject, Scenario};
use drill_engine::sim::snapshot::InjectStatus;
use egui::{Color32, RichText};

/// The injects still to come, in the engine's order (due time, then number), with
/// whether a fire/skip request is already waiting for the next step.
pub fn upcoming(run: &LiveRun) -> Vec<(u32, bool)> {
    run.injects()
        .into_iter()
        .filter_map(|v| match v.status {
            InjectStatus::Pending { requested } => Some((v.number, requested)),
            _ => None,
        })
        .collect()
}

/// Fires (or skips) the next upcoming inject that has no request yet: keys N and K.
pub fn command_next(run: &mut LiveRun, fire: bool) -> Result<Option<u32>, String> {
    match upcoming(run).into_iter().find(|(_, requested)| !requested) {
        Some((n, _)) => run.command_inject(n, fire).map(|()| Some(n)),
        None => Ok(None),
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
pub fn injects_ui(ui: &mut egui::Ui, run: &mut LiveRun, lang: Lang, size: f32) -> Option<String> {
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
    run.command_inject(number, fire).err()
}
