//! The default hazard: zones that turn dangerous at the times the trainer wrote
//! (`Zone::dangerous_from_s`). Used when a scenario has no physical hazard model, and
//! alongside one, so scripted danger always holds.

use crate::hazard::HazardField;
use crate::model::{Point, Scenario, Zone};

/// 脚本化灾情 — danger by the clock, zone by zone.
pub struct ScriptedHazard {
    zones: Vec<(Zone, f64)>,
    now_s: f64,
}

impl ScriptedHazard {
    pub fn new(scenario: &Scenario) -> ScriptedHazard {
        let zones = scenario
            .map
            .zones
            .iter()
            .filter_map(|z| z.dangerous_from_s.map(|t| (z.clone(), t)))
            .collect();
        ScriptedHazard { zones, now_s: 0.0 }
    }
}

impl HazardField for ScriptedHazard {
    fn name(&self) -> &str {
        "scripted"
    }

    fn advance_to(&mut self, t_s: f64) {
        self.now_s = self.now_s.max(t_s);
    }

    fn dangerous(&self, p: Point) -> bool {
        self.zones
            .iter()
            .any(|(z, from)| *from <= self.now_s && z.contains(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::build::ScenarioBuilder;

    #[test]
    fn zone_turns_dangerous_at_its_time_only_inside() {
        let mut b = ScenarioBuilder::new();
        b.zone(
            "low",
            &[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
            Some(60.0),
        );
        let mut h = ScriptedHazard::new(&b.build());
        let inside = Point { x: 5.0, y: 5.0 };
        h.advance_to(59.0);
        assert!(!h.dangerous(inside));
        h.advance_to(60.0);
        assert!(h.dangerous(inside));
        assert!(!h.dangerous(Point { x: 50.0, y: 5.0 }));
    }
}
