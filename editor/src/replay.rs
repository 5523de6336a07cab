//! A recorded drill for the debrief: the whole run re-simulated from the start (same
//! scenario, seed and actions as the exercise, so the same event log), with snapshots
//! kept at intervals for the scrubber and the time series for the charts.
//!
//! Recording happens a slice per frame under the same wall-clock budget as the
//! exercise, with a progress bar, so opening the debrief never freezes the window.

use crate::drill::{InjectCommand, LiveRun, RunKind};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::{Action, Scenario};
use drill_engine::sim::snapshot::Snapshot;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Household views kept in memory across all keyframes, at most (about 48 bytes each).
const KEYFRAME_BUDGET: f64 = 2.0e6;

pub struct Recording {
    pub run: LiveRun,
    /// Snapshots every `keyframe_every_s`, the first at time 0.
    pub keyframes: Vec<Snapshot>,
    pub keyframe_every_s: f64,
}

/// The keyframe spacing for a scenario: every minute, coarser for large populations so
/// the keyframes stay within [`KEYFRAME_BUDGET`]; always a whole number of steps.
pub fn keyframe_interval(sc: &Scenario, households: usize) -> f64 {
    let step = if sc.header.step_s > 0.0 {
        sc.header.step_s
    } else {
        10.0
    };
    let want = (sc.header.duration_s * households as f64 / KEYFRAME_BUDGET).max(60.0);
    (want / step).ceil().max(1.0) * step
}

impl Recording {
    /// Re-runs a scenario with the given actions and the trainer's inject commands.
    pub fn new(
        sc: &Scenario,
        terrain: Option<Arc<Raster>>,
        seed: u64,
        kind: RunKind,
        actions: Vec<Action>,
        commands: Vec<InjectCommand>,
    ) -> Result<Recording, String> {
        let mut run = LiveRun::new(sc, terrain, seed, kind, actions)?;
        run.inject_commands = commands;
        let every = keyframe_interval(sc, run.snapshot.households.len());
        Ok(Recording {
            keyframes: vec![run.snapshot.clone()],
            keyframe_every_s: every,
            run,
        })
    }

    pub fn done(&self) -> bool {
        self.run.finished()
    }

    /// Share of the drill recorded, 0..=1.
    pub fn progress(&self) -> f64 {
        (self.run.time_s() / self.run.duration_s().max(1e-9)).clamp(0.0, 1.0)
    }

    /// Records for up to `budget` of wall time (at least one step).
    pub fn record(&mut self, budget: Duration) {
        let start = Instant::now();
        let step = self.run.scenario.header.step_s.max(1e-6);
        while !self.done() {
            let next = self.keyframes.len() as f64 * self.keyframe_every_s;
            let steps = ((next - self.run.time_s()) / step).round().max(1.0) as u32;
            let left = budget.saturating_sub(start.elapsed());
            self.run.advance(steps, left);
            if self.run.time_s() >= next - 1e-6 || self.done() {
                self.keyframes.push(self.run.snapshot.clone());
            }
            if start.elapsed() >= budget {
                break;
            }
        }
    }

    /// The keyframe at or just before `t_s`.
    pub fn frame_at(&self, t_s: f64) -> &Snapshot {
        let i = self.keyframes.partition_point(|k| k.t_s <= t_s + 1e-9);
        &self.keyframes[i.saturating_sub(1).min(self.keyframes.len() - 1)]
    }

    /// The recorded end (the drill's end once done).
    pub fn end_s(&self) -> f64 {
        self.keyframes.last().map_or(0.0, |k| k.t_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use drill_engine::sim::generate;

    #[test]
    fn a_recording_keeps_evenly_spaced_keyframes_and_matches_a_straight_run() {
        let sc = generate::village(5);
        let mut rec =
            Recording::new(&sc, None, 5, RunKind::PlanAsWritten, Vec::new(), Vec::new()).unwrap();
        while !rec.done() {
            rec.record(Duration::from_millis(50));
        }
        assert_eq!(rec.keyframe_every_s, 60.0);
        let n = (sc.header.duration_s / 60.0) as usize + 1;
        assert_eq!(rec.keyframes.len(), n);
        for (i, k) in rec.keyframes.iter().enumerate() {
            assert!((k.t_s - i as f64 * 60.0).abs() < 1e-6, "{i}: {}", k.t_s);
        }
        // The keyframe at 3 h equals a fresh run's snapshot at 3 h.
        let mut straight = LiveRun::new(&sc, None, 5, RunKind::PlanAsWritten, Vec::new()).unwrap();
        straight.jump_to(3.0 * 3600.0).unwrap();
        while straight.chase_target(Duration::from_secs(60)) {}
        assert_eq!(rec.frame_at(3.0 * 3600.0 + 30.0), &straight.snapshot);
        assert_eq!(rec.frame_at(-5.0).t_s, 0.0);
        assert_eq!(rec.end_s(), sc.header.duration_s);
    }

    #[test]
    fn large_populations_get_coarser_keyframes() {
        let sc = generate::village(1);
        assert_eq!(keyframe_interval(&sc, 300), 60.0);
        let coarse = keyframe_interval(&sc, 17_000);
        assert!(
            coarse > 60.0 && coarse % sc.header.step_s == 0.0,
            "{coarse}"
        );
        assert!(sc.header.duration_s / coarse * 17_000.0 <= KEYFRAME_BUDGET);
    }
}
