//! 时间线预览 — the author's timeline in author mode, the one `drill check --timeline`
//! prints (`drill_engine::sim::timeline`): by name, when the hazard reaches each
//! place, road and zone, and when each plan task and inject is due, in time order, so
//! that the trainer lines the story up with the physics while writing.
//!
//! The engine runs the whole drill for it (the flood model included: a second or
//! more), so it runs on a worker thread, once per clean check of the text (the check
//! itself is debounced); the panel shows the last result meanwhile, marked as being
//! recomputed. One worker at a time: text typed while it runs is timed when it ends.

use drill_engine::hazard::raster::Raster;
use drill_engine::model::Scenario;
use drill_engine::sim::timeline::{self, Entry};
use egui::{Color32, RichText};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};

type Outcome = Result<Vec<Entry>, String>;

/// The timeline of the last clean check, and the run computing the next.
#[derive(Default)]
pub struct TimelineView {
    /// The check the entries are for, and the entries (or why there are none).
    shown: Option<(u64, Outcome)>,
    /// The worker's check and its answer channel (in a mutex only so that the view
    /// can be a Bevy resource, which must be `Sync`).
    running: Option<(u64, Mutex<Receiver<Outcome>>)>,
    /// A clean check waiting for the worker to finish.
    wanted: Option<(u64, Scenario, Option<Arc<Raster>>)>,
}

impl TimelineView {
    /// Tells the view the current check (`key` changes with every check): a clean
    /// scenario is timed unless it already is; a check with errors keeps the last
    /// timeline. Picks up a finished run. Cheap when nothing changed.
    pub fn update(&mut self, key: u64, clean: Option<(&Scenario, Option<&Arc<Raster>>)>) {
        if let Some((k, rx)) = &self.running {
            let got = rx
                .lock()
                .map_or(Err(TryRecvError::Disconnected), |rx| rx.try_recv());
            match got {
                Ok(outcome) => {
                    self.shown = Some((*k, outcome));
                    self.running = None;
                }
                Err(TryRecvError::Disconnected) => {
                    self.shown = Some((*k, Err("the timeline run stopped".into())));
                    self.running = None;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        if let Some((sc, terrain)) = clean {
            let known = |k: Option<u64>| k == Some(key);
            if !known(self.shown.as_ref().map(|s| s.0))
                && !known(self.running.as_ref().map(|r| r.0))
                && !known(self.wanted.as_ref().map(|w| w.0))
            {
                self.wanted = Some((key, sc.clone(), terrain.cloned()));
            }
        }
        if self.running.is_none()
            && let Some((k, sc, terrain)) = self.wanted.take()
        {
            let (tx, rx) = mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("timeline".into())
                .spawn(move || {
                    let _ = tx.send(timeline::of_scenario(&sc, terrain.as_deref()));
                });
            match spawned {
                Ok(_) => self.running = Some((k, Mutex::new(rx))),
                Err(e) => self.shown = Some((k, Err(format!("cannot start the run: {e}")))),
            }
        }
    }

    /// Whether a run is under way (the panel says so, and keeps asking for frames).
    pub fn busy(&self) -> bool {
        self.running.is_some() || self.wanted.is_some()
    }

    /// The entries shown and whether they are for the check `key`.
    pub fn entries(&self, key: u64) -> Option<(&Outcome, bool)> {
        self.shown.as_ref().map(|(k, o)| (o, *k == key))
    }
}

/// `hazard`/`inject`/`task` and the object kind in the interface's language, with
/// the colour of the row's kind.
fn kind_words(e: &Entry, zh: bool) -> (String, Color32) {
    let object = match (e.object, zh) {
        ("place", true) => "地点",
        ("road", true) => "道路",
        ("zone", true) => "区域",
        ("inject", true) => "注入",
        ("task", true) => "任务",
        (other, _) => other,
    };
    let (kind, color) = match e.kind {
        "hazard" => (
            if zh { "险情" } else { "hazard" },
            Color32::from_rgb(0xd0, 0x30, 0x30),
        ),
        "inject" => (
            if zh { "注入" } else { "inject" },
            Color32::from_rgb(0x2a, 0x7a, 0xe0),
        ),
        _ => (
            if zh { "任务" } else { "task" },
            Color32::from_rgb(0x1b, 0x8a, 0x2e),
        ),
    };
    if e.kind == e.object {
        (kind.to_owned(), color)
    } else {
        (format!("{kind} · {object}"), color)
    }
}

/// The panel: one row per entry in time order (entries that never come last, `—`).
pub fn timeline_ui(ui: &mut egui::Ui, view: &TimelineView, key: u64, clean: bool, zh: bool) {
    let busy = view.busy();
    match view.entries(key) {
        None if busy || clean => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(if zh {
                    "正在推演时间线…"
                } else {
                    "running the timeline…"
                });
            });
        }
        None => {
            ui.weak(if zh {
                "情景检查无误后显示时间线"
            } else {
                "the timeline shows once the scenario checks clean"
            });
        }
        Some((outcome, current)) => {
            if !current || busy {
                ui.horizontal(|ui| {
                    if busy {
                        ui.spinner();
                    }
                    ui.colored_label(
                        Color32::from_rgb(0xe0, 0x90, 0x00),
                        if zh {
                            "时间线对应上一版无误的文本"
                        } else {
                            "timeline of the last clean text"
                        },
                    );
                });
            }
            match outcome {
                Err(e) => {
                    ui.colored_label(Color32::from_rgb(0xe0, 0x30, 0x30), e);
                }
                Ok(entries) => table(ui, entries, zh),
            }
        }
    }
}

fn table(ui: &mut egui::Ui, entries: &[Entry], zh: bool) {
    // As tall as the inject tab's list: the panel takes its height from its content.
    egui::ScrollArea::vertical()
        .id_salt("author_timeline_scroll")
        .min_scrolled_height(300.0)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("author_timeline_grid")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for e in entries {
                        let clock = if e.clock.is_empty() { "—" } else { &e.clock };
                        ui.label(RichText::new(clock).monospace().strong());
                        let (kind, color) = kind_words(e, zh);
                        ui.label(RichText::new(kind).color(color));
                        ui.label(RichText::new(&e.name).strong());
                        ui.label(&e.what);
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait(view: &mut TimelineView, key: u64, sc: &Scenario) {
        let t0 = Instant::now();
        view.update(key, Some((sc, None)));
        while view.busy() {
            assert!(t0.elapsed() < Duration::from_secs(120), "timeline too slow");
            std::thread::sleep(Duration::from_millis(20));
            view.update(key, Some((sc, None)));
        }
    }

    /// The view's entries are the engine's timeline of the scenario (what
    /// `drill check --timeline` prints), in time order; a check with errors keeps
    /// them, marked as the last clean text's; an edited scenario is timed again.
    #[test]
    fn the_view_shows_the_engines_timeline_and_follows_the_text() {
        let (_, sc) = crate::session::check::flood_example();
        let mut view = TimelineView::default();
        wait(&mut view, 1, &sc);
        let (outcome, current) = view.entries(1).unwrap();
        assert!(current);
        let entries = outcome.as_ref().unwrap().clone();
        assert_eq!(entries, timeline::of_scenario(&sc, None).unwrap());
        assert!(
            entries
                .iter()
                .any(|e| e.kind == "hazard" && e.object == "road")
        );
        assert!(entries.iter().any(|e| e.kind == "inject"));
        assert!(entries.iter().any(|e| e.kind == "task"));
        let times: Vec<f64> = entries.iter().map_while(|e| e.t_s).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");

        // Text with errors (no clean scenario): the old timeline stays, not current.
        view.update(2, None);
        assert!(!view.busy());
        assert!(!view.entries(2).unwrap().1);

        // A later inject: timed again, and the entry moves.
        let mut later = sc.clone();
        let n = later.injects[0].number;
        let before = entries
            .iter()
            .find(|e| e.name == format!("inject {n}"))
            .and_then(|e| e.t_s);
        shift_inject(&mut later, 0, 600.0);
        wait(&mut view, 3, &later);
        let (outcome, current) = view.entries(3).unwrap();
        assert!(current);
        let after = outcome
            .as_ref()
            .unwrap()
            .iter()
            .find(|e| e.name == format!("inject {n}"))
            .and_then(|e| e.t_s);
        assert_eq!(after, before.map(|t| t + 600.0));
    }

    fn shift_inject(sc: &mut Scenario, i: usize, by_s: f64) {
        use drill_engine::model::InjectTrigger;
        match &mut sc.injects[i].trigger {
            InjectTrigger::At(t) => *t += by_s,
            other => panic!("the example's first inject is at a time: {other:?}"),
        }
    }

    /// Drawn in egui, the rows carry the names, kinds and clocks in the entries' order.
    #[test]
    fn the_panel_lists_each_entry_by_name_and_time() {
        let (_, sc) = crate::session::check::flood_example();
        let mut view = TimelineView::default();
        wait(&mut view, 7, &sc);
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::ui::fonts::font_definitions());
        let mut texts = Vec::new();
        for _ in 0..2 {
            let out = ctx.run_ui(egui::RawInput::default(), |ui| {
                timeline_ui(ui, &view, 7, true, true);
            });
            texts = out
                .shapes
                .iter()
                .filter_map(|c| match &c.shape {
                    egui::Shape::Text(t) => Some(t.galley.text().to_owned()),
                    _ => None,
                })
                .collect();
        }
        let entries = view.entries(7).unwrap().0.as_ref().unwrap();
        let first = &entries[0];
        let i = texts
            .iter()
            .position(|t| *t == first.clock)
            .expect("first clock");
        assert!(texts[i + 1].starts_with(kind_words(first, true).0.as_str()));
        assert_eq!(texts[i + 2], first.name);
        assert!(texts.iter().any(|t| t.starts_with("险情")), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.contains("->")),
            "a road by name: {texts:?}"
        );
    }
}
