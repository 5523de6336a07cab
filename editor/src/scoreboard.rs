//! 计分板 — the live scoreboard: the plan checklist with ticks, the "四个100%"
//! outcome gauges and the people in danger. This is the one module that reads scores,
//! so wiring the engine's scorer (`drill_engine::score`) in means changing
//! [`score_view`] only.
//!
//! Until the scorer is in the build, ticks come straight from the event log (a plan
//! task the engine logged as finished, in plan-as-written runs) and the gauges show
//! their targets with no value rather than an estimate made here.

use crate::drill::{Digest, TaskProgress};
use crate::i18n::Lang;
use drill_engine::model::{Action, Outcome, Scenario};
use drill_engine::sim::events::{TaskOutcome, TimedEvent, Totals};
use egui::{Color32, RichText};
use std::time::{Duration, Instant};

/// One checklist line.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckLine {
    pub id: String,
    pub title: String,
    pub tick: Tick,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tick {
    Open,
    InProgress,
    Done,
    Partial,
    Failed,
}

/// One outcome gauge: its name, the target share and the achieved share when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    pub name: &'static str,
    pub target_pct: f64,
    pub value_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreView {
    pub checklist: Vec<CheckLine>,
    pub gauges: Vec<Gauge>,
    /// Whether the values come from the engine's scorer.
    pub scored: bool,
}

pub fn outcome_name(o: Outcome, lang: Lang) -> &'static str {
    let (zh, en) = match o {
        Outcome::AtPost => ("责任人员到岗", "officials at post"),
        Outcome::Evacuated => ("危险区人员转移", "danger-zone people moved"),
        Outcome::VulnerableMoved => ("危房和户外人员转移", "vulnerable people moved"),
        Outcome::AssessedBeforeReturn => ("返回前评估", "assessed before return"),
        Outcome::Warned => ("预警覆盖", "warning coverage"),
    };
    if lang == Lang::Zh { zh } else { en }
}

/// The scoreboard's content at this moment of the run. `actions` are the run's
/// submitted actions (`None` for a plan-as-written run).
pub fn score_view(
    sc: &Scenario,
    _actions: Option<&[Action]>,
    digest: &Digest,
    _events: &[TimedEvent],
    lang: Lang,
) -> ScoreView {
    let checklist =
        sc.plan
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| CheckLine {
                id: t.id.clone(),
                title: t.title.clone(),
                tick: match digest.tasks.get(i).copied().unwrap_or_default() {
                    TaskProgress::NotStarted => Tick::Open,
                    TaskProgress::Started(_) => Tick::InProgress,
                    TaskProgress::Finished(_, TaskOutcome::Done) => Tick::Done,
                    TaskProgress::Finished(_, TaskOutcome::Partial { .. }) => Tick::Partial,
                    TaskProgress::Finished(_, TaskOutcome::Failed(_))
                    | TaskProgress::Skipped(_) => Tick::Failed,
                },
            })
            .collect();
    let gauges = sc
        .scoring
        .outcomes
        .iter()
        .map(|o| Gauge {
            name: outcome_name(o.metric, lang),
            target_pct: o.percent,
            value_pct: None,
        })
        .collect();
    ScoreView {
        checklist,
        gauges,
        scored: false,
    }
}

/// Scoring reads the whole event log, so the scoreboard is recomputed when the log
/// has grown and at most every half second, not every frame.
#[derive(Default)]
pub struct ScoreCache {
    events: usize,
    lang: Option<Lang>,
    at: Option<Instant>,
    view: Option<ScoreView>,
}

const RESCORE_EVERY: Duration = Duration::from_millis(500);

impl ScoreCache {
    pub fn get(
        &mut self,
        sc: &Scenario,
        actions: Option<&[Action]>,
        digest: &Digest,
        events: &[TimedEvent],
        lang: Lang,
    ) -> &ScoreView {
        let due = self.view.is_none()
            || self.lang != Some(lang)
            || (events.len() != self.events
                && self.at.is_none_or(|t| t.elapsed() >= RESCORE_EVERY))
            || events.len() < self.events;
        if due {
            self.view = Some(score_view(sc, actions, digest, events, lang));
            self.events = events.len();
            self.lang = Some(lang);
            self.at = Some(Instant::now());
        }
        self.view
            .get_or_insert_with(|| score_view(sc, actions, digest, events, lang))
    }
}

fn tick_mark(t: Tick) -> (&'static str, Color32) {
    match t {
        Tick::Open => ("○", Color32::from_gray(120)),
        Tick::InProgress => ("◐", Color32::from_rgb(0x15, 0x65, 0xc0)),
        Tick::Done => ("✔", Color32::from_rgb(0x1b, 0x8a, 0x2e)),
        Tick::Partial => ("◑", Color32::from_rgb(0xe6, 0x8a, 0x00)),
        Tick::Failed => ("✘", Color32::from_rgb(0xd5, 0x00, 0x00)),
    }
}

/// Big numbers: people in danger first.
pub fn totals_ui(ui: &mut egui::Ui, totals: &Totals, lang: Lang, size: f32) {
    let zh = lang == Lang::Zh;
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(if zh { "危险区人数" } else { "In danger" })
                .size(size)
                .strong(),
        );
        ui.label(
            RichText::new(totals.in_danger.to_string())
                .size(size * 2.2)
                .strong()
                .color(if totals.in_danger > 0 {
                    Color32::from_rgb(0xd5, 0x00, 0x00)
                } else {
                    Color32::from_rgb(0x1b, 0x8a, 0x2e)
                }),
        );
    });
    egui::Grid::new("totals_grid")
        .num_columns(2)
        .show(ui, |ui| {
            let rows: [(&str, &str, u32); 6] = [
                ("已预警", "warned", totals.warned),
                ("已安置", "sheltered", totals.evacuated),
                ("转移中", "moving", totals.moving),
                ("被困", "trapped", totals.trapped),
                ("已救出", "rescued", totals.rescued),
                ("曾受威胁", "exposed", totals.exposed),
            ];
            for (z, e, n) in rows {
                ui.label(RichText::new(if zh { z } else { e }).size(size * 0.85));
                ui.label(RichText::new(n.to_string()).size(size * 0.95).strong());
                ui.end_row();
            }
        });
}

pub fn checklist_ui(ui: &mut egui::Ui, view: &ScoreView, size: f32) {
    for line in &view.checklist {
        let (mark, color) = tick_mark(line.tick);
        ui.horizontal(|ui| {
            ui.label(RichText::new(mark).size(size).color(color).strong());
            ui.label(RichText::new(format!("{} {}", line.id, line.title)).size(size * 0.85));
        });
    }
}

pub fn gauges_ui(ui: &mut egui::Ui, view: &ScoreView, lang: Lang, size: f32) {
    for g in &view.gauges {
        ui.label(RichText::new(g.name).size(size * 0.85));
        let (frac, text) = match g.value_pct {
            Some(v) => (
                (v / 100.0) as f32,
                format!("{v:.0}% / {:.0}%", g.target_pct),
            ),
            None => (
                0.0,
                format!(
                    "— / {:.0}% {}",
                    g.target_pct,
                    if lang == Lang::Zh {
                        "(待评分模块)"
                    } else {
                        "(needs the scorer)"
                    }
                ),
            ),
        };
        let color = if frac * 100.0 >= g.target_pct as f32 - 1e-3 {
            Color32::from_rgb(0x1b, 0x8a, 0x2e)
        } else {
            Color32::from_rgb(0xe6, 0x8a, 0x00)
        };
        ui.add(
            egui::ProgressBar::new(frac.clamp(0.0, 1.0))
                .text(RichText::new(text).size(size * 0.8))
                .fill(color)
                .desired_height(size * 1.1),
        );
    }
}
