//! 推演 — exercise mode, for a projector in front of the command post: the map large,
//! the drill clock, playback controls (play, pause, step, x1..x600), the inject list
//! and a scoreboard area.
//!
//! The engine's simulation (`drill_engine::sim`) is not in this build, so the mode
//! draws the checked scenario, shows plainly that the simulation is not connected and
//! keeps the controls disabled: no simulated data is ever invented here. When the
//! simulation lands, `advance` runs `Playback::steps_for_frame` fixed steps per frame.

use crate::app::{BodyRect, UiSet, UiSettings, root_ui};
use crate::args::{Mode, Preset};
use crate::describe;
use crate::document::Document;
use crate::i18n::Key;
use crate::map_view::{MapState, MapStyle, show_map};
use crate::playback::{Playback, SPEEDS};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

pub struct ExercisePlugin;

impl Plugin for ExercisePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(ExerciseState {
            playback: Playback::new(10.0),
            sim_time_s: 0.0,
            map: MapState::default(),
        })
        .add_systems(
            EguiPrimaryContextPass,
            exercise_ui
                .in_set(UiSet::Body)
                .run_if(|s: Res<UiSettings>| s.mode == Mode::Exercise),
        );
    }
}

#[derive(Resource)]
pub struct ExerciseState {
    pub playback: Playback,
    /// Drill time shown on the clock, seconds from the start (the simulation's time once connected).
    pub sim_time_s: f64,
    map: MapState,
}

/// Whether a simulation is driving the exercise. Always false in this build.
pub const SIMULATION_CONNECTED: bool = false;

pub fn big_font(s: &UiSettings) -> f32 {
    if s.preset == Preset::Projector {
        22.0
    } else {
        16.0
    }
}

/// A red-on-pale banner saying the simulation is not connected.
pub fn not_connected_banner(ui: &mut egui::Ui, s: &UiSettings) {
    egui::Frame::new()
        .fill(egui::Color32::from_rgb(0xff, 0xe8, 0xe8))
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(s.t(Key::SimNotConnected))
                    .color(egui::Color32::from_rgb(0xb0, 0x00, 0x00))
                    .size(big_font(s))
                    .strong(),
            );
        });
}

fn exercise_ui(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    body: Res<BodyRect>,
    doc: Res<Document>,
    mut state: ResMut<ExerciseState>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut ui = root_ui(&ctx, "exercise", body.0);
    let s = *settings;
    let state = &mut *state;
    let size = big_font(&s);
    let sc = doc.checked.scenario.as_ref();
    if let Some(sc) = sc {
        state.playback.step_s = if sc.header.step_s > 0.0 {
            sc.header.step_s
        } else {
            10.0
        };
    }

    egui::Panel::top("exercise_controls").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            let clock = sc.map_or_else(
                || "--:--".to_owned(),
                |sc| describe::clock(sc, state.sim_time_s),
            );
            ui.label(
                egui::RichText::new(clock)
                    .size(size * 2.0)
                    .monospace()
                    .strong(),
            );
            if let Some(sc) = sc {
                ui.label(egui::RichText::new(&sc.header.title).size(size).strong());
            }
            ui.separator();
            ui.add_enabled_ui(SIMULATION_CONNECTED, |ui| {
                let pb = &mut state.playback;
                let label = if pb.playing {
                    s.t(Key::Pause)
                } else {
                    s.t(Key::Play)
                };
                if ui.button(egui::RichText::new(label).size(size)).clicked() {
                    pb.playing = !pb.playing;
                }
                let _ = ui.button(egui::RichText::new(s.t(Key::Step)).size(size));
                ui.label(egui::RichText::new(s.t(Key::Speed)).size(size));
                for speed in SPEEDS {
                    if ui
                        .selectable_label(
                            pb.speed == speed,
                            egui::RichText::new(format!("×{speed}")).size(size),
                        )
                        .clicked()
                    {
                        pb.speed = speed;
                    }
                }
            });
        });
        if !SIMULATION_CONNECTED {
            not_connected_banner(ui, &s);
        }
    });
    egui::Panel::left("exercise_injects")
        .resizable(true)
        .default_size(body.0.width() * 0.24)
        .show(&mut ui, |ui| {
            ui.label(egui::RichText::new(s.t(Key::Injects)).size(size).strong());
            egui::ScrollArea::vertical()
                .id_salt("exercise_inject_list")
                .show(ui, |ui| {
                    let Some(sc) = sc else { return };
                    for inject in &sc.injects {
                        let when = describe::inject_when(sc, inject);
                        ui.label(
                            egui::RichText::new(format!("{}  {when}", inject.number))
                                .size(size)
                                .strong(),
                        );
                        ui.label(egui::RichText::new(&inject.message).size(size * 0.85));
                        ui.separator();
                    }
                });
        });
    egui::Panel::right("exercise_scoreboard")
        .resizable(true)
        .default_size(body.0.width() * 0.22)
        .show(&mut ui, |ui| {
            ui.label(
                egui::RichText::new(s.t(Key::Scoreboard))
                    .size(size)
                    .strong(),
            );
            ui.label(egui::RichText::new(s.t(Key::SimNotConnected)).size(size * 0.85));
            if let Some(sc) = sc {
                ui.separator();
                ui.label(
                    egui::RichText::new(s.t(Key::Plan))
                        .size(size * 0.9)
                        .strong(),
                );
                for task in &sc.plan.tasks {
                    ui.label(
                        egui::RichText::new(format!("{} {}  —", task.id, task.title))
                            .size(size * 0.85),
                    );
                }
            }
        });
    egui::CentralPanel::default().show(&mut ui, |ui| {
        let empty = if doc.checked.checker_available {
            s.t(Key::NoScenario)
        } else {
            s.t(Key::CheckerMissing)
        };
        show_map(ui, &mut state.map, sc, MapStyle { label_size: size }, empty);
    });
    Ok(())
}
