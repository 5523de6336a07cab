//! 计分板 — the live scoreboard: the plan checklist with ticks, the "四个100%"
//! outcome gauges and the people in danger. This is the one module that reads scores,
//! so wiring the engine's scorer (`drill_engine::score`) in means changing
//! [`score_view`] only.
//!
//! Everything shown comes from `drill_engine::score::score` over the run's actions and
//! event log so far: each task's HSEEP rating (P/S/M/U) as a tick, the outcome targets
//! (四个100%) as gauges, the weighted total and the pass/rework conclusion.

use crate::session::drill::{Digest, TaskProgress};
use crate::ui::i18n::Lang;
use drill_engine::model::{Action, ActionLog, Scenario};
use drill_engine::score::{self, Rating, ScoreReport, Text};
use drill_engine::sim::events::{TimedEvent, Totals};
use egui::{Color32, RichText};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One checklist line.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckLine {
    pub id: String,
    pub title: String,
    pub tick: Tick,
    /// The scorer's rating letter (P/S/M/U), once the task is rated.
    pub rating: Option<&'static str>,
    /// The scorer's first reason, if any (late, rejected, short...).
    pub reason: Option<String>,
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
    pub name: String,
    /// What the share counts, e.g. "268 / 281 人".
    pub detail: String,
    pub target_pct: f64,
    pub value_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreView {
    pub checklist: Vec<CheckLine>,
    pub gauges: Vec<Gauge>,
    /// The weighted total (0..=100) and the conclusion (合格 / 需整改 / 不合格 with the
    /// total), shown large; the broken veto rules below it, smaller.
    pub total: f64,
    pub passed: bool,
    pub conclusion: String,
    pub vetoes: Vec<String>,
}

/// The scoreboard's content at this moment of the run. `actions` are the run's
/// submitted actions (`None` for a plan-as-written run).
pub fn score_view(
    sc: &Scenario,
    actions: Option<&[Action]>,
    digest: &Digest,
    events: &[TimedEvent],
    lang: Lang,
) -> ScoreView {
    let log = actions.map(|a| ActionLog {
        scenario_id: sc.header.id.clone(),
        actions: a.to_vec(),
        // Scoring reads the inject commands' effect from the event log, not from here.
        inject_commands: Vec::new(),
    });
    let report = score::score(sc, log.as_ref(), events);
    view_of(&report, digest, lang)
}

fn pick(t: &Text, lang: Lang) -> String {
    if lang == Lang::Zh {
        t.zh.clone()
    } else {
        t.en.clone()
    }
}

/// The scoreboard's lines from the scorer's report (and, for tasks not rated yet,
/// whether the log shows them under way).
pub fn view_of(report: &ScoreReport, digest: &Digest, lang: Lang) -> ScoreView {
    let checklist = report
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let progress = digest.tasks.get(i).copied().unwrap_or_default();
            let tick = match t.rating {
                Some(Rating::P) => Tick::Done,
                Some(Rating::S | Rating::M) => Tick::Partial,
                Some(Rating::U) => Tick::Failed,
                None if t.started_s.is_some() || matches!(progress, TaskProgress::Started(_)) => {
                    Tick::InProgress
                }
                None => Tick::Open,
            };
            CheckLine {
                id: t.id.clone(),
                title: t.title.clone(),
                tick,
                rating: t.rating.map(Rating::letter),
                reason: t.reasons.first().map(|r| {
                    if lang == Lang::Zh {
                        r.zh.clone()
                    } else {
                        r.en.clone()
                    }
                }),
            }
        })
        .collect();
    let gauges = report
        .outcomes
        .targets
        .iter()
        .map(|o| Gauge {
            name: pick(&o.name, lang),
            detail: pick(&o.detail, lang),
            target_pct: o.target_percent.unwrap_or(100.0),
            value_pct: Some(o.value_percent),
        })
        .collect();
    ScoreView {
        checklist,
        gauges,
        total: report.total,
        passed: report.passed,
        conclusion: {
            let label = report.verdict.label();
            format!(
                "{} {:.1} / {:.0}",
                pick(&label, lang),
                report.total,
                report.pass_score
            )
        },
        vetoes: report
            .vetoes
            .iter()
            .map(|v| {
                let word = if lang == Lang::Zh {
                    "否决项"
                } else {
                    "veto"
                };
                format!("{word}: {}", pick(&v.text, lang))
            })
            .collect(),
    }
}

/// Scoring reads the whole event log (100,000+ events at county scale), so it runs on
/// a worker thread: the first score is computed at once, later ones are requested when
/// the log has grown (at most every half second) and picked up when ready; meanwhile
/// the scoreboard shows the previous score. Going back in time (a shorter log) or a
/// language switch rescores at once.
#[derive(Default)]
pub struct ScoreCache {
    /// Events in the log the current report scored.
    events: usize,
    lang: Option<Lang>,
    asked: Option<Instant>,
    report: Option<ScoreReport>,
    view: Option<ScoreView>,
    /// The event count and the worker's answer for a rescoring under way.
    pending: Option<(usize, JoinHandle<ScoreReport>)>,
}

const RESCORE_EVERY: Duration = Duration::from_millis(500);

fn log_of(sc: &Scenario, actions: Option<&[Action]>) -> Option<ActionLog> {
    actions.map(|a| ActionLog {
        scenario_id: sc.header.id.clone(),
        actions: a.to_vec(),
        inject_commands: Vec::new(),
    })
}

impl ScoreCache {
    pub fn get(
        &mut self,
        sc: &Scenario,
        actions: Option<&[Action]>,
        digest: &Digest,
        events: &[TimedEvent],
        lang: Lang,
    ) -> &ScoreView {
        if self.pending.as_ref().is_some_and(|(_, h)| h.is_finished())
            && let Some((n, handle)) = self.pending.take()
            && let Ok(report) = handle.join()
        {
            self.events = n;
            self.report = Some(report);
            self.view = None;
        }
        let rewound = events.len() < self.events;
        if self.report.is_none() || rewound {
            // At once: nothing to show yet, or the old score is from the future.
            self.pending = None;
            self.report = Some(score::score(sc, log_of(sc, actions).as_ref(), events));
            self.events = events.len();
            self.asked = Some(Instant::now());
            self.view = None;
        } else if events.len() != self.events
            && self.pending.is_none()
            && self.asked.is_none_or(|t| t.elapsed() >= RESCORE_EVERY)
        {
            let (sc, log, events) = (sc.clone(), log_of(sc, actions), events.to_vec());
            let n = events.len();
            let handle = std::thread::spawn(move || score::score(&sc, log.as_ref(), &events));
            self.pending = Some((n, handle));
            self.asked = Some(Instant::now());
        }
        if self.view.is_none() || self.lang != Some(lang) {
            self.lang = Some(lang);
            self.view = self.report.as_ref().map(|r| view_of(r, digest, lang));
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
            if let Some(letter) = line.rating {
                ui.label(
                    RichText::new(letter)
                        .size(size * 0.85)
                        .color(color)
                        .strong(),
                );
            }
            let label =
                ui.label(RichText::new(format!("{} {}", line.id, line.title)).size(size * 0.85));
            if let Some(reason) = &line.reason {
                label.on_hover_text(reason);
            }
        });
    }
}

/// The weighted total and the conclusion, large.
pub fn total_ui(ui: &mut egui::Ui, view: &ScoreView, size: f32) {
    let color = if view.passed {
        Color32::from_rgb(0x1b, 0x8a, 0x2e)
    } else {
        Color32::from_rgb(0xd5, 0x00, 0x00)
    };
    ui.label(
        RichText::new(&view.conclusion)
            .size(size)
            .strong()
            .color(color),
    );
    // Why it is not 合格 although the total may pass: the 四个100% are not averaged away.
    for veto in &view.vetoes {
        ui.label(
            RichText::new(veto)
                .size((size * 0.6).max(14.0))
                .color(color),
        );
    }
}

pub fn gauges_ui(ui: &mut egui::Ui, view: &ScoreView, lang: Lang, size: f32) {
    for g in &view.gauges {
        ui.label(RichText::new(&g.name).size(size * 0.85));
        let (frac, text) = match g.value_pct {
            Some(v) => (
                (v / 100.0) as f32,
                format!("{v:.0}% / {:.0}%  {}", g.target_pct, g.detail),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::drill::{LiveRun, RunKind};
    use drill_engine::sim::generate;

    /// The scoreboard shows the scorer's verdict; the cache's worker thread catches up
    /// with a grown log, and a rewound log is rescored at once.
    #[test]
    fn the_cache_follows_the_log_and_matches_a_direct_score() {
        let sc = generate::village(6);
        let mut run = LiveRun::new(&sc, None, 6, RunKind::PlanAsWritten, Vec::new()).unwrap();
        run.jump_to(6.0 * 3600.0).unwrap();
        while run.chase_target(Duration::from_secs(60)) {}
        let mut cache = ScoreCache::default();
        let direct = score_view(&sc, None, &run.digest, run.events(), Lang::Zh);
        assert_eq!(
            cache.get(&sc, None, &run.digest, run.events(), Lang::Zh),
            &direct
        );
        assert!(direct.checklist.iter().any(|l| l.rating.is_some()));
        assert!(!direct.conclusion.is_empty());
        // Grow the log; the worker's answer arrives within a few polls.
        run.advance(360, Duration::from_secs(60));
        std::thread::sleep(RESCORE_EVERY);
        let want = score_view(&sc, None, &run.digest, run.events(), Lang::Zh);
        let deadline = Instant::now() + Duration::from_secs(30);
        while cache.get(&sc, None, &run.digest, run.events(), Lang::Zh) != &want {
            assert!(Instant::now() < deadline, "the worker never answered");
            std::thread::sleep(Duration::from_millis(20));
        }
        // Back to 1 h: scored at once.
        run.jump_to(3600.0).unwrap();
        while run.chase_target(Duration::from_secs(60)) {}
        let early = score_view(&sc, None, &run.digest, run.events(), Lang::Zh);
        assert_eq!(
            cache.get(&sc, None, &run.digest, run.events(), Lang::Zh),
            &early
        );
    }
}
