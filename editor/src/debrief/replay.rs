//! A recorded drill for the debrief: the whole run re-simulated from the start (same
//! scenario, seed and actions as the exercise, so the same event log), with snapshots
//! kept at intervals for the scrubber and the time series for the charts.
//!
//! Recording happens a slice per frame under the same wall-clock budget as the
//! exercise, with a progress bar, so opening the debrief never freezes the window.

use crate::session::drill::{InjectCommand, LiveRun, RunKind};
use drill_engine::hazard::raster::Raster;
use drill_engine::model::{Action, Scenario};
use drill_engine::sim::hazard_layer::HazardLayer;
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
    /// The engine's hazard layers every [`LAYER_EVERY_S`] (from time 0), for the
    /// replayed map: (drill time, layers).
    pub layer_frames: Vec<(f64, Vec<HazardLayer>)>,
}

/// Drill seconds between two recorded sets of hazard layers (a 12 h drill keeps 73,
/// a few MB).
pub const LAYER_EVERY_S: f64 = 600.0;

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
        run.schedule_commands(commands);
        let every = keyframe_interval(sc, run.snapshot.households.len());
        let layers = run.hazard_layers().to_vec();
        Ok(Recording {
            keyframes: vec![run.snapshot.clone()],
            keyframe_every_s: every,
            layer_frames: vec![(run.time_s(), layers)],
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
            let last_layers = self.layer_frames.last().map_or(f64::NEG_INFINITY, |l| l.0);
            if self.run.time_s() - last_layers >= LAYER_EVERY_S - 1e-6 || self.done() {
                let t = self.run.time_s();
                let layers = self.run.hazard_layers().to_vec();
                self.layer_frames.push((t, layers));
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

    /// The hazard layers recorded at or just before `t_s`.
    pub fn layers_at(&self, t_s: f64) -> &[HazardLayer] {
        let i = self.layer_frames.partition_point(|l| l.0 <= t_s + 1e-9);
        self.layer_frames
            .get(i.saturating_sub(1))
            .map_or(&[], |l| l.1.as_slice())
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

    /// The flood example's recording keeps the engine's hazard layers every 10 min:
    /// no water layer at the start, water by 4 h, and the scrubber finds the set at or
    /// before a time.
    #[test]
    fn a_recording_keeps_the_hazard_layers_every_ten_minutes() {
        use drill_engine::sim::hazard_layer::HazardLayerKind;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../scenarios/zhuyuan-flash-flood.drill");
        let text = drill_engine::io::read_text(&path).unwrap();
        let sc = crate::session::check::check_source(&text, Some(&path))
            .scenario
            .unwrap();
        let mut rec =
            Recording::new(&sc, None, 5, RunKind::PlanAsWritten, Vec::new(), Vec::new()).unwrap();
        while !rec.done() && rec.run.time_s() < 4.0 * 3600.0 + 1.0 {
            rec.record(Duration::from_millis(200));
        }
        let times: Vec<f64> = rec.layer_frames.iter().map(|l| l.0).collect();
        assert_eq!(times[0], 0.0);
        assert!(
            times
                .windows(2)
                .all(|w| (w[1] - w[0] - LAYER_EVERY_S).abs() < 1e-6),
            "{times:?}"
        );
        let wet = |t: f64| {
            rec.layers_at(t)
                .iter()
                .filter(|l| l.kind == HazardLayerKind::WaterDepth)
                .map(|l| l.values.iter().filter(|&&d| d >= 0.05).count())
                .sum::<usize>()
        };
        assert!(
            wet(4.0 * 3600.0) > wet(0.0),
            "{} vs {}",
            wet(4.0 * 3600.0),
            wet(0.0)
        );
        assert_eq!(
            rec.layers_at(4.0 * 3600.0 - 1.0),
            rec.layers_at(3.0 * 3600.0 + 3000.0)
        );
    }
}
