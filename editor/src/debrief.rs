//! 复盘 — debrief mode: the map with a time scrubber over a recorded run, the plan's
//! tasks and the scenario's scoring rules.
//!
//! Replaying needs the engine's event log; until the simulation lands there is no
//! recorded run, which the view says instead of drawing made-up results.

use crate::app::{BodyRect, UiSet, UiSettings, root_ui};
use crate::args::Mode;
use crate::describe;
use crate::document::Document;
use crate::exercise::{big_font, not_connected_banner};
use crate::i18n::Key;
use crate::map_view::{MapState, MapStyle, show_map};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

pub struct DebriefPlugin;

impl Plugin for DebriefPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<DebriefState>().add_systems(
            EguiPrimaryContextPass,
            debrief_ui
                .in_set(UiSet::Body)
                .run_if(|s: Res<UiSettings>| s.mode == Mode::Debrief),
        );
    }
}

#[derive(Resource, Default)]
pub struct DebriefState {
    /// Scrubber position, seconds from the start.
    pub at_s: f64,
    map: MapState,
}

fn debrief_ui(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    body: Res<BodyRect>,
    doc: Res<Document>,
    mut state: ResMut<DebriefState>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut ui = root_ui(&ctx, "debrief", body.0);
    let s = *settings;
    let state = &mut *state;
    let size = big_font(&s);
    let sc = doc.checked.scenario.as_ref();

    egui::Panel::bottom("debrief_scrubber").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(s.t(Key::Timeline)).size(size).strong());
            let duration = sc.map_or(0.0, |sc| sc.header.duration_s.max(0.0));
            let clock = sc.map_or_else(|| "--:--".to_owned(), |sc| describe::clock(sc, state.at_s));
            ui.label(egui::RichText::new(clock).size(size * 1.5).monospace());
            ui.spacing_mut().slider_width = (ui.available_width() - 40.0).max(100.0);
            // Disabled until there is a recorded run to scrub through.
            ui.add_enabled(
                false,
                egui::Slider::new(&mut state.at_s, 0.0..=duration).show_value(false),
            );
        });
        ui.label(egui::RichText::new(s.t(Key::NoRun)).size(size * 0.85));
    });
    egui::Panel::right("debrief_summary")
        .resizable(true)
        .default_size(body.0.width() * 0.3)
        .show(&mut ui, |ui| {
            not_connected_banner(ui, &s);
            let Some(sc) = sc else { return };
            ui.separator();
            ui.label(egui::RichText::new(s.t(Key::Plan)).size(size).strong());
            egui::Grid::new("debrief_tasks")
                .striped(true)
                .show(ui, |ui| {
                    for task in &sc.plan.tasks {
                        ui.label(egui::RichText::new(&task.id).size(size * 0.85));
                        ui.label(egui::RichText::new(&task.title).size(size * 0.85));
                        ui.label(
                            egui::RichText::new(describe::deadline(sc, task)).size(size * 0.85),
                        );
                        ui.end_row();
                    }
                });
            ui.separator();
            let w = sc.scoring.weights;
            ui.label(
                egui::RichText::new(s.t(Key::Scoreboard))
                    .size(size)
                    .strong(),
            );
            ui.label(format!(
                "及时性 {} · 完整性 {} · 资源 {} · 角色 {}",
                w.timeliness, w.completeness, w.resources, w.roles
            ));
            ui.label(format!("合格 {}", sc.scoring.pass_score));
            if !sc.scoring.outcomes_title.is_empty() {
                ui.label(&sc.scoring.outcomes_title);
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
