//! The simulation core: a validated [`crate::model::Scenario`] in, a typed event log
//! out (see [`events`] for the log and the public API shape).

pub mod events;
