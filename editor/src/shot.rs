//! `--screenshot OUT.png`: wait a number of frames (fonts load, layout settles),
//! capture the primary window with Bevy's `Screenshot`, exit once the file is written.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, save_to_disk};
use std::path::PathBuf;

/// Frames after the capture request before giving up.
const CAPTURE_TIMEOUT_FRAMES: u32 = 600;

pub struct ScreenshotPlugin {
    pub path: PathBuf,
    pub frames: u32,
}

#[derive(Resource)]
struct ShotPlan {
    path: PathBuf,
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
            frames: self.frames.max(1),
            elapsed: 0,
            requested: false,
        })
        .add_systems(Update, take_screenshot);
    }
}

fn take_screenshot(
    mut commands: Commands,
    mut plan: ResMut<ShotPlan>,
    pending: Query<(), With<Screenshot>>,
    mut exit: MessageWriter<AppExit>,
) {
    plan.elapsed += 1;
    if !plan.requested {
        if plan.elapsed >= plan.frames {
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
        exit.write(AppExit::Success);
    } else if plan.elapsed > CAPTURE_TIMEOUT_FRAMES {
        error!("screenshot was not written after {CAPTURE_TIMEOUT_FRAMES} frames");
        exit.write(AppExit::error());
    }
}
