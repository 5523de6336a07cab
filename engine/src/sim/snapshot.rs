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
