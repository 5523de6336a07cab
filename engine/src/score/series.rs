//! The report's time series, rebuilt from the event log alone: people warned,
//! evacuated (safe at a shelter or rescued), in danger and trapped, and each shelter's
//! occupancy, sampled every five minutes of drill time.

use super::facts::Facts;
use crate::model::Scenario;
use serde::{Deserialize, Serialize};

/// Sampling interval of the charts, seconds.
pub const SAMPLE_S: f64 = 300.0;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ShelterSeries {
    pub name: String,
    pub capacity: u32,
    pub occupancy: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Series {
    pub t_s: Vec<f64>,
    pub warned: Vec<u32>,
    pub evacuated: Vec<u32>,
    /// At home in a dangerous zone, or trapped and not yet rescued.
    pub in_danger: Vec<u32>,
    pub trapped: Vec<u32>,
    pub shelters: Vec<ShelterSeries>,
}

pub fn series(scenario: &Scenario, facts: &Facts) -> Series {
    let end = facts.end_s;
    let samples = (end / SAMPLE_S).ceil() as usize + 1;
    let danger_from: Vec<Option<f64>> = facts
        .households
        .iter()
        .map(|h| {
            h.zones
                .iter()
                .filter_map(|z| facts.zone_dangerous.get(&z.0).copied())
                .reduce(f64::min)
        })
        .collect();
    let shelters: Vec<(usize, u32)> = scenario
        .map
        .places
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.shelter.as_ref().map(|s| (i, s.capacity)))
        .collect();
    let mut out = Series {
        shelters: shelters
            .iter()
            .map(|&(i, capacity)| ShelterSeries {
                name: scenario.map.places[i].name.clone(),
                capacity,
                occupancy: Vec::with_capacity(samples),
            })
            .collect(),
        ..Series::default()
    };
    let by = |events: &[(f64, u32)], t: f64| -> u32 {
        events.iter().filter(|e| e.0 <= t).map(|e| e.1).sum()
    };
    for k in 0..samples {
        let t = (k as f64 * SAMPLE_S).min(end);
        let (mut warned, mut safe, mut danger, mut trapped) = (0, 0, 0, 0);
        for (i, h) in facts.households.iter().enumerate() {
            let f = &facts.hh[i];
            let n = h.members.total();
            if f.warned_s.is_some_and(|w| w <= t) {
                warned += n;
            }
            let is_safe = f.safe_s().is_some_and(|s| s <= t);
            if is_safe {
                safe += n;
                continue;
            }
            let is_trapped = f.trapped_s.is_some_and(|s| s <= t);
            let at_home = f.departed_s.is_none_or(|d| d > t);
            if is_trapped {
                trapped += n;
            }
            if is_trapped || (at_home && danger_from[i].is_some_and(|d| d <= t)) {
                danger += n;
            }
        }
        for r in facts.rescues.values() {
            let rescued = by(&r.anonymous_rescued_at, t);
            safe += rescued;
            let still = by(&r.anonymous_trapped_at, t).saturating_sub(rescued);
            trapped += still;
            danger += still;
        }
        out.t_s.push(t);
        out.warned.push(warned);
        out.evacuated.push(safe);
        out.in_danger.push(danger);
        out.trapped.push(trapped);
        for (s, &(place, _)) in out.shelters.iter_mut().zip(&shelters) {
            s.occupancy.push(
                facts
                    .intake
                    .iter()
                    .filter(|e| e.1.index() == place && e.0 <= t)
                    .map(|e| e.2)
                    .sum(),
            );
        }
    }
    out
}
