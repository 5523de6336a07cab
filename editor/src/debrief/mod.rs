//! 复盘 — debrief mode: the whole drill re-run from the start (the exercise's actions,
//! or the `--actions` log, or the plan as written), a scrubber over it with the map as
//! it was, the after-action charts (people in danger over time, shelter occupancy, the
//! task timeline; egui_plot) and the export of the report.

pub mod replay;
pub mod report;

use crate::debrief::replay::Recording;
use crate::exercise::{ExerciseState, RunSetup, big_font};
use crate::session::document::Document;
use crate::session::drill::RunKind;
use crate::ui::Mode;
use crate::ui::describe;
use crate::ui::hazard_map;
use crate::ui::i18n::{Key, Lang};
use crate::ui::map_labels::LegendEntry;
use crate::ui::map_view::{MapState, MapStyle, show_map_layered, show_map_with};
use crate::ui::playback::parse_time;
use crate::ui::{BodyRect, UiSet, UiSettings, root_ui};
use crate::ui::{live_map, scoreboard};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use drill_engine::model::Scenario;
use drill_engine::sim::events::{SimEvent, TaskOutcome, TimedEvent, WorkRef};
use egui::{Color32, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

pub struct DebriefPlugin;

impl Plugin for DebriefPlugin {
    fn build(&self, app: &mut App) {
        app.init_non_send::<DebriefState>()
            .add_systems(Update, drive_recording)
            .add_systems(
                EguiPrimaryContextPass,
                debrief_ui
                    .in_set(UiSet::Body)
                    .run_if(|s: Res<UiSettings>| s.mode == Mode::Debrief),
            );
    }
}

/// Non-send data (`NonSend`), not a `Resource`: it holds a [`Recording`] whose
/// [`LiveRun`](crate::session::drill::LiveRun) owns the engine's `Simulation`, a Bevy `App`, which
/// is neither `Send` nor `Sync`. Its systems therefore run on the main thread.
#[derive(Default)]
pub struct DebriefState {
    pub recording: Option<Recording>,
    /// Scrubber position, seconds from the start; `None` follows the recording's end.
    pub at_s: Option<f64>,
    pub playing: bool,
    map: MapState,
    message: Option<String>,
    /// What the recording was made from, to notice when the exercise moved on.
    source_actions: usize,
    at_applied: bool,
    score_cache: scoreboard::ScoreCache,
}

/// Starts recording when the debrief opens, and records a slice per frame.
fn drive_recording(
    mut state: NonSendMut<DebriefState>,
    settings: Res<UiSettings>,
    doc: Res<Document>,
    setup: Res<RunSetup>,
    exercise: NonSend<ExerciseState>,
    time: Res<Time<Real>>,
) {
    if settings.mode != Mode::Debrief {
        return;
    }
    let state = &mut *state;
    if state.recording.is_none() {
        // The exercise's run if there is one (its decisions), else the setup's.
        let made = if let Some(run) = &exercise.run {
            state.source_actions = run.actions.len() + run.commands.len();
            Recording::new(
                &run.scenario,
                run.terrain.clone(),
                run.seed,
                run.kind,
                run.actions.clone(),
                run.commands.clone(),
            )
        } else if let Some(sc) = doc.checked.scenario.as_ref() {
            let log = match (&setup.actions, setup.kind) {
                (Some(path), RunKind::Participants) => crate::session::check::load_log(sc, path)
                    .unwrap_or_else(|e| {
                        state.message = Some(e);
                        Default::default()
                    }),
                _ => Default::default(),
            };
            Recording::new(
                sc,
                doc.checked.terrain.clone(),
                sc.header.seed,
                setup.kind,
                log.actions,
                log.inject_commands,
            )
        } else {
            return;
        };
        match made {
            Ok(r) => state.recording = Some(r),
            Err(e) => {
                state.message = Some(e);
                return;
            }
        }
    }
    let Some(rec) = state.recording.as_mut() else {
        return;
    };
    if !rec.done() {
        // Recording may take a larger slice than live play: nothing else moves meanwhile.
        rec.record(setup.budget * 3);
    }
    if !state.at_applied && rec.done() {
        state.at_applied = true;
        if let Some(at) = &setup.at {
            state.at_s = parse_time(at, rec.run.scenario.header.start.seconds_of_day());
        }
    }
    if state.playing {
        let end = rec.end_s();
        let t = state.at_s.unwrap_or(end) + time.delta_secs_f64() * 600.0;
        if t >= end {
            state.playing = false;
            state.at_s = None;
        } else {
            state.at_s = Some(t);
        }
    }
}

/// Whether the debrief has finished recording (the screenshot waits for it).
pub fn debrief_ready(state: &DebriefState) -> bool {
    state.recording.as_ref().is_some_and(Recording::done)
}

fn clock_axis(
    sc: &Scenario,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String + '_ {
    move |mark, _| describe::clock(sc, mark.value * 3600.0)
}

/// A line of the people chart: Chinese and English name, colour, the total it plots.
type Series = (
    &'static str,
    &'static str,
    Color32,
    fn(&drill_engine::sim::events::Totals) -> u32,
);

/// Time series plot: people by state over the drill.
fn people_plot(ui: &mut egui::Ui, rec: &Recording, at_s: f64, lang: Lang, height: f32) {
    let sc = &rec.run.scenario;
    let h = &rec.run.history;
    let zh = lang == Lang::Zh;
    let series: [Series; 5] = [
        (
            "危险区",
            "in danger",
            Color32::from_rgb(0xd5, 0x00, 0x00),
            |t| t.in_danger,
        ),
        (
            "已预警",
            "warned",
            Color32::from_rgb(0xe6, 0x8a, 0x00),
            |t| t.warned,
        ),
        (
            "已安置",
            "sheltered",
            Color32::from_rgb(0x1b, 0x8a, 0x2e),
            |t| t.evacuated,
        ),
        (
            "转移中",
            "moving",
            Color32::from_rgb(0x15, 0x65, 0xc0),
            |t| t.moving,
        ),
        (
            "被困",
            "trapped",
            Color32::from_rgb(0x8e, 0x24, 0xaa),
            |t| t.trapped,
        ),
    ];
    let ink = ui.visuals().text_color();
    Plot::new("people_plot")
        .height(height)
        .legend(Legend::default())
        .x_axis_formatter(clock_axis(sc))
        .allow_scroll(false)
        .show(ui, |p| {
            for (z, e, color, f) in series {
                let pts: PlotPoints = h
                    .iter()
                    .map(|s| [s.t_s / 3600.0, f64::from(f(&s.totals))])
                    .collect();
                p.line(
                    Line::new(if zh { z } else { e }, pts)
                        .color(color)
                        .width(2.5),
                );
            }
            p.vline(VLine::new("", at_s / 3600.0).color(ink).width(1.5));
        });
}

fn occupancy_plot(ui: &mut egui::Ui, rec: &Recording, at_s: f64, height: f32) {
    let sc = &rec.run.scenario;
    let h = &rec.run.history;
    let ink = ui.visuals().text_color();
    Plot::new("occupancy_plot")
        .height(height)
        .legend(Legend::default())
        .x_axis_formatter(clock_axis(sc))
        .allow_scroll(false)
        .show(ui, |p| {
            for (k, sv) in rec.run.snapshot.shelters.iter().enumerate() {
                let pts: PlotPoints = h
                    .iter()
                    .filter_map(|s| s.occupancy.get(k).map(|&o| [s.t_s / 3600.0, f64::from(o)]))
                    .collect();
                p.line(Line::new(describe::place(sc, sv.place.index()), pts).width(2.5));
            }
            p.vline(VLine::new("", at_s / 3600.0).color(ink).width(1.5));
        });
}

/// One bar of the task timeline: who did what, from when to when, how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskBar {
    pub label: String,
    pub start_s: f64,
    pub end_s: Option<f64>,
    pub outcome: Option<TaskOutcome>,
}

/// Work items from the event log (`TaskStarted` … `TaskFinished`), in start order.
pub fn task_bars(
    sc: &Scenario,
    actions: &[drill_engine::model::Action],
    events: &[TimedEvent],
) -> Vec<TaskBar> {
    let mut bars: Vec<(WorkRef, TaskBar)> = Vec::new();
    for e in events {
        match &e.event {
            SimEvent::TaskStarted { work, actor } => {
                let what = match work {
                    WorkRef::Task(t) => sc
                        .plan
                        .tasks
                        .get(t.index())
                        .map_or("?".to_owned(), |t| format!("{} {}", t.id, t.title)),
                    WorkRef::Action(a) => actions
                        .get(a.0 as usize)
                        .map_or("?".to_owned(), |a| describe::work(sc, &a.work)),
                };
                bars.push((
                    *work,
                    TaskBar {
                        label: format!("{} · {what}", describe::actor(sc, *actor)),
                        start_s: e.t_s,
                        end_s: None,
                        outcome: None,
                    },
                ));
            }
            SimEvent::TaskFinished { work, outcome, .. } => {
                if let Some((_, bar)) = bars
                    .iter_mut()
                    .rev()
                    .find(|(w, b)| w == work && b.end_s.is_none())
                {
                    bar.end_s = Some(e.t_s);
                    bar.outcome = Some(*outcome);
                }
            }
            _ => {}
        }
    }
    bars.into_iter().map(|(_, b)| b).collect()
}

fn timeline_plot(ui: &mut egui::Ui, rec: &Recording, at_s: f64, height: f32) {
    let sc = &rec.run.scenario;
    let bars = task_bars(sc, &rec.run.actions, rec.run.events());
    let end = rec.end_s();
    let ink = ui.visuals().text_color();
    Plot::new("task_timeline")
        .height(height)
        .x_axis_formatter(clock_axis(sc))
        .show_axes([true, false])
        .allow_scroll(false)
        .show(ui, |p| {
            for (row, bar) in bars.iter().enumerate() {
                let y = -(row as f64);
                let color = match bar.outcome {
                    Some(TaskOutcome::Done) => Color32::from_rgb(0x1b, 0x8a, 0x2e),
                    Some(TaskOutcome::Partial { .. }) => Color32::from_rgb(0xe6, 0x8a, 0x00),
                    Some(TaskOutcome::Failed(_)) => Color32::from_rgb(0xd5, 0x00, 0x00),
                    None => Color32::from_rgb(0x15, 0x65, 0xc0),
                };
                let x0 = bar.start_s / 3600.0;
                let x1 = bar.end_s.unwrap_or(end).max(bar.start_s + 60.0) / 3600.0;
                p.line(
                    Line::new(bar.label.clone(), PlotPoints::from(vec![[x0, y], [x1, y]]))
                        .color(color)
                        .width(7.0),
                );
                p.text(
                    egui_plot::Text::new(
                        "",
                        egui_plot::PlotPoint::new(x1, y),
                        RichText::new(format!(" {}", bar.label)).color(ink),
                    )
                    .anchor(egui::Align2::LEFT_CENTER),
                );
            }
            p.vline(VLine::new("", at_s / 3600.0).color(ink).width(1.5));
        });
}

fn debrief_ui(
    mut contexts: EguiContexts,
    settings: Res<UiSettings>,
    body: Res<BodyRect>,
    doc: Res<Document>,
    exercise: NonSend<ExerciseState>,
    mut state: NonSendMut<DebriefState>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let mut ui = root_ui(&ctx, "debrief", body.0);
    let s = *settings;
    let lang = s.lang;
    let zh = lang == Lang::Zh;
    let state = &mut *state;
    let size = big_font(&s);
    let stale = exercise
        .run
        .as_ref()
        .is_some_and(|r| r.actions.len() + r.commands.len() != state.source_actions);

    let DebriefState {
        recording,
        at_s,
        playing,
        map,
        message,
        score_cache,
        ..
    } = state;
    let Some(rec) = recording.as_ref() else {
        egui::CentralPanel::default().show(&mut ui, |ui| {
            let text = message
                .clone()
                .unwrap_or_else(|| s.t(Key::NoRun).to_owned());
            map.terrain_file = doc.checked.terrain.clone();
            map.basemap = doc.checked.basemap.clone();
            show_map_with(
                ui,
                map,
                doc.checked.scenario.as_ref(),
                MapStyle {
                    label_size: size,
                    hide_notes: true,
                    shelter_bars: false,
                },
                &text,
                |_, _| {},
            );
        });
        return Ok(());
    };
    let sc = rec.run.scenario.clone();
    let end = rec.end_s();
    let at = at_s.unwrap_or(end).min(end);
    let mut rerecord = false;

    egui::Panel::top("debrief_scrubber").show(&mut ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(describe::clock(&sc, at))
                    .size(size * 2.0)
                    .monospace()
                    .strong(),
            );
            let label = if *playing {
                crate::ui::playback::PAUSE_ICON
            } else {
                crate::ui::playback::PLAY_ICON
            };
            if ui
                .add_enabled(
                    rec.done(),
                    egui::Button::new(RichText::new(label).size(size)),
                )
                .clicked()
            {
                if !*playing && at >= end - 1e-9 {
                    *at_s = Some(0.0);
                }
                *playing = !*playing;
            }
            let mut t = at;
            ui.spacing_mut().slider_width = (ui.available_width() - size * 12.0).max(100.0);
            let slider = ui.add(
                egui::Slider::new(&mut t, 0.0..=sc.header.duration_s.max(1.0))
                    .show_value(false)
                    .step_by(rec.keyframe_every_s),
            );
            if slider.changed() {
                *at_s = Some(t.min(end));
                *playing = false;
            }
            if ui
                .button(RichText::new(s.t(Key::Export)).size(size))
                .clicked()
            {
                *message = Some(match report::export(rec, doc.path.as_deref()) {
                    Ok(paths) => paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    Err(e) => e,
                });
            }
        });
        if !rec.done() {
            ui.add(egui::ProgressBar::new(rec.progress() as f32).text(format!(
                "{} {:.0}%",
                s.t(Key::Recording),
                rec.progress() * 100.0
            )));
        }
        if let Some(m) = &*message {
            ui.label(RichText::new(m).size(size * 0.8));
        }
        if stale {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(if zh {
                        "推演中有新的决策:重新生成复盘"
                    } else {
                        "The exercise has new decisions: re-record"
                    })
                    .size(size * 0.85)
                    .color(Color32::from_rgb(0xb0, 0x00, 0x00)),
                );
                if ui
                    .button(RichText::new(s.t(Key::Restart)).size(size * 0.85))
                    .clicked()
                {
                    rerecord = true;
                }
            });
        }
    });
    let frame = rec.frame_at(at);

    egui::Panel::right("debrief_charts")
        .resizable(true)
        .default_size(body.0.width() * 0.42)
        .show(&mut ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("debrief_scroll")
                .show(ui, |ui| {
                    let h = (body.0.height() * 0.27).max(140.0);
                    ui.label(RichText::new(s.t(Key::InDangerChart)).size(size).strong());
                    people_plot(ui, rec, at, lang, h);
                    ui.label(RichText::new(s.t(Key::OccupancyChart)).size(size).strong());
                    occupancy_plot(ui, rec, at, h * 0.8);
                    ui.label(RichText::new(s.t(Key::TaskTimeline)).size(size).strong());
                    timeline_plot(ui, rec, at, h);
                    ui.separator();
                    ui.label(RichText::new(s.t(Key::Scoreboard)).size(size).strong());
                    scoreboard::totals_ui(ui, &frame.totals, lang, size);
                    let actions = (rec.run.kind == RunKind::Participants)
                        .then_some(rec.run.actions.as_slice());
                    let view =
                        score_cache.get(&sc, actions, &rec.run.digest, rec.run.events(), lang);
                    scoreboard::total_ui(ui, view, size);
                    scoreboard::gauges_ui(ui, view, lang, size);
                    scoreboard::checklist_ui(ui, view, size);
                });
        });

    egui::CentralPanel::default().show(&mut ui, |ui| {
        let digest = &rec.run.digest;
        let t = frame.t_s;
        let layers = rec.layers_at(t);
        map.terrain_file = rec.run.terrain.clone();
        map.basemap = doc.checked.basemap.clone();
        let mut legend = live_map::legend_entries(frame, lang);
        let hazard = hazard_map::legend_entries(layers, lang);
        if !hazard.is_empty() {
            legend.push(LegendEntry::Gap);
            legend.extend(hazard);
        }
        show_map_layered(
            ui,
            map,
            Some(&sc),
            MapStyle {
                label_size: size * 0.8,
                hide_notes: true,
                shelter_bars: true,
            },
            "",
            &legend,
            |canvas| hazard_map::draw_layers(canvas, layers),
            |canvas, font| {
                live_map::draw_run(
                    canvas,
                    font,
                    &sc,
                    frame,
                    &|z| digest.zone_dangerous_at(z, t),
                    lang,
                );
            },
        );
    });

    // Keys: space plays the replay, arrows move a keyframe.
    if !ctx.egui_wants_keyboard_input() {
        let (space, left, right) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::Space),
                i.key_pressed(egui::Key::ArrowLeft),
                i.key_pressed(egui::Key::ArrowRight),
            )
        });
        let every = rec.keyframe_every_s;
        if space {
            *playing = !*playing;
        }
        if left {
            *at_s = Some((at - every).max(0.0));
        }
        if right {
            *at_s = Some((at + every).min(end));
        }
    }
    if rerecord {
        *recording = None;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::drill::LiveRun;
    use drill_engine::sim::generate;
    use std::time::Duration;

    #[test]
    fn the_task_timeline_pairs_starts_with_finishes() {
        let sc = generate::village(4);
        let mut run = LiveRun::new(&sc, None, 4, RunKind::PlanAsWritten, Vec::new()).unwrap();
        run.jump_to(sc.header.duration_s).unwrap();
        while run.chase_target(Duration::from_secs(60)) {}
        let bars = task_bars(&sc, &run.actions, run.events());
        let started = run
            .events()
            .iter()
            .filter(|e| matches!(e.event, SimEvent::TaskStarted { .. }))
            .count();
        assert_eq!(bars.len(), started);
        assert!(bars.windows(2).all(|w| w[0].start_s <= w[1].start_s));
        assert!(
            bars.iter()
                .any(|b| b.end_s.is_some_and(|e| e >= b.start_s) && b.outcome.is_some())
        );
        assert!(bars.iter().all(|b| b.label.contains(" · ")));
    }
}
