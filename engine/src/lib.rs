//! The drill engine: a headless, deterministic simulation of emergency drills for
//! floods, forest fires and chemical spills, and the scoring of participants'
//! actions against the plan's response card.
//!
//! The data path is one straight line (see `ARCHITECTURE.md`):
//! text -> [`lang`] (syntax tree with spans, then validation) -> [`model::Scenario`]
//! -> simulation (actions and injects in, typed event log out) -> scoring -> report.
//! Only [`io`] touches the file system.

// pest's derive without its `std` feature names `alloc` (see the root Cargo.toml).
extern crate alloc;

pub mod cli;
pub mod geo;
pub mod hazard;
pub mod import;
pub mod io;
pub mod lang;
pub mod limits;
pub mod model;
pub mod score;
pub mod serve;
pub mod sim;
