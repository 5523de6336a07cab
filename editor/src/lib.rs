//! The drill editor: author scenarios with live checking and a map, run a projected
//! tabletop exercise, debrief a run.
//!
//! The editor draws what the engine exposes (`drill_engine::model::Scenario`, later
//! simulation snapshots) and never simulates or scores by itself. Pure logic
//! (highlighting, map transforms, recovery, playback pacing, strings) lives in plain
//! modules with unit tests; the Bevy plugins in [`app`], [`author`], [`exercise`],
//! [`debrief`] and [`shot`] only wire them to the window.

pub mod action_form;
pub mod app;
pub mod args;
pub mod author;
pub mod check;
pub mod debrief;
pub mod describe;
pub mod document;
pub mod drill;
pub mod exercise;
pub mod fonts;
pub mod hazard_map;
pub mod highlight;
pub mod i18n;
pub mod injects;
pub mod live_map;
pub mod map_view;
pub mod playback;
pub mod recovery;
pub mod replay;
pub mod report;
pub mod scoreboard;
pub mod shot;
