//! The plain per-step picture of the simulation that the editor draws and the command
//! line summarises. No ECS types leak out: positions are map points, states are enums.

use super::events::{HouseholdId, Totals};
use super::world::HhState;
use crate::model::{LinkIdx, PlaceIdx, Point, TeamIdx};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Seconds from the drill start.
    pub t_s: f64,
    pub households: Vec<HouseholdView>,
    pub teams: Vec<TeamView>,
    pub links: Vec<LinkView>,
    pub shelters: Vec<ShelterView>,
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdView {
    pub id: HouseholdId,
    pub home: PlaceIdx,
    /// Where it is now (interpolated along a link while walking).
    pub pos: Point,
    pub state: HhState,
    pub people: u32,
    /// Contacts received so far.
    pub contacts: u32,
    pub exposed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TeamState {
    Idle,
    Mobilising,
    Travelling,
    Working,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamView {
    pub team: TeamIdx,
    pub pos: Point,
    pub state: TeamState,
    /// Share of the elapsed drill the team has been busy, 0..=1.
    pub utilisation: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkView {
    pub link: LinkIdx,
    pub open: bool,
    pub dangerous: bool,
    /// People on the link now, both directions.
    pub people: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShelterView {
    pub place: PlaceIdx,
    pub occupancy: u32,
    pub capacity: u32,
    pub open: bool,
    pub closed: bool,
}

/// Where an inject of the master scenario events list (情景注入) stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum InjectStatus {
    /// Not fired yet. A trainer's `fire_inject`/`skip_inject` request waits for the
    /// next step (`requested`).
    Pending { requested: bool },
    /// Fired at `t_s`.
    Fired {
        t_s: f64,
        contingency: bool,
        by_trainer: bool,
    },
    /// Will not fire (skipped by the trainer, or its contingency task was done).
    Skipped {
        t_s: f64,
        why: super::events::InjectSkip,
    },
}

/// One inject as the trainer's console lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InjectView {
    pub number: u32,
    /// When it is due: its `at` time, or a contingency inject's `by` time.
    pub due_s: f64,
    /// For a contingency inject (`if not T by ...`): the task it watches.
    pub unless_task: Option<crate::model::TaskIdx>,
    pub message: String,
    pub status: InjectStatus,
}
