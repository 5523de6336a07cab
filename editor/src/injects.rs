//! 情景注入 for the trainer: the injects already fired (from the event log, newest
//! first, the latest one large to read out), and the upcoming ones with their times.
//! This is the one module that drives injects by hand, so wiring the engine's
//! fire/skip API in means changing [`fire_skip_available`] and the two buttons.

use crate::describe;
use crate::drill::LiveRun;
use crate::i18n::Lang;
use drill_engine::model::{Inject, Scenario};
use egui::{Color32, RichText};

/// Whether the engine in this build lets the trainer fire or skip an inject by hand.
pub fn fire_skip_available() -> bool {
    false
}

/// Injects not fired yet, by their time.
pub fn upcoming<'a>(sc: &'a Scenario, fired: &[(u32, f64)]) -> Vec<&'a Inject> {
    let mut list: Vec<&Inject> = sc
        .injects
        .iter()
        .filter(|i| !fired.iter().any(|(n, _)| *n == i.number))
        .collect();
    list.sort_by(|a, b| describe::inject_time_s(a).total_cmp(&describe::inject_time_s(b)));
    list
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

pub fn injects_ui(ui: &mut egui::Ui, run: &mut LiveRun, lang: Lang, size: f32) {
    let zh = lang == Lang::Zh;
    let sc = &run.scenario;
    let fired = &run.digest.fired_injects;
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
            for (k, inject) in upcoming(sc, fired).into_iter().enumerate() {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(describe::inject_when(sc, inject))
                            .size(size * 0.9)
                            .monospace()
                            .strong(),
                    );
                    let tip = if zh {
                        "需要引擎的注入触发/跳过接口"
                    } else {
                        "needs the engine's inject fire/skip API"
                    };
                    let avail = fire_skip_available();
                    ui.add_enabled(
                        avail,
                        egui::Button::new(
                            RichText::new(if zh { "触发" } else { "Fire" }).size(size * 0.8),
                        ),
                    )
                    .on_disabled_hover_text(tip);
                    ui.add_enabled(
                        avail,
                        egui::Button::new(
                            RichText::new(if zh { "跳过" } else { "Skip" }).size(size * 0.8),
                        ),
                    )
                    .on_disabled_hover_text(tip);
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
}
