//! `--screenshot OUT.png`: wait a number of frames (fonts load, layout settles) and
//! until the mode is ready (the exercise reached its `--at` time, the debrief finished
//! recording), capture the primary window with Bevy's `Screenshot`, exit once the file
//! is written (with `--layout-json`, after writing the map's label layout of that frame). `--frame-stats`: frame times printed on exit.

use crate::author::AuthorState;
use crate::debrief::{DebriefState, debrief_ready};
use crate::exercise::ExerciseState;
use crate::session::document::Document;
use crate::ui::Mode;
use crate::ui::UiSettings;
use crate::ui::map_labels::MapLayout;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use bevy_egui::{EguiContexts, egui};
use std::path::PathBuf;
use std::sync::Arc;

/// Frames after the capture request before giving up.
const CAPTURE_TIMEOUT_FRAMES: u32 = 600;
/// Frames to wait for a mode to become ready before capturing anyway.
const READY_TIMEOUT_FRAMES: u32 = 20_000;

/// Whether the active mode has what it should show: the author's timeline computed
/// (when its tab is open), the exercise at its jump target, the debrief's recording
/// done.
fn mode_ready(
    settings: &UiSettings,
    doc: &Document,
    (author, exercise, debrief): (&AuthorState, &ExerciseState, &DebriefState),
) -> bool {
    if doc.checked.scenario.is_none() {
        // Nothing to run: the mode shows why.
        return true;
    }
    match settings.mode {
        Mode::Author => author.ready(doc),
        Mode::Exercise => exercise.run.as_ref().is_some_and(|r| r.target_s.is_none()),
        Mode::Debrief => debrief_ready(debrief),
    }
}

pub struct ScreenshotPlugin {
    pub path: PathBuf,
    pub frames: u32,
    /// Where to write the map's layout of the captured frame (`--layout-json`).
    pub layout_json: Option<PathBuf>,
}

#[derive(Resource)]
struct ShotPlan {
    path: PathBuf,
    layout_json: Option<PathBuf>,
    frames: u32,
    elapsed: u32,
    requested: bool,
}

impl Plugin for ScreenshotPlugin {
    fn build(&self, app: &mut App) {
        // A stale file from an earlier run must not look like success.
        let _ = std::fs::remove_file(&self.path);
        app.insert_resource(ShotPlan {
            path: self.path.clone(),
            layout_json: self.layout_json.clone(),
            frames: self.frames.max(1),
            elapsed: 0,
            requested: false,
        })
        .add_systems(Update, take_screenshot);
    }
}

#[allow(clippy::too_many_arguments)] // a Bevy system: one parameter per resource it reads
fn take_screenshot(
    mut commands: Commands,
    mut plan: ResMut<ShotPlan>,
    pending: Query<(), With<Screenshot>>,
    mut exit: MessageWriter<AppExit>,
    settings: Res<UiSettings>,
    exercise: NonSend<ExerciseState>,
    debrief: NonSend<DebriefState>,
    doc: Res<Document>,
    mut contexts: EguiContexts,
    author: Res<AuthorState>,
) {
    plan.elapsed += 1;
    if !plan.requested {
        let ready = mode_ready(&settings, &doc, (&author, &exercise, &debrief));
        if !ready && plan.elapsed == plan.frames + READY_TIMEOUT_FRAMES {
            warn!(
                "the {:?} mode was not ready; capturing anyway",
                settings.mode
            );
        }
        if plan.elapsed >= plan.frames
            && (ready || plan.elapsed >= plan.frames + READY_TIMEOUT_FRAMES)
        {
            commands
                .spawn(Screenshot::primary_window())
                .observe(save_to_disk(plan.path.clone()));
            plan.requested = true;
            plan.elapsed = 0;
        }
        return;
    }
    if pending.is_empty() && plan.path.exists() {
        info!("screenshot written to {}", plan.path.display());
        if let Some(out) = &plan.layout_json {
            // The map's layout as the last frame drew it (the screenshot's frame: the
            // mode is ready and nothing moves while the capture is written).
            let layout = contexts.ctx_mut().ok().and_then(|ctx| {
                ctx.data(|d| d.get_temp::<Arc<MapLayout>>(egui::Id::new(MapLayout::ID)))
            });
            let json = layout.map_or(serde_json::Value::Null, |l| l.to_json());
            if let Err(e) = drill_engine::io::write_atomic(out, json.to_string().as_bytes()) {
                error!("layout not written: {e}");
                exit.write(AppExit::error());
                return;
            }
        }
        exit.write(AppExit::Success);
    } else if plan.elapsed > CAPTURE_TIMEOUT_FRAMES {
        error!("screenshot was not written after {CAPTURE_TIMEOUT_FRAMES} frames");
        exit.write(AppExit::error());
    }
}

/// Collects frame times (and the simulation's share of each frame) and prints a
/// summary when the app exits.
pub struct FrameStatsPlugin;

#[derive(Resource, Default)]
struct FrameTimes {
    frame_ms: Vec<f64>,
    sim_ms: Vec<f64>,
    ui_ms: Vec<f64>,
}

/// Frames skipped at the start (window creation, font upload, first layout).
const WARMUP_FRAMES: usize = 30;

impl Plugin for FrameStatsPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FrameTimes>()
            .add_systems(Update, collect_frame_time)
            .add_systems(Last, print_frame_stats);
    }
}

fn collect_frame_time(
    mut times: ResMut<FrameTimes>,
    time: Res<Time<Real>>,
    exercise: NonSend<ExerciseState>,
    ui: Res<crate::exercise::UiTimer>,
) {
    times.frame_ms.push(time.delta_secs_f64() * 1000.0);
    times.ui_ms.push(ui.last.as_secs_f64() * 1000.0);
    times.sim_ms.push(
        exercise
            .run
            .as_ref()
            .map_or(0.0, |r| r.last_slice.as_secs_f64() * 1000.0),
    );
}

/// `(mean, median, 95th percentile, max)` of a sample.
pub fn summary(values: &[f64]) -> Option<(f64, f64, f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Some((
        v.iter().sum::<f64>() / v.len() as f64,
        at(0.5),
        at(0.95),
        v[v.len() - 1],
    ))
}

fn print_frame_stats(mut exits: MessageReader<AppExit>, times: Res<FrameTimes>) {
    if exits.read().next().is_none() {
        return;
    }
    let skip = WARMUP_FRAMES.min(times.frame_ms.len());
    for (name, values) in [
        ("frame", &times.frame_ms),
        ("sim", &times.sim_ms),
        ("ui", &times.ui_ms),
    ] {
        if let Some((mean, p50, p95, max)) = summary(&values[skip..]) {
            println!(
                "{name}-time ms over {} frames: mean {mean:.2} median {p50:.2} p95 {p95:.2} max {max:.2}",
                values.len() - skip
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_summary_is_mean_median_p95_max() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(summary(&v), Some((50.5, 51.0, 95.0, 100.0)));
        assert_eq!(summary(&[]), None);
    }
}
