//! A small builder for scenarios written in Rust: tests, benchmarks and the generator
//! use it instead of the scenario language, so the simulation can be exercised
//! without the parser.

use crate::model::*;

/// Builds a [`Scenario`] place by place. Defaults: a 12 h drill from 20:00 on
/// 2026-06-18, a 10 s step, seed 1.
pub struct ScenarioBuilder {
    pub scenario: Scenario,
}

impl Default for ScenarioBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ScenarioBuilder {
    pub fn new() -> ScenarioBuilder {
        let mut scenario = Scenario {
            header: Header {
                id: "built".into(),
                title: "built in Rust".into(),
                hazard_kinds: vec![HazardKind::Flood],
                start: DateTime {
                    year: 2026,
                    month: 6,
                    day: 18,
                    hour: 20,
                    minute: 0,
                },
                duration_s: 12.0 * 3600.0,
                seed: 1,
                step_s: 10.0,
            },
            ..Scenario::default()
        };
        scenario.map.cell_m = 50.0;
        ScenarioBuilder { scenario }
    }

    pub fn step(&mut self, step_s: f64) -> &mut Self {
        self.scenario.header.step_s = step_s;
        self
    }

    pub fn duration(&mut self, duration_s: f64) -> &mut Self {
        self.scenario.header.duration_s = duration_s;
        self
    }

    pub fn start_hour(&mut self, hour: u8) -> &mut Self {
        self.scenario.header.start.hour = hour;
        self
    }

    fn place(&mut self, place: Place) -> PlaceIdx {
        self.scenario.map.places.push(place);
        PlaceIdx(self.scenario.map.places.len() as u32 - 1)
    }

    /// A settlement (自然村) with `households` households and `people` people.
    pub fn settlement(
        &mut self,
        name: &str,
        x: f64,
        y: f64,
        households: u32,
        people: u32,
    ) -> PlaceIdx {
        self.settlement_with(name, x, y, households, people, Groups::default())
    }

    pub fn settlement_with(
        &mut self,
        name: &str,
        x: f64,
        y: f64,
        households: u32,
        people: u32,
        groups: Groups,
    ) -> PlaceIdx {
        self.place(Place {
            name: name.into(),
            pos: Point { x, y },
            kind: PlaceKind::Settlement,
            households,
            people,
            groups,
            ..Place::default()
        })
    }

    pub fn shelter(&mut self, name: &str, x: f64, y: f64, capacity: u32) -> PlaceIdx {
        self.place(Place {
            name: name.into(),
            pos: Point { x, y },
            kind: PlaceKind::Shelter,
            shelter: Some(ShelterSpec {
                capacity,
                facilities: vec![Facility::Water],
            }),
            ..Place::default()
        })
    }

    pub fn junction(&mut self, name: &str, x: f64, y: f64) -> PlaceIdx {
        self.place(Place {
            name: name.into(),
            pos: Point { x, y },
            kind: PlaceKind::Junction,
            ..Place::default()
        })
    }

    pub fn station(&mut self, name: &str, x: f64, y: f64) -> PlaceIdx {
        self.place(Place {
            name: name.into(),
            pos: Point { x, y },
            kind: PlaceKind::Station,
            ..Place::default()
        })
    }

    pub fn link(
        &mut self,
        kind: LinkKind,
        a: PlaceIdx,
        b: PlaceIdx,
        length_m: f64,
        width_m: f64,
    ) -> LinkIdx {
        self.scenario.map.links.push(Link {
            kind,
            from: a,
            to: b,
            width_m,
            length_m,
            via: Vec::new(),
            over: None,
            span: Span::default(),
        });
        LinkIdx(self.scenario.map.links.len() as u32 - 1)
    }

    pub fn road(&mut self, a: PlaceIdx, b: PlaceIdx, length_m: f64, width_m: f64) -> LinkIdx {
        self.link(LinkKind::Road, a, b, length_m, width_m)
    }

    /// A road whose length is the straight distance between its ends.
    pub fn straight_road(&mut self, a: PlaceIdx, b: PlaceIdx, width_m: f64) -> LinkIdx {
        let len = self
            .scenario
            .place(a)
            .pos
            .distance(self.scenario.place(b).pos)
            .max(1.0);
        self.road(a, b, len, width_m)
    }

    pub fn zone(
        &mut self,
        name: &str,
        polygon: &[(f64, f64)],
        dangerous_from_s: Option<f64>,
    ) -> ZoneIdx {
        self.scenario.map.zones.push(Zone {
            name: name.into(),
            level: RiskLevel::Red,
            hazard: HazardKind::Flood,
            polygon: polygon.iter().map(|&(x, y)| Point { x, y }).collect(),
            dangerous_from_s,
            span: Span::default(),
        });
        ZoneIdx(self.scenario.map.zones.len() as u32 - 1)
    }

    pub fn role(
        &mut self,
        name: &str,
        level: AdminLevel,
        count: u32,
        post: Option<PlaceIdx>,
    ) -> RoleIdx {
        self.scenario.roles.push(Role {
            name: name.into(),
            level,
            commander: false,
            count,
            post,
            span: Span::default(),
        });
        RoleIdx(self.scenario.roles.len() as u32 - 1)
    }

    pub fn resource(
        &mut self,
        name: &str,
        kind: ResourceKind,
        quantity: u32,
        at: PlaceIdx,
    ) -> ResourceIdx {
        self.scenario.resources.push(Resource {
            name: name.into(),
            kind,
            quantity,
            at,
            capacity: None,
            radius_m: None,
            backup_power: false,
            span: Span::default(),
        });
        ResourceIdx(self.scenario.resources.len() as u32 - 1)
    }

    pub fn team(
        &mut self,
        name: &str,
        members: u32,
        base: PlaceIdx,
        arrives_s: f64,
        skills: &[Skill],
    ) -> TeamIdx {
        self.scenario.teams.push(Team {
            name: name.into(),
            members,
            base,
            arrives_s,
            skills: skills.to_vec(),
            equipment: Vec::new(),
            span: Span::default(),
        });
        TeamIdx(self.scenario.teams.len() as u32 - 1)
    }

    pub fn task(
        &mut self,
        id: &str,
        trigger: Trigger,
        who: &[Actor],
        work: Work,
        how: &[Channel],
    ) -> TaskIdx {
        self.scenario.plan.tasks.push(Task {
            id: id.into(),
            title: id.into(),
            trigger,
            who: who.to_vec(),
            work,
            how: how.to_vec(),
            with: Vec::new(),
            deadline: None,
            require: None,
            span: Span::default(),
        });
        TaskIdx(self.scenario.plan.tasks.len() as u32 - 1)
    }

    pub fn inject(
        &mut self,
        number: u32,
        trigger: InjectTrigger,
        effects: Vec<Effect>,
    ) -> &mut Self {
        self.scenario.injects.push(Inject {
            number,
            trigger,
            from: None,
            to: Vec::new(),
            via: None,
            message: format!("inject {number}"),
            expects: Vec::new(),
            effects,
            span: Span::default(),
        });
        self
    }

    pub fn build(&self) -> Scenario {
        self.scenario.clone()
    }
}
