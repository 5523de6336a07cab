//! 共用界面 — what every mode draws with: the run-time settings (mode, preset,
//! language), the window area left to the active mode and the order of the egui
//! systems, and the shared widgets (fonts, map drawing, the hazard and live map
//! layers, highlighting, wording, the scoreboard, the playback clock). Modes depend on
//! this module and on `session`; the app depends on the modes; nothing here depends on
//! a mode.

use bevy::prelude::*;
use bevy_egui::egui;
use clap::ValueEnum;
use i18n::{Key, Lang, tr};

pub mod basemap;
pub mod describe;
pub mod fonts;
pub mod hazard_map;
pub mod highlight;
pub mod i18n;
pub mod label_layout;
pub mod live_map;
pub mod map_extent;
pub mod map_labels;
pub mod map_tools;
pub mod map_view;
pub mod playback;
pub mod qr;
pub mod scoreboard;

/// The three modes of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Mode {
    /// 编写 — write and check a scenario.
    #[default]
    Author,
    /// 推演 — run the tabletop exercise on a projector.
    Exercise,
    /// 复盘 — replay and discuss a run.
    Debrief,
}

/// Display presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Preset {
    /// Normal sizes, dark theme.
    #[default]
    Laptop,
    /// Large fonts, high-contrast light theme for a projector.
    Projector,
}

/// Mode, preset and language, switchable at runtime.
#[derive(Resource, Debug, Clone, Copy)]
pub struct UiSettings {
    pub mode: Mode,
    pub preset: Preset,
    pub lang: Lang,
}

impl UiSettings {
    pub fn t(&self, key: Key) -> &'static str {
        tr(self.lang, key)
    }
}

/// The window area left for the active mode after the menu and status bars.
#[derive(Resource, Debug, Clone, Copy)]
pub struct BodyRect(pub egui::Rect);

impl Default for BodyRect {
    fn default() -> Self {
        BodyRect(egui::Rect::ZERO)
    }
}

/// Egui systems run in this order each frame.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum UiSet {
    Chrome,
    Body,
}

/// A root `Ui` covering `rect`, to lay panels out in.
pub fn root_ui(ctx: &egui::Context, id: &str, rect: egui::Rect) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        egui::Id::new(id),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(rect),
    )
}
