//! Command-line options of the editor, including the hooks the screenshot and
//! crash-recovery tests drive it with.

use clap::{Parser, ValueEnum};
use std::path::PathBuf;

pub use crate::ui::{Mode, Preset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum UiLang {
    #[default]
    Zh,
    En,
}

/// drill editor: author scenarios, run a projected tabletop exercise, debrief.
#[derive(Debug, Clone, Parser)]
#[command(name = "editor", version)]
pub struct Args {
    /// Scenario file to open (created on first save if it does not exist).
    pub file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub mode: Mode,
    #[arg(long, value_enum, default_value_t)]
    pub preset: Preset,
    #[arg(long, value_enum, default_value_t)]
    pub lang: UiLang,
    /// Save a PNG screenshot of the window after `--frames` frames, then exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// Test hook: with `--screenshot`, also write what the map drew where (its view,
    /// legend column, the village's box and every label's rectangle) as JSON.
    #[arg(long, value_name = "OUT.json", hide = true)]
    pub layout_json: Option<PathBuf>,
    /// Frames to wait before the screenshot.
    #[arg(long, default_value_t = 30)]
    pub frames: u32,
    /// Window size in logical pixels, `WIDTHxHEIGHT`.
    #[arg(long, default_value = "1600x900", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Seconds between crash-recovery autosaves.
    #[arg(long, default_value_t = crate::session::recovery::DEFAULT_INTERVAL_S)]
    pub autosave_secs: f64,
    /// Test hook: text appended to the document on startup, as if typed.
    #[arg(long, value_name = "TEXT")]
    pub type_text: Option<String>,
    /// Exercise and debrief: a recorder's `actions` log to run (the participants' decisions
    /// so far); without it the exercise starts with none.
    #[arg(long, value_name = "LOG.drill")]
    pub actions: Option<PathBuf>,
    /// Exercise and debrief: perform the plan as written instead of the participants'
    /// decisions (a demonstration run).
    #[arg(long)]
    pub plan: bool,
    /// Exercise: jump to this drill time at start, `21:30` or `2h`.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Exercise: start playing at once.
    #[arg(long)]
    pub play: bool,
    /// Exercise: playback speed, simulated seconds per real second (1, 10, 30, 60, 300, 600).
    #[arg(long, default_value_t = 60, value_parser = parse_speed)]
    pub speed: u32,
    /// Exercise: serve the drill to the participants' phones (`drill serve` from the
    /// editor) and show the join address as a QR code. `--serve` alone listens on
    /// 127.0.0.1:8080 (this computer only); `--serve=0.0.0.0:8080` lets phones on the
    /// room's network in.
    #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, require_equals = true,
          default_missing_value = crate::exercise::serve::DEFAULT_ADDR,
          value_parser = crate::exercise::serve::parse_addr)]
    pub serve: Option<std::net::SocketAddr>,
    /// Author mode: the bottom panel's tab to open on (injects, plan, timeline).
    #[arg(long, value_enum, default_value_t)]
    pub author_tab: crate::author::BottomTab,
    /// Open a generated scenario instead of a file: `county` (50,000 people, 2,000 road
    /// links) or `county:PEOPLE`, or `village`.
    #[arg(long, value_name = "KIND")]
    pub generate: Option<String>,
    /// Most wall-clock milliseconds the simulation may take per frame.
    #[arg(long, default_value_t = 8.0)]
    pub sim_budget_ms: f64,
    /// Print frame-time statistics (mean, median, 95th percentile, max) on exit.
    #[arg(long)]
    pub frame_stats: bool,
    /// Test hook: leave out the CJK font, the negative control of the font screenshot test.
    #[arg(long, hide = true)]
    pub no_cjk_font: bool,
}

fn parse_speed(s: &str) -> Result<u32, String> {
    let v: u32 = s.trim().parse().map_err(|e| format!("speed: {e}"))?;
    if crate::ui::playback::SPEEDS.contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "speed must be one of {:?}",
            crate::ui::playback::SPEEDS
        ))
    }
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or("expected WIDTHxHEIGHT, e.g. 1600x900")?;
    let w: u32 = w.trim().parse().map_err(|e| format!("width: {e}"))?;
    let h: u32 = h.trim().parse().map_err(|e| format!("height: {e}"))?;
    if !(200..=8192).contains(&w) || !(200..=8192).contains(&h) {
        return Err("size must be between 200 and 8192 on each side".into());
    }
    Ok((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_mode_and_screenshot_options() {
        let a = Args::try_parse_from([
            "editor",
            "s.drill",
            "--mode",
            "debrief",
            "--screenshot",
            "o.png",
            "--frames",
            "5",
            "--size",
            "800x600",
        ])
        .unwrap();
        assert_eq!(a.file, Some(PathBuf::from("s.drill")));
        assert_eq!(a.mode, Mode::Debrief);
        assert_eq!(a.frames, 5);
        assert_eq!(a.size, (800, 600));
        assert!(Args::try_parse_from(["editor", "--size", "big"]).is_err());
        // `--serve` alone is this computer only; the file after it stays the file.
        let a = Args::try_parse_from(["editor", "--serve", "s.drill"]).unwrap();
        assert_eq!(a.serve, Some("127.0.0.1:8080".parse().unwrap()));
        assert_eq!(a.file, Some(PathBuf::from("s.drill")));
        let a = Args::try_parse_from(["editor", "--serve=0.0.0.0:9000"]).unwrap();
        assert_eq!(a.serve, Some("0.0.0.0:9000".parse().unwrap()));
        assert!(Args::try_parse_from(["editor", "--serve=somewhere"]).is_err());
        assert!(Args::try_parse_from(["editor", "--size", "10x10"]).is_err());
    }
}
