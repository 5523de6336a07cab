//! The Bevy app: window, egui, the shared chrome (menu bar, status bar, dialogs,
//! presets, language) and one plugin per mode.
//!
//! egui 0.36 lays panels out inside a `Ui`, so the chrome system draws its bars on
//! the whole window and leaves the remaining rectangle in [`BodyRect`]; the active
//! mode's plugin draws its panels inside that rectangle.

use crate::args::{Args, Mode, Preset, UiLang};
use crate::session::document::{Document, DocumentPlugin};
use crate::ui::i18n::{Key, Lang, tr};
use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

/// Whether to install the bundled CJK font (off only in the font test's control run).
#[derive(Resource, Debug, Clone, Copy)]
pub struct CjkFont(pub bool);

pub use crate::ui::{BodyRect, UiSet, UiSettings, root_ui};

/// Runs the editor until its window closes (or a screenshot is taken).
pub fn run(args: Args) -> AppExit {
    let (w, h) = args.size;
    let generated = match args
        .generate
        .as_deref()
        .map(crate::session::drill::generated_scenario)
    {
        None => None,
        Some(Ok(sc)) => Some(sc),
        Some(Err(e)) => {
            eprintln!("editor: --generate: {e}");
            return AppExit::error();
        }
    };
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: tr(Lang::Zh, Key::AppTitle).to_owned(),
            resolution: (w, h).into(),
            ..default()
        }),
        ..default()
    }))
    .add_plugins(EguiPlugin::default())
    .insert_resource(ClearColor(Color::srgb(0.12, 0.12, 0.12)))
    // Keep drawing when unfocused: autosave and playback need frames, and under
    // Xvfb the window never has focus.
    .insert_resource(WinitSettings::continuous())
    .insert_resource(UiSettings {
        mode: args.mode,
        preset: args.preset,
        lang: match args.lang {
            UiLang::Zh => Lang::Zh,
            UiLang::En => Lang::En,
        },
    })
    .insert_resource(CjkFont(!args.no_cjk_font))
    .init_resource::<BodyRect>()
    .init_resource::<OpenDialog>()
    .configure_sets(EguiPrimaryContextPass, (UiSet::Chrome, UiSet::Body).chain())
    .insert_resource(crate::exercise::RunSetup {
        actions: args.actions.clone(),
        kind: if args.plan {
            crate::session::drill::RunKind::PlanAsWritten
        } else {
            crate::session::drill::RunKind::Participants
        },
        at: args.at.clone(),
        play: args.play,
        speed: args.speed,
        budget: std::time::Duration::from_secs_f64(args.sim_budget_ms.clamp(0.1, 1000.0) / 1000.0),
        serve: args.serve,
    })
    .add_plugins(DocumentPlugin {
        generated,
        path: args.file.clone(),
        autosave_s: args.autosave_secs,
        type_text: args.type_text.clone(),
    })
    .add_plugins((
        crate::author::AuthorPlugin {
            tab: args.author_tab,
        },
        crate::exercise::ExercisePlugin,
        crate::debrief::DebriefPlugin,
    ))
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    })
    .add_systems(
        EguiPrimaryContextPass,
        (apply_style, shortcuts, chrome)
            .chain()
            .in_set(UiSet::Chrome),
    );
    if args.frame_stats {
        app.add_plugins(crate::shot::FrameStatsPlugin);
    }
    if let Some(path) = args.screenshot.clone() {
        app.add_plugins(crate::shot::ScreenshotPlugin {
            path,
            frames: args.frames,
            layout_json: args.layout_json.clone(),
        });
    }
    app.run()
}

/// Fonts once; zoom and theme whenever the preset changes.
fn apply_style(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    cjk: Res<CjkFont>,
    mut applied: Local<Option<Preset>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if applied.is_none() && cjk.0 {
        ctx.set_fonts(crate::ui::fonts::font_definitions());
    }
    if *applied != Some(settings.preset) {
        match settings.preset {
            Preset::Laptop => {
                ctx.set_zoom_factor(1.0);
                ctx.set_visuals(egui::Visuals::dark());
            }
            Preset::Projector => {
                ctx.set_zoom_factor(1.5);
                let mut v = egui::Visuals::light();
                v.override_text_color = Some(egui::Color32::BLACK);
                v.panel_fill = egui::Color32::WHITE;
                v.window_fill = egui::Color32::WHITE;
                v.widgets.noninteractive.bg_stroke.color = egui::Color32::BLACK;
                ctx.set_visuals(v);
            }
        }
        *applied = Some(settings.preset);
    }
    Ok(())
}

/// Keyboard shortcuts that work in every mode.
fn shortcuts(
    mut contexts: EguiContexts,
    mut settings: ResMut<UiSettings>,
    mut doc: ResMut<Document>,
    mut dialog: ResMut<OpenDialog>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (save, open, f5, f6, f7, f9, f10) = ctx.input_mut(|i| {
        use egui::{Key as K, KeyboardShortcut as S, Modifiers as M};
        (
            i.consume_shortcut(&S::new(M::COMMAND, K::S)),
            i.consume_shortcut(&S::new(M::COMMAND, K::O)),
            i.key_pressed(K::F5),
            i.key_pressed(K::F6),
            i.key_pressed(K::F7),
            i.key_pressed(K::F9),
            i.key_pressed(K::F10),
        )
    });
    if save {
        doc.save();
    }
    if open {
        dialog.open(&doc);
    }
    for (pressed, mode) in [
        (f5, Mode::Author),
        (f6, Mode::Exercise),
        (f7, Mode::Debrief),
    ] {
        if pressed {
            settings.mode = mode;
        }
    }
    if f9 {
        settings.preset = match settings.preset {
            Preset::Laptop => Preset::Projector,
            Preset::Projector => Preset::Laptop,
        };
    }
    if f10 {
        settings.lang = match settings.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
    }
    Ok(())
}

/// The "open a file" dialog: a path field (no native file picker in this build).
#[derive(Resource, Default)]
pub struct OpenDialog {
    pub visible: bool,
    pub path: String,
}

impl OpenDialog {
    fn open(&mut self, doc: &Document) {
        self.visible = true;
        self.path = doc
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
    }
}

fn chrome(
    mut contexts: EguiContexts,
    mut settings: ResMut<UiSettings>,
    mut doc: ResMut<Document>,
    mut dialog: ResMut<OpenDialog>,
    mut body: ResMut<BodyRect>,
    time: Res<Time<Real>>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let now = time.elapsed_secs_f64();
    let mut ui = root_ui(&ctx, "chrome", ctx.content_rect());
    let s = *settings;
    egui::Panel::top("menu_bar").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            for (mode, key) in [
                (Mode::Author, Key::Author),
                (Mode::Exercise, Key::Exercise),
                (Mode::Debrief, Key::Debrief),
            ] {
                if ui.selectable_label(s.mode == mode, s.t(key)).clicked() {
                    settings.mode = mode;
                }
            }
            ui.separator();
            if ui.button(s.t(Key::Open)).clicked() {
                dialog.open(&doc);
            }
            if ui
                .add_enabled(doc.dirty(), egui::Button::new(s.t(Key::Save)))
                .clicked()
            {
                doc.save();
            }
            let state = if doc.dirty() {
                s.t(Key::Unsaved)
            } else {
                s.t(Key::Saved)
            };
            ui.label(format!(
                "{} — {state}",
                doc.display_name(s.t(Key::Untitled))
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(s.t(Key::Language)).clicked() {
                    settings.lang = if s.lang == Lang::Zh {
                        Lang::En
                    } else {
                        Lang::Zh
                    };
                }
                for (preset, key) in [
                    (Preset::Projector, Key::Projector),
                    (Preset::Laptop, Key::Laptop),
                ] {
                    if ui.selectable_label(s.preset == preset, s.t(key)).clicked() {
                        settings.preset = preset;
                    }
                }
            });
        });
    });
    egui::Panel::bottom("status_bar").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(status) = &doc.status {
                ui.label(status);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.weak("F1 · Ctrl+S · Ctrl+O · F5/F6/F7 · F9 · F10");
            });
        });
    });
    body.0 = ui.available_rect_before_wrap();

    if doc.recovered.is_some() {
        egui::Window::new(s.t(Key::RecoveredTitle))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(&ctx, |ui| {
                ui.label(s.t(Key::RecoveredBody));
                if let Some(text) = &doc.recovered {
                    let preview: String = text.lines().take(6).collect::<Vec<_>>().join("\n");
                    ui.monospace(preview);
                }
                ui.horizontal(|ui| {
                    if ui.button(s.t(Key::Restore)).clicked() {
                        doc.resolve_recovery(true, now);
                    }
                    if ui.button(s.t(Key::Discard)).clicked() {
                        doc.resolve_recovery(false, now);
                    }
                });
            });
    }
    if dialog.visible {
        let mut close = false;
        egui::Window::new(s.t(Key::Open))
            .collapsible(false)
            .show(&ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label(s.t(Key::OpenPath));
                    ui.text_edit_singleline(&mut dialog.path);
                });
                ui.horizontal(|ui| {
                    if ui.button(s.t(Key::Open)).clicked() && !dialog.path.trim().is_empty() {
                        let autosave_s = doc.autosave.interval_s;
                        *doc = Document::open(dialog.path.trim().into(), autosave_s);
                        close = true;
                    }
                    if ui.button(s.t(Key::Cancel)).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            dialog.visible = false;
        }
    }
    Ok(())
}
