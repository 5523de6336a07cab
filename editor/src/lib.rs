//! The drill editor: author scenarios with live checking and a map, run a projected
//! tabletop exercise, debrief a run.
//!
//! The editor draws what the engine exposes (`drill_engine::model::Scenario`, the
//! simulation's snapshots, the scorer's report) and never simulates or scores by
//! itself. Layout, one folder per mode beside the shared pieces:
//!
//! - [`author`] (编写), [`exercise`] (推演), [`debrief`] (复盘): one Bevy plugin each,
//!   with the widgets only that mode uses;
//! - [`ui`]: what every mode draws with (settings, fonts, map drawing, wording,
//!   scoreboard, playback clock);
//! - [`session`]: the open document, its check and the run built from it;
//! - [`app`] wires the modes into the window; [`shot`] takes the screenshots the tests
//!   look at; [`args`] is the command line.
//!
//! Dependencies run one way: `app` → modes → `ui`, `session` (the debrief replays the
//! exercise's run, so `debrief` also reads `exercise`); nothing in `ui` or `session`
//! depends on a mode. Pure logic (highlighting, map transforms, recovery, playback
//! pacing, strings) lives in plain modules with unit tests.

pub mod app;
pub mod args;
pub mod author;
pub mod debrief;
pub mod exercise;
pub mod session;
pub mod shot;
pub mod ui;
