//! 编写 — author mode: the scenario text with line numbers, colouring and live
//! diagnostics; the parsed map, on which places, shelters, roads and zone corners are
//! added, moved and deleted with the mouse (written back into the text, undoable);
//! the inject timeline, the plan checklist, and the engine's timeline of the drill
//! (`timeline`).

pub mod timeline;

use crate::session::check::{Severity, line_col};
use crate::session::document::Document;
use crate::session::map_edit::{self, MapEdit, Shape};
use crate::ui::describe;
use crate::ui::highlight::{Palette, layout_job};
use crate::ui::i18n::Key;
use crate::ui::map_tools::{EditState, EditTool, MapIntent, ShapeIdx};
use crate::ui::map_view::{MapState, MapStyle, show_map};
use crate::ui::{BodyRect, UiSet, UiSettings, root_ui};
use crate::ui::{Mode, Preset};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use drill_engine::model::Scenario;

/// Author mode, opening on the bottom panel's `tab` (`--author-tab`).
pub struct AuthorPlugin {
    pub tab: BottomTab,
}

impl Plugin for AuthorPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(AuthorState {
            tab: self.tab,
            ..default()
        })
        .add_systems(
            EguiPrimaryContextPass,
            author_ui
                .in_set(UiSet::Body)
                .run_if(|s: Res<UiSettings>| s.mode == Mode::Author),
        );
    }
}

/// The author's bottom panel: injects, the plan as a table, or the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum BottomTab {
    #[default]
    Injects,
    Plan,
    Timeline,
}

#[derive(Resource, Default)]
pub struct AuthorState {
    map: MapState,
    tab: BottomTab,
    timeline: timeline::TimelineView,
}

impl AuthorState {
    /// For the screenshot: the timeline tab has the current text's timeline.
    pub fn ready(&self, doc: &Document) -> bool {
        self.tab != BottomTab::Timeline
            || clean_scenario(doc).is_none()
            || (!self.timeline.busy()
                && self
                    .timeline
                    .entries(doc.checked_rev())
                    .is_some_and(|(_, current)| current))
    }
}

const TEXT_ID: &str = "scenario_text";

fn author_ui(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    body: Res<BodyRect>,
    mut doc: ResMut<Document>,
    mut state: ResMut<AuthorState>,
    time: Res<Time<Real>>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut ui = root_ui(&ctx, "author", body.0);
    let s = *settings;
    let state = &mut *state;
    let font_size = if s.preset == Preset::Projector {
        16.0
    } else {
        14.0
    };
    history_keys(&ctx, &mut doc);

    egui::Panel::left("author_text")
        .resizable(true)
        .default_size(body.0.width() * 0.45)
        .show(&mut ui, |ui| {
            egui::Panel::bottom("author_diagnostics")
                .resizable(true)
                .default_size(140.0)
                .show(ui, |ui| {
                    diagnostics_list(ui, &s, &mut doc);
                });
            egui::CentralPanel::default().show(ui, |ui| {
                text_pane(ui, &mut doc, font_size, time.elapsed_secs_f64());
            });
        });
    egui::Panel::bottom("author_bottom")
        .resizable(true)
        .default_size(body.0.height() * 0.35)
        .show(&mut ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut state.tab, BottomTab::Injects, s.t(Key::Injects));
                ui.selectable_value(&mut state.tab, BottomTab::Plan, s.t(Key::Plan));
                ui.selectable_value(
                    &mut state.tab,
                    BottomTab::Timeline,
                    s.t(Key::AuthorTimeline),
                );
            });
            ui.separator();
            let key = doc.checked_rev();
            let clean = clean_scenario(&doc);
            if state.tab == BottomTab::Timeline {
                // Timed only while the tab is open: the run costs a second or more.
                state.timeline.update(key, clean);
                if state.timeline.busy() {
                    ui.ctx().request_repaint();
                }
            }
            match (&doc.checked.scenario, state.tab) {
                (_, BottomTab::Timeline) => timeline::timeline_ui(
                    ui,
                    &state.timeline,
                    key,
                    clean.is_some(),
                    s.lang == crate::ui::i18n::Lang::Zh,
                ),
                (Some(sc), BottomTab::Injects) => inject_timeline(ui, sc),
                (Some(sc), BottomTab::Plan) => plan_table(ui, &s, sc),
                (None, _) => {
                    ui.weak(s.t(Key::NoScenario));
                }
            }
        });
    egui::CentralPanel::default().show(&mut ui, |ui| {
        map_pane(ui, &s, &mut doc, state, font_size);
    });
    Ok(())
}

/// The map pane: the editing tools, the map, and the edit made on it written into
/// the text.
fn map_pane(
    ui: &mut egui::Ui,
    s: &UiSettings,
    doc: &mut Document,
    state: &mut AuthorState,
    font_size: f32,
) {
    let edit = state.map.edit.get_or_insert_with(EditState::default);
    // Wrapped: at the projector preset the tools take two lines rather than push the
    // map past the window's edge.
    ui.horizontal_wrapped(|ui| {
        ui.strong(s.t(Key::Map));
        for (tool, key) in [
            (EditTool::Move, Key::ToolMove),
            (EditTool::AddPlace, Key::ToolAddPlace),
            (EditTool::AddShelter, Key::ToolAddShelter),
            (EditTool::AddRoad, Key::ToolAddRoad),
            (EditTool::Delete, Key::ToolDelete),
        ] {
            if ui
                .selectable_value(&mut edit.tool, tool, s.t(key))
                .clicked()
            {
                edit.road_from = None;
            }
        }
        ui.separator();
        if ui
            .add_enabled(doc.can_undo(), egui::Button::new(s.t(Key::Undo)))
            .clicked()
        {
            doc.undo();
        }
        if ui
            .add_enabled(doc.can_redo(), egui::Button::new(s.t(Key::Redo)))
            .clicked()
        {
            doc.redo();
        }
        ui.weak(s.t(Key::FitMap));
        if doc.checked.stale {
            ui.colored_label(
                egui::Color32::from_rgb(0xe0, 0x90, 0x00),
                s.t(Key::StaleMap),
            );
        }
    });
    let style = MapStyle {
        label_size: font_size,
        hide_notes: false,
        shelter_bars: false,
    };
    let empty = if doc.checked.checker_available {
        s.t(Key::NoScenario)
    } else {
        s.t(Key::CheckerMissing)
    };
    state.map.terrain_file = doc.checked.terrain.clone();
    state.map.basemap = doc.checked.basemap.clone();
    let clicked = show_map(
        ui,
        &mut state.map,
        doc.checked.scenario.as_ref(),
        style,
        empty,
    );
    // An edit on the map goes into the text; the map follows the next check.
    let intent = state.map.edit.as_mut().and_then(|e| e.intent.take());
    if let Some(intent) = intent {
        apply_intent(doc, intent);
    }
    // Clicking a place with the move tool jumps to where the text defines it.
    let moving = state
        .map
        .edit
        .as_ref()
        .is_none_or(|e| e.tool == EditTool::Move);
    let target = clicked
        .filter(|_| moving)
        .and_then(|i| {
            doc.checked
                .scenario
                .as_ref()?
                .map
                .places
                .get(i)
                .map(|p| p.span)
        })
        .filter(|span| span.file == 0 && !doc.checked.stale);
    if let Some(span) = target {
        doc.jump_to = Some(span.start as usize);
    }
}

/// Ctrl+Z undoes and Ctrl+Shift+Z / Ctrl+Y redo the document's last change, typed or
/// made on the map: taken before the text pane sees them, so its own typing undo never
/// runs and the two cannot disagree. Left alone while another text field has the keys.
fn history_keys(ctx: &egui::Context, doc: &mut Document) {
    let text_id = egui::Id::new(TEXT_ID);
    if ctx.memory(|m| m.focused()).is_some_and(|f| f != text_id) {
        return;
    }
    let (undo, redo) = ctx.input_mut(|i| {
        // Redo first: Ctrl+Z would also match Ctrl+Shift+Z.
        let redo = i.consume_key(
            egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
            egui::Key::Z,
        ) | i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y);
        (i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z), redo)
    });
    if redo {
        doc.redo();
    } else if undo {
        doc.undo();
    }
}

/// Writes a map edit into the document's text by the names the check gave the
/// places, zones and links; a failure is shown in the status bar.
pub fn apply_intent(doc: &mut Document, intent: MapIntent) {
    let Some(sc) = doc.checked.scenario.as_ref() else {
        return;
    };
    let place = |i: usize| sc.map.places.get(i).map(|p| p.name.clone());
    let edit = match intent {
        MapIntent::MovePlace(i, to) => place(i).map(|name| MapEdit::MovePlace { name, to }),
        MapIntent::MoveVertex(shape, index, to) => {
            shape_name(sc, shape).map(|shape| MapEdit::MoveVertex { shape, index, to })
        }
        MapIntent::InsertVertex(shape, index, at) => {
            shape_name(sc, shape).map(|shape| MapEdit::InsertVertex { shape, index, at })
        }
        MapIntent::DeleteVertex(shape, index) => {
            shape_name(sc, shape).map(|shape| MapEdit::DeleteVertex { shape, index })
        }
        MapIntent::Add { shelter, at } => Some(MapEdit::AddPlace { shelter, at }),
        MapIntent::AddRoad(a, b) => place(a).zip(place(b)).map(|(from, to)| MapEdit::AddLink {
            kind: drill_engine::model::LinkKind::Road,
            from,
            to,
        }),
        MapIntent::DeletePlace(i) => place(i).map(|name| MapEdit::DeletePlace { name }),
        MapIntent::DeleteLink(l) => sc.map.links.get(l).and_then(|link| {
            Some(MapEdit::DeleteLink {
                from: place(link.from.index())?,
                to: place(link.to.index())?,
            })
        }),
    };
    let Some(edit) = edit else { return };
    let form = map_edit::coord_form(&doc.text, sc.map.georef);
    match map_edit::edit_text(&doc.text, &edit, form) {
        Ok(text) => doc.apply_map_edit(text),
        Err(e) => doc.status = Some(e),
    }
}

/// A zone, road or river by the names the text uses.
fn shape_name(sc: &Scenario, shape: ShapeIdx) -> Option<Shape> {
    let place = |i: usize| sc.map.places.get(i).map(|p| p.name.clone());
    Some(match shape {
        ShapeIdx::Zone(z) => Shape::Zone(sc.map.zones.get(z)?.name.clone()),
        ShapeIdx::River(r) => Shape::River(sc.map.rivers.get(r)?.name.clone()),
        ShapeIdx::Link(l) => {
            let link = sc.map.links.get(l)?;
            Shape::Link {
                from: place(link.from.index())?,
                to: place(link.to.index())?,
            }
        }
    })
}

/// The checked scenario when the text as it stands checks without errors (the
/// timeline is of that text, not of the last valid one), with its heightmap.
fn clean_scenario(
    doc: &Document,
) -> Option<(
    &Scenario,
    Option<&std::sync::Arc<drill_engine::hazard::raster::Raster>>,
)> {
    let c = &doc.checked;
    let errors = c.diagnostics.iter().any(|d| d.severity == Severity::Error);
    match &c.scenario {
        Some(sc) if !c.stale && !errors => Some((sc, c.terrain.as_ref())),
        _ => None,
    }
}

/// The text editor: a gutter of line numbers beside a coloured, underlined `TextEdit`.
fn text_pane(ui: &mut egui::Ui, doc: &mut Document, font_size: f32, now_s: f64) {
    let line_height = (font_size * 1.45).round();
    let font = egui::FontId::monospace(font_size);
    let palette = Palette::for_dark_mode(ui.visuals().dark_mode);
    let id = egui::Id::new(TEXT_ID);

    let mut scroll = egui::ScrollArea::both()
        .id_salt("author_text_scroll")
        .auto_shrink([false, false]);
    if let Some((primary, secondary)) = doc.restore_cursor.take() {
        let mut st =
            egui::widgets::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        st.cursor.set_char_range(Some(egui::text::CCursorRange::two(
            egui::text::CCursor::new(secondary),
            egui::text::CCursor::new(primary),
        )));
        st.store(ui.ctx(), id);
    }
    if let Some(byte) = doc.jump_to.take() {
        let byte = crate::session::check::floor_char_boundary(&doc.text, byte);
        let (line, _) = line_col(&doc.text, byte);
        scroll = scroll.vertical_scroll_offset(((line as f32) - 6.0).max(0.0) * line_height);
        let char_index = doc.text[..byte].chars().count();
        let mut st =
            egui::widgets::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        st.cursor.set_char_range(Some(egui::text::CCursorRange::one(
            egui::text::CCursor::new(char_index),
        )));
        st.store(ui.ctx(), id);
        ui.ctx().memory_mut(|m| m.request_focus(id));
    }

    let diag_ranges: Vec<_> = doc
        .checked
        .diagnostics
        .iter()
        .map(|d| d.range.clone())
        .collect();
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, _wrap: f32| {
        let job = layout_job(
            buf.as_str(),
            &diag_ranges,
            font.clone(),
            line_height,
            &palette,
        );
        ui.painter().fonts_mut(|f| f.layout_job(job))
    };
    let lines = doc.text.split('\n').count();
    let gutter_w = (lines.to_string().len().max(2) as f32) * font_size * 0.62 + 10.0;
    // The text before this frame's typing: the undo step a new burst of typing records.
    let mut before = doc.text.clone();
    scroll.show(ui, |ui| {
        ui.horizontal_top(|ui| {
            let (gutter, _) = ui.allocate_exact_size(
                egui::vec2(gutter_w, lines as f32 * line_height),
                egui::Sense::hover(),
            );
            let output = egui::TextEdit::multiline(&mut doc.text)
                .id(id)
                .font(font.clone())
                .code_editor()
                .desired_width(f32::INFINITY)
                .desired_rows(40)
                .lock_focus(true)
                .layouter(&mut layouter)
                .show(ui);
            let cursor = output
                .state
                .cursor
                .char_range()
                .map(|r| (r.primary.index.0, r.secondary.index.0));
            if output.response.response.changed() {
                let before_cursor = doc.cursor;
                doc.typed(std::mem::take(&mut before), before_cursor, now_s);
            }
            doc.cursor = cursor;
            let painter = ui.painter();
            let color = ui.visuals().weak_text_color();
            let error_lines: Vec<usize> = doc.checked.diagnostics.iter().map(|d| d.line).collect();
            let mut line = 1;
            for (i, row) in output.galley.rows.iter().enumerate() {
                if i > 0 && !output.galley.rows[i - 1].ends_with_newline {
                    continue; // a wrapped continuation (wrapping is off, but be safe)
                }
                let y = output.galley_pos.y + row.pos.y + row.rect().height() / 2.0;
                let c = if error_lines.contains(&line) {
                    egui::Color32::from_rgb(0xe0, 0x30, 0x30)
                } else {
                    color
                };
                painter.text(
                    egui::pos2(gutter.right() - 6.0, y),
                    egui::Align2::RIGHT_CENTER,
                    line.to_string(),
                    font.clone(),
                    c,
                );
                line += 1;
            }
        });
    });
}

fn diagnostics_list(ui: &mut egui::Ui, s: &UiSettings, doc: &mut Document) {
    ui.strong(s.t(Key::Diagnostics));
    if !doc.checked.checker_available {
        ui.colored_label(
            egui::Color32::from_rgb(0xe0, 0x80, 0x00),
            s.t(Key::CheckerMissing),
        );
        return;
    }
    if doc.checked.diagnostics.is_empty() {
        ui.label(s.t(Key::NoProblems));
        return;
    }
    let mut jump = None;
    egui::ScrollArea::vertical()
        .id_salt("diag_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for d in &doc.checked.diagnostics {
                let (icon, color) = match d.severity {
                    Severity::Error => ("✖", egui::Color32::from_rgb(0xe0, 0x30, 0x30)),
                    Severity::Warning => ("⚠", egui::Color32::from_rgb(0xe0, 0x90, 0x00)),
                };
                let message = if s.lang == crate::ui::i18n::Lang::Zh {
                    &d.message
                } else {
                    &d.message_en
                };
                let text = egui::RichText::new(format!("{icon} {}:{}  {message}", d.line, d.col))
                    .color(color);
                if ui
                    .add(egui::Label::new(text).sense(egui::Sense::click()))
                    .on_hover_cursor(egui::CursorIcon::PointingHand)
                    .clicked()
                {
                    jump = Some(d.range.start);
                }
            }
        });
    if jump.is_some() {
        doc.jump_to = jump;
    }
}

/// The injects on a time axis across the drill, then as a list.
pub fn inject_timeline(ui: &mut egui::Ui, sc: &Scenario) {
    let duration = if sc.header.duration_s > 0.0 {
        sc.header.duration_s
    } else {
        sc.injects
            .iter()
            .map(describe::inject_time_s)
            .fold(3600.0, f64::max)
    };
    let (rect, _) =
        ui.allocate_exact_size(egui::vec2(ui.available_width(), 44.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let x_of =
        |t: f64| rect.left() + 10.0 + (rect.width() - 20.0) * (t / duration).clamp(0.0, 1.0) as f32;
    let axis_y = rect.top() + 26.0;
    let stroke = ui.visuals().widgets.noninteractive.fg_stroke;
    painter.line_segment(
        [
            egui::pos2(x_of(0.0), axis_y),
            egui::pos2(x_of(duration), axis_y),
        ],
        stroke,
    );
    let hour_step = ((duration / 3600.0) / 12.0).ceil().max(1.0) * 3600.0;
    let mut t = 0.0;
    while t <= duration {
        let x = x_of(t);
        painter.line_segment(
            [egui::pos2(x, axis_y - 3.0), egui::pos2(x, axis_y + 3.0)],
            stroke,
        );
        painter.text(
            egui::pos2(x, axis_y + 5.0),
            egui::Align2::CENTER_TOP,
            describe::clock(sc, t),
            egui::FontId::proportional(11.0),
            stroke.color,
        );
        t += hour_step;
    }
    for inject in &sc.injects {
        let x = x_of(describe::inject_time_s(inject));
        let contingent = matches!(
            inject.trigger,
            drill_engine::model::InjectTrigger::IfNot { .. }
        );
        let color = if contingent {
            egui::Color32::from_rgb(0xe0, 0x90, 0x00)
        } else {
            egui::Color32::from_rgb(0x2a, 0x7a, 0xe0)
        };
        let center = egui::pos2(x, axis_y - 10.0);
        painter.circle_filled(center, 8.0, color);
        painter.text(
            center,
            egui::Align2::CENTER_CENTER,
            inject.number.to_string(),
            egui::FontId::proportional(10.0),
            egui::Color32::WHITE,
        );
        let marker = egui::Rect::from_center_size(center, egui::vec2(18.0, 18.0));
        ui.interact(
            marker,
            egui::Id::new(("inject_marker", inject.number)),
            egui::Sense::hover(),
        )
        .on_hover_text(&inject.message);
    }
    egui::ScrollArea::both()
        .id_salt("inject_list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("inject_grid")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for inject in &sc.injects {
                        ui.strong(inject.number.to_string());
                        ui.label(describe::inject_when(sc, inject));
                        let to: Vec<&str> = inject.to.iter().map(|&a| sc.actor_name(a)).collect();
                        ui.label(format!(
                            "{} → {}",
                            inject.from.as_deref().unwrap_or(""),
                            to.join("、")
                        ));
                        ui.label(&inject.message);
                        let effects: Vec<String> = inject
                            .effects
                            .iter()
                            .map(|e| describe::effect(sc, e))
                            .collect();
                        ui.label(effects.join(";"));
                        ui.end_row();
                    }
                });
        });
}

/// 应急处置卡 as a table: who does what, how, with which resources, by when.
pub fn plan_table(ui: &mut egui::Ui, s: &UiSettings, sc: &Scenario) {
    if !sc.plan.title.is_empty() {
        ui.strong(&sc.plan.title);
    }
    egui::ScrollArea::both()
        .id_salt("plan_table")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("plan_grid")
                .striped(true)
                .num_columns(8)
                .show(ui, |ui| {
                    for key in [
                        Key::Id,
                        Key::Task,
                        Key::When,
                        Key::Who,
                        Key::What,
                        Key::How,
                        Key::Resources,
                        Key::Deadline,
                    ] {
                        ui.strong(s.t(key));
                    }
                    ui.end_row();
                    for task in &sc.plan.tasks {
                        ui.label(&task.id);
                        ui.label(&task.title);
                        ui.label(describe::trigger(sc, &task.trigger));
                        ui.label(describe::who(sc, task));
                        ui.label(describe::work(sc, &task.work));
                        ui.label(describe::how(task));
                        ui.label(describe::resources(sc, &task.with));
                        ui.label(describe::deadline(sc, task));
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::Lang;
    use drill_engine::model::*;

    /// Runs one headless egui frame and returns every text that was painted.
    fn painted_texts(mut add: impl FnMut(&mut egui::Ui)) -> Vec<String> {
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::ui::fonts::font_definitions());
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 900.0),
            )),
            ..Default::default()
        };
        // Two passes: the first settles fonts and layout.
        ctx.run_ui(input(), &mut add).drop_without_applying_deltas();
        let mut out = ctx.run_ui(input(), &mut add);
        out.textures_delta.clear();
        out.shapes
            .iter()
            .filter_map(|c| match &c.shape {
                egui::Shape::Text(t) => Some(t.galley.text().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn settings() -> UiSettings {
        UiSettings {
            mode: Mode::Author,
            preset: Preset::Laptop,
            lang: Lang::Zh,
        }
    }

    #[test]
    fn plan_table_lays_out_headers_and_task_cells() {
        let mut sc = Scenario::default();
        sc.roles.push(Role {
            name: "村应急管理员".into(),
            level: AdminLevel::Village,
            commander: false,
            count: 1,
            post: None,
            span: Span::default(),
        });
        sc.plan.title = "应急处置卡".into();
        sc.plan.tasks.push(Task {
            id: "T5".into(),
            title: "人员到岗".into(),
            trigger: Trigger::Warning(RiskLevel::Red),
            who: vec![Actor::Role(RoleIdx(0))],
            work: Work::ReportAtPost,
            how: vec![],
            with: vec![],
            deadline: Some(Deadline::Within(1800.0)),
            require: None,
            span: Span::default(),
        });
        let texts = painted_texts(|ui| {
            egui::CentralPanel::default().show(ui, |ui| plan_table(ui, &settings(), &sc));
        });
        for expected in [
            "谁",
            "时限",
            "T5",
            "人员到岗",
            "红色预警",
            "村应急管理员",
            "到岗",
            "30 分钟内",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} not painted; got {texts:?}"
            );
        }
    }

    #[test]
    fn text_pane_numbers_every_line() {
        let mut doc = Document::new(None, 3.0);
        doc.text = "scenario \"测试\" {\n  id t\n}\n// 结束".into();
        let texts = painted_texts(|ui| {
            egui::CentralPanel::default().show(ui, |ui| text_pane(ui, &mut doc, 14.0, 0.0));
        });
        for n in ["1", "2", "3", "4"] {
            assert!(
                texts.iter().any(|t| t == n),
                "line number {n} missing: {texts:?}"
            );
        }
        assert!(!texts.iter().any(|t| t == "5"), "only four lines");
    }

    /// One frame of the author's map pane in a headless egui context.
    fn map_frame(
        ctx: &egui::Context,
        doc: &mut Document,
        state: &mut AuthorState,
        events: Vec<egui::Event>,
    ) {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1200.0, 800.0),
            )),
            events,
            ..Default::default()
        };
        let _ = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                map_pane(ui, &settings(), doc, state, 14.0);
            });
        });
        doc.check_now();
    }

    /// Drags with the mouse on the author's map from map point `from` by `by` screen
    /// points (press, four moves, release: real pointer events through egui); returns
    /// the map point where the pointer let go.
    fn drag_on_map(
        ctx: &egui::Context,
        doc: &mut Document,
        state: &mut AuthorState,
        from: Point,
        by: egui::Vec2,
    ) -> Point {
        let view = state.map.layout.as_ref().unwrap().view;
        let t = state.map.transform;
        let from = t.to_screen(from, view);
        let to = from + by;
        let button = |pressed| egui::Event::PointerButton {
            pos: if pressed { from } else { to },
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        };
        map_frame(
            ctx,
            doc,
            state,
            vec![egui::Event::PointerMoved(from), button(true)],
        );
        for k in 1..=4 {
            let p = from + (to - from) * (k as f32 / 4.0);
            map_frame(ctx, doc, state, vec![egui::Event::PointerMoved(p)]);
        }
        map_frame(ctx, doc, state, vec![button(false)]);
        t.to_map(to, view)
    }

    /// Clicks on the author's map at map point `at`.
    fn click_on_map(ctx: &egui::Context, doc: &mut Document, state: &mut AuthorState, at: Point) {
        let view = state.map.layout.as_ref().unwrap().view;
        let at = state.map.transform.to_screen(at, view);
        let click = |pressed| egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        };
        map_frame(
            ctx,
            doc,
            state,
            vec![egui::Event::PointerMoved(at), click(true)],
        );
        map_frame(ctx, doc, state, vec![click(false)]);
    }

    /// The fixture with `edit` made to its text, checked, and its map settled.
    fn fixture_doc(edit: impl Fn(&str) -> String) -> (Document, egui::Context, AuthorState) {
        let mut doc = Document::new(None, 30.0);
        doc.text = edit(include_str!("../../tests/fixtures/mini-flood.drill"));
        doc.edited(0.0);
        doc.check_now();
        assert!(
            doc.checked.scenario.is_some(),
            "{:?}",
            doc.checked.diagnostics
        );
        let ctx = egui::Context::default();
        let mut state = AuthorState::default();
        map_frame(&ctx, &mut doc, &mut state, vec![]);
        map_frame(&ctx, &mut doc, &mut state, vec![]);
        (doc, ctx, state)
    }

    /// `(x, y)` as the map edit writes it, in whole metres.
    fn at(p: Point) -> String {
        format!("({:.0}, {:.0})", p.x, p.y)
    }

    /// Dragging the handle halfway along a zone's edge adds a corner there: written
    /// into the polygon between the edge's two corners, the comments kept.
    #[test]
    fn dragging_a_zone_edges_midpoint_adds_a_corner() {
        let line = "zone   下村低洼区 level red hazard flood polygon (250,380) (380,380) (380,470) (250,470)";
        let (mut doc, ctx, mut state) = fixture_doc(|t| {
            t.replace(
                line,
                &format!("// 低洼区按2020年水位划\n  {line} // 含12户"),
            )
        });
        let before = doc.text.clone();
        // The edge (380,380)-(380,470): its handle at (380, 425), dragged east.
        let to = drag_on_map(
            &ctx,
            &mut doc,
            &mut state,
            Point { x: 380.0, y: 425.0 },
            egui::vec2(40.0, 0.0),
        );
        let expected = before.replace(
            "(380,380) (380,470) (250,470) // 含12户",
            &format!("(380,380) {} (380,470) (250,470) // 含12户", at(to)),
        );
        assert_ne!(expected, before);
        assert_eq!(doc.text, expected);
        assert!(doc.text.contains("// 低洼区按2020年水位划\n"));
        let sc = doc.checked.scenario.as_ref().unwrap();
        let zone = sc
            .map
            .zones
            .iter()
            .find(|z| z.name == "下村低洼区")
            .unwrap();
        assert_eq!(zone.polygon.len(), 5);
        assert!((zone.polygon[2].x - to.x).abs() <= 0.5);
        let corner = zone.polygon[2];
        // The new corner is a corner like the others: the delete tool takes it away.
        state.map.edit.as_mut().unwrap().tool = EditTool::Delete;
        click_on_map(&ctx, &mut doc, &mut state, corner);
        assert_eq!(doc.text, before);
    }

    /// A road's bends with the mouse: the road's midpoint handle dragged adds a `via`
    /// bend, the bend dragged moves it, the handle between a place and the bend adds
    /// a second one before it, and the delete tool takes one away. The text changes
    /// only there; the trailing comment stays.
    #[test]
    fn road_bends_are_added_moved_and_deleted_with_the_mouse() {
        let road = "road   上村 -> 村委会  width 4m";
        let (mut doc, ctx, mut state) =
            fixture_doc(|t| t.replace(road, &format!("{road} // 老路,雨天泥泞")));
        let before = doc.text.clone();
        // 上村 (120, 80) to 村委会 (420, 310): the handle at (270, 195).
        let bend = drag_on_map(
            &ctx,
            &mut doc,
            &mut state,
            Point { x: 270.0, y: 195.0 },
            egui::vec2(-20.0, 30.0),
        );
        let with = |via: &str| before.replace(road, &format!("{road} via {via}"));
        assert_eq!(doc.text, with(&at(bend)));
        let bend = Point {
            x: bend.x.round(),
            y: bend.y.round(),
        };
        let link = |doc: &Document| {
            let sc = doc.checked.scenario.as_ref().unwrap();
            sc.map.links[0].via.clone()
        };
        assert_eq!(link(&doc), vec![bend]);
        // Move the bend.
        let moved = drag_on_map(&ctx, &mut doc, &mut state, bend, egui::vec2(-10.0, 25.0));
        assert_eq!(doc.text, with(&at(moved)));
        let moved = Point {
            x: moved.x.round(),
            y: moved.y.round(),
        };
        // The handle between 上村 and the bend adds bend 0, before it.
        let half = Point {
            x: (120.0 + moved.x) / 2.0,
            y: (80.0 + moved.y) / 2.0,
        };
        let first = drag_on_map(&ctx, &mut doc, &mut state, half, egui::vec2(-15.0, 0.0));
        assert_eq!(
            doc.text,
            with(&format!("{} {}", at(first), at(moved))),
            "{}",
            doc.text
        );
        assert_eq!(link(&doc).len(), 2);
        // Delete the later bend.
        state.map.edit.as_mut().unwrap().tool = EditTool::Delete;
        click_on_map(&ctx, &mut doc, &mut state, moved);
        assert_eq!(doc.text, with(&at(first)));
        assert!(doc.text.contains("// 老路,雨天泥泞\n"));
    }

    /// A river's points: the handle halfway along it dragged adds a `via` point, which
    /// the delete tool takes away again (the keyword with it).
    #[test]
    fn river_points_are_added_and_deleted_with_the_mouse() {
        let river = "river  竹源溪 from (0, 500) to (900, 380) width 8m";
        let (mut doc, ctx, mut state) =
            fixture_doc(|t| t.replace(river, &format!("// 主河道\n  {river}")));
        let before = doc.text.clone();
        let bend = drag_on_map(
            &ctx,
            &mut doc,
            &mut state,
            Point { x: 450.0, y: 440.0 },
            egui::vec2(0.0, 30.0),
        );
        assert_eq!(
            doc.text,
            before.replace(river, &format!("{river} via {}", at(bend)))
        );
        let sc = doc.checked.scenario.as_ref().unwrap();
        assert_eq!(sc.map.rivers[0].points.len(), 3);
        let bend = sc.map.rivers[0].points[1];
        state.map.edit.as_mut().unwrap().tool = EditTool::Delete;
        click_on_map(&ctx, &mut doc, &mut state, bend);
        assert_eq!(doc.text, before);
    }

    /// One frame of the whole author document: the history keys, the text pane and
    /// the map pane, at `time` seconds.
    fn document_frame(
        ctx: &egui::Context,
        doc: &mut Document,
        state: &mut AuthorState,
        time: f64,
        events: Vec<egui::Event>,
    ) {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 900.0),
            )),
            time: Some(time),
            events,
            ..Default::default()
        };
        let _ = ctx.run_ui(input, |ui| {
            history_keys(ui.ctx(), doc);
            egui::Panel::left("t")
                .default_size(600.0)
                .show(ui, |ui| text_pane(ui, doc, 14.0, time));
            egui::CentralPanel::default().show(ui, |ui| {
                map_pane(ui, &settings(), doc, state, 14.0);
            });
        });
        doc.check_now();
    }

    /// The text pane and the map are one document with one history: type, edit on the
    /// map, type again; Ctrl+Z three times gives back each earlier state in turn (the
    /// cursor with it), Ctrl+Shift+Z three times each later one.
    #[test]
    fn typing_and_map_edits_share_one_undo_history() {
        let original = include_str!("../../tests/fixtures/mini-flood.drill").to_owned();
        let mut doc = Document::new(None, 30.0);
        doc.text = original.clone();
        doc.edited(0.0);
        doc.check_now();
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::ui::fonts::font_definitions());
        let mut state = AuthorState::default();
        let mut time = 0.0;
        let mut frame = |doc: &mut Document, state: &mut AuthorState, events| {
            time += 0.1;
            document_frame(&ctx, doc, state, time, events);
        };
        frame(&mut doc, &mut state, vec![]);
        frame(&mut doc, &mut state, vec![]);
        // Put the cursor after `id       editor-fixture` and type, in two keystrokes
        // of one burst.
        let line_end = original.find("editor-fixture").unwrap() + "editor-fixture".len();
        doc.jump_to = Some(line_end);
        frame(&mut doc, &mut state, vec![]);
        let typed = |s: &str| vec![egui::Event::Text(s.into())];
        frame(&mut doc, &mut state, typed("-甲"));
        frame(&mut doc, &mut state, typed("乙"));
        let a = doc.text.clone();
        assert_eq!(a, original.replace("editor-fixture", "editor-fixture-甲乙"));
        // An edit on the map: drag 上村.
        let view = state.map.layout.as_ref().unwrap().view;
        let t = state.map.transform;
        let from = t.to_screen(Point { x: 120.0, y: 80.0 }, view);
        let to = from + egui::vec2(50.0, 30.0);
        let button = |pos, pressed| egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        };
        frame(
            &mut doc,
            &mut state,
            vec![egui::Event::PointerMoved(from), button(from, true)],
        );
        for k in 1..=4 {
            let p = from + (to - from) * (k as f32 / 4.0);
            frame(&mut doc, &mut state, vec![egui::Event::PointerMoved(p)]);
        }
        frame(&mut doc, &mut state, vec![button(to, false)]);
        let b = doc.text.clone();
        assert_ne!(b, a, "the drag moved 上村");
        assert!(b.contains("editor-fixture-甲乙"));
        // Type again, at the end of the scenario's id line.
        let cursor_b = a.find("-甲乙").unwrap() + "-甲乙".len();
        doc.jump_to = Some(cursor_b);
        frame(&mut doc, &mut state, vec![]);
        // A new burst (the map edit ended the first).
        frame(&mut doc, &mut state, typed("丙"));
        let c = doc.text.clone();
        assert_eq!(c, b.replace("editor-fixture-甲乙", "editor-fixture-甲乙丙"));
        let key = |shift: bool| {
            vec![egui::Event::Key {
                key: egui::Key::Z,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: if shift {
                    egui::Modifiers::COMMAND | egui::Modifiers::SHIFT
                } else {
                    egui::Modifiers::COMMAND
                },
            }]
        };
        for expected in [&b, &a, &original] {
            frame(&mut doc, &mut state, key(false));
            assert_eq!(&doc.text, expected);
        }
        // Nothing more to undo: the text stays.
        frame(&mut doc, &mut state, key(false));
        assert_eq!(doc.text, original);
        for expected in [&a, &b, &c] {
            frame(&mut doc, &mut state, key(true));
            assert_eq!(&doc.text, expected);
        }
        // Undo once more: the cursor is back where it was before 丙 was typed.
        frame(&mut doc, &mut state, key(false));
        frame(&mut doc, &mut state, vec![]);
        assert_eq!(doc.text, b);
        let chars = b[..cursor_b].chars().count();
        assert_eq!(doc.cursor, Some((chars, chars)));
        // Typing after an undo starts afresh: redo has nothing left.
        frame(&mut doc, &mut state, typed("丁"));
        assert!(!doc.can_redo());
        frame(&mut doc, &mut state, key(false));
        assert_eq!(doc.text, b);
    }

    /// Dragging a place with the mouse on the author's map (pointer events through
    /// egui) rewrites that place's coordinates in the text and nothing else: comments,
    /// the other statements and their layout stay; undo brings the old text back.
    #[test]
    fn dragging_a_place_on_the_map_rewrites_its_coordinates_in_the_text() {
        let fixture = include_str!("../../tests/fixtures/mini-flood.drill");
        let text = fixture.replacen("  place 上村", "  // 上村在后山脚下\n  place 上村", 1);
        let mut doc = Document::new(None, 30.0);
        doc.text = text.clone();
        doc.edited(0.0);
        doc.check_now();
        assert!(
            doc.checked.scenario.is_some(),
            "{:?}",
            doc.checked.diagnostics
        );
        let ctx = egui::Context::default();
        let mut state = AuthorState::default();
        // Settle the layout and the fit.
        map_frame(&ctx, &mut doc, &mut state, vec![]);
        map_frame(&ctx, &mut doc, &mut state, vec![]);
        let target = drag_on_map(
            &ctx,
            &mut doc,
            &mut state,
            Point { x: 120.0, y: 80.0 },
            egui::vec2(60.0, 40.0),
        );
        let expected = text.replace(
            "上村    at (120, 80)",
            &format!("上村    at ({:.0}, {:.0})", target.x, target.y),
        );
        assert_ne!(expected, text, "the drag moved the place");
        assert_eq!(doc.text, expected);
        assert!(doc.text.contains("// 上村在后山脚下\n"));
        // The map re-derives from the check of the new text.
        let moved = doc.checked.scenario.as_ref().unwrap().map.places[1].pos;
        assert!((moved.x - target.x).abs() <= 0.5 && (moved.y - target.y).abs() <= 0.5);
        doc.undo();
        assert_eq!(doc.text, text);
        doc.redo();
        assert_eq!(doc.text, expected);
    }

    /// The add-shelter tool: a click on the map inserts a `shelter` line into the map
    /// block, in the block's keyword language.
    #[test]
    fn clicking_with_the_shelter_tool_adds_a_shelter_line() {
        let mut doc = Document::new(None, 30.0);
        doc.text = include_str!("../../tests/fixtures/mini-flood.drill").to_owned();
        doc.edited(0.0);
        doc.check_now();
        let ctx = egui::Context::default();
        let mut state = AuthorState::default();
        map_frame(&ctx, &mut doc, &mut state, vec![]);
        map_frame(&ctx, &mut doc, &mut state, vec![]);
        state.map.edit.as_mut().unwrap().tool = EditTool::AddShelter;
        let view = state.map.layout.as_ref().unwrap().view;
        let at = state
            .map
            .transform
            .to_screen(Point { x: 700.0, y: 300.0 }, view);
        let click = |pressed| egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        };
        map_frame(
            &ctx,
            &mut doc,
            &mut state,
            vec![egui::Event::PointerMoved(at), click(true)],
        );
        map_frame(&ctx, &mut doc, &mut state, vec![click(false)]);
        assert!(
            doc.text
                .contains("  shelter 新避灾点1 at (700, 300) capacity 100\n  road"),
            "{}",
            doc.text
        );
        let sc = doc.checked.scenario.as_ref().unwrap();
        assert!(
            sc.map
                .places
                .iter()
                .any(|p| p.name == "新避灾点1" && p.shelter.is_some())
        );
    }
}
