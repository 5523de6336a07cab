//! Exercise playback: how many fixed simulation steps to run this frame.
//!
//! The simulation advances in fixed steps (`Header::step_s`); the trainer picks a
//! speed from real time (x1) to ten minutes a second (x600). Each frame gets a budget
//! of steps so a slow step never freezes the projector: time the simulation cannot
//! keep up with is dropped, not queued.

/// Speeds offered on the exercise toolbar, simulated seconds per real second.
/// The playback buttons' icons, each of which a bundled font has (egui's emoji fonts
/// draw `⏸` and `⏭`): `ui::fonts` tests them against the replacement glyph.
pub const PLAY_ICON: &str = "▶";
pub const PAUSE_ICON: &str = "⏸";
pub const STEP_ICON: &str = "⏭";
/// All of them, for the font test.
pub const ICONS: &str = "▶⏸⏭";

pub const SPEEDS: [u32; 6] = [1, 10, 30, 60, 300, 600];

#[derive(Debug, Clone)]
pub struct Playback {
    pub playing: bool,
    pub speed: u32,
    /// Simulation step, seconds.
    pub step_s: f64,
    /// Most steps run in one frame.
    pub max_steps_per_frame: u32,
    /// Simulated seconds owed but not yet stepped (less than one step, or the capped backlog).
    owed_s: f64,
    /// Drill seconds per real second actually achieved, smoothed over about a second;
    /// below `speed` when the per-frame budget holds the simulation back.
    achieved: Option<f64>,
}

impl Playback {
    pub fn new(step_s: f64) -> Self {
        let step_s = if step_s.is_finite() && step_s > 0.0 {
            step_s
        } else {
            10.0
        };
        Playback {
            playing: false,
            speed: 60,
            step_s,
            max_steps_per_frame: 64,
            owed_s: 0.0,
            achieved: None,
        }
    }

    /// Steps to run for a frame that took `real_dt_s`; zero while paused.
    pub fn steps_for_frame(&mut self, real_dt_s: f64) -> u32 {
        if !self.playing || !real_dt_s.is_finite() || real_dt_s <= 0.0 {
            return 0;
        }
        self.owed_s += real_dt_s * f64::from(self.speed);
        let steps = (self.owed_s / self.step_s).floor();
        let cap = f64::from(self.max_steps_per_frame);
        if steps > cap {
            // Behind: drop the backlog instead of spiralling.
            self.owed_s = 0.0;
            return self.max_steps_per_frame;
        }
        self.owed_s -= steps * self.step_s;
        steps as u32
    }

    /// Records a played frame: `real_dt_s` of wall time moved the drill clock by
    /// `advanced_s`. Paused frames reset the meter.
    pub fn record(&mut self, real_dt_s: f64, advanced_s: f64) {
        if !self.playing || !real_dt_s.is_finite() || real_dt_s <= 0.0 {
            self.achieved = None;
            return;
        }
        let now = advanced_s / real_dt_s;
        // Exponential average with a time constant of one second.
        let a = (real_dt_s / 1.0).min(1.0);
        self.achieved = Some(self.achieved.map_or(now, |e| e + a * (now - e)));
    }

    /// The achieved speed while playing.
    pub fn achieved_speed(&self) -> Option<f64> {
        self.achieved
    }

    /// Whether the drill clock runs clearly slower than the chosen speed (the
    /// simulation's per-frame budget holds it back): the UI says so.
    pub fn lagging(&self) -> bool {
        self.playing
            && self
                .achieved
                .is_some_and(|a| a < 0.8 * f64::from(self.speed))
    }

    /// The next faster (or slower) speed in [`SPEEDS`].
    pub fn faster(&mut self, up: bool) {
        let i = SPEEDS.iter().position(|&s| s == self.speed).unwrap_or(0);
        let j = if up {
            (i + 1).min(SPEEDS.len() - 1)
        } else {
            i.saturating_sub(1)
        };
        self.speed = SPEEDS[j];
    }
}

/// Parses a jump target typed by the trainer, as seconds from the drill start:
/// a clock time `HH:MM` on or after the start (past midnight wraps to the next day),
/// or an offset with a unit, `+90min`, `2h`, `1800s`, `45m`.
pub fn parse_time(text: &str, start_s_of_day: f64) -> Option<f64> {
    let t = text.trim().trim_start_matches('+');
    if let Some((h, m)) = t.split_once(':').or_else(|| t.split_once('：')) {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = m.trim().parse().ok()?;
        if h > 23 || m > 59 {
            return None;
        }
        let of_day = f64::from(h * 3600 + m * 60);
        return Some((of_day - start_s_of_day).rem_euclid(86_400.0));
    }
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().ok()?;
    let factor = match unit.trim() {
        "s" | "秒" => 1.0,
        "m" | "min" | "分" | "分钟" => 60.0,
        "h" | "小时" => 3600.0,
        _ => return None,
    };
    (value.is_finite() && value >= 0.0).then_some(value * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_targets_parse_as_clock_times_or_offsets() {
        let start = 20.0 * 3600.0; // 20:00
        assert_eq!(parse_time("21:30", start), Some(5400.0));
        assert_eq!(parse_time("05:50", start), Some(9.0 * 3600.0 + 50.0 * 60.0));
        assert_eq!(parse_time("20:00", start), Some(0.0));
        assert_eq!(parse_time("+90min", start), Some(5400.0));
        assert_eq!(parse_time("2h", start), Some(7200.0));
        assert_eq!(parse_time("30分钟", start), Some(1800.0));
        for bad in ["", "25:00", "12:61", "soon", "5", "-1h"] {
            assert_eq!(parse_time(bad, start), None, "{bad}");
        }
    }

    #[test]
    fn paused_playback_runs_no_steps() {
        let mut p = Playback::new(10.0);
        assert_eq!(p.steps_for_frame(1.0), 0);
    }

    #[test]
    fn steps_accumulate_fractional_frames() {
        let mut p = Playback::new(10.0);
        p.playing = true;
        p.speed = 60;
        // 60 frames of 1/60 s at x60 = 60 simulated seconds = 6 steps in total.
        let total: u32 = (0..60).map(|_| p.steps_for_frame(1.0 / 60.0)).sum();
        assert_eq!(total, 6);
    }

    #[test]
    fn a_long_frame_is_capped_and_the_backlog_dropped() {
        let mut p = Playback::new(10.0);
        p.playing = true;
        p.speed = 600;
        p.max_steps_per_frame = 8;
        assert_eq!(p.steps_for_frame(2.0), 8, "120 steps owed, 8 allowed");
        assert_eq!(p.steps_for_frame(1.0 / 60.0), 1, "backlog was dropped");
    }

    #[test]
    fn speed_steps_through_the_list_and_stops_at_the_ends() {
        let mut p = Playback::new(0.0);
        assert_eq!(p.step_s, 10.0, "invalid step falls back to the default");
        p.speed = 1;
        p.faster(false);
        assert_eq!(p.speed, 1);
        for _ in 0..10 {
            p.faster(true);
        }
        assert_eq!(p.speed, 600);
    }

    #[test]
    fn the_meter_tells_a_lagging_clock_from_a_keeping_one() {
        let mut pb = Playback::new(10.0);
        pb.playing = true;
        pb.speed = 600;
        // 60 fps, and each frame moves the clock by the asked 10 s: keeping up.
        for _ in 0..120 {
            pb.record(1.0 / 60.0, 10.0);
        }
        assert!((pb.achieved_speed().unwrap() - 600.0).abs() < 1.0);
        assert!(!pb.lagging());
        // The budget lets one 10 s step through per 0.1 s frame: ×100, lagging.
        for _ in 0..50 {
            pb.record(0.1, 10.0);
        }
        assert!((pb.achieved_speed().unwrap() - 100.0).abs() < 5.0);
        assert!(pb.lagging());
        pb.playing = false;
        pb.record(0.1, 0.0);
        assert!(!pb.lagging());
        assert_eq!(pb.achieved_speed(), None);
    }
}
