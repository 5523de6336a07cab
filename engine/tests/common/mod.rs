//! Helpers shared by the simulation test files (each integration test is its own
//! crate, so each uses only some of these).
#![allow(dead_code)]

use drill_engine::model::{Action, Actor, Channel, Span, Work};
use drill_engine::sim::params::{Delay, SimParams};

/// Everyone hears the broadcast, obeys it and leaves at once: the tests then measure
/// the mechanism under test, not the behavioural draws.
pub fn obedient() -> SimParams {
    SimParams {
        broadcast_reach: 1.0,
        comply_broadcast: 1.0,
        leave_delay: Delay::Fixed(0.0),
        ..SimParams::default()
    }
}

/// A participant's action with no resources.
pub fn action(at_s: f64, actor: Actor, work: Work, how: &[Channel]) -> Action {
    Action {
        at_s,
        actor,
        work,
        how: how.to_vec(),
        with: Vec::new(),
        span: Span::default(),
    }
}
